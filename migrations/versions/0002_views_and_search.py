"""Views refined for filtered queries, mention indexes, full-text search on passages.

The saved views now aggregate mentions before joining names, so that a filter on
`entity_id` (or `document_id`) reaches the covering indexes on `mentions` instead of
aggregating the whole table first. Full-text search: an FTS5 external-content table
`passages_fts` kept in step by triggers on SQLite (the sqlite-utils/Datasette layout), a
GIN expression index on `to_tsvector('english', text)` on PostgreSQL.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 06:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from docstore.views.migration import create_views, drop_views

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every saved view, replaced by its 0002 version (docstore/views/sql/).
VIEWS = (
    "entity_overview",
    "document_overview",
    "entity_documents",
    "entity_cooccurrence",
    "statement_facts",
    "interactions",
    "entity_mentions_in_context",
    "entity_timeline",
)

# (name, columns) of the mention indexes 0002 adds, and the single-column ones they replace.
NEW_INDEXES = (
    ("ix_mentions_entity_document", ["entity_id", "document_id", "passage_id"]),
    ("ix_mentions_document_entity", ["document_id", "entity_id"]),
    ("ix_mentions_passage_entity", ["passage_id", "entity_id"]),
)
OLD_INDEXES = (
    ("ix_mentions_entity_id", ["entity_id"]),
    ("ix_mentions_document_id", ["document_id"]),
    ("ix_mentions_passage_id", ["passage_id"]),
)

# Document dates beside their ids, so that first/last-seen lookups read this small index
# rather than the document rows (which carry whole bodies).
DATES_INDEX = ("ix_documents_id_published_at", ["id", "published_at"])

FTS_TABLE = "passages_fts"
PG_FTS_INDEX = "ix_passages_text_fts"


def upgrade() -> None:
    drop_views(*reversed(VIEWS))
    for name, columns in NEW_INDEXES:
        op.create_index(name, "mentions", columns)
    for name, _ in OLD_INDEXES:
        op.drop_index(name, table_name="mentions")
    op.create_index(DATES_INDEX[0], "documents", DATES_INDEX[1])
    create_views(**dict.fromkeys(VIEWS, "0002"))
    _create_search()


def downgrade() -> None:
    _drop_search()
    drop_views(*reversed(VIEWS))
    for name, columns in OLD_INDEXES:
        op.create_index(name, "mentions", columns)
    for name, _ in NEW_INDEXES:
        op.drop_index(name, table_name="mentions")
    op.drop_index(DATES_INDEX[0], table_name="documents")
    create_views(**dict.fromkeys(VIEWS, "0001"))


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


# -- full-text search ----------------------------------------------------------------------

# Trigger names and bodies follow sqlite-utils' `enable_fts(create_triggers=True)`.
SQLITE_FTS = (
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        text, content="passages", content_rowid="id",
        tokenize="porter unicode61 remove_diacritics 2")""",
    f"""CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
        INSERT INTO {FTS_TABLE} (rowid, text) VALUES (new.id, new.text);
    END""",
    f"""CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
        INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    f"""CREATE TRIGGER passages_au AFTER UPDATE ON passages BEGIN
        INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO {FTS_TABLE} (rowid, text) VALUES (new.id, new.text);
    END""",
    f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')",
)


def _create_search() -> None:
    if _is_postgres():
        op.execute(
            f"CREATE INDEX {PG_FTS_INDEX} ON passages USING gin (to_tsvector('english', text))"
        )
        return
    for sql in SQLITE_FTS:
        op.execute(sql)


def _drop_search() -> None:
    if _is_postgres():
        op.execute(f"DROP INDEX IF EXISTS {PG_FTS_INDEX}")
        return
    for trigger in ("passages_ai", "passages_ad", "passages_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
