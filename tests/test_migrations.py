"""Migration checks in the style of pytest-alembic: one head, a full round trip, and
models that match what the migrations build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from helpers import CONTRACT_VIEWS
from sqlalchemy import inspect, text

from docstore import migrate
from docstore.db import make_engine, resolve_url
from docstore.models import Base

CONTRACT_TABLES = {
    "documents",
    "passages",
    "entities",
    "entity_aliases",
    "mentions",
    "predicates",
    "statements",
    "ingest_runs",
    "ingest_errors",
    "view_catalog",
}


def test_single_head() -> None:
    assert len(migrate.script_directory().get_heads()) == 1


def test_head_constant_names_the_newest_migration() -> None:
    """`ensure_schema` trusts HEAD_REVISION to skip Alembic for an up-to-date database."""
    assert migrate.head_revision() == migrate.HEAD_REVISION


def test_up_to_date_check_does_not_load_alembic(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    code = (
        "import sys\n"
        "from docstore.store import Store\n"
        f"Store({str(db)!r}).close()\n"  # creates the schema: Alembic needed
        "assert 'alembic' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    code = (
        "import sys\n"
        "from docstore.store import Store\n"
        f"Store({str(db)!r}).close()\n"
        "assert 'alembic' not in sys.modules, 'alembic imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_revisions_form_one_line_from_base() -> None:
    revisions = list(migrate.script_directory().walk_revisions())
    downs = [r.down_revision for r in revisions]
    assert downs.count(None) == 1
    assert all(isinstance(d, str) or d is None for d in downs)


def test_up_down_up(db_url: str) -> None:
    engine = make_engine(resolve_url(db_url))
    migrate.upgrade(engine, "head")
    names = set(inspect(engine).get_table_names())
    assert names >= CONTRACT_TABLES
    assert set(CONTRACT_VIEWS) <= set(inspect(engine).get_view_names())
    migrate.downgrade(engine, "base")
    inspector = inspect(engine)
    assert not (CONTRACT_TABLES & set(inspector.get_table_names()))
    assert not (set(CONTRACT_VIEWS) & set(inspector.get_view_names()))
    migrate.upgrade(engine, "head")
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
    engine.dispose()


def test_every_revision_steps_down_and_up(db_url: str) -> None:
    engine = make_engine(resolve_url(db_url))
    revisions = [r.revision for r in migrate.script_directory().walk_revisions()][::-1]
    for rev in revisions:
        migrate.upgrade(engine, rev)
    for rev in revisions[::-1][1:] + ["base"]:
        migrate.downgrade(engine, rev)
        with engine.connect() as conn:
            assert migrate.current_revision(conn) == (None if rev == "base" else rev)
    engine.dispose()


def test_models_match_migrations(db_url: str) -> None:
    engine = make_engine(resolve_url(db_url))
    migrate.upgrade(engine, "head")
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_name": migrate.include_name, "compare_type": True}
        )
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_reference_data_filled(db_url: str) -> None:
    engine = make_engine(resolve_url(db_url))
    migrate.upgrade(engine, "head")
    with engine.connect() as conn:
        predicates = set(conn.execute(text("SELECT name FROM predicates")).scalars())
        catalog = set(conn.execute(text("SELECT name FROM view_catalog")).scalars())
    engine.dispose()
    assert {
        "visit",
        "meet",
        "say",
        "propose",
        "reject",
        "holds_position",
        "member_of",
    } <= predicates
    assert catalog >= set(CONTRACT_VIEWS)


def test_every_foreign_key_is_indexed(db_url: str) -> None:
    engine = make_engine(resolve_url(db_url))
    migrate.upgrade(engine, "head")
    inspector = inspect(engine)
    missing = []
    for table in CONTRACT_TABLES:
        leading = {tuple(ix["column_names"][:1]) for ix in inspector.get_indexes(table)}
        leading |= {tuple(uq["column_names"][:1]) for uq in inspector.get_unique_constraints(table)}
        leading.add(tuple(inspector.get_pk_constraint(table)["constrained_columns"][:1]))
        for fk in inspector.get_foreign_keys(table):
            if tuple(fk["constrained_columns"][:1]) not in leading:
                missing.append(f"{table}.{fk['constrained_columns'][0]}")
    engine.dispose()
    assert missing == []


def test_statement_counts_have_covering_indexes(db_url: str) -> None:
    """Revision 0003: (subject_id, status) and (object_id, status) replace the single-column
    indexes; a downgrade to 0002 restores them (and 0002's search index on PostgreSQL)."""
    engine = make_engine(resolve_url(db_url))
    migrate.upgrade(engine, "head")

    def statement_indexes() -> dict[str, list[str]]:
        return {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("statements")}

    indexes = statement_indexes()
    assert indexes["ix_statements_subject_status"] == ["subject_id", "status"]
    assert indexes["ix_statements_object_status"] == ["object_id", "status"]
    assert "ix_statements_subject_id" not in indexes and "ix_statements_object_id" not in indexes
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            plan = " ".join(
                r[3]
                for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN SELECT * FROM entity_overview")
            )
        assert "COVERING INDEX ix_statements_subject_status" in plan, plan
        assert "COVERING INDEX ix_statements_object_status" in plan, plan

    migrate.downgrade(engine, "0002")
    indexes = statement_indexes()
    assert indexes["ix_statements_subject_id"] == ["subject_id"]
    assert indexes["ix_statements_object_id"] == ["object_id"]
    assert "ix_statements_subject_status" not in indexes
    passage_columns = {c["name"] for c in inspect(engine).get_columns("passages")}
    passage_indexes = {ix["name"] for ix in inspect(engine).get_indexes("passages")}
    assert "text_search" not in passage_columns
    assert "ix_passages_text_search" not in passage_indexes
    if engine.dialect.name == "postgresql":
        assert "ix_passages_text_fts" in passage_indexes
    engine.dispose()


def test_timeline_statement_counts_come_and_go_with_0010(db_url: str) -> None:
    """Revision 0010 adds statement counts to entity_timeline (and says so in view_catalog);
    a downgrade to 0007 takes the view back to its mention counts only."""
    engine = make_engine(resolve_url(db_url))
    migrate.upgrade(engine, "head")

    def columns() -> list[str]:
        return [c["name"] for c in inspect(engine).get_columns("entity_timeline")]

    def description() -> str:
        with engine.connect() as conn:
            return str(
                conn.execute(
                    text("SELECT description FROM view_catalog WHERE name = 'entity_timeline'")
                ).scalar_one()
            )

    before = ["entity_id", "entity", "date", "mentions", "documents"]
    assert columns() == [*before, "statements", "verified_statements"]
    assert "verified_statements" in description()
    migrate.downgrade(engine, "0007")
    assert columns() == before
    assert "statements" not in description()
    migrate.upgrade(engine, "head")
    assert columns() == [*before, "statements", "verified_statements"]
    engine.dispose()
