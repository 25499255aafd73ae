"""Full-text index: Datasette finds it, triggers keep it in step, rebuild-fts rebuilds it."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner
from datasette.utils import detect_fts
from known_rows import populate
from sqlalchemy import delete, insert, inspect, text, update

from docstore import migrate, search
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
        columns = {c["name"] for c in inspect(conn).get_columns("passages")}
        if store.engine.dialect.name == "postgresql":
            # Revision 0003: a stored vector column, filled for every passage, with its GIN
            # index; 0002's expression index is gone.
            assert "text_search" in columns
            stale = conn.exec_driver_sql(
                "SELECT COUNT(*) FROM passages"
                " WHERE text_search IS DISTINCT FROM to_tsvector('docstore_english', text)"
            ).scalar_one()
            assert stale == 0
            indexes = {ix["name"] for ix in inspect(conn).get_indexes("passages")}
            assert "ix_passages_text_fts" not in indexes
            conn.exec_driver_sql("SET enable_seqscan = off")
            params: dict[str, object] = {"limit": 20}
            sql = search._postgres_sql(["Belarus"], params, "")
            plan = "\n".join(r[0] for r in conn.execute(text("EXPLAIN " + sql), params))
            assert "ix_passages_text_search" in plan, plan
            assert "to_tsvector" not in plan, plan  # matched and ranked on the stored column
        else:
            assert "text_search" not in columns  # SQLite searches passages_fts
            plan = " ".join(
                r[3]
                for r in conn.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT rowid FROM passages_fts WHERE passages_fts MATCH 'x'"
                )
            )
            assert "VIRTUAL TABLE INDEX" in plan, plan
    store.close()


def test_search_ranks_denser_passages_first(db_url: str, runner: CliRunner) -> None:
    store = Store(db_url)
    texts = [
        "A zebra was seen once, among many other animals in the long grass of the plain.",
        "Zebra, zebra, zebra: the zebra herd crossed.",
        "No striped animals here.",
        "Two zebra foals and one zebra mare.",
    ]
    with store.engine.begin() as conn:
        doc = conn.execute(
            insert(Document).returning(Document.id),
            {
                "uid": "z",
                "source": "s",
                "title": "Zebras",
                "body": " ".join(texts),
                "ingested_at": "x",
            },
        ).scalar_one()
        ids = [
            conn.execute(
                insert(Passage).returning(Passage.id),
                {
                    "document_id": doc,
                    "seq": i,
                    "kind": "paragraph",
                    "text": t,
                    "char_start": 0,
                    "char_end": len(t),
                },
            ).scalar_one()
            for i, t in enumerate(texts)
        ]
    hits = store.search("zebra")
    assert [h.passage_id for h in hits] == [ids[1], ids[3], ids[0]]
    assert hits[0].score > hits[1].score > hits[2].score
    # Exports carry the data columns only, whatever the backend keeps for search.
    result = runner.invoke(cli, ["export", "passages", "--db", db_url])
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split(",")
    assert header == ["id", "document_id", "seq", "kind", "text", "char_start", "char_end"]
    store.close()
