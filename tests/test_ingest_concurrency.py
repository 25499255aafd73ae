"""Two real `docstore ingest` processes on one new SQLite file: both race the automatic
schema upgrade and the writes, neither sees "database is locked", content they share is
stored once, and readers can query while they write."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from helpers import DOCSTORE, make_articles
from helpers import read_sqlite as read

COUNT = 200
SHARED = range(80, 120)  # in both folders


@pytest.mark.slow
def test_two_ingests_and_a_reader_on_one_new_file(tmp_path: Path) -> None:
    paths = make_articles(tmp_path / "all", COUNT)
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for i, path in enumerate(paths):
        if i < SHARED.stop:
            shutil.copy(path, first / path.name)
        if i >= SHARED.start:
            shutil.copy(path, second / path.name)
    db = tmp_path / "shared.db"
    assert not db.exists()

    procs = [
        subprocess.Popen(
            [DOCSTORE, "ingest", str(folder), "--db", str(db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in (first, second)
    ]
    # Read while they write: plain SQLite readers never wait for (or block) the writers.
    counts: list[int] = []
    deadline = time.monotonic() + 90
    while any(p.poll() is None for p in procs) and time.monotonic() < deadline:
        try:
            counts.append(read(db, "SELECT count(*) FROM documents")[0][0])
        except sqlite3.OperationalError as exc:  # the file or the schema is not there yet
            assert "locked" not in str(exc)
        time.sleep(0.02)
    results = [p.communicate(timeout=60) for p in procs]

    for proc, (_out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err
    assert any(0 < c < COUNT for c in counts), "no read happened during the writes"
    assert counts == sorted(counts)  # each read saw whole documents, never fewer later

    assert read(db, "SELECT count(*), count(DISTINCT uid) FROM documents") == [(COUNT, COUNT)]
    assert read(db, "PRAGMA integrity_check") == [("ok",)]
    assert read(
        db,
        "SELECT count(*) FROM documents d"
        " WHERE NOT EXISTS (SELECT 1 FROM passages p WHERE p.document_id = d.id)",
    ) == [(0,)]
    runs = read(db, "SELECT status, documents_added, documents_skipped FROM ingest_runs")
    assert [r[0] for r in runs] == ["completed", "completed"]
    assert sum(r[1] for r in runs) == COUNT
    assert sum(r[2] for r in runs) == len(SHARED)  # the shared ones: stored by whoever was first
    assert read(db, "SELECT version_num FROM alembic_version") != []
    assert len(read(db, "SELECT version_num FROM alembic_version")) == 1
