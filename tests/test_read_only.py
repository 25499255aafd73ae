"""Reading never writes: foreign and older databases, user SQL as a superuser, limits,
the full-text index, confirmations before destroying data, exports that replace a file
only when they succeed."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from docstore import db as dbmod
from docstore import migrate
from docstore.cli import cli
from docstore.db import make_engine, resolve_url
from docstore.store import Store

READ_COMMANDS = [
    ["query", "SELECT * FROM t"],
    ["export", "t"],
    ["export", "--sql", "SELECT x FROM t"],
    ["views"],
    ["views", "entity_overview"],
    ["search", "anything"],
    ["entities"],
    ["entity", "Belarus"],
    ["db", "current"],
]
NEEDS_DOCSTORE = {"views", "search", "entities", "entity"}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_error(result: object) -> str:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert result.exit_code == 1, stderr  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return str(lines[0])


def test_foreign_sqlite_file_unchanged_by_every_read_command(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "theirs.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    before = digest(path)
    for args in READ_COMMANDS:
        result = runner.invoke(cli, [*args, "--db", str(path)])
        if args[0] in NEEDS_DOCSTORE:
            assert "not a docstore database" in one_line_error(result)
        else:
            assert result.exit_code == 0, (args, result.output)
        assert digest(path) == before, args
        assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs.db"], args
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["t"]
    conn.close()


def test_older_docstore_database_is_read_not_upgraded(db_url: str, runner: CliRunner) -> None:
    Store(db_url).close()
    engine = make_engine(resolve_url(db_url))
    migrate.downgrade(engine, "0003")
    for args in READ_COMMANDS:
        if args[0] in NEEDS_DOCSTORE:
            result = runner.invoke(cli, [*args, "--db", db_url])
            message = one_line_error(result)
            assert "revision 0003" in message and "db upgrade" in message
    result = runner.invoke(cli, ["query", "SELECT count(*) AS n FROM documents", "--db", db_url])
    assert result.exit_code == 0 and result.stdout.splitlines()[-1] == "0"
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == "0003"
        assert "entity_dates" not in conn.dialect.get_table_names(conn)
    engine.dispose()


def test_user_sql_cannot_reach_the_server_or_files(
    db_url: str, tmp_path: Path, runner: CliRunner
) -> None:
    """On PostgreSQL as the superuser the tests connect as; on SQLite the same spirit."""
    Store(db_url).close()
    marker = tmp_path / "marker"
    if db_url.startswith("postgresql"):
        attempts = [
            f"COPY (SELECT 1) TO PROGRAM 'touch {marker}'",
            f"COPY (SELECT 1) TO '{marker}'",
            "SELECT pg_read_file('/etc/hostname')",
            f"SELECT lo_export(lo_from_bytea(0, 'x'), '{marker}')",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity",
            "SELECT set_config('role', 'postgres', false)",
            "COPY (SELECT 1) TO STDOUT",
        ]
    else:
        attempts = [
            f"ATTACH '{marker}' AS m",
            "SELECT load_extension('x')",
            f"VACUUM INTO '{marker}'",
        ]
    for sql in attempts:
        result = runner.invoke(cli, ["query", sql, "--db", db_url])
        line = one_line_error(result)
        assert line.startswith("Error: query"), line
        assert not marker.exists(), sql
    result = runner.invoke(cli, ["query", "SELECT count(*) AS n FROM documents", "--db", db_url])
    assert result.exit_code == 0, result.output
    if db_url.startswith("postgresql"):
        whoami = runner.invoke(cli, ["query", "SELECT current_user AS u", "--db", db_url])
        assert whoami.stdout.splitlines()[-1] == "docstore_reader"


def test_superuser_without_reader_role_needs_allow_superuser(
    db_url: str, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store(db_url).close()
    monkeypatch.setattr(dbmod, "READER_ROLE", "docstore_reader_never_created")
    sql = "SELECT count(*) AS n FROM documents"
    result = runner.invoke(cli, ["query", sql, "--db", db_url])
    if db_url.startswith("postgresql"):  # the tests connect as a superuser
        assert "--allow-superuser" in one_line_error(result)
        result = runner.invoke(cli, ["export", "--sql", sql, "--db", db_url])
        assert "--allow-superuser" in one_line_error(result)
    result = runner.invoke(cli, ["query", sql, "--allow-superuser", "--db", db_url])
    assert result.exit_code == 0, result.output


FOREVER = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


def test_export_sql_has_a_time_limit(db_url: str, runner: CliRunner) -> None:
    Store(db_url).close()
    result = runner.invoke(cli, ["export", "--sql", FOREVER, "--timeout", "0.5", "--db", db_url])
    assert "ran longer than 0.5 s" in one_line_error(result)


def test_one_huge_value_is_refused_on_sqlite(sqlite_path: str, runner: CliRunner) -> None:
    Store(sqlite_path).close()
    sql = "SELECT length(zeroblob(2000000000)) AS n"
    for args in (["query", sql], ["export", "--sql", sql]):
        result = runner.invoke(cli, [*args, "--db", sqlite_path])
        assert "too big" in one_line_error(result)


def test_full_text_index_readable_not_writable(sqlite_path: str, runner: CliRunner) -> None:
    store = Store(sqlite_path)
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO documents (uid, source, title, body, ingested_at)"
                " VALUES ('u', 's', 'T', 'Minsk talks', 'now')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO passages (document_id, seq, kind, text, char_start, char_end)"
                " VALUES (1, 0, 'title', 'Minsk talks', 0, 11)"
            )
        )
    store.close()
    read = "SELECT rowid FROM passages_fts WHERE passages_fts MATCH 'minsk'"
    for args in (["query", read, "--csv"], ["export", "--sql", read]):
        result = runner.invoke(cli, [*args, "--db", sqlite_path])
        assert result.exit_code == 0, result.output
        assert result.stdout.split() == ["rowid", "1"]
    for write in (
        "DELETE FROM passages_fts",
        "INSERT INTO passages_fts (passages_fts) VALUES ('rebuild')",
    ):
        result = runner.invoke(cli, ["query", write, "--db", sqlite_path])
        assert "read-only" in one_line_error(result)
    result = runner.invoke(cli, ["query", "SELECT count(*) FROM passages_fts", "--db", sqlite_path])
    assert result.stdout.split()[-1] == "1"


def test_refusals_name_the_statement_given(db_url: str, runner: CliRunner) -> None:
    Store(db_url).close()
    result = runner.invoke(cli, ["query", "DROP TABLE documents", "--db", db_url])
    line = one_line_error(result)
    assert "DROP TABLE" in line and "DELETE" not in line
    result = runner.invoke(cli, ["query", "UPDATE documents SET title = 'x'", "--db", db_url])
    assert "UPDATE" in one_line_error(result)


def test_named_parameters_after_escape_strings(db_url: str, runner: CliRunner) -> None:
    Store(db_url).close()
    if db_url.startswith("postgresql"):
        sql = r"SELECT E'it\'s :a' AS s, :a AS b"
    else:
        sql = "SELECT 'it''s :a' AS s, :a AS b"
    result = runner.invoke(cli, ["query", sql, "-p", "a", "x", "--csv", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "it's :a,x"


def test_downgrade_base_without_yes_changes_nothing(db_url: str, runner: CliRunner) -> None:
    store = Store(db_url)
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO documents (uid, source, title, body, ingested_at)"
                " VALUES ('u', 's', 'T', 'b', 'now')"
            )
        )
    store.close()
    result = runner.invoke(cli, ["db", "downgrade", "base", "--db", db_url])
    line = one_line_error(result)
    assert "1 document(s)" in line and "--yes" in line
    result = runner.invoke(cli, ["query", "SELECT count(*) AS n FROM documents", "--db", db_url])
    assert result.stdout.splitlines()[-1] == "1"
    result = runner.invoke(cli, ["db", "current", "--db", db_url])
    assert "up to date" in result.stdout
    result = runner.invoke(cli, ["db", "downgrade", "0003", "--db", db_url])
    assert "documents are kept" in one_line_error(result)
    result = runner.invoke(cli, ["db", "downgrade", "base", "--yes", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "none (empty)" in result.stdout


def test_unknown_revisions_are_one_line(db_url: str, runner: CliRunner) -> None:
    Store(db_url).close()
    for args in (["upgrade", "nope"], ["downgrade", "nope", "--yes"]):
        result = runner.invoke(cli, ["db", *args, "--db", db_url])
        assert "unknown schema revision 'nope'" in one_line_error(result)
    engine = make_engine(resolve_url(db_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed9999'"))
    engine.dispose()
    result = runner.invoke(cli, ["db", "downgrade", "0001", "--yes", "--db", db_url])
    assert "newer docstore" in one_line_error(result)


def test_failed_export_keeps_the_existing_file(sqlite_path: str, tmp_path: Path) -> None:
    runner = CliRunner()
    Store(sqlite_path).close()
    out = tmp_path / "keep.csv"
    out.write_bytes(b"precious\r\n")
    result = runner.invoke(
        cli, ["export", "--sql", "SELECT nope FROM documents", "-o", str(out), "--db", sqlite_path]
    )
    one_line_error(result)
    assert out.read_bytes() == b"precious\r\n"
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("test.db")] == ["keep.csv"]
    missing = tmp_path / "no" / "x.csv"
    result = runner.invoke(cli, ["export", "documents", "-o", str(missing), "--db", sqlite_path])
    assert "does not exist" in one_line_error(result)


def test_export_format_follows_the_extension(sqlite_path: str, tmp_path: Path) -> None:
    import json

    runner = CliRunner()
    Store(sqlite_path).close()
    out = tmp_path / "v.json"
    result = runner.invoke(cli, ["export", "view_catalog", "-o", str(out), "--db", sqlite_path])
    assert result.exit_code == 0, result.output
    assert {r["name"] for r in json.loads(out.read_text())} >= {"entity_overview"}
    result = runner.invoke(
        cli, ["export", "view_catalog", "-o", str(out), "--format", "csv", "--db", sqlite_path]
    )
    assert "does not match --format csv" in one_line_error(result)
    result = runner.invoke(
        cli, ["export", "view_catalog", "-o", str(tmp_path / "v.xlsx"), "--db", sqlite_path]
    )
    assert "cannot tell the format" in one_line_error(result)


def test_expected_failures_are_one_line(
    tmp_path: Path, runner: CliRunner, seed_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "ok.db"
    Store(str(db)).close()
    huge = "9" * 40
    result = runner.invoke(cli, ["query", "SELECT :x AS x", "-p", "x", huge, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == huge  # too big for an integer: passed as text

    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["query", "SELECT 1 AS one", "--db", "sqlite:///ok.db"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "1"

    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    for args in (["entities"], ["views"], ["ingest", str(seed_path)], ["db", "current"]):
        result = runner.invoke(cli, [*args, "--db", str(corrupt)])
        line = one_line_error(result)
        assert str(corrupt) in line and "not a database" in line, line
