"""Ingest runs record their process; PostgreSQL search ignores accents.

`ingest_runs` gains `pid` and `host` (the process that runs it) and the status
`abandoned`: a run left `running` by a process that is gone (killed with SIGKILL, a
machine that went down) is marked `abandoned` by the next ingest on the same host, so the
table never claims that a dead run is still going.

PostgreSQL: `passages.text_search` becomes `to_tsvector('docstore_english', text)`, a text
search configuration that copies `english` and, where the server has the `unaccent`
extension and this login may create it (it is trusted: a database owner may), passes words
through `unaccent` before stemming, so that "attaches" finds "attachés" as SQLite's FTS5
(`remove_diacritics`) does. Search and its highlighted snippets use the same configuration.

Revision ID: 0007
Revises: 0009
Create Date: 2026-11-29 05:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = "status IN ('running', 'completed', 'failed', 'interrupted')"
NEW_STATUSES = "status IN ('running', 'completed', 'failed', 'interrupted', 'abandoned')"
SEARCH_COLUMN = "text_search"
SEARCH_INDEX = "ix_passages_text_search"
CONFIG = "docstore_english"


def _runs_table(statuses: str, *, with_owner: bool) -> None:
    """Rebuild ingest_runs with another status check (SQLite cannot alter a CHECK).

    On SQLite, rebuilding the table deletes its errors (ON DELETE CASCADE while the old
    table is dropped): they are kept aside and put back.
    """
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("CREATE TEMP TABLE docstore_saved_errors AS SELECT * FROM ingest_errors")
    with op.batch_alter_table("ingest_runs", recreate="always" if sqlite else "auto") as batch:
        batch.drop_constraint(op.f("ck_ingest_runs_status"), type_="check")
        if with_owner:
            batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
            batch.add_column(sa.Column("host", sa.String(length=255), nullable=True))
        else:
            batch.drop_column("host")
            batch.drop_column("pid")
        batch.create_check_constraint(op.f("ck_ingest_runs_status"), statuses)
    if sqlite:
        op.execute("DELETE FROM ingest_errors")
        op.execute("INSERT INTO ingest_errors SELECT * FROM docstore_saved_errors")
        op.execute("DROP TABLE docstore_saved_errors")


def _search_column(expression: str) -> None:
    op.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
    op.execute(f"ALTER TABLE passages DROP COLUMN IF EXISTS {SEARCH_COLUMN}")
    op.execute(
        f"ALTER TABLE passages ADD COLUMN {SEARCH_COLUMN} tsvector"
        f" GENERATED ALWAYS AS (to_tsvector({expression})) STORED"
    )
    op.execute(f"CREATE INDEX {SEARCH_INDEX} ON passages USING gin ({SEARCH_COLUMN})")


def _create_config() -> None:
    conn = op.get_bind()
    available = conn.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")
    ).first()
    if available is not None:
        try:
            with conn.begin_nested():
                conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS unaccent"))
        except sa.exc.DBAPIError:  # not allowed to: search keeps accents apart
            pass
    schema = conn.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n"
            " ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'"
        )
    ).scalar()
    op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = english)")
    if schema:
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR"
            f" hword, hword_part, word WITH {schema}.unaccent, english_stem"
        )


def upgrade() -> None:
    _runs_table(NEW_STATUSES, with_owner=True)
    if op.get_bind().dialect.name == "postgresql":
        _create_config()
        _search_column(f"'{CONFIG}', text")


def downgrade() -> None:
    op.execute("UPDATE ingest_runs SET status = 'failed' WHERE status = 'abandoned'")
    _runs_table(OLD_STATUSES, with_owner=False)
    if op.get_bind().dialect.name == "postgresql":
        _search_column("'english', text")
        # The unaccent extension stays: other things in the database may use it.
        op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
