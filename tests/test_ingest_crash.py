"""A real `docstore ingest` killed mid-run: the database stays sound (every stored document
whole, none half-written), a rerun completes the set without duplicates, and a stop by
SIGTERM or SIGINT closes the run row as `interrupted`."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import DOCSTORE, make_articles
from helpers import read_sqlite as read

from docstore.ingest import prepare_file
from docstore.readers import ReadOptions

COUNT = 200


def start_ingest(folder: Path, db: Path) -> subprocess.Popen[str]:
    # Python turns SIGINT into KeyboardInterrupt only when the signal is not ignored, and a
    # test run started in the background may have inherited "ignored": restore the default.
    return subprocess.Popen(
        [DOCSTORE, "ingest", str(folder), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_until(condition: Callable[[], bool], proc: subprocess.Popen[str], limit: float) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert proc.poll() is None, f"ingest ended early: {proc.communicate()}"
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.01)


def stored(db: Path, at_least: int) -> Callable[[], bool]:
    def check() -> bool:
        try:
            return read(db, "SELECT count(*) FROM documents")[0][0] >= at_least
        except sqlite3.OperationalError:  # file or schema not there yet
            return False

    return check


def check_sound(db: Path) -> None:
    """Integrity holds and every document is whole: all its passages (the number its file
    lays out to), and all its mentions and statements as extraction finds them."""
    assert read(db, "PRAGMA integrity_check") == [("ok",)]
    assert read(db, "PRAGMA foreign_key_check") == []
    rows = read(
        db,
        "SELECT d.source,"
        " (SELECT count(*) FROM passages p WHERE p.document_id = d.id),"
        " (SELECT count(*) FROM mentions m WHERE m.document_id = d.id),"
        " (SELECT count(*) FROM statements s WHERE s.document_id = d.id)"
        " FROM documents d",
    )
    for source, passages, mentions, statements in rows:
        [prepared] = prepare_file(Path(source), ReadOptions())
        assert prepared.laid is not None and prepared.extraction is not None
        assert passages == len(prepared.laid.passages), source
        assert mentions == len(prepared.extraction.mentions), source
        assert statements == len(prepared.extraction.statements), source


@pytest.mark.slow
def test_sigkill_mid_run_then_rerun(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_articles(folder, COUNT)
    db = tmp_path / "crash.db"

    proc = start_ingest(folder, db)
    try:
        wait_until(stored(db, 10), proc, limit=60)
        proc.kill()
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    before = read(db, "SELECT count(*) FROM documents")[0][0]
    assert 10 <= before < COUNT, "the kill came after the run had finished"
    check_sound(db)
    assert read(db, "SELECT status FROM ingest_runs") == [("running",)]  # it never knew

    rerun = subprocess.run(
        [DOCSTORE, "ingest", str(folder), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"{COUNT - before} added, {before} skipped, 0 failed" in rerun.stdout
    assert read(db, "SELECT count(*), count(DISTINCT uid), count(DISTINCT source) FROM documents")[
        0
    ] == (COUNT, COUNT, COUNT)
    assert read(db, "PRAGMA integrity_check") == [("ok",)]
    assert read(
        db,
        "SELECT count(*) FROM documents d"
        " WHERE NOT EXISTS (SELECT 1 FROM passages p WHERE p.document_id = d.id)",
    ) == [(0,)]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "status"),
    [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130)],
    ids=["SIGTERM", "SIGINT"],
)
def test_sigterm_and_sigint_end_run_interrupted(tmp_path: Path, sig: int, status: int) -> None:
    folder = tmp_path / "in"
    make_articles(folder, COUNT)
    db = tmp_path / "stop.db"

    proc = start_ingest(folder, db)
    try:
        wait_until(stored(db, 5), proc, limit=60)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == status, err
    assert "Traceback" not in out + err
    assert "interrupted" in err
    [(run_status, finished, added)] = read(
        db, "SELECT status, finished_at, documents_added FROM ingest_runs"
    )
    assert run_status == "interrupted" and finished
    count = read(db, "SELECT count(*) FROM documents")[0][0]
    assert added == count < COUNT
    check_sound(db)
