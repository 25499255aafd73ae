"""Record which vocabulary version the `predicates` table follows.

`vocabulary_versions` holds one row per vocabulary file that docstore copies into the
database (today `predicates`), with a digest of the file and when it was applied. docstore
compares it with its own file whenever a writing command opens the database and inserts or
updates predicates when they differ (docstore.vocabulary.ensure_predicates), so a predicate
added to predicates.yaml needs no migration of its own. The table starts empty: the first
writing command fills it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "vocabulary_versions",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("applied_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_vocabulary_versions")),
    )


def downgrade() -> None:
    op.drop_table("vocabulary_versions")
