"""Alembic, driven from code: revisions, automatic upgrade, and the `db` commands.

Alembic is imported only when a command needs it: a database already at `HEAD_REVISION` is
recognized from its `alembic_version` row alone, which keeps every command's start short.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from docstore import db
from docstore.db import READ_ONLY_OPTION, DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

# The newest revision in migrations/versions; tests/test_migrations.py keeps it in step.
HEAD_REVISION = "0010"

# Tables that live beside the contract tables but are not models: SQLite's FTS5 index
# and its shadow tables. Autogenerate comparisons skip them.
UNMODELLED_PREFIXES = ("passages_fts", "sqlite_")
# PostgreSQL's full-text search (revision 0003): a stored generated tsvector column on
# passages and its GIN index, the counterpart of passages_fts. They exist on PostgreSQL only,
# so they stay out of the models (which must be the same on both backends) and out of
# autogenerate comparisons; migrations alone create them. The column keeps itself filled.
UNMODELLED_COLUMNS = (("passages", "text_search"),)
UNMODELLED_INDEXES = ("ix_passages_text_search",)

# Any constant works: it only has to be the same in every docstore process.
_PG_MIGRATION_LOCK = 7_325_001


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    if type_ == "table" and name is not None:
        return not name.startswith(UNMODELLED_PREFIXES)
    if type_ == "index":
        return name not in UNMODELLED_INDEXES
    if type_ == "column" and isinstance(parent_names, Mapping):
        return (parent_names.get("table_name"), name) not in UNMODELLED_COLUMNS
    return True


def script_location() -> str:
    import docstore._migrations as package

    return str(Path(str(package.__file__)).parent)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", script_location())
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _lock(conn: Connection) -> None:
    # SQLite writers already hold the write lock (BEGIN IMMEDIATE); PostgreSQL needs one.
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})


def ensure_schema(engine: Engine, notify: Callable[[str], None] | None = None) -> None:
    """Upgrade a database that is behind the code; refuse one that is ahead of it."""
    if _stored_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    scripts = script_directory()
    head = scripts.get_current_head()
    with engine.connect().execution_options(**{READ_ONLY_OPTION: True}) as conn:
        current = current_revision(conn)
    if current == head:
        return
    _check_known(scripts, current)
    with engine.begin() as conn:
        _lock(conn)
        current = current_revision(conn)
        if current == head:
            return
        _check_known(scripts, current)
        if notify:
            where = "empty database" if current is None else f"database at revision {current}"
            notify(f"docstore: upgrading {where} to schema revision {head}")
        command.upgrade(alembic_config(conn), "head")
    grant_reader(engine)


def require_current(engine: Engine) -> None:
    """Refuse, in one line, to read a database whose schema is not this docstore's head.

    Reading commands never create or upgrade a schema (that is for the writing commands and
    `docstore db upgrade`): on another program's database, or one that an older or newer
    docstore wrote, they stop here without writing anything.
    """
    stored = _stored_revision(engine)
    if stored == HEAD_REVISION:
        return
    if stored is None:
        raise DatabaseError(
            "not a docstore database (no schema revision recorded); reading commands never "
            "create one: use docstore query/export to read it as it is, or docstore ingest "
            "to start a docstore database"
        )
    if stored in _known_revisions():
        raise DatabaseError(
            f"the database is at schema revision {stored}, older than this docstore's "
            f"{HEAD_REVISION}; reading commands do not upgrade it: run docstore db upgrade "
            "(or docstore query, which reads it as it is)"
        )
    raise DatabaseError(
        f"the database is at schema revision {stored}, which this version of docstore "
        "does not know: it was written by a newer docstore; upgrade docstore to use it"
    )


def _known_revisions() -> set[str]:
    return {script.revision for script in script_directory().walk_revisions()}


def _stored_revision(engine: Engine) -> str | None:
    """The `alembic_version` row read directly; None when there is none (yet)."""
    try:
        with engine.connect().execution_options(**{READ_ONLY_OPTION: True}) as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError as exc:  # no such table: an empty database, or not docstore's
        reason = str(exc.orig).lower()
        if "no such table" in reason or "does not exist" in reason:
            return None
        raise DatabaseError(f"{db.describe(engine.url)}: {str(exc.orig).strip()}") from None
    return rows[0][0] if len(rows) == 1 else None


def _check_known(scripts: ScriptDirectory, current: str | None) -> None:
    if current is None:
        return
    try:
        scripts.get_revision(current)
    except Exception:
        raise DatabaseError(
            f"the database is at schema revision {current}, which this version of docstore "
            "does not know: it was written by a newer docstore; upgrade docstore to use it"
        ) from None


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        _lock(conn)
        _check_known(script_directory(), current_revision(conn))
        _check_target(revision)
        command.upgrade(alembic_config(conn), revision)
    grant_reader(engine)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with engine.begin() as conn:
        _lock(conn)
        _check_known(script_directory(), current_revision(conn))
        _check_target(revision)
        command.downgrade(alembic_config(conn), revision)


def _check_target(revision: str) -> None:
    """A revision Alembic can go to, or one line saying which ones there are."""
    if revision in ("head", "base") or revision in _known_revisions():
        return
    if revision[:1] in "+-" and revision[1:].isdigit():
        return
    known = ", ".join(["base", *sorted(_known_revisions()), "head"])
    raise DatabaseError(f"unknown schema revision {revision!r}: choose one of {known}")


def downgrade_loss(engine: Engine, revision: str) -> tuple[str | None, int]:
    """(current revision, documents that downgrading to `revision` would delete).

    Only `base` removes the documents table; every downgrade drops what the revisions after
    `revision` added (derived tables, indexes, views), which re-running upgrade rebuilds
    only in part.
    """
    with engine.connect().execution_options(**{READ_ONLY_OPTION: True}) as conn:
        current = current_revision(conn)
        if revision != "base" or current is None:
            return current, 0
        try:
            count = conn.execute(text("SELECT count(*) FROM documents")).scalar_one()
        except DBAPIError:
            return current, 0
    return current, int(count)


def grant_reader(engine: Engine) -> bool:
    """PostgreSQL: create the reader role where this login may, and let it read docstore's
    tables and views (only those). Returns whether the role can read the database now.

    Without the right to create roles (or grant) nothing happens: the reading commands then
    run user SQL as the login itself, and refuse to as a superuser.
    """
    if engine.dialect.name != "postgresql":
        return False
    from sqlalchemy import inspect

    from docstore.models import Base

    role = db.READER_ROLE
    with engine.connect() as conn:
        try:
            with conn.begin():
                exists = conn.execute(
                    text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
                ).first()
                if exists is None:
                    conn.exec_driver_sql(f'CREATE ROLE "{role}" NOLOGIN')
        except DBAPIError:  # no CREATEROLE, or another process created it just now
            pass
        try:
            with conn.begin():
                inspector = inspect(conn)
                present = set(inspector.get_table_names()) | set(inspector.get_view_names())
                relations = set(Base.metadata.tables) | {"alembic_version"}
                if "view_catalog" in present:
                    views = conn.execute(text("SELECT name FROM view_catalog")).scalars()
                    relations |= set(views)
                conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA public TO "{role}"')
                for name in sorted(relations & present):
                    conn.exec_driver_sql(f'GRANT SELECT ON "{name}" TO "{role}"')
        except DBAPIError:
            return False
        try:
            with conn.begin():  # lets a login with CREATEROLE (not superuser) SET ROLE to it
                conn.exec_driver_sql(f'GRANT "{role}" TO CURRENT_USER')
        except DBAPIError:
            pass
    return True


def history() -> list[tuple[str, str | None, str]]:
    """(revision, down_revision, message) from newest to oldest."""
    rows = []
    for script in script_directory().walk_revisions():
        down = script.down_revision
        rows.append((script.revision, down if isinstance(down, str) else None, script.doc))
    return rows
