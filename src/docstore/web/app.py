"""Build and run the Datasette instance behind `docstore serve`.

Datasette serves the SQLite file itself (tables, saved views, facets, the SQL box, CSV and
JSON) through read-only connections with a time limit; docstore's pages read through their
own read-only SQLAlchemy engine (`make_engine(url, readonly=True)`). Metadata (each view's
question and description, canned queries) is read from the database's `view_catalog`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from docstore.db import DatabaseError, describe, is_sqlite, make_engine
from docstore.store import Store
from docstore.views import catalog
from docstore.web import plugin

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
# Datasette's SQL box and docstore's pages stop a query after this long.
SQL_TIME_LIMIT_MS = 3000
PAGE_TIME_LIMIT_S = 10.0
INSTALL_HINT = "docstore serve needs Datasette: pip install 'docstore[web]'"

# Canned queries: the common parameterized questions, asked by entity name, key or alias.
_ENTITY = (
    "(SELECT id FROM entities WHERE lower(name) = lower(:entity) OR key = :entity"
    " UNION SELECT entity_id FROM entity_aliases WHERE lower(alias) = lower(:entity))"
)
CANNED_QUERIES = {
    "entity_documents_by_name": {
        "title": "Which documents mention an entity?",
        "description": "Give a name, key (country:by) or alias.",
        "sql": "SELECT entity, document_id, title, published_at, mentions FROM entity_documents"
        f" WHERE entity_id IN {_ENTITY} ORDER BY published_at DESC, document_id DESC",
    },
    "entity_statements_by_name": {
        "title": "What did an entity do or say, and what was done to it?",
        "description": "Statements with the entity as subject, object or speaker.",
        "sql": "SELECT date, subject, predicate, object, polarity, modality, speaker, quote,"
        " document_id FROM statement_facts"
        f" WHERE subject_id IN {_ENTITY} OR object_id IN {_ENTITY} OR speaker_id IN {_ENTITY}"
        " ORDER BY date DESC, statement_id DESC",
    },
    "who_met_whom": {
        "title": "Who met, visited, called or negotiated with whom in a date range?",
        "description": "Dates as YYYY or YYYY-MM-DD; both ends included.",
        "sql": "SELECT date, subject, predicate, object, document_title, quote, subject_id,"
        " object_id, document_id FROM interactions"
        " WHERE date >= :since AND substr(date, 1, length(:until)) <= :until"
        " ORDER BY date, statement_id",
    },
}


@dataclass
class ServeOptions:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    sql_time_limit_ms: int = SQL_TIME_LIMIT_MS
    curate: bool = False  # allow curation by logged-in actors


def check_datasette() -> None:
    """DatabaseError with the one-line install hint when Datasette is not installed."""
    try:
        import datasette  # noqa: F401
    except ImportError:
        raise DatabaseError(INSTALL_HINT) from None


def check_database(url: URL) -> Path | None:
    """The SQLite file `docstore serve` would serve (None for a PostgreSQL URL), or
    DatabaseError saying why it cannot."""
    if not is_sqlite(url):
        return None
    path = Path(url.database or "")
    if not path.is_file():
        raise DatabaseError(f"{path}: no such database file (create it with docstore ingest)")
    return path


def _package_dir(name: str) -> str:
    return str(files("docstore.web") / name)


def metadata(conn: Any, database: str) -> dict[str, Any]:
    """Datasette metadata: each saved view's question and description, the canned queries,
    and links to docstore's pages on the start page."""
    pages = plugin.PREFIX
    links = (
        f'<a href="{pages}">Entities</a> · <a href="{pages}/search">Search</a> · '
        f'<a href="{pages}/statements">Statements</a> · <a href="{pages}/sql">SQL</a>:'
        " docstore's pages."
    )
    if not database:  # PostgreSQL: Datasette serves no database, only docstore's pages
        return {"title": "docstore", "description_html": links}
    tables = {
        name: {"title": f"{name}: {question}", "description": description}
        for name, question, description in catalog(conn)
    }
    return {
        "title": "docstore",
        "description_html": links + " The saved views below each answer one question.",
        "databases": {database: {"tables": tables, "queries": CANNED_QUERIES}},
    }


def make_datasette(url: URL, options: ServeOptions | None = None) -> Any:
    """A Datasette instance with docstore's pages on the database at `url`.

    SQLite: Datasette serves the file too (tables, views, its SQL box). PostgreSQL, which
    Datasette cannot serve: docstore's pages only, with docstore's own read-only SQL page
    (`docstore.query`, the same as `docstore query`, with the same time limit)."""
    check_datasette()
    from datasette.app import Datasette

    options = options or ServeOptions()
    path = check_database(url)
    # docstore's pages run their own fixed SQL: a read-only connection (SQLite mode=ro and
    # query_only; a read-only PostgreSQL transaction) with a time limit is enough; people's
    # SQL goes through docstore.query and its authorizer.
    engine = make_engine(url, readonly=True, timeout=PAGE_TIME_LIMIT_S)
    name = path.stem if path else ""
    with engine.connect() as conn:
        meta = metadata(conn, name)
    plugin.register()
    ds = Datasette(
        [str(path)] if path else [],
        metadata=meta,
        template_dir=_package_dir("templates"),
        static_mounts=[(plugin.STATIC_MOUNT, _package_dir("static"))],
        settings={"sql_time_limit_ms": options.sql_time_limit_ms},
    )
    state = plugin.WebState(
        engine=engine,
        database=name,
        store=Store(url, upgrade=False),
        sql_timeout=options.sql_time_limit_ms / 1000,
    )
    if options.curate:
        from docstore.web.curate import Curation

        state.curate = Curation.start(Store(url, upgrade=False))
    setattr(ds, plugin.STATE_ATTR, state)
    return ds


def serve(url: URL, options: ServeOptions, announce: Any = print) -> None:
    """Run the server until interrupted (blocking)."""
    import asyncio

    import uvicorn

    ds = make_datasette(url, options)
    asyncio.run(ds.invoke_startup())
    base = f"http://{options.host}:{options.port}"
    announce(f"docstore serve: {describe(url)} at {base}{plugin.PREFIX} (Ctrl-C to stop)")
    state = plugin.state_of(ds)
    if state is not None and state.curate is not None:
        announce(
            f"curation is on: log in at {base}{state.curate.login_path(plugin.PREFIX)}"
            " (judgements are recorded under the name you give there)"
        )
    if not is_sqlite(url):
        announce(
            "PostgreSQL: docstore's pages and its read-only SQL page; Datasette's table"
            " browser serves SQLite files only"
        )
    uvicorn.run(ds.app(), host=options.host, port=options.port, log_level="warning")
