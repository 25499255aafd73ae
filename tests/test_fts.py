"""Full-text index: Datasette finds it, triggers keep it in step, rebuild-fts rebuilds it."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner
from datasette.utils import detect_fts
from known_rows import populate
from sqlalchemy import delete, insert, text, update

from docstore import migrate
from docstore.cli import cli
from docstore.db import make_engine, resolve_url
from docstore.models import Document, Passage
from docstore.store import Store


def fts_ids(db: str, word: str) -> list[int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rowid", (word,)
        ).fetchall()
    return [r[0] for r in rows]


def test_datasette_detects_passages_fts(sqlite_path: str) -> None:
    Store(sqlite_path).close()
    conn = sqlite3.connect(sqlite_path)
    assert detect_fts(conn, "passages") == "passages_fts"
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'passages_fts'").fetchone()[0]
    conn.close()
    assert 'content="passages"' in sql and 'content_rowid="id"' in sql


def test_triggers_keep_index_in_step(sqlite_path: str) -> None:
    store = Store(sqlite_path)
    known = populate(store.engine)
    attaches = known.passages[0][1]
    assert fts_ids(sqlite_path, "attachés") == [attaches]
    assert fts_ids(sqlite_path, "attaches") == [attaches]  # diacritics folded
    with store.engine.begin() as conn:
        conn.execute(update(Passage).where(Passage.id == attaches).values(text="Zebras only."))
    assert fts_ids(sqlite_path, "attachés") == []
    assert fts_ids(sqlite_path, "zebras") == [attaches]
    with store.engine.begin() as conn:
        conn.execute(delete(Document).where(Document.id == known.documents[0]))  # cascades
    assert fts_ids(sqlite_path, "zebras") == []
    with sqlite3.connect(sqlite_path) as conn:
        # The integrity check compares the index with the content table.
        conn.execute("INSERT INTO passages_fts(passages_fts, rank) VALUES('integrity-check', 1)")
    store.close()


def test_upgrade_backfills_existing_passages(sqlite_path: str) -> None:
    engine = make_engine(resolve_url(sqlite_path))
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        doc = conn.execute(
            insert(Document).returning(Document.id),
            {"uid": "u", "source": "s", "title": "t", "body": "Old text", "ingested_at": "x"},
        ).scalar_one()
        conn.execute(
            insert(Passage),
            {
                "document_id": doc,
                "seq": 0,
                "kind": "paragraph",
                "text": "Old text",
                "char_start": 0,
                "char_end": 8,
            },
        )
    migrate.upgrade(engine, "head")
    engine.dispose()
    assert fts_ids(sqlite_path, "old") == [1]


def test_rebuild_fts_command(db_url: str, runner: CliRunner) -> None:
    store = Store(db_url)
    populate(store.engine)
    if store.engine.dialect.name == "sqlite":
        with store.engine.begin() as conn:  # empty the index behind the triggers' back
            conn.execute(text("INSERT INTO passages_fts(passages_fts) VALUES('delete-all')"))
        assert fts_ids(store.url.database, "attachés") == []
    result = runner.invoke(cli, ["db", "rebuild-fts", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "rebuilt passages_fts from 6 passage(s)" in result.output or "reindexed" in result.output
    assert [h.title for h in store.search("attachés")] == ["Carpenter visits Minsk"]
    store.close()


def test_postgres_search_index_is_used(db_url: str) -> None:
    store = Store(db_url)
    populate(store.engine)
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = "\n".join(
                r[0]
                for r in conn.exec_driver_sql(
                    "EXPLAIN SELECT id FROM passages"
                    " WHERE to_tsvector('english', text) @@ plainto_tsquery('english', 'x')"
                )
            )
            assert "ix_passages_text_fts" in plan, plan
        else:
            plan = " ".join(
                r[3]
                for r in conn.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT rowid FROM passages_fts WHERE passages_fts MATCH 'x'"
                )
            )
            assert "VIRTUAL TABLE INDEX" in plan, plan
    store.close()
