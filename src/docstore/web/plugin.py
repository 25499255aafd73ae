"""The Datasette plugin behind `docstore serve`: docstore's own pages, links from Datasette's
rows to them, and the CSS they use.

The plugin is registered once per process (`register()`); each Datasette instance that
`docstore.web.app.make_datasette` builds carries its own `WebState`, so tests can run
several side by side. A Datasette started without that state (plain `datasette`) is left
alone by every hook.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.plugins import pm
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from docstore.db import DatabaseError
from docstore.store import Store
from docstore.terms import ENTITY_TYPES
from docstore.web import charts, reads
from docstore.web.curate import (
    PERMISSION,
    Curation,
    actor_name,
    entity_verb,
    login_response,
    statement_verb,
)

PREFIX = "/-/docstore"
PLUGIN_NAME = "docstore-web"
STATIC_MOUNT = "docstore-static"
STATE_ATTR = "_docstore_web"
# Rows an export of the statement explorer writes at most.
EXPORT_LIMIT = 100_000
# Columns whose values are entity or document ids, wherever Datasette shows them.
ENTITY_COLUMNS = frozenset(
    {"entity_id", "other_entity_id", "subject_id", "object_id", "speaker_id"}
)
DOCUMENT_COLUMNS = frozenset({"document_id"})

T = TypeVar("T")


@dataclass
class WebState:
    """What the pages of one server need: a read-only engine and the Datasette name of the
    database (empty when Datasette does not serve it)."""

    engine: Engine
    database: str
    store: Store  # its read-only query path runs the SQL page
    sql_timeout: float  # seconds, for the SQL page
    curate: Curation | None = None  # writes allowed (docstore serve --curate)


def register() -> None:
    """Register the plugin with Datasette's plugin manager (once per process)."""
    if pm.get_plugin(PLUGIN_NAME) is None:
        pm.register(sys.modules[__name__], name=PLUGIN_NAME)


def state_of(datasette: Any) -> WebState | None:
    return getattr(datasette, STATE_ATTR, None)


async def _read(state: WebState, fn: Callable[[Connection], T]) -> T:
    """Run `fn` on a read-only connection in a worker thread (SQLAlchemy is synchronous)."""

    def run() -> T:
        with state.engine.connect() as conn:
            return fn(conn)

    return await asyncio.to_thread(run)


def entity_url(entity_id: Any) -> str:
    return f"{PREFIX}/entity/{int(entity_id)}"


def document_url(document_id: Any, anchor: str = "") -> str:
    return f"{PREFIX}/document/{int(document_id)}{anchor}"


def _int(value: str | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError:
        raise DatabaseError(f"{name} must be a whole number, not {value!r}") from None


async def _page(
    datasette: Any, request: Any, template: str, context: dict[str, Any], status: int = 200
) -> Response:
    state = state_of(datasette)
    context = {
        "prefix": PREFIX,
        "database": state.database if state else "",
        "entity_url": entity_url,
        "document_url": document_url,
        "curate": _curate_context(state, request) if state else None,
        **context,
    }
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)


async def _error(datasette: Any, request: Any, message: str, status: int) -> Response:
    return await _page(
        datasette, request, "docstore_error.html", {"message": message, "status": status}, status
    )


def _guarded(view: Callable[..., Any]) -> Callable[..., Any]:
    """Bad input and missing rows become error pages with one line of explanation."""

    async def wrapper(datasette: Any, request: Any) -> Response:
        if state_of(datasette) is None:
            raise NotFound("docstore pages are not enabled on this server")
        if request.method not in ("GET", "HEAD"):
            return await _error(datasette, request, "this page only reads: use GET", 405)
        try:
            response: Response = await view(datasette, request)
            return response
        except reads.NotFound as exc:
            return await _error(datasette, request, str(exc), 404)
        except DatabaseError as exc:
            return await _error(datasette, request, str(exc), 400)
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            return await _error(datasette, request, f"database error: {reason}", 500)

    wrapper.__name__ = view.__name__
    return wrapper


# -- pages ---------------------------------------------------------------------------------------


@_guarded
async def home(datasette: Any, request: Any) -> Response:
    state = state_of(datasette)
    assert state is not None
    top = await _read(state, reads.top_entities)
    bars = [charts.Bar(e["name"], e["mentions"], entity_url(e["entity_id"])) for e in top[:15]]
    chart = charts.ranked_bars_svg(bars, title="Most mentioned entities")
    return await _page(
        datasette, request, "docstore_home.html", {"top": top, "chart": Markup(chart)}
    )


@_guarded
async def entity_lookup(datasette: Any, request: Any) -> Response:
    """`/-/docstore/entity?name=Belarus`: the best match by name, key or alias."""
    from docstore.profile import find_entities

    state = state_of(datasette)
    assert state is not None
    name = request.args.get("name", "").strip()
    if not name:
        raise DatabaseError("give an entity name: ?name=Belarus")
    ids = await _read(state, lambda conn: find_entities(conn, name))
    if not ids:
        raise reads.NotFound(f"no entity matches {name!r} (by name, key or alias)")
    return Response.redirect(entity_url(ids[0]))


@_guarded
async def entity(datasette: Any, request: Any) -> Response:
    state = state_of(datasette)
    assert state is not None
    entity_id = int(request.url_vars["id"])
    page = await _read(state, lambda conn: reads.entity_page(conn, entity_id))
    unit = page.timeline_unit
    timeline = charts.timeline_svg(
        [
            charts.Bar(p.label, p.mentions, note=f"mentions in {p.documents} documents")
            for p in page.timeline
        ],
        title=f"Mentions of {page.entity['name']} per {unit}",
    )
    network = charts.ranked_bars_svg(
        [
            charts.Bar(r["name"], r["passages"], entity_url(r["entity_id"]), "passages")
            for r in page.mentioned_with
        ],
        title=f"Entities most often mentioned with {page.entity['name']}",
    )
    context = {
        "page": page,
        "e": page.entity,
        "timeline_svg": Markup(timeline),
        "network_svg": Markup(network),
    }
    return await _page(datasette, request, "docstore_entity.html", context)


@_guarded
async def document(datasette: Any, request: Any) -> Response:
    state = state_of(datasette)
    assert state is not None
    document_id = int(request.url_vars["id"])
    page = await _read(state, lambda conn: reads.document_page(conn, document_id))
    context = {"page": page, "d": page.document}
    return await _page(datasette, request, "docstore_document.html", context)


@_guarded
async def search(datasette: Any, request: Any) -> Response:
    state = state_of(datasette)
    assert state is not None
    args = request.args
    filters = reads.SearchFilters(
        q=args.get("q", ""),
        entity_id=_int(args.get("entity_id"), "entity_id"),
        type=args.get("type", ""),
        since=args.get("since", ""),
        until=args.get("until", ""),
        predicate=args.get("predicate", ""),
        page=_int(args.get("page"), "page") or 1,
    )

    def load(conn: Connection) -> dict[str, Any]:
        out: dict[str, Any] = {"choices": reads.choices(conn), "result": None, "error": ""}
        if filters.entity_id is not None:
            out["entity_name"] = reads.entity_name(conn, filters.entity_id)
        if filters.q.strip():
            try:
                out["result"] = reads.search_page(conn, filters)
            except DatabaseError as exc:
                out["error"] = str(exc)
        return out

    data = await _read(state, load)
    query = {k: args.get(k) for k in args if k != "page" and args.get(k)}
    context = {
        "f": filters,
        **data,
        "parts": reads.highlight_parts,
        "page_url": lambda n: f"{PREFIX}/search?" + urlencode({**query, "page": n}),
    }
    return await _page(datasette, request, "docstore_search.html", context)


def _statement_filters(request: Any) -> reads.StatementFilters:
    args = request.args
    return reads.StatementFilters(
        subject_id=_int(args.get("subject_id"), "subject_id"),
        object_id=_int(args.get("object_id"), "object_id"),
        predicate=args.get("predicate", ""),
        plover=args.get("plover", ""),
        polarity=args.get("polarity", ""),
        since=args.get("since", ""),
        until=args.get("until", ""),
        page=_int(args.get("page"), "page") or 1,
    )


@_guarded
async def statements(datasette: Any, request: Any) -> Response:
    state = state_of(datasette)
    assert state is not None
    filters = _statement_filters(request)

    def load(conn: Connection) -> dict[str, Any]:
        rows, more = reads.statements_page(conn, filters)
        names = {
            key: reads.entity_name(conn, value)
            for key, value in (("subject", filters.subject_id), ("object", filters.object_id))
            if value is not None
        }
        return {"rows": rows, "more": more, "names": names, "choices": reads.choices(conn)}

    data = await _read(state, load)
    query = filters.as_params()
    context = {
        "f": filters,
        **data,
        "export_query": urlencode(query),
        "page_url": lambda n: f"{PREFIX}/statements?" + urlencode({**query, "page": n}),
    }
    return await _page(datasette, request, "docstore_statements.html", context)


@_guarded
async def statements_export(datasette: Any, request: Any) -> Response:
    """The statement explorer's current filter as CSV or JSON (every row, up to a limit)."""
    state = state_of(datasette)
    assert state is not None
    fmt = request.url_vars["format"]
    filters = _statement_filters(request)

    def load(conn: Connection) -> tuple[list[str], list[tuple[Any, ...]]]:
        sql, params = reads.statement_sql(filters)
        params["limit"] = EXPORT_LIMIT
        from sqlalchemy import text

        result = conn.execute(text(sql + " LIMIT :limit"), params)
        return list(result.keys()), [tuple(r) for r in result]

    columns, rows = await _read(state, load)
    if fmt == "json":
        body = json.dumps([dict(zip(columns, r, strict=True)) for r in rows], ensure_ascii=False)
        return Response(body, content_type="application/json; charset=utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return Response(
        out.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="statements.csv"'},
    )


def _curate_context(state: WebState, request: Any) -> dict[str, Any] | None:
    """What templates need for curation buttons; None when writes are off."""
    if state.curate is None:
        return None
    author = actor_name(request) if request is not None else None
    return {"author": author, "types": ENTITY_TYPES, "path": request.path if request else ""}


@_guarded
async def login(datasette: Any, request: Any) -> Response:
    """`/-/docstore/login?token=...`: asks for a name, then signs the actor cookie."""
    from docstore.curation.records import default_author

    state = state_of(datasette)
    assert state is not None
    if state.curate is None:
        raise reads.NotFound("curation is off: start the server with docstore serve --curate")
    token = request.args.get("token", "")
    if not state.curate.token_matches(token):
        return await _error(datasette, request, "wrong or missing login token", 403)
    name = request.args.get("name", "").strip()
    if not name:
        context = {"token": token, "suggested": default_author()}
        return await _page(datasette, request, "docstore_login.html", context)
    return login_response(datasette, name, PREFIX)


def _curating(view: Callable[..., Any]) -> Callable[..., Any]:
    """POST only, with --curate, from a logged-in actor (Datasette has checked the CSRF
    token of any POST that carries cookies)."""

    async def wrapper(datasette: Any, request: Any) -> Response:
        state = state_of(datasette)
        if state is None:
            raise NotFound("docstore pages are not enabled on this server")
        if request.method != "POST":
            return await _error(datasette, request, "curation takes a POST from its form", 405)
        if state.curate is None:
            return await _error(
                datasette, request, "writes are off: start docstore serve --curate", 403
            )
        allowed = await datasette.permission_allowed(request.actor, PERMISSION, default=False)
        if not allowed:
            return await _error(
                datasette,
                request,
                "log in first, with the link docstore serve --curate printed at start-up",
                403,
            )
        try:
            response: Response = await view(datasette, request, state)
            return response
        except DatabaseError as exc:
            return await _error(datasette, request, str(exc), 400)

    wrapper.__name__ = view.__name__
    return wrapper


def _back(form: dict[str, str], fallback: str) -> str:
    target = form.get("next", "")
    return target if target.startswith(PREFIX + "/") else fallback


@_curating
async def curate_entity(datasette: Any, request: Any, state: WebState) -> Response:
    assert state.curate is not None
    entity_id = int(request.url_vars["id"])
    form = dict(await request.post_vars())
    author = actor_name(request) or ""
    effect, said = await asyncio.to_thread(
        entity_verb, state.curate.store, entity_id, request.url_vars["action"], form, author
    )
    datasette.add_message(request, f"Judgement {effect.judgement_id} by {author}: {said}.")
    return Response.redirect(_back(form, entity_url(entity_id)))


@_curating
async def curate_statement(datasette: Any, request: Any, state: WebState) -> Response:
    assert state.curate is not None
    statement_id = int(request.url_vars["id"])
    form = dict(await request.post_vars())
    author = actor_name(request) or ""
    effect, said = await asyncio.to_thread(
        statement_verb, state.curate.store, statement_id, request.url_vars["action"], form, author
    )
    datasette.add_message(
        request, f"Judgement {effect.judgement_id} by {author}: statement {statement_id} {said}."
    )
    return Response.redirect(_back(form, f"{PREFIX}/statements"))


SQL_ROWS = 1000


@_guarded
async def sql_page(datasette: Any, request: Any) -> Response:
    """Read-only SQL through docstore's query layer (`docstore query`): on PostgreSQL, where
    Datasette's SQL box is not there, and on SQLite alike."""
    from docstore.query import QueryError

    state = state_of(datasette)
    assert state is not None
    sql = request.args.get("sql", "").strip()

    def load() -> dict[str, Any]:
        if not sql:
            return {"columns": [], "rows": [], "error": "", "truncated": False}
        try:
            with state.store.stream(sql, timeout=state.sql_timeout) as result:
                rows: list[tuple[Any, ...]] = []
                for row in result.rows:
                    if len(rows) == SQL_ROWS:
                        return {
                            "columns": result.columns,
                            "rows": rows,
                            "error": "",
                            "truncated": True,
                        }
                    rows.append(row)
                return {"columns": result.columns, "rows": rows, "error": "", "truncated": False}
        except QueryError as exc:
            return {"columns": [], "rows": [], "error": str(exc), "truncated": False}

    data = await asyncio.to_thread(load)
    status = 400 if data["error"] else 200
    context = {"sql": sql, "limit": SQL_ROWS, "timeout": state.sql_timeout, **data}
    return await _page(datasette, request, "docstore_sql.html", context, status)


# -- Datasette hooks ---------------------------------------------------------------------------


@hookimpl
def permission_allowed(
    datasette: Any, actor: dict[str, Any] | None, action: str, resource: Any
) -> bool | None:
    """Curation needs --curate and a logged-in actor. On PostgreSQL, Datasette's in-memory
    scratch database stays out of sight: its SQL box would query an empty SQLite database,
    not docstore's."""
    state = state_of(datasette)
    if action == PERMISSION:
        return bool(state and state.curate and actor and actor.get("id"))
    if state is None or state.database:
        return None
    name = resource[0] if isinstance(resource, tuple) else resource
    if name == "_memory" and action in ("view-database", "execute-sql", "view-table", "view-query"):
        return False
    return None


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    routes = [
        (rf"^{PREFIX}/?$", home),
        (rf"^{PREFIX}/entity$", entity_lookup),
        (rf"^{PREFIX}/entity/(?P<id>\d+)$", entity),
        (rf"^{PREFIX}/document/(?P<id>\d+)$", document),
        (rf"^{PREFIX}/search$", search),
        (rf"^{PREFIX}/statements$", statements),
        (rf"^{PREFIX}/statements\.(?P<format>csv|json)$", statements_export),
        (rf"^{PREFIX}/sql$", sql_page),
        (rf"^{PREFIX}/login$", login),
        (rf"^{PREFIX}/curate/entity/(?P<id>\d+)/(?P<action>merge|retype|reject)$", curate_entity),
        (rf"^{PREFIX}/curate/statement/(?P<id>\d+)/(?P<action>reject|verify)$", curate_statement),
    ]
    return routes


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    if state_of(datasette) is None:
        return []
    return [f"/{STATIC_MOUNT}/docstore.css"]


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    if state_of(datasette) is None:
        return []
    return [
        {"href": f"{PREFIX}", "label": "docstore: entities"},
        {"href": f"{PREFIX}/search", "label": "docstore: search"},
        {"href": f"{PREFIX}/statements", "label": "docstore: statements"},
        {"href": f"{PREFIX}/sql", "label": "docstore: SQL"},
    ]


@hookimpl
def render_cell(
    value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Markup | None:
    """Entity and document ids in Datasette's tables and views link to docstore's pages."""
    state = state_of(datasette)
    if state is None or database != state.database or not isinstance(value, int):
        return None
    if column in ENTITY_COLUMNS or (table == "entities" and column == "id"):
        return Markup('<a href="{}">{}</a>').format(entity_url(value), value)
    if column in DOCUMENT_COLUMNS or (table == "documents" and column == "id"):
        return Markup('<a href="{}">{}</a>').format(document_url(value), value)
    return None
