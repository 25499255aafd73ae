"""`docstore query`: output formats, parameters, and a connection that cannot write."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from known_rows import Known, populate
from sqlalchemy import text

from docstore.cli import cli
from docstore.store import Store

FOREVER = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


@pytest.fixture
def known_db(db_url: str) -> Iterator[tuple[str, Known]]:
    store = Store(db_url)
    known = populate(store.engine)
    store.close()
    yield db_url, known


def run(runner: CliRunner, db: str, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(cli, ["query", *args, "--db", db], input=stdin)
    return result.exit_code, result.output


def test_formats_and_parameters(known_db: tuple[str, Known], runner: CliRunner) -> None:
    db, known = known_db
    sql = "SELECT entity_id, name, mentions FROM entity_overview WHERE type = :t ORDER BY name"
    code, out = run(runner, db, sql, "-p", "t", "person", "--csv")
    assert code == 0, out
    assert list(csv.reader(io.StringIO(out))) == [
        ["entity_id", "name", "mentions"],
        [str(known.entity["lukashenko"]), "Alexander Lukashenko", "3"],
        [str(known.entity["carpenter"]), "Michael Carpenter", "2"],
        [str(known.entity["putin"]), "Vladimir Putin", "2"],
    ]
    piped = runner.invoke(cli, ["query", sql, "-p", "t", "person", "--db", db])
    assert piped.stdout_bytes.startswith(b"entity_id,name,mentions\r\n")  # CSV when piped
    code, out = run(runner, db, sql, "-p", "t", "person", "--tsv")
    assert out.splitlines()[1].split("\t")[1] == "Alexander Lukashenko"
    code, out = run(runner, db, sql, "-p", "t", "person", "--json")
    assert [r["name"] for r in json.loads(out)] == [
        "Alexander Lukashenko",
        "Michael Carpenter",
        "Vladimir Putin",
    ]
    code, out = run(runner, db, sql, "-p", "t", "person", "--nl")
    assert [json.loads(line)["mentions"] for line in out.splitlines()] == [3, 2, 2]
    code, out = run(runner, db, sql, "-p", "t", "person", "--table")
    lines = out.splitlines()
    assert lines[0].split() == ["entity_id", "name", "mentions"]
    assert set(lines[1]) <= {"-", " "} and lines[-1] == "(3 rows)"
    code, out = run(
        runner,
        db,
        "-",
        "-p",
        "id",
        str(known.entity["belarus"]),
        "--json",
        stdin="SELECT name FROM entities WHERE id = :id\n",
    )
    assert code == 0 and json.loads(out) == [{"name": "Belarus"}]
    code, out = run(runner, db, "SELECT ':x' AS colon", "--json")
    assert json.loads(out) == [{"colon": ":x"}]
    code, out = run(runner, db, "SELECT name FROM entities WHERE id = :id", "--csv")
    assert code == 1 and out.startswith("Error: query failed") and "-p NAME VALUE" in out


REFUSED = [
    "DELETE FROM documents",
    "UPDATE entities SET name = 'x'",
    "INSERT INTO predicates (name, description) VALUES ('x', 'y')",
    "CREATE TABLE t (x INTEGER)",
    "DROP VIEW entity_overview",
    "CREATE INDEX ix_t ON documents (title)",
    "ALTER TABLE documents ADD COLUMN x INTEGER",
]
SQLITE_REFUSED = [
    "ATTACH DATABASE 'other.db' AS other",
    "PRAGMA query_only = OFF",
    "PRAGMA journal_mode = DELETE",
    "PRAGMA foreign_keys = OFF",
    "CREATE TEMP TABLE t (x INTEGER)",
    "VACUUM",
]


def test_read_only_whatever_the_sql(known_db: tuple[str, Known], runner: CliRunner) -> None:
    db, _ = known_db
    store = Store(db)
    sqlite = store.engine.dialect.name == "sqlite"
    for sql in REFUSED + (SQLITE_REFUSED if sqlite else []):
        code, out = run(runner, db, sql)
        assert code == 1, (sql, out)
        assert out.startswith("Error: query "), (sql, out)
        assert len(out.strip().splitlines()) == 1, out
        if not sql.startswith(("VACUUM", "ALTER")):
            assert "read-only" in out, (sql, out)
    code, out = run(runner, db, "SELECT 1; DELETE FROM documents")
    assert code == 1 and "one SQL statement at a time" in out, out
    code, out = run(runner, db, "SELECT 1 AS one;", "--csv")  # a trailing semicolon is fine
    assert code == 0 and out.split() == ["one", "1"]
    code, out = run(runner, db, "PRAGMA table_info(documents)" if sqlite else "SELECT 1", "--csv")
    assert code == 0, out
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM documents")).scalar_one() == 3
        assert conn.execute(text("SELECT COUNT(*) FROM entities WHERE name = 'x'")).scalar() == 0
    store.close()
    if sqlite:
        assert not (__import__("pathlib").Path(db).parent / "other.db").exists()


def test_timeout_cancels_a_runaway_query(known_db: tuple[str, Known], runner: CliRunner) -> None:
    db, _ = known_db
    code, out = run(runner, db, FOREVER, "--timeout", "0.5")
    assert code == 1
    assert out.strip() == (
        "Error: query cancelled: it ran longer than 0.5 s (use --timeout to allow more)"
    )


def test_missing_database_is_not_created(tmp_path: object, runner: CliRunner) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "none.db"
    code, out = run(runner, str(path), "SELECT 1")
    assert code == 1 and "no such database file" in out
    assert not path.exists()
