"""Tabular sources stream: rows are read, extracted and committed one document at a time,
so a large export is never held whole and an interrupted run keeps what it committed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from helpers import query_db as query

from docstore import ingest as ingest_module
from docstore.readers import Article, ReadOptions, read_file
from docstore.store import IngestOptions, Store


def write_csv(path: Path, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["title", "date", "text"])
        for i in range(rows):
            writer.writerow(
                [f"Report number {i}", "2020-02-07", f"Officials met in Minsk for talk {i}."]
            )
    return path


def test_csv_is_read_without_loading_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "rows.csv", 3000)

    def refuse(self: Path) -> bytes:
        raise AssertionError("the whole file was read into memory")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    # --max-bytes bounds a streamed document, not the file: the file is over it.
    options = ReadOptions(max_bytes=path.stat().st_size // 10)
    items = read_file(path, options)
    first = next(items)
    assert isinstance(first, Article) and first.title == "Report number 0"
    assert sum(1 for _ in items) == 2999


def test_jsonl_streams_and_a_bad_byte_later_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    good = b'{"title": "Row %d", "text": "Officials met in Minsk."}\n'
    path.write_bytes(b"".join(good % i for i in range(5000)) + b'{"title": "\xff"}\n')
    items = list(read_file(path))
    assert sum(isinstance(i, Article) for i in items) == 5000
    assert str(items[-1]).startswith(f"{path}: not valid UTF-8 further on")


def test_interrupted_csv_keeps_the_rows_committed_before(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "rows.csv", 6)
    real = ingest_module.extract_document
    calls = 0

    def extract_until_interrupted(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 4:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest_module, "extract_document", extract_until_interrupted)
    with Store(db_url) as store, pytest.raises(KeyboardInterrupt):
        store.ingest([path], IngestOptions(keep_outcomes=False))

    titles = [t for (t,) in query(db_url, "SELECT title FROM documents ORDER BY id")]
    assert titles == ["Report number 0", "Report number 1", "Report number 2"]
    assert query(db_url, "SELECT status, documents_added FROM ingest_runs") == [("interrupted", 3)]
    # Each stored row is whole: title, dateline-free body, its mentions.
    assert query(db_url, "SELECT count(*) FROM passages") == [(6,)]
    assert query(db_url, "SELECT count(DISTINCT document_id) FROM mentions") == [(3,)]


def test_workers_take_csv_rows_in_batches(tmp_path: Path, sqlite_path: str) -> None:
    """With worker processes a CSV goes to them in batches of rows: every row is stored,
    in file order, with the other files of the run around it, as one process stores them."""
    from docstore import workers

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("First file\nOfficials met in Minsk.\n")
    write_csv(folder / "b.csv", workers.ROW_BATCH * 2 + 5)
    (folder / "c.txt").write_text("Last file\nTalks went on in Vilnius.\n")
    files = [folder / "a.txt", folder / "b.csv", folder / "c.txt"]
    jobs = list(workers.prepare_in_pool(files, ReadOptions(), None, 2, frozenset()))
    # One result per text file, three batches for the CSV: the path only with its last.
    assert [path.name if path else None for path, _ in jobs] == [
        "a.txt",
        None,
        None,
        "b.csv",
        "c.txt",
    ]
    with Store(sqlite_path) as store:
        report = store.ingest([folder], IngestOptions(workers=2))
    assert report.added == 2 + workers.ROW_BATCH * 2 + 5, report.errors
    titles = [t for (t,) in query(sqlite_path, "SELECT title FROM documents ORDER BY id")]
    expected = [f"Report number {i}" for i in range(workers.ROW_BATCH * 2 + 5)]
    assert titles == ["First file", *expected, "Last file"]
