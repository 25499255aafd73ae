"""Engines per dialect: SQLite pragmas, serialized writers, read-only connections."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

from docstore.errors import DatabaseError

DEFAULT_DB = "docstore.db"
MEMORY = ":memory:"
ENV_VAR = "DOCSTORE_DB"
BUSY_TIMEOUT_MS = 60_000
# Execution option for connections that only read: on SQLite they begin a plain (deferred)
# transaction, so they neither wait for nor block writers.
READ_ONLY_OPTION = "docstore_read_only"
__all__ = ["DatabaseError", "describe", "is_sqlite", "make_engine", "resolve_url"]
# PostgreSQL role that read-only connections switch to (SET ROLE) when this login may:
# SELECT on docstore's tables and views and nothing else; `docstore db upgrade` creates it.
READER_ROLE = "docstore_reader"
# Connection-record keys: the role a read-only PostgreSQL connection runs as (None: the
# login itself) and whether the login is a superuser.
ROLE_INFO = "docstore_role"
SUPERUSER_INFO = "docstore_superuser"


def resolve_url(db: str | None) -> URL:
    """`--db` value, else $DOCSTORE_DB, else ./docstore.db; paths become SQLite URLs."""
    value = db or os.environ.get(ENV_VAR) or DEFAULT_DB
    if value == MEMORY:  # a database in memory, not a file named ":memory:"
        return URL.create("sqlite+pysqlite", database=MEMORY)
    if "://" in value:
        try:
            url = make_url(value)
        except Exception as exc:
            raise DatabaseError(f"not a valid database URL: {value} ({exc})") from None
        if is_sqlite(url) and url.database and url.database != ":memory:":
            # sqlite:///relative.db names a file relative to the current folder.
            path = url.database
            if not path.startswith("file:"):
                url = url.set(database=str(Path(path).expanduser().resolve()))
        return url
    return URL.create("sqlite+pysqlite", database=str(Path(value).expanduser().resolve()))


def describe(url: URL) -> str:
    """A URL fit to print: the file for SQLite, the URL without its password otherwise."""
    if is_sqlite(url):
        name = url.database or MEMORY
        return name[len("file:") :] if name.startswith("file:") else name
    return url.render_as_string(hide_password=True)


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def is_memory(url: URL) -> bool:
    """A SQLite database in memory: it lives as long as its one connection."""
    return is_sqlite(url) and url.database in (None, "", MEMORY)


def make_engine(url: URL, *, readonly: bool = False, timeout: float | None = None) -> Engine:
    if is_sqlite(url):
        return _sqlite_engine(url, readonly=readonly, timeout=timeout)
    if url.get_backend_name() == "postgresql":
        return _postgres_engine(url, readonly=readonly, timeout=timeout)
    raise DatabaseError(f"unsupported database backend {url.get_backend_name()!r}")


def _sqlite_engine(url: URL, *, readonly: bool, timeout: float | None) -> Engine:
    path = url.database
    connect_args: dict[str, Any] = {"timeout": BUSY_TIMEOUT_MS / 1000}
    if readonly and path and path != ":memory:":
        if not Path(path).exists():
            raise DatabaseError(f"{path}: no such database file")
        # uri=true in the URL's query: SQLAlchemy then passes "file:...?mode=ro" as is
        # (with uri only in connect_args it would turn the name into a relative path).
        url = url.set(
            database=f"file:{Path(path).as_uri()[len('file://') :]}",
            query={"mode": "ro", "uri": "true"},
        )
    else:
        if path and path != ":memory:":
            parent = Path(path).parent
            if not parent.is_dir():
                raise DatabaseError(f"{path}: folder {parent} does not exist")
    if is_memory(url):
        # One connection, shared by every user of the engine: a second one would open a
        # second, empty database.
        connect_args["check_same_thread"] = False
        engine = create_engine(url, connect_args=connect_args, poolclass=StaticPool)
    else:
        engine = create_engine(url, connect_args=connect_args)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # Python's sqlite3 would otherwise open transactions itself; docstore issues its own
        # BEGIN so that writers take the write lock up front (BEGIN IMMEDIATE) and wait for
        # each other instead of failing with "database is locked".
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if readonly:
            cur.execute("PRAGMA query_only = ON")
        else:
            if path and path != ":memory:":
                _use_wal(dbapi_conn)
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        reading = readonly or conn.get_execution_options().get(READ_ONLY_OPTION, False)
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    if timeout:
        _sqlite_progress_timeout(engine, timeout)
    return engine


def _use_wal(dbapi_conn: Any) -> None:
    """Put the file in WAL mode (readers then work while a writer writes) if it is not yet.

    WAL is a property of the file, so only the first connection to a new file switches it;
    but switching needs the file to itself and SQLite does not wait for that (no busy
    handler), so when several processes open the same new file at once, retry instead of
    failing with "database is locked".
    """
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            if dbapi_conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                # Answers the mode in force: not WAL when the file cannot have it.
                dbapi_conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def _sqlite_progress_timeout(engine: Engine, seconds: float) -> None:
    """Interrupt statements that run longer than `seconds` (SQLite has no statement_timeout)."""
    import time

    state: dict[str, float] = {}

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn: Any, *_: Any) -> None:
        state["deadline"] = time.monotonic() + seconds
        raw = conn.connection.dbapi_connection
        raw.set_progress_handler(lambda: int(time.monotonic() > state["deadline"]), 10_000)


def _postgres_engine(url: URL, *, readonly: bool, timeout: float | None) -> Engine:
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    options = []
    if readonly:
        options.append("-c default_transaction_read_only=on")
    if timeout:
        options.append(f"-c statement_timeout={int(timeout * 1000)}")
    if readonly:  # sorts and hashes of user SQL spill to disk beyond this, not to RAM
        options.append(f"-c work_mem={READ_WORK_MEM}")
    connect_args = {"options": " ".join(options)} if options else {}
    try:
        engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise DatabaseError(
            f"PostgreSQL support needs the postgres extra: pip install 'docstore[postgres]' ({exc})"
        ) from None
    if readonly:
        event.listen(engine, "connect", _reader_role)
    return engine


READ_WORK_MEM = "32MB"


def _reader_role(dbapi_conn: Any, record: Any) -> None:
    """Run a read-only connection as the reader role when the login may (SET ROLE), so
    that user SQL has SELECT on docstore's relations and no superuser powers."""
    role = READER_ROLE
    with dbapi_conn.cursor() as cur:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cur.fetchone()
        superuser = bool(row and row[0])
        cur.execute(
            "SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = %s",
            (role,),
        )
        row = cur.fetchone()
        member = bool(row and row[0])
        if member:
            cur.execute(f'SET ROLE "{role}"')
    dbapi_conn.commit()
    record.info[ROLE_INFO] = role if member else None
    record.info[SUPERUSER_INFO] = superuser
