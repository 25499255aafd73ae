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

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from docstore.views.migration import replace_views

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

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
    replace_views(entity_overview="0004")


def downgrade() -> None:
    replace_views(entity_overview="0002")
    op.drop_table("entity_dates")
