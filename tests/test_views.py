"""The saved views: exact rows on known data, the catalog, index use, and the seed article."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import CONTRACT_VIEWS as VIEWS
from known_rows import Known, populate
from sqlalchemy import Engine, inspect, text

from docstore import migrate
from docstore.cli import cli
from docstore.db import make_engine, resolve_url
from docstore.store import Store


@pytest.fixture
def known_db(db_url: str) -> Iterator[tuple[str, Engine, Known]]:
    store = Store(db_url)
    known = populate(store.engine)
    yield db_url, store.engine, known
    store.close()


def rows(engine: Engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql), params)]


def test_views_on_known_rows(known_db: tuple[str, Engine, Known]) -> None:
    _, engine, known = known_db
    e, d = known.entity, known.documents

    overview = rows(engine, "SELECT * FROM entity_overview ORDER BY mentions DESC, name")
    assert [(r["name"], r["mentions"], r["documents"]) for r in overview] == [
        ("Belarus", 4, 3),
        ("Alexander Lukashenko", 3, 2),
        ("Michael Carpenter", 2, 1),
        ("Vladimir Putin", 2, 1),
        ("Minsk", 1, 1),
    ]
    belarus = overview[0]
    assert belarus["entity_id"] == e["belarus"]
    assert belarus["key"] == "country:by"
    assert (belarus["first_seen"], belarus["last_seen"]) == ("2016-04-07T20:47:00", "2016-05-01")
    assert belarus["aliases"] == "Belarus; Belarusian"
    luka = overview[1]
    assert (luka["statements_as_subject"], luka["statements_as_object"]) == (2, 0)
    minsk = overview[4]
    assert minsk["statements_as_object"] == 0  # the only one is rejected

    docs = rows(engine, "SELECT * FROM document_overview ORDER BY document_id")
    assert [(r["passages"], r["mentions"], r["entities"], r["statements"]) for r in docs] == [
        (3, 6, 4, 1),
        (2, 5, 3, 2),
        (1, 1, 1, 0),
    ]
    assert docs[0]["title"] == "Carpenter visits Minsk"

    ed = rows(
        engine,
        "SELECT * FROM entity_documents WHERE entity_id = :id ORDER BY document_id",
        id=e["belarus"],
    )
    assert [(r["document_id"], r["mentions"], r["passages"]) for r in ed] == [
        (d[0], 2, 2),
        (d[1], 1, 1),
        (d[2], 1, 1),
    ]
    assert ed[0]["entity"] == "Belarus" and ed[0]["title"] == "Carpenter visits Minsk"

    co = rows(
        engine,
        "SELECT other_entity, passages, documents FROM entity_cooccurrence"
        " WHERE entity_id = :id ORDER BY passages DESC, other_entity",
        id=e["belarus"],
    )
    assert [tuple(r.values()) for r in co] == [
        ("Alexander Lukashenko", 2, 2),
        ("Michael Carpenter", 1, 1),
        ("Minsk", 1, 1),
        ("Vladimir Putin", 1, 1),
    ]
    back = rows(
        engine,
        "SELECT passages FROM entity_cooccurrence WHERE entity_id = :a AND other_entity_id = :b",
        a=e["lukashenko"],
        b=e["belarus"],
    )
    assert back == [{"passages": 2}]

    facts = rows(engine, "SELECT * FROM statement_facts ORDER BY statement_id")
    assert [(f["subject"], f["predicate"], f["object"], f["date"]) for f in facts] == [
        ("Michael Carpenter", "visit", "Belarus", "2016-04-06"),
        ("Alexander Lukashenko", "meet", "Vladimir Putin", "2016-05-01"),
        ("Alexander Lukashenko", "say", "talks went well", "2016-05-01"),
    ]
    assert facts[0]["subject_id"] == e["carpenter"] and facts[0]["object_id"] == e["belarus"]
    assert facts[0]["document_title"] == "Carpenter visits Minsk"

    meetings = rows(engine, "SELECT subject, predicate, object FROM interactions ORDER BY date")
    assert [tuple(m.values()) for m in meetings] == [
        ("Michael Carpenter", "visit", "Belarus"),
        ("Alexander Lukashenko", "meet", "Vladimir Putin"),
    ]

    ctx = rows(
        engine,
        "SELECT * FROM entity_mentions_in_context WHERE entity_id = :id ORDER BY mention_id",
        id=e["lukashenko"],
    )
    assert [c["text"] for c in ctx] == ["Lukashenka", "Lukashenko", "Lukashenko"]
    assert ctx[0]["context_before"] == 'Michael Carpenter visited Belarus, "met" '
    assert ctx[0]["context_after"] == ", and saw military attachés."
    assert ctx[0]["passage_seq"] == 1 and ctx[0]["document_id"] == d[0]

    timeline = rows(
        engine,
        "SELECT date, mentions, documents, statements, verified_statements"
        " FROM entity_timeline WHERE entity_id = :id ORDER BY date",
        id=e["belarus"],
    )
    assert sorted(tuple(r.values()) for r in timeline if r["date"]) == [
        ("2016-04-07", 2, 1, 1, 0),
        ("2016-05-01", 1, 1, 0, 0),
    ]
    assert [tuple(r.values()) for r in timeline if r["date"] is None] == [(None, 1, 1, 0, 0)]
    # statements as subject and as object, verified counted apart, rejected left out
    by_entity = {
        (r["entity_id"], r["date"]): (r["statements"], r["verified_statements"])
        for r in rows(engine, "SELECT * FROM entity_timeline")
    }
    assert by_entity[(e["lukashenko"], "2016-05-01")] == (2, 1)
    assert by_entity[(e["lukashenko"], "2016-04-07")] == (0, 0)
    assert by_entity[(e["putin"], "2016-05-01")] == (1, 0)
    assert by_entity[(e["minsk"], "2016-04-07")] == (0, 0)  # its only statement is rejected


def test_mention_offsets_hold_in_sql(known_db: tuple[str, Engine, Known]) -> None:
    """text == substr(body, char_start + 1, char_end - char_start), as the contract says."""
    _, engine, _ = known_db
    bad = rows(
        engine,
        "SELECT m.id FROM mentions m JOIN documents d ON d.id = m.document_id"
        " WHERE substr(d.body, m.char_start + 1, m.char_end - m.char_start) <> m.text",
    )
    assert bad == []


def test_views_keep_ids_and_catalog_explains_them(known_db: tuple[str, Engine, Known]) -> None:
    _, engine, _ = known_db
    inspector = inspect(engine)
    ids = {
        "entity_overview": {"entity_id"},
        "document_overview": {"document_id"},
        "entity_documents": {"entity_id", "document_id"},
        "entity_cooccurrence": {"entity_id", "other_entity_id"},
        "statement_facts": {"subject_id", "object_id", "document_id"},
        "interactions": {"subject_id", "object_id", "document_id"},
        "entity_mentions_in_context": {"entity_id", "document_id"},
        "entity_timeline": {"entity_id"},
    }
    for view, wanted in ids.items():
        columns = {c["name"] for c in inspector.get_columns(view)}
        assert wanted <= columns, view
    catalog = {r["name"]: r for r in rows(engine, "SELECT * FROM view_catalog")}
    assert set(VIEWS) <= set(catalog)
    for view in VIEWS:
        assert catalog[view]["question"].endswith("?")
        assert len(catalog[view]["description"]) > 40


FILTERED = [
    ("entity_overview", "entity_id = 1"),
    ("entity_documents", "entity_id = 1"),
    ("entity_cooccurrence", "entity_id = 1"),
    ("entity_mentions_in_context", "entity_id = 1"),
    ("entity_timeline", "entity_id = 1"),
    ("entity_documents", "document_id = 1"),
    ("document_overview", "document_id = 1"),
    ("statement_facts", "subject_id = 1 OR object_id = 1"),
    ("interactions", "subject_id = 1"),
]


def test_filtered_views_use_indexes(known_db: tuple[str, Engine, Known]) -> None:
    """A filter on an id reaches the tables: no full scan of any table, only index searches.

    SQLite: EXPLAIN QUERY PLAN may scan only the (already filtered) subquery results;
    PostgreSQL: with sequential scans discouraged, the plan still finds an index path."""
    _, engine, _ = known_db
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")
        for view, where in FILTERED:
            sql = f"SELECT * FROM {view} WHERE {where}"
            if engine.dialect.name == "sqlite":
                plan = [r[3] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
                steps = [s for s in plan if s.startswith(("SCAN", "SEARCH"))]
                assert any("INDEX" in s or "PRIMARY KEY" in s for s in steps), (view, plan)
                scans = [s for s in steps if s.startswith("SCAN")]
                assert [s for s in scans if s.split()[1] not in (view, "c", "x")] == [], plan
            else:
                plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))
                for table in ("mentions", "statements", "entities", "documents"):
                    assert f"Seq Scan on {table}" not in plan, (view, plan)


def test_downgrade_restores_first_views(db_url: str) -> None:
    engine = make_engine(resolve_url(db_url))
    migrate.upgrade(engine, "head")
    migrate.downgrade(engine, "0001")
    inspector = inspect(engine)
    assert set(VIEWS) <= set(inspector.get_view_names())
    assert "context_before" not in {
        c["name"] for c in inspector.get_columns("entity_mentions_in_context")
    }
    assert "passages_fts" not in inspector.get_table_names()
    indexes = {ix["name"] for ix in inspector.get_indexes("mentions")}
    assert "ix_mentions_entity_id" in indexes and "ix_mentions_entity_document" not in indexes
    migrate.upgrade(engine, "head")
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        question = conn.execute(
            text("SELECT description FROM view_catalog WHERE name = 'entity_timeline'")
        ).scalar_one()
    assert "YYYY-MM-DD" in question
    engine.dispose()


def test_views_command(known_db: tuple[str, Engine, Known], runner: CliRunner) -> None:
    db_url, _, _ = known_db
    listing = runner.invoke(cli, ["views", "--db", db_url])
    assert listing.exit_code == 0, listing.output
    for view in VIEWS:
        assert view in listing.output
    assert "Which documents mention entity X, how many times?" in listing.output

    one = runner.invoke(cli, ["views", "entity_documents", "--db", db_url])
    assert one.exit_code == 0, one.output
    assert "Columns: entity_id, entity, entity_type, document_id" in one.output
    assert "WHERE entity_id = :id" in one.output

    as_json = runner.invoke(cli, ["views", "entity_timeline", "--json", "--db", db_url])
    assert json.loads(as_json.output)["columns"] == [
        "entity_id",
        "entity",
        "date",
        "mentions",
        "documents",
        "statements",
        "verified_statements",
    ]

    unknown = runner.invoke(cli, ["views", "nope", "--db", db_url])
    assert unknown.exit_code == 1
    assert "no saved view 'nope'" in unknown.output and "entity_overview" in unknown.output


def test_every_example_runs(known_db: tuple[str, Engine, Known]) -> None:
    from docstore.views.definitions import current_views

    db_url, _, known = known_db
    store = Store(db_url)
    examples = {view.name: view.example for view in current_views()}
    # The contract's views, and the log of analysts' judgements (revision 0005).
    assert set(examples) == set(VIEWS) | {"judgement_log"} and all(examples.values())
    for view, sql in examples.items():
        assert sql is not None and view in sql
        params = {"id": known.entity["belarus"]} if ":id" in sql else {}
        result = store.query(sql, params)
        assert result.columns and isinstance(result, list), view
    store.close()


# -- the seed article (needs entity and statement extraction) -----------------------------


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    store = Store(str(path))
    store.ingest([seed_path])
    yield store.engine
    store.close()


def test_seed_entity_overview_ranks_belarus_first(seed_db: Engine) -> None:
    top = rows(seed_db, "SELECT name, type, country FROM entity_overview ORDER BY mentions DESC")
    assert top, "no entities extracted from the seed article"
    assert top[0] == {"name": "Belarus", "type": "country", "country": "BY"}


def test_seed_statement_facts_has_carpenter_visit(seed_db: Engine) -> None:
    facts = rows(
        seed_db,
        "SELECT object FROM statement_facts WHERE subject = 'Michael Carpenter'"
        " AND predicate = 'visit'",
    )
    assert {f["object"] for f in facts} & {"Belarus", "Minsk"}, facts
