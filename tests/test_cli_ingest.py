"""`docstore ingest` on the seed: the stored document, its passages, idempotency, exits."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import query_db as rows

from docstore.cli import cli

SEED_TITLE = "No strategic relations between Belarus and United States in near future"


def ingest(runner: CliRunner, db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["ingest", *args, "--db", db])
    return result.exit_code, result.stdout, result.stderr


def test_seed_document(runner: CliRunner, db_url: str, seed_path: Path) -> None:
    code, out, _ = ingest(runner, db_url, str(seed_path))
    assert code == 0, out
    assert "1 added, 0 skipped, 0 failed" in out
    [(title, published_at, language, version)] = rows(
        db_url, "SELECT title, published_at, language, extractor_version FROM documents"
    )
    assert title == SEED_TITLE
    assert published_at == "2016-04-07T20:47"
    assert language == "en"
    assert version
    kinds = rows(db_url, "SELECT kind, COUNT(*) FROM passages GROUP BY kind")
    assert dict(kinds) == {"title": 1, "dateline": 1, "paragraph": 9, "list_item": 3}
    seqs = [r[0] for r in rows(db_url, "SELECT seq FROM passages ORDER BY seq")]
    assert seqs == list(range(14))


def test_offset_invariant_holds_in_sql(runner: CliRunner, db_url: str, seed_path: Path) -> None:
    ingest(runner, db_url, str(seed_path))
    bad = rows(
        db_url,
        "SELECT p.seq FROM passages p JOIN documents d ON d.id = p.document_id "
        "WHERE p.text <> substr(d.body, p.char_start + 1, p.char_end - p.char_start)",
    )
    assert bad == []
    bad_mentions = rows(
        db_url,
        "SELECT m.id FROM mentions m JOIN documents d ON d.id = m.document_id "
        "WHERE m.text <> substr(d.body, m.char_start + 1, m.char_end - m.char_start)",
    )
    assert bad_mentions == []


def test_seed_body_is_the_file_text(runner: CliRunner, db_url: str, seed_path: Path) -> None:
    ingest(runner, db_url, str(seed_path))
    [(body,)] = rows(db_url, "SELECT body FROM documents")
    assert body == seed_path.read_text(encoding="utf-8")


def test_ingest_twice_is_one_document(runner: CliRunner, db_url: str, seed_path: Path) -> None:
    ingest(runner, db_url, str(seed_path))
    code, out, _ = ingest(runner, db_url, str(seed_path), str(seed_path.parent))
    assert code == 0
    assert "0 added, 1 skipped, 0 failed" in out
    assert rows(db_url, "SELECT COUNT(*) FROM documents") == [(1,)]
    assert rows(db_url, "SELECT COUNT(*) FROM passages") == [(14,)]
    runs = rows(
        db_url,
        "SELECT status, files_seen, documents_added, documents_skipped, documents_failed "
        "FROM ingest_runs ORDER BY id",
    )
    assert runs == [("completed", 1, 1, 0, 0), ("completed", 1, 0, 1, 0)]


def test_missing_path_is_one_line_and_exit_1(
    runner: CliRunner, db_url: str, seed_path: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "nope.txt"
    code, out, err = ingest(runner, db_url, str(missing), str(seed_path))
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert lines == [f"error: {missing}: no such file or directory"]
    assert "Traceback" not in out + err
    assert "1 added, 0 skipped, 1 failed" in out
    assert rows(db_url, "SELECT source, error FROM ingest_errors") == [
        (str(missing), f"{missing}: no such file or directory")
    ]
    assert rows(db_url, "SELECT status FROM ingest_runs") == [("failed",)]


def test_usage_error_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["ingest", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    result = runner.invoke(cli, ["ingest", "x.txt", "--workers", "0"])
    assert result.exit_code == 2


def test_json_report(runner: CliRunner, db_url: str, seed_path: Path) -> None:
    import json

    result = runner.invoke(cli, ["ingest", str(seed_path), "--db", db_url, "--json"])
    report = json.loads(result.stdout)
    assert report["added"] == 1 and report["failed"] == 0
    assert report["documents"][0]["status"] == "added"


def test_folder_is_walked_recursively_for_supported_files(
    runner: CliRunner, db_url: str, seed_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in" / "nested"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "notes.bin").write_bytes(b"\x00\x01")
    (tmp_path / "in" / ".hidden.txt").write_text("Hidden\nbody", encoding="utf-8")
    code, out, _ = ingest(runner, db_url, str(tmp_path / "in"))
    assert code == 0
    assert "1 added" in out


def test_progress_bar_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, seed_path: Path
) -> None:
    import io
    import sys

    from docstore.cli import _progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    folder = tmp_path / "many"
    folder.mkdir()
    files = []
    for i in range(25):
        path = folder / f"{i:02d}.txt"
        path.write_text(f"Title {i}\nBody {i}.", encoding="utf-8")
        files.append(path)
    monkeypatch.delenv("CI", raising=False)
    for stream, shows in ((Terminal(), True), (io.StringIO(), False)):
        monkeypatch.setattr(sys, "stderr", stream)
        with _progress((str(folder),)) as advance:
            for path in files:
                advance(path)
        assert ("ingesting" in stream.getvalue()) is shows
    few = Terminal()
    monkeypatch.setattr(sys, "stderr", few)
    with _progress((str(seed_path),)) as advance:
        advance(seed_path)
    assert few.getvalue() == ""
