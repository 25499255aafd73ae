"""PostgreSQL search on a stored tsvector column; covering indexes for statement counts.

PostgreSQL: `passages.text_search`, a stored generated column holding
`to_tsvector('english', text)`, with a GIN index, replaces the GIN expression index of
revision 0002, so that ranking reads the stored vector instead of parsing every matching
passage again. The column exists on PostgreSQL only (SQLite keeps FTS5), so it is not in
the models; `docstore.migrate.include_name` leaves it out of model comparisons.

Both backends: `statements (subject_id, status)` and `(object_id, status)` replace the
single-column indexes on `subject_id` and `object_id`, so that the statement counts of
`entity_overview` (`status <> 'rejected'`) are answered from the index alone. Each still
leads with its foreign key.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (name, columns) of the statement indexes 0003 adds, and the single-column ones they replace.
NEW_INDEXES = (
    ("ix_statements_subject_status", ["subject_id", "status"]),
    ("ix_statements_object_status", ["object_id", "status"]),
)
OLD_INDEXES = (
    ("ix_statements_subject_id", ["subject_id"]),
    ("ix_statements_object_id", ["object_id"]),
)

SEARCH_COLUMN = "text_search"
PG_SEARCH_INDEX = "ix_passages_text_search"
PG_OLD_INDEX = "ix_passages_text_fts"  # revision 0002's expression index


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    for name, columns in NEW_INDEXES:
        op.create_index(name, "statements", columns)
    for name, _ in OLD_INDEXES:
        op.drop_index(name, table_name="statements")
    if _is_postgres():
        op.execute(
            f"ALTER TABLE passages ADD COLUMN {SEARCH_COLUMN} tsvector"
            " GENERATED ALWAYS AS (to_tsvector('english', text)) STORED"
        )
        op.execute(f"CREATE INDEX {PG_SEARCH_INDEX} ON passages USING gin ({SEARCH_COLUMN})")
        op.execute(f"DROP INDEX IF EXISTS {PG_OLD_INDEX}")


def downgrade() -> None:
    if _is_postgres():
        op.execute(
            f"CREATE INDEX {PG_OLD_INDEX} ON passages USING gin (to_tsvector('english', text))"
        )
        op.execute(f"DROP INDEX IF EXISTS {PG_SEARCH_INDEX}")
        op.execute(f"ALTER TABLE passages DROP COLUMN IF EXISTS {SEARCH_COLUMN}")
    for name, columns in OLD_INDEXES:
        op.create_index(name, "statements", columns)
    for name, _ in NEW_INDEXES:
        op.drop_index(name, table_name="statements")
