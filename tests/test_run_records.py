"""Runs are recorded honestly: a SIGTERM during writes ends the run `interrupted` within a
second (20 times over), a crash ends it `failed` with its reason, and a run whose process
is gone becomes `abandoned` at the next run."""

from __future__ import annotations

import os
import random
import signal
import socket
import threading
import time
from pathlib import Path

import pytest
from helpers import make_articles, query_db
from sqlalchemy import text

from docstore.store import Interrupted, Outcome, Store

SIGNALS = 20


# a SIGTERM may land in a garbage-collector callback, where Python reports its exception as
# "ignored" (pytest warns of it); the run must stop anyway (see docstore.signals)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_twenty_sigterms_during_writes(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_articles(folder, 12)
    store = Store(db_url)
    store.ingest([folder / "0000.txt"])  # the pipeline is built once, before the clock runs
    rng = random.Random(15)
    waits = []
    for _ in range(SIGNALS):
        sent: list[float] = []

        def kill_soon(outcome: Outcome, sent: list[float] = sent) -> None:
            if not sent:  # during the next document's extraction or transaction
                sent.append(0.0)
                delay = rng.uniform(0, 0.04)

                def fire() -> None:
                    sent[0] = time.monotonic()
                    os.kill(os.getpid(), signal.SIGTERM)

                threading.Timer(delay, fire).start()

        with pytest.raises(Interrupted):
            store.ingest([folder], on_outcome=kill_soon)
        waits.append(time.monotonic() - sent[0])
        with store.engine.begin() as conn:  # nothing of ours holds the write lock
            conn.execute(text("DELETE FROM documents WHERE id > 1"))
    store.close()
    assert max(waits) < 1.0, waits
    statuses = query_db(db_url, "SELECT status, finished_at FROM ingest_runs ORDER BY id")
    assert [s for s, _ in statuses] == ["completed"] + ["interrupted"] * SIGNALS
    assert all(finished for _, finished in statuses)
    assert query_db(
        db_url,
        "SELECT count(*) FROM documents d"
        " WHERE NOT EXISTS (SELECT 1 FROM passages p WHERE p.document_id = d.id)",
    ) == [(0,)]


def test_a_crash_is_recorded_with_its_reason(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    make_articles(folder, 2)
    store = Store(db_url)

    def broken(*_: object, **__: object) -> object:
        raise MemoryError("out of memory while preparing")

    monkeypatch.setattr("docstore.store.iter_prepared", broken)
    with pytest.raises(MemoryError):
        store.ingest([folder])
    store.close()
    [(status, finished)] = query_db(db_url, "SELECT status, finished_at FROM ingest_runs")
    assert status == "failed" and finished
    [(error,)] = query_db(db_url, "SELECT error FROM ingest_errors")
    assert "MemoryError" in error and "out of memory while preparing" in error


def test_runs_of_dead_processes_become_abandoned(db_url: str, tmp_path: Path) -> None:
    store = Store(db_url)
    gone = _dead_pid()
    host = socket.gethostname()
    with store.engine.begin() as conn:
        for pid, where in ((gone, host), (os.getpid(), host), (gone, "elsewhere")):
            conn.execute(
                text(
                    "INSERT INTO ingest_runs (started_at, status, files_seen, documents_added,"
                    " documents_skipped, documents_failed, pid, host)"
                    " VALUES ('2026-01-01', 'running', 0, 0, 0, 0, :pid, :host)"
                ),
                {"pid": pid, "host": where},
            )
    folder = tmp_path / "in"
    make_articles(folder, 1)
    report = store.ingest([folder])
    store.close()
    rows = query_db(db_url, "SELECT id, status, pid, host FROM ingest_runs ORDER BY id")
    assert [r[1] for r in rows] == ["abandoned", "running", "running", "completed"]
    assert rows[-1][0] == report.run_id and rows[-1][2:] == (os.getpid(), host)


def _dead_pid() -> int:
    """The id of a process that has just ended."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.slow
def test_docstore_ingest_ends_within_a_second_of_sigterm(tmp_path: Path) -> None:
    """The command itself, not only the API: the process is gone within a second (a
    collection of the pipeline's objects at exit used to take seconds)."""
    import sqlite3
    import subprocess

    from helpers import DOCSTORE, read_sqlite

    folder = tmp_path / "in"
    make_articles(folder, 40)
    db = tmp_path / "stop.db"
    proc = subprocess.Popen(
        [DOCSTORE, "ingest", str(folder), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            try:
                if read_sqlite(db, "SELECT count(*) FROM documents")[0][0] >= 2:
                    break
            except sqlite3.OperationalError:
                pass
            time.sleep(0.01)
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
        took = time.monotonic() - sent
    finally:
        proc.kill()
    assert proc.returncode == 143, err
    assert took < 1.0, took
    assert read_sqlite(db, "SELECT status FROM ingest_runs") == [("interrupted",)]
