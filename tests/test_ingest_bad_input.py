"""Bad input through `docstore ingest`: one line per problem naming file and reason,
nothing stored for that document, the rest of the run goes on, and the exit status and
`ingest_runs`/`ingest_errors` tell a script what happened."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import query_db as query

from docstore.cli import cli

ARTICLES = Path(__file__).resolve().parent / "corpus" / "articles"
GOOD = [
    "01_kremlin_putin_obama_call_syria_ukraine.txt",
    "04_kremlin_russian_belarusian_talks_sochi.txt",
    "05_wikinews_trump_ousts_bolton.txt",
]
MAX_BYTES = 20_000
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
DOCSTORE = str(Path(sys.executable).with_name("docstore"))


def make_bad_files(folder: Path) -> dict[str, str]:
    """Write one file per kind of bad input; return {file name: expected reason}."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("   \n\t\n  \n")
    (folder / "title_only.txt").write_text("A title and nothing else\n")
    (folder / "binary.txt").write_bytes(b"Title\n\x00\x01\x02\x89PNG\x00 body\n")
    (folder / "big.txt").write_text("A big article\n" + "word " * (MAX_BYTES // 4))
    (folder / "broken.csv").write_text('title,text\n"unterminated,body\nx,y\n')
    (folder / "broken.json").write_text('{"title": "x", "text": ')
    (folder / "rows.csv").write_text(
        "title,text,date\n"
        "A good row,The row has a body that says something.,2020-01-01\n"
        "A row without text,,2020-01-02\n"
    )
    os.mkfifo(folder / "pipe.txt")  # open() would block: refused before reading
    (folder / "dangling.txt").symlink_to(folder / "no-such-target.txt")
    expected = {
        "empty.txt": "empty file",
        "blank.txt": "only whitespace",
        "title_only.txt": "title but no body",
        "binary.txt": "binary content",
        "big.txt": "--max-bytes",
        "broken.csv": "malformed CSV",
        "broken.json": "malformed JSON",
        "rows.csv, row 2": "no text",
        "pipe.txt": "not a regular file",
        "dangling.txt": "no such file",
    }
    if not IS_ROOT:  # root reads anything; the FIFO and dangling link cover it there
        locked = folder / "locked.txt"
        locked.write_text("Locked article\nIt has a body.\n")
        locked.chmod(0)
        expected["locked.txt"] = "permission denied"
    return expected


def test_mixed_folder_stores_good_reports_each_bad_one(tmp_path: Path, db_url: str) -> None:
    """The real command on a folder mixing good articles with every kind of bad input."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in GOOD:
        shutil.copy(ARTICLES / name, folder / name)
    expected = make_bad_files(folder)
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "notes.bin").write_bytes(b"unsupported")
    expected["missing"] = "no such file or directory"
    expected["nothing"] = "no supported files"

    proc = subprocess.run(
        [DOCSTORE, "ingest", "in", "missing", "nothing", "--max-bytes", str(MAX_BYTES)]
        + ["--db", db_url],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(expected), proc.stderr
    for name, reason in expected.items():
        hits = [line for line in errors if f"{name}:" in line]
        assert len(hits) == 1 and reason in hits[0], (name, errors)
    assert f"4 added, 0 skipped, {len(expected)} failed" in proc.stdout

    titles = {t for (t,) in query(db_url, "SELECT title FROM documents")}
    assert len(titles) == 4 and "A good row" in titles
    # Nothing of a bad document: every passage belongs to one of the four.
    assert query(db_url, "SELECT count(DISTINCT document_id) FROM passages") == [(4,)]
    runs = query(
        db_url,
        "SELECT status, documents_added, documents_failed, finished_at FROM ingest_runs",
    )
    assert len(runs) == 1
    status, added, failed, finished = runs[0]
    assert (status, added, failed) == ("failed", 4, len(expected)) and finished
    logged = query(db_url, "SELECT source, error FROM ingest_errors ORDER BY id")
    assert len(logged) == len(expected)
    assert any(src.endswith("rows.csv#2") for src, _ in logged)
    for name, reason in expected.items():
        assert any(name in err and reason in err for _, err in logged), name


CASES = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b" \n\t\r\n ", "only whitespace"),
    "title_only.txt": (b"Only a title\n\n", "title but no body"),
    "binary.txt": (b"\x7fELF\x02\x01\x00\x00\x00 not text", "binary content"),
    "broken.json": (b'[{"title": "a", "text": "b"', "malformed JSON"),
    "broken.jsonl": (b'{"title": \n', "row 1: malformed JSON"),
    "no_text.csv": (b"title,text\nOnly a title,\n", "row 1: no text"),
    "notes.csv": (b"heading,comment\nfoo,bar\n", "no text field"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_file_alone(tmp_path: Path, db_url: str, name: str) -> None:
    """Each case alone: one error line naming the file, exit 1, nothing stored."""
    data, reason = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", db_url])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and str(path) in errors[0], result.stderr
    assert reason in errors[0]
    assert "Traceback" not in result.output
    assert query(db_url, "SELECT count(*) FROM documents") == [(0,)]
    assert query(db_url, "SELECT count(*) FROM passages") == [(0,)]
    assert query(db_url, "SELECT status, documents_failed FROM ingest_runs") == [("failed", 1)]


def test_over_max_bytes(tmp_path: Path, db_url: str) -> None:
    path = tmp_path / "big.txt"
    shutil.copy(ARTICLES / GOOD[0], path)
    result = CliRunner().invoke(cli, ["ingest", str(path), "--max-bytes", "100", "--db", db_url])
    assert result.exit_code == 1
    assert f"error: {path}: " in result.stderr and "--max-bytes limit of 100" in result.stderr
    assert query(db_url, "SELECT count(*) FROM documents") == [(0,)]


def test_permission_denied(
    tmp_path: Path, sqlite_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.txt"
    shutil.copy(ARTICLES / GOOD[0], path)
    path.chmod(0)
    if IS_ROOT:  # root reads whatever the mode: make the read fail as it would for a user
        real_read = Path.read_bytes

        def refuse(self: Path) -> bytes:
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real_read(self)

        monkeypatch.setattr(Path, "read_bytes", refuse)
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", sqlite_path])
    assert result.exit_code == 1
    assert f"error: {path}: permission denied" in result.stderr


def test_unopenable_paths(tmp_path: Path, sqlite_path: str) -> None:
    """Paths that exist by name but cannot be read as files, whoever runs the test."""
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "folder.txt").mkdir()
    shutil.copy(ARTICLES / GOOD[0], tmp_path / "good.txt")
    paths = [str(tmp_path / n) for n in ("pipe.txt", "dangling.txt", "folder.txt", "good.txt")]
    result = CliRunner().invoke(cli, ["ingest", *paths, "--db", sqlite_path])
    assert result.exit_code == 1
    assert f"{paths[0]}: cannot be read: a named pipe (FIFO)" in result.stderr
    assert f"{paths[1]}: no such file" in result.stderr
    assert f"{paths[2]}: folder holds no supported files" in result.stderr
    assert query(sqlite_path, "SELECT count(*) FROM documents") == [(1,)]


def test_all_good_exits_zero(tmp_path: Path, db_url: str) -> None:
    result = CliRunner().invoke(cli, ["ingest", str(ARTICLES / GOOD[0]), "--db", db_url])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("error:") == 0
    assert query(db_url, "SELECT status FROM ingest_runs") == [("completed",)]


@pytest.mark.parametrize("args", [["--max-bytes", "0"], ["--no-such-option"], []])
def test_usage_errors_exit_two(tmp_path: Path, args: list[str]) -> None:
    paths = [str(ARTICLES / GOOD[0])] if args else []
    db = str(tmp_path / "x.db")
    result = CliRunner().invoke(cli, ["ingest", *paths, *args, "--db", db])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert not Path(db).exists()


def test_fail_fast_stops_at_first_failure(tmp_path: Path, db_url: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "00_empty.txt").write_bytes(b"")
    (folder / "01_blank.txt").write_text("  ")
    for name in GOOD:
        shutil.copy(ARTICLES / name, folder / name)
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--fail-fast", "--db", db_url])
    assert result.exit_code == 1
    assert result.stderr.count("error: ") == 1 and "00_empty.txt" in result.stderr
    assert query(db_url, "SELECT count(*) FROM documents") == [(0,)]
    assert query(db_url, "SELECT status, documents_failed FROM ingest_runs") == [("failed", 1)]
    # Without it the same folder stores the good ones.
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", db_url])
    assert result.exit_code == 1
    assert query(db_url, "SELECT count(*) FROM documents") == [(len(GOOD),)]
