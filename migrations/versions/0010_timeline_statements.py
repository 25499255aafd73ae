"""`entity_timeline` counts statements beside mentions.

The view gains `statements` (statements that have the entity as subject or object on that
day, rejected ones left out) and `verified_statements` (those analysts verified), so that a
timeline shows what an entity did and had done to it, and how much of it was checked. Its
rows and existing columns are unchanged.

Revision ID: 0010
Revises: 0007
Create Date: 2026-11-29 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from docstore.views.migration import replace_views

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    replace_views(entity_timeline="0010")


def downgrade() -> None:
    replace_views(entity_timeline="0002")
