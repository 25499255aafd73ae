"""Judgements: analysts' decisions about entities, statements and documents.

`judgements` keeps every decision (merge, split, rename, retype, alias, reject, link,
statement reject/verify/edit, document delete) with its author and time; rows are never
deleted, an undo only stamps `undone_at`. Targets are named by what survives
re-extraction: an entity key, a document uid, or a statement's identity (document uid,
offsets, predicate), never a row id. docstore applies the judgements that are not undone
every time it writes a document. The view `judgement_log` lists them with their targets'
names.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from docstore.views.migration import create_views, drop_views

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "entity_merge",
    "entity_split",
    "entity_rename",
    "entity_retype",
    "entity_reject",
    "entity_link",
    "alias_add",
    "alias_remove",
    "statement_reject",
    "statement_verify",
    "statement_edit",
    "document_delete",
)


def _one_of(values: Sequence[str]) -> str:
    return "kind IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    op.create_table(
        "judgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("target_name", sa.Text(), nullable=True),
        sa.Column("document_uid", sa.String(length=64), nullable=True),
        sa.Column("char_start", sa.Integer(), nullable=True),
        sa.Column("char_end", sa.Integer(), nullable=True),
        sa.Column("predicate", sa.String(length=32), nullable=True),
        sa.Column("arguments", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("undone_at", sa.String(length=32), nullable=True),
        sa.Column("undone_by", sa.String(length=100), nullable=True),
        sa.CheckConstraint(_one_of(KINDS), name=op.f("ck_judgements_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_judgements")),
        sa.UniqueConstraint("uid", name=op.f("uq_judgements_uid")),
    )
    op.create_index("ix_judgements_target_kind", "judgements", ["target", "kind"])
    op.create_index("ix_judgements_document_uid", "judgements", ["document_uid"])
    op.create_index("ix_judgements_author", "judgements", ["author"])
    op.create_index("ix_judgements_created_at", "judgements", ["created_at"])
    create_views(judgement_log="0005")


def downgrade() -> None:
    drop_views("judgement_log", uncatalog=True)
    op.drop_index("ix_judgements_created_at", table_name="judgements")
    op.drop_index("ix_judgements_author", table_name="judgements")
    op.drop_index("ix_judgements_document_uid", table_name="judgements")
    op.drop_index("ix_judgements_target_kind", table_name="judgements")
    op.drop_table("judgements")
