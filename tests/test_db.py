"""Database layer: where --db points, SQLite pragmas, automatic upgrade and refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from docstore import migrate
from docstore.cli import cli
from docstore.db import DatabaseError, make_engine, resolve_url
from docstore.store import Store


def test_default_is_docstore_db_in_cwd(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DOCSTORE_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    url = resolve_url(None)
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(tmp_path / "docstore.db")


def test_env_var_sets_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DOCSTORE_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).database == str(tmp_path / "env.db")
    assert resolve_url("other.db").database.endswith("other.db")


def test_urls_pass_through() -> None:
    url = resolve_url("postgresql+psycopg://u:secret@db.example/news")
    assert url.get_backend_name() == "postgresql"
    assert url.database == "news"


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(resolve_url(str(tmp_path / "p.db")))
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    engine.dispose()


def test_foreign_keys_enforced(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "fk.db"))
    with pytest.raises(Exception, match="FOREIGN KEY"), store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO passages (document_id, seq, kind, text, char_start, char_end)"
                " VALUES (999, 0, 'title', 'x', 0, 1)"
            )
        )
    store.close()


def test_check_constraints_enforced(db_url: str) -> None:
    store = Store(db_url)
    with pytest.raises(Exception, match="(?i)check"), store.engine.begin() as conn:
        conn.execute(text("INSERT INTO entities (key, name, type) VALUES ('x:y', 'Y', 'alien')"))
    store.close()


def test_behind_database_is_upgraded_with_one_line(
    runner: CliRunner, db_url: str, seed_path: Path
) -> None:
    first = migrate.script_directory().get_base()
    engine = make_engine(resolve_url(db_url))
    migrate.upgrade(engine, str(first))
    engine.dispose()
    result = runner.invoke(cli, ["ingest", str(seed_path), "--db", db_url])
    assert result.exit_code == 0
    if first != migrate.head_revision():
        notes = [line for line in result.stderr.splitlines() if "upgrading" in line]
        assert len(notes) == 1
    result = runner.invoke(cli, ["db", "current", "--db", db_url])
    assert "up to date" in result.stdout


def test_empty_database_upgrade_is_announced(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(cli, ["db", "upgrade", "--db", db_url])
    assert result.exit_code == 0
    assert migrate.head_revision() in result.stdout


def test_database_ahead_of_code_is_refused(runner: CliRunner, db_url: str, seed_path: Path) -> None:
    Store(db_url).close()
    engine = make_engine(resolve_url(db_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed9999'"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="newer docstore"):
        Store(db_url)
    result = runner.invoke(cli, ["ingest", str(seed_path), "--db", db_url])
    assert result.exit_code == 1
    assert "newer docstore" in result.stderr
    assert "Traceback" not in result.output


def test_db_history_and_downgrade(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(cli, ["db", "history"])
    assert result.exit_code == 0
    assert "base -> 0001" in result.stdout
    runner.invoke(cli, ["db", "upgrade", "--db", db_url])
    result = runner.invoke(cli, ["db", "downgrade", "base", "--yes", "--db", db_url])
    assert result.exit_code == 0
    assert "none (empty)" in result.stdout


def test_missing_folder_for_database(runner: CliRunner, tmp_path: Path, seed_path: Path) -> None:
    result = runner.invoke(cli, ["ingest", str(seed_path), "--db", str(tmp_path / "no" / "x.db")])
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.output


def test_plain_alembic_commands_work(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    db = tmp_path / "alembic.db"
    for args in (["upgrade", "head"], ["check"], ["current"]):
        proc = subprocess.run(
            [sys.executable, "-m", "alembic", "-c", str(root / "alembic.ini"), "-x", f"db={db}"]
            + args,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr
    assert migrate.head_revision() in proc.stdout


def test_opening_a_store_does_not_wait_for_a_writer(tmp_path: Path) -> None:
    """The schema check only reads: it must not queue behind a long write transaction."""
    import sqlite3
    import threading

    path = str(tmp_path / "busy.db")
    Store(path).close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    opened: list[Store] = []
    thread = threading.Thread(target=lambda: opened.append(Store(path)), daemon=True)
    thread.start()
    thread.join(10)
    writer.execute("ROLLBACK")
    writer.close()
    assert opened, "opening the store waited for the writer's lock"
    opened[0].close()
