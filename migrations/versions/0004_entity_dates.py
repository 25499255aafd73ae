"""First and last seen per entity, kept at write time.

`entity_dates` holds, for each entity mentioned in at least one dated document, the
publication dates of the first and the last such document. docstore's writer keeps it in
step: storing a document widens the dates of the entities it mentions, and re-extraction
recomputes the entities a document no longer mentions. `entity_overview` reads its
`first_seen` and `last_seen` from it instead of looking up the date of every document of
every entity, which was most of the whole view's time on a large database. The view's
columns are unchanged.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 09:00:00
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEW = "entity_overview"

# The same statement as docstore.writer.refresh_entity_dates, for every entity at once.
BACKFILL = """
INSERT INTO entity_dates (entity_id, first_seen, last_seen)
SELECT m.entity_id, MIN(d.published_at), MAX(d.published_at)
FROM mentions m JOIN documents d ON d.id = m.document_id
WHERE d.published_at IS NOT NULL
GROUP BY m.entity_id
"""


def upgrade() -> None:
    op.create_table(
        "entity_dates",
        sa.Column("entity_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_seen", sa.String(length=32), nullable=False),
        sa.Column("last_seen", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_dates_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entity_id", name=op.f("pk_entity_dates")),
    )
    op.execute(BACKFILL)
    views = _revision("0002_views_and_search.py")
    overview = views._view_sql()[VIEW]
    op.execute(f"DROP VIEW IF EXISTS {VIEW}")
    views._create_views({VIEW: (overview[0], _description(overview[1]), _overview_sql(views))})


def downgrade() -> None:
    views = _revision("0002_views_and_search.py")
    op.execute(f"DROP VIEW IF EXISTS {VIEW}")
    views._create_views({VIEW: views._view_sql()[VIEW]})
    op.drop_table("entity_dates")


def _description(before: str) -> str:
    old = " the dates of the first and last documents that mention it,"
    assert old in before
    return before.replace(
        old,
        " the dates of the first and last dated documents that mention it (kept in"
        " entity_dates as documents are stored),",
    )


def _overview_sql(views: ModuleType) -> str:
    return f"""
            SELECT e.id AS entity_id, e.key, e.name, e.type, e.country, e.wikidata_id,
                   (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id) AS mentions,
                   (SELECT COUNT(DISTINCT m.document_id) FROM mentions m
                     WHERE m.entity_id = e.id) AS documents,
                   (SELECT COUNT(*) FROM statements s
                     WHERE s.subject_id = e.id AND s.status <> 'rejected') AS statements_as_subject,
                   (SELECT COUNT(*) FROM statements s
                     WHERE s.object_id = e.id AND s.status <> 'rejected') AS statements_as_object,
                   ed.first_seen,
                   ed.last_seen,
                   {views._aliases("e.id")} AS aliases
            FROM entities e
            LEFT JOIN entity_dates ed ON ed.entity_id = e.id
            """


def _revision(filename: str) -> ModuleType:
    """An earlier revision's module, whose view definitions this one builds on."""
    path = Path(__file__).with_name(filename)
    spec = importlib.util.spec_from_file_location(f"docstore_migration_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
