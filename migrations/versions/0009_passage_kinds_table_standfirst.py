"""Passage kinds `table` (one row of an HTML table per passage) and `standfirst` (the
lead a page gives as its description, kept apart so that it can be left out).

Only the CHECK constraint on `passages.kind` changes: every stored row satisfies the
wider list. PostgreSQL replaces the constraint. SQLite cannot alter a constraint in
place, and rebuilding `passages` would mean dropping the views, full-text triggers and
foreign keys that depend on it; a constraint that only admits more values is changed in
the stored table definition instead, the procedure SQLite documents for such changes
(https://www.sqlite.org/lang_altertable.html, "otheralter"), with the schema version
bumped so that every connection reloads it.

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-29 05:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSTRAINT = "ck_passages_kind"
BEFORE = ("title", "dateline", "paragraph", "list_item", "heading", "quote")
AFTER = (*BEFORE, "table", "standfirst")


def _check(kinds: Sequence[str]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def _set_kinds(kinds: Sequence[str], previous: Sequence[str]) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(f"ALTER TABLE passages DROP CONSTRAINT IF EXISTS {CONSTRAINT}")
        op.execute(f"ALTER TABLE passages ADD CONSTRAINT {CONSTRAINT} CHECK ({_check(kinds)})")
        return
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'passages'"
    ).scalar_one()
    old, new = f"CHECK ({_check(previous)})", f"CHECK ({_check(kinds)})"
    if old not in sql:
        raise RuntimeError(f"passages: constraint {CONSTRAINT} is not {old}")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        bind.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'passages'",
            (sql.replace(old, new),),
        )
        bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    _set_kinds(AFTER, BEFORE)


def downgrade() -> None:
    bind = op.get_bind()
    kept = ", ".join(f"'{k}'" for k in BEFORE)
    # Rows of the new kinds would break the narrower constraint: they become paragraphs.
    bind.exec_driver_sql(f"UPDATE passages SET kind = 'paragraph' WHERE kind NOT IN ({kept})")
    _set_kinds(BEFORE, AFTER)
