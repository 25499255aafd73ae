"""Read-only SQL for people and scripts: `docstore query` and `docstore export --sql`.

Read-only is enforced by the connection, not by reading the SQL: SQLite is opened with
mode=ro and `PRAGMA query_only`, plus an authorizer that refuses ATTACH, DETACH, writing
pragmas and every write or DDL action; PostgreSQL runs in a read-only transaction. One
statement at a time: sqlite3 refuses more, and PostgreSQL refuses more in a prepared
statement (every query is prepared, `prepare_threshold=0`).
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, StatementError

from docstore.db import (
    READ_ONLY_OPTION,
    ROLE_INFO,
    SUPERUSER_INFO,
    DatabaseError,
    is_memory,
    is_sqlite,
    make_engine,
)

DEFAULT_TIMEOUT = 30.0
STREAM_BATCH = 1000
# SQLite: the longest string or blob one query may build (a cell, or a function's value),
# so that one heavy function call cannot take gigabytes between two checks of the time
# limit. Larger than any stored body (ingest refuses files over 20 MB by default).
MAX_VALUE_BYTES = 256 * 1024 * 1024
# SQLite: the most heap a query process's SQLite may hold (process-wide soft limit: SQLite
# frees cache first, then fails allocations with "out of memory").
HEAP_LIMIT_BYTES = 1024 * 1024 * 1024
_SQLITE_LIMIT_LENGTH = 0  # sqlite3.SQLITE_LIMIT_LENGTH (named in the module from 3.11)
# PostgreSQL: functions that change the role or session user mid-query.
_ROLE_CHANGE = re.compile(r"\bset_config\b", re.I)

# Pragmas that only read, even with an argument (`PRAGMA table_info(documents)`).
READING_PRAGMAS = frozenset(
    {
        "table_info",
        "table_xinfo",
        "table_list",
        "index_list",
        "index_info",
        "index_xinfo",
        "foreign_key_list",
        "foreign_key_check",
        "integrity_check",
        "quick_check",
        "collation_list",
        "database_list",
        "function_list",
        "module_list",
        "pragma_list",
        "compile_options",
    }
)
# Pragmas that change something even without an argument.
ACTING_PRAGMAS = frozenset(
    {"optimize", "shrink_memory", "wal_checkpoint", "incremental_vacuum", "query_only"}
)
# SQLite authorizer action codes that read or manage the read transaction.
_ALLOWED_ACTIONS = frozenset(
    {
        sqlite3.SQLITE_SELECT,
        sqlite3.SQLITE_READ,
        sqlite3.SQLITE_FUNCTION,
        sqlite3.SQLITE_RECURSIVE,
        sqlite3.SQLITE_TRANSACTION,
        sqlite3.SQLITE_PRAGMA,
    }
)
_ACTION_NAMES = {
    getattr(sqlite3, f"SQLITE_{name}"): name.replace("_", " ")
    for name in (
        "CREATE_INDEX",
        "CREATE_TABLE",
        "CREATE_TEMP_INDEX",
        "CREATE_TEMP_TABLE",
        "CREATE_TEMP_TRIGGER",
        "CREATE_TEMP_VIEW",
        "CREATE_TRIGGER",
        "CREATE_VIEW",
        "DELETE",
        "DROP_INDEX",
        "DROP_TABLE",
        "DROP_TEMP_INDEX",
        "DROP_TEMP_TABLE",
        "DROP_TEMP_TRIGGER",
        "DROP_TEMP_VIEW",
        "DROP_TRIGGER",
        "DROP_VIEW",
        "INSERT",
        "UPDATE",
        "ATTACH",
        "DETACH",
        "ALTER_TABLE",
        "REINDEX",
        "ANALYZE",
        "CREATE_VTABLE",
        "DROP_VTABLE",
        "SAVEPOINT",
    )
}


class QueryError(DatabaseError):
    """A query refused, cancelled or failed, explained on one line."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: Iterator[tuple[Any, ...]]


def _readonly(url: URL, timeout: float | None) -> tuple[Engine, dict[str, str]]:
    """The engine and the authorizer's record of what it refused (SQLite)."""
    engine = make_engine(url, readonly=True, timeout=timeout or None)
    state: dict[str, str] = {}
    if is_sqlite(url):

        @event.listens_for(engine, "connect")
        def _authorize(dbapi_conn: Any, _record: Any) -> None:
            if hasattr(dbapi_conn, "setlimit"):  # Python 3.11+
                dbapi_conn.setlimit(_SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
            dbapi_conn.execute(f"PRAGMA hard_heap_limit = {HEAP_LIMIT_BYTES}")
            dbapi_conn.set_authorizer(_authorizer(state))

    else:

        @event.listens_for(engine, "connect")
        def _prepare_all(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.prepare_threshold = 0

    return engine, state


def _authorizer(state: dict[str, str]) -> Any:
    def check(action: int, arg1: str | None, arg2: str | None, *_: Any) -> int:
        if action == sqlite3.SQLITE_PRAGMA:
            name = (arg1 or "").lower()
            if name in ACTING_PRAGMAS or (arg2 is not None and name not in READING_PRAGMAS):
                state.setdefault("denied", f"PRAGMA {name} = {arg2}" if arg2 else name)
                return sqlite3.SQLITE_DENY
            return sqlite3.SQLITE_OK
        if action in _ALLOWED_ACTIONS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
            # FTS5 asks this while opening its table (declaring the virtual table's schema);
            # nothing is written: the file is opened read-only and query_only is on.
            return sqlite3.SQLITE_OK
        # The first refusal names the statement (CREATE TEMP TABLE, not its INSERT).
        state.setdefault("denied", _ACTION_NAMES.get(action, f"action {action}"))
        return sqlite3.SQLITE_DENY

    return check


def _first_word(sql: str) -> str:
    """The statement's keyword, for messages ("COPY", "DROP TABLE")."""
    words = _SKIPPED_LEADING.sub(" ", sql).split()
    if not words:
        return "an empty statement"
    head = words[0].upper()
    if head in ("CREATE", "DROP", "ALTER") and len(words) > 1:
        return f"{head} {words[1].upper()}"
    return head


_QUERY_WORDS = frozenset({"SELECT", "WITH", "VALUES", "TABLE", "(SELECT", "("})
_SKIPPED_LEADING = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)


def _check_role(conn: Connection, sql: str, allow_superuser: bool) -> None:
    info = conn.connection.info
    role = info.get(ROLE_INFO)
    if role is None and info.get(SUPERUSER_INFO) and not allow_superuser:
        raise QueryError(
            "query refused: connected as a PostgreSQL superuser and the docstore_reader role "
            "is not available (run docstore db upgrade as a superuser to create it, connect as "
            "a less privileged user, or pass --allow-superuser)"
        )
    if role is not None and _ROLE_CHANGE.search(sql):
        raise QueryError(
            "query refused: set_config could leave the docstore_reader role user SQL runs as"
        )


def _execute(conn: Connection, sql: str, params: dict[str, Any]) -> Any:
    if conn.dialect.name == "sqlite":
        # sqlite3 binds :name itself, so colons inside string literals stay literal.
        return conn.exec_driver_sql(sql, params) if params else conn.exec_driver_sql(sql)
    return conn.exec_driver_sql(to_pyformat(sql), params)


_SKIPPED = re.compile(
    r"(?<![\w$])[Ee]'(?:[^'\\]|\\.|'')*'?"  # escape string: E'it\'s'
    r"|'(?:[^']|'')*'?"  # string literal
    r'|"(?:[^"]|"")*"?'  # quoted identifier
    r"|--[^\n]*"  # line comment
    r"|/\*.*?(?:\*/|$)"  # block comment
    r"|(\$(?:[A-Za-z_]\w*)?\$).*?(?:\1|$)"  # dollar-quoted string
    r"|::",  # a cast, not a parameter
    re.S,
)
_PARAM = re.compile(r":([A-Za-z_]\w*)")


def to_pyformat(sql: str) -> str:
    """`:name` parameters as psycopg's `%(name)s`, outside literals and comments only."""
    out, pos = [], 0
    for skipped in _SKIPPED.finditer(sql):
        out.append(_PARAM.sub(r"%(\1)s", sql[pos : skipped.start()].replace("%", "%%")))
        out.append(skipped.group(0).replace("%", "%%"))
        pos = skipped.end()
    out.append(_PARAM.sub(r"%(\1)s", sql[pos:].replace("%", "%%")))
    return "".join(out)


def _rows(result: Any, state: dict[str, str], timeout: float | None) -> Iterator[tuple[Any, ...]]:
    # SQLite computes most rows while they are fetched: errors (timeouts) surface here.
    try:
        for row in result:
            yield tuple(row)
    except (DBAPIError, StatementError) as exc:
        raise QueryError(explain(exc, state, timeout)) from None


def explain(exc: Exception, state: dict[str, str], timeout: float | None) -> str:
    """One line saying why a query did not run, with the database's own reason."""
    orig = getattr(exc, "orig", None) or exc
    reason = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    low = reason.lower()
    denied = state.pop("denied", None)
    given = state.get("statement", "")
    if denied and not denied.startswith("PRAGMA") and given not in _QUERY_WORDS:
        denied = given  # name the statement given (DROP TABLE), not the step refused first
    if "one statement at a time" in low or "multiple commands" in low:
        return "query refused: give one SQL statement at a time"
    if denied or "not authorized" in low:
        what = f" ({denied})" if denied else ""
        return (
            f"query refused: docstore query is read-only{what}: no writes, DDL, ATTACH/DETACH "
            "or writing pragmas"
        )
    if "readonly database" in low or "read-only transaction" in low or "read only" in low:
        return f"query refused: docstore query is read-only ({reason})"
    if low == "interrupted" or "statement timeout" in low:
        limit = f"{timeout:g} s" if timeout else "the time limit"
        return f"query cancelled: it ran longer than {limit} (use --timeout to allow more)"
    if isinstance(exc, StatementError) and not isinstance(exc, DBAPIError):
        reason = str(exc).splitlines()[0]
    if "bind" in reason.lower() or "parameter missing" in reason.lower():
        return f"query failed: {reason} (give each :name with -p NAME VALUE)"
    return f"query failed: {reason}"


class ReadOnlyRunner:
    """Read-only statements for one Store, over one pooled engine made once.

    A file or server database gets its own read-only engine (opened read-only, with the
    authorizer), kept for the Store's lifetime: no engine per query. A database in memory
    has only the Store's one connection, so each statement runs on it with `query_only`
    and the authorizer switched on for its duration. The time limit is set per statement:
    SQLite's progress handler, PostgreSQL's `statement_timeout`.
    """

    def __init__(self, url: URL, shared: Engine) -> None:
        self.url = url
        self.memory = is_memory(url)
        self._shared = shared
        self._own: tuple[Engine, dict[str, str]] | None = None

    def _engine(self) -> tuple[Engine, dict[str, str]]:
        if self.memory:
            return self._shared, {}  # a fresh record of refusals per statement
        if self._own is None:
            self._own = _readonly(self.url, None)
        return self._own

    def close(self) -> None:
        if self._own is not None:
            self._own[0].dispose()
            self._own = None

    @contextmanager
    def run(
        self,
        sql: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        stream: bool = False,
        allow_superuser: bool = False,
    ) -> Iterator[QueryResult]:
        """Run one read-only statement; rows are fetched lazily (in batches when `stream`).

        On PostgreSQL the statement runs as the reader role when the login may switch to
        it; a superuser login that cannot is refused unless `allow_superuser`.
        """
        engine, state = self._engine()
        state["statement"] = _first_word(sql)
        postgres = not is_sqlite(self.url)
        with (
            engine.connect().execution_options(**{READ_ONLY_OPTION: True}) as conn,
            _limits(conn, state, timeout, shared=self.memory),
        ):
            if postgres:
                _check_role(conn, sql, allow_superuser)
            if stream or postgres:
                # PostgreSQL: always a server-side cursor, DECLAREd FOR the statement, which
                # takes only a query: COPY, SET, DO, CALL and the like never run at all.
                conn = conn.execution_options(yield_per=STREAM_BATCH)
            try:
                result = _execute(conn, sql, dict(params or {}))
            except (DBAPIError, StatementError) as exc:
                message = explain(exc, state, timeout)
                if (
                    postgres
                    and "syntax error" in message
                    and state["statement"] not in (_QUERY_WORDS)
                ):
                    message = (
                        f"query refused: docstore query is read-only and {state['statement']} "
                        "is not a query (run one SELECT, VALUES, TABLE or WITH ... SELECT)"
                    )
                if postgres:
                    conn.invalidate()  # a connection left mid-protocol is not reused
                raise QueryError(message) from None
            if not result.returns_rows:
                raise QueryError(
                    f"query refused: {state['statement']} returns no rows; only statements "
                    "that return rows are run"
                )
            yield QueryResult(list(result.keys()), _rows(result, state, timeout))


@contextmanager
def _limits(
    conn: Connection, state: dict[str, str], timeout: float | None, *, shared: bool
) -> Iterator[None]:
    """The time limit (and, on a `shared` in-memory connection, read-only mode) for one
    statement, taken off again afterwards."""
    if conn.dialect.name != "sqlite":
        conn.exec_driver_sql(f"SET statement_timeout = {int((timeout or 0) * 1000)}")
        yield
        return
    raw: Any = conn.connection.dbapi_connection
    if shared:
        raw.execute("PRAGMA query_only = ON")
        raw.set_authorizer(_authorizer(state))
    if timeout:
        deadline = time.monotonic() + timeout
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)
        if shared:
            raw.set_authorizer(None)
            raw.execute("PRAGMA query_only = OFF")
