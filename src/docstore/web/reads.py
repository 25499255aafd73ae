"""What docstore's web pages show, read through SQLAlchemy so that they work on SQLite and
PostgreSQL alike. Every query is filtered by an id or bounded by a LIMIT, so that a page of
the most mentioned entity in a large database still answers from the indexes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, text

from docstore.db import DatabaseError
from docstore.search import CLOSE, OPEN, PG_CONFIG, fts5_query, phrases

# Rows per list on the entity page and per page of search results and statements.
LIST_LIMIT = 20
PAGE_SIZE = 20
MAX_OFFSET = 10_000
# Co-mentions are counted over the entity's latest documents only, so that the page of an
# entity mentioned in tens of thousands of documents stays fast.
COMENTION_DOCUMENTS = 1_000
COMENTION_LIMIT = 12
# Timelines spanning less than this many days are drawn per ISO week, longer ones per month.
WEEKLY_SPAN_DAYS = 183


class NotFound(DatabaseError):
    """No row with the id asked for."""


def _rows(conn: Connection, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(text(sql), params)]


# -- entity page ------------------------------------------------------------------------------


@dataclass
class Period:
    label: str  # 2016-03 (month) or 2016-W10 (ISO week) or "undated"
    mentions: int
    documents: int


@dataclass
class EntityPage:
    entity: dict[str, Any]
    aliases: list[str]
    timeline: list[Period]
    timeline_unit: str  # month | week
    mentioned_with: list[dict[str, Any]]
    comention_documents: int  # how many of its documents the co-mentions were counted over
    statements: list[dict[str, Any]]  # the latest LIST_LIMIT; counts are in `entity`
    documents: list[dict[str, Any]]  # the latest LIST_LIMIT


ENTITY_SQL = """
    SELECT e.id AS entity_id, e.key, e.name, e.type, e.country, e.wikidata_id,
           (SELECT COUNT(*) FROM statements s
             WHERE s.subject_id = e.id AND s.status <> 'rejected') AS statements_as_subject,
           (SELECT COUNT(*) FROM statements s
             WHERE s.object_id = e.id AND s.status <> 'rejected') AS statements_as_object
    FROM entities e WHERE e.id = :id
"""


def entity_page(conn: Connection, entity_id: int) -> EntityPage:
    """Everything the entity page shows. The entity's mentions are read once, counted per
    document with each document's date; counts, first and last seen, the timeline and the
    latest documents all come from those rows (the same figures as entity_overview)."""
    params: dict[str, Any] = {"id": entity_id}
    found = _rows(conn, ENTITY_SQL, params)
    if not found:
        raise NotFound(f"no entity with id {entity_id}")
    entity = found[0]
    aliases = list(
        conn.execute(
            text("SELECT DISTINCT alias FROM entity_aliases WHERE entity_id = :id ORDER BY alias"),
            params,
        ).scalars()
    )
    days = [
        (day, int(mentions), int(documents), first, last)
        for day, mentions, documents, first, last in conn.execute(
            text(
                "SELECT substr(d.published_at, 1, 10), SUM(c.n), COUNT(*), MIN(d.published_at),"
                f" MAX(d.published_at) FROM ({_PER_DOCUMENT}) c"
                f" JOIN {_dated(conn)} ON d.id = c.document_id"
                " GROUP BY substr(d.published_at, 1, 10)"
            ),
            params,
        )
    ]
    dated = sorted((d for d in days if _day(d[0])), key=lambda d: d[0])
    entity["mentions"] = sum(d[1] for d in days)
    entity["documents"] = sum(d[2] for d in days)
    entity["first_seen"] = min((d[3] for d in dated), default=None)
    entity["last_seen"] = max((d[4] for d in dated), default=None)
    unit, timeline = _timeline(days, entity["first_seen"], entity["last_seen"])
    mentioned_with, counted = _comentions(conn, entity_id)
    return EntityPage(
        entity=entity,
        aliases=aliases,
        timeline=timeline,
        timeline_unit=unit,
        mentioned_with=mentioned_with,
        comention_documents=counted,
        statements=entity_statements(conn, entity_id),
        documents=_latest_documents(conn, entity_id, dated),
    )


_LATEST_SQL = """
    SELECT d.id AS document_id, d.title, d.published_at, d.publisher,
           (SELECT COUNT(*) FROM mentions m
             WHERE m.entity_id = :id AND m.document_id = d.id) AS mentions
    FROM {documents}
    WHERE {where} EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id = :id AND m.document_id = d.id)
    ORDER BY d.published_at DESC, d.id DESC
    LIMIT :limit
"""


def _latest_documents(
    conn: Connection, entity_id: int, dated: list[tuple[str, int, int, str, str]]
) -> list[dict[str, Any]]:
    """Its latest documents: read from the date index from the day on which the latest
    LIST_LIMIT of them begin, so that only those few documents are looked at."""
    params: dict[str, Any] = {"id": entity_id, "limit": LIST_LIMIT}
    seen, cutoff = 0, None
    for day, _, count, _, _ in reversed(dated):
        seen += count
        if seen >= LIST_LIMIT:
            cutoff = day
            break
    if cutoff is None:  # few documents (or undated ones among the latest): read them all
        return _rows(conn, _LATEST_SQL.format(documents="documents d", where=""), params)
    params["cutoff"] = cutoff
    documents = "documents d"
    if conn.dialect.name == "sqlite":
        documents += " INDEXED BY ix_documents_published_at"
    sql = _LATEST_SQL.format(documents=documents, where="d.published_at >= :cutoff AND")
    return _rows(conn, sql, params)


def _day(value: str | None) -> bool:
    return bool(value) and len(value or "") == 10 and _span_days(value, value) is not None


def _timeline(
    days: list[tuple[str, int, int, str, str]], first: str | None, last: str | None
) -> tuple[str, list[Period]]:
    """Mentions and documents per month, or per ISO week when the entity's dates span less
    than half a year. Undated documents are counted in one "undated" period at the end."""
    span = _span_days(first, last)
    weekly = span is not None and span < WEEKLY_SPAN_DAYS
    buckets: dict[str, list[int]] = {}
    undated = [0, 0]
    for day, mentions, documents, _, _ in days:
        label = (_week(day) if weekly else day[:7]) if _day(day) else ""
        if not label:
            undated[0] += mentions
            undated[1] += documents
            continue
        bucket = buckets.setdefault(label, [0, 0])
        bucket[0] += mentions
        bucket[1] += documents
    filled = _fill(sorted(buckets), weekly)
    timeline = [Period(p, *buckets.get(p, [0, 0])) for p in filled]
    if undated[0]:
        timeline.append(Period("undated", undated[0], undated[1]))
    return ("week" if weekly else "month"), timeline


_PER_DOCUMENT = (
    "SELECT document_id, COUNT(*) AS n FROM mentions WHERE entity_id = :id GROUP BY document_id"
)


def _dated(conn: Connection) -> str:
    """documents, read through the (id, published_at) index on SQLite (whose planner would
    otherwise fetch each whole row, body included, for its date)."""
    if conn.dialect.name == "sqlite":
        return "documents d INDEXED BY ix_documents_id_published_at"
    return "documents d"


def _span_days(first: str | None, last: str | None) -> int | None:
    try:
        a = date.fromisoformat((first or "")[:10])
        b = date.fromisoformat((last or "")[:10])
    except ValueError:
        return None
    return (b - a).days


def _week(day: str) -> str:
    try:
        year, week, _ = date.fromisoformat(day[:10]).isocalendar()
    except ValueError:
        return ""
    return f"{year}-W{week:02d}"


def _fill(labels: list[str], weekly: bool) -> list[str]:
    """Every period from the first to the last, so that quiet periods show as gaps."""
    if len(labels) < 2:
        return labels
    out: list[str] = []
    if weekly:
        start = date.fromisocalendar(int(labels[0][:4]), int(labels[0][6:]), 1)
        end = date.fromisocalendar(int(labels[-1][:4]), int(labels[-1][6:]), 1)
        while start <= end and len(out) < 1000:
            year, week, _ = start.isocalendar()
            out.append(f"{year}-W{week:02d}")
            start += timedelta(days=7)
        return out
    try:
        year, month = int(labels[0][:4]), int(labels[0][5:7])
        end_year, end_month = int(labels[-1][:4]), int(labels[-1][5:7])
    except ValueError:
        return labels
    while (year, month) <= (end_year, end_month) and len(out) < 1200:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _comentions(conn: Connection, entity_id: int) -> tuple[list[dict[str, Any]], int]:
    """Entities mentioned in the same passages, over the entity's latest documents."""
    params = {"id": entity_id, "docs": COMENTION_DOCUMENTS, "limit": COMENTION_LIMIT}
    counted = conn.execute(
        text(
            "SELECT COUNT(*) FROM (SELECT DISTINCT document_id FROM mentions"
            " WHERE entity_id = :id LIMIT :docs) x"
        ),
        params,
    ).scalar_one()
    rows = _rows(
        conn,
        """
        SELECT c.entity_id, e.name, e.type, c.passages, c.documents
        FROM (SELECT b.entity_id, COUNT(DISTINCT a.passage_id) AS passages,
                     COUNT(DISTINCT a.document_id) AS documents
              FROM mentions a
              JOIN mentions b ON b.passage_id = a.passage_id AND b.entity_id <> a.entity_id
              WHERE a.entity_id = :id AND a.document_id IN (
                  SELECT DISTINCT document_id FROM mentions WHERE entity_id = :id
                  ORDER BY document_id DESC LIMIT :docs)
              GROUP BY b.entity_id) c
        JOIN entities e ON e.id = c.entity_id
        ORDER BY c.passages DESC, c.documents DESC, e.name
        LIMIT :limit
        """,
        params,
    )
    return rows, int(counted)


STATEMENT_COLUMNS = (
    "statement_id, subject_id, subject, predicate, object_id, object, polarity, modality,"
    " speaker_id, speaker, date, document_id, document_title, quote, char_start, char_end,"
    " status"
)


def entity_statements(
    conn: Connection, entity_id: int, limit: int = LIST_LIMIT
) -> list[dict[str, Any]]:
    """Its latest statements (by when they were stored) as subject, object or speaker."""
    rows = _rows(
        conn,
        f"SELECT {STATEMENT_COLUMNS} FROM statement_facts WHERE statement_id IN"
        " (SELECT id FROM statements WHERE subject_id = :id AND status <> 'rejected' UNION"
        "  SELECT id FROM statements WHERE object_id = :id AND status <> 'rejected' UNION"
        "  SELECT id FROM statements WHERE speaker_id = :id AND status <> 'rejected'"
        "  ORDER BY 1 DESC LIMIT :limit)"
        " ORDER BY date DESC, statement_id DESC",
        {"id": entity_id, "limit": limit},
    )
    return rows


# -- document page ----------------------------------------------------------------------------


@dataclass
class Span:
    """A stretch of a passage's text, with the mentions and statements that cover it."""

    text: str
    mention: dict[str, Any] | None = None
    statements: list[int] = field(default_factory=list)


@dataclass
class PassageView:
    id: int
    seq: int
    kind: str
    spans: list[Span]


@dataclass
class DocumentPage:
    document: dict[str, Any]
    passages: list[PassageView]
    entities: list[dict[str, Any]]
    statements: list[dict[str, Any]]


def document_page(conn: Connection, document_id: int) -> DocumentPage:
    params = {"id": document_id}
    found = _rows(
        conn,
        "SELECT id, uid, title, published_at, publisher, author, source, url, language,"
        " ingested_at, extractor_version FROM documents WHERE id = :id",
        params,
    )
    if not found:
        raise NotFound(f"no document with id {document_id}")
    passages = _rows(
        conn,
        "SELECT id, seq, kind, text, char_start, char_end FROM passages"
        " WHERE document_id = :id ORDER BY seq",
        params,
    )
    mentions = _rows(
        conn,
        "SELECT m.id, m.entity_id, m.passage_id, m.char_start, m.char_end, m.label,"
        " e.name AS entity, e.type AS entity_type FROM mentions m"
        " JOIN entities e ON e.id = m.entity_id WHERE m.document_id = :id"
        " ORDER BY m.char_start, m.char_end DESC",
        params,
    )
    statements = _rows(
        conn,
        f"SELECT {STATEMENT_COLUMNS}, passage_id FROM statement_facts"
        " WHERE document_id = :id ORDER BY char_start, statement_id",
        params,
    )
    entities = _rows(
        conn,
        "SELECT m.entity_id, e.name, e.type, COUNT(*) AS mentions FROM mentions m"
        " JOIN entities e ON e.id = m.entity_id WHERE m.document_id = :id"
        " GROUP BY m.entity_id, e.name, e.type ORDER BY COUNT(*) DESC, e.name",
        params,
    )
    views = [
        PassageView(p["id"], p["seq"], p["kind"], _spans(p, mentions, statements)) for p in passages
    ]
    return DocumentPage(found[0], views, entities, statements)


def _spans(
    passage: dict[str, Any], mentions: list[dict[str, Any]], statements: list[dict[str, Any]]
) -> list[Span]:
    """The passage's text cut at every mention and statement boundary. Overlapping mentions
    keep the first (longest at a start); statements mark every span inside their evidence."""
    start, end, body = passage["char_start"], passage["char_end"], passage["text"]
    own = [m for m in mentions if m["passage_id"] == passage["id"]]
    kept: list[dict[str, Any]] = []
    for m in own:
        inside = m["char_start"] >= start and m["char_end"] <= end
        if inside and (not kept or m["char_start"] >= kept[-1]["char_end"]):
            kept.append(m)
    evidence = [
        (max(s["char_start"], start), min(s["char_end"], end), s["statement_id"])
        for s in statements
        if s["char_start"] is not None and s["char_start"] < end and s["char_end"] > start
    ]
    cuts = {start, end}
    for m in kept:
        cuts.update((m["char_start"], m["char_end"]))
    for a, b, _ in evidence:
        cuts.update((a, b))
    points = sorted(c for c in cuts if start <= c <= end)
    spans = []
    mention_at = {m["char_start"]: m for m in kept}
    current: dict[str, Any] | None = None
    for a, b in zip(points, points[1:], strict=False):
        if a in mention_at:
            current = mention_at[a]
        if current is not None and a >= current["char_end"]:
            current = None
        covering = [sid for sa, sb, sid in evidence if sa <= a and b <= sb]
        spans.append(Span(body[a - start : b - start], current, covering))
    return spans


# -- search -----------------------------------------------------------------------------------


@dataclass
class SearchFilters:
    q: str = ""
    entity_id: int | None = None
    type: str = ""
    since: str = ""
    until: str = ""
    predicate: str = ""
    page: int = 1


@dataclass
class SearchPage:
    hits: list[dict[str, Any]]
    page: int
    more: bool


def search_page(conn: Connection, f: SearchFilters) -> SearchPage:
    """One page of ranked passages matching every word of `f.q` and every filter given."""
    if not phrases(f.q):
        raise DatabaseError(f"nothing to search for in {f.q!r}: give at least one word")
    offset = min((max(f.page, 1) - 1) * PAGE_SIZE, MAX_OFFSET)
    params: dict[str, Any] = {"limit": PAGE_SIZE + 1, "offset": offset}
    where = []
    if f.entity_id is not None:
        params["entity"] = f.entity_id
        where.append(
            "p.document_id IN (SELECT document_id FROM mentions WHERE entity_id = :entity)"
        )
    if f.type:
        params["type"] = f.type
        where.append(
            "EXISTS (SELECT 1 FROM mentions mt JOIN entities et ON et.id = mt.entity_id"
            " WHERE mt.passage_id = passage_id_ AND et.type = :type)"
        )
    if f.since:
        params["since"] = f.since
        where.append("d.published_at >= :since")
    if f.until:
        params["until"] = f.until + "\uffff" if conn.dialect.name == "sqlite" else f.until
        where.append(
            "d.published_at <= :until"
            if conn.dialect.name == "sqlite"
            else "substr(d.published_at, 1, length(:until)) <= :until"
        )
    if f.predicate:
        params["predicate"] = f.predicate
        where.append(
            "p.document_id IN (SELECT document_id FROM statements WHERE predicate = :predicate"
            " AND status <> 'rejected')"
        )
    extra = "".join(f" AND {w}" for w in where)
    needs_passage = f.entity_id is not None or f.since or f.until or f.predicate
    if conn.dialect.name == "postgresql":
        extra = extra.replace("passage_id_", "p.id")
        terms = []
        for i, part in enumerate(phrases(f.q)):
            params[f"q{i}"] = part
            terms.append(f"phraseto_tsquery('{PG_CONFIG}', :q{i})")
        options = f"StartSel={OPEN}, StopSel={CLOSE}, MaxFragments=2, MaxWords=30, MinWords=12"
        sql = f"""
            SELECT p.id AS passage_id, p.document_id, d.title, d.published_at, p.seq, p.kind,
                   ts_headline('{PG_CONFIG}', p.text, q.query, '{options}') AS snippet
            FROM passages p JOIN documents d ON d.id = p.document_id
            CROSS JOIN (SELECT {" && ".join(terms)} AS query) q
            WHERE p.text_search @@ q.query {extra}
            ORDER BY ts_rank(p.text_search, q.query) DESC, p.id
            LIMIT :limit OFFSET :offset
        """
    else:
        params["match"] = fts5_query(f.q)
        # Rank first, then cut snippets for the page's rows only (SQLite would otherwise
        # compute one for every match before sorting). LIMIT and OFFSET are written as
        # numbers: with them bound, the planner cannot tell that `ranked` is small and
        # joins it the other way round.
        joins = ""  # passages and documents joined for the filters only: not per match
        extra = extra.replace("passage_id_", "passages_fts.rowid")
        if needs_passage:
            joins = "JOIN passages p ON p.id = passages_fts.rowid"
        if f.since or f.until:
            joins += " JOIN documents d ON d.id = p.document_id"
        sql = f"""
            WITH ranked AS (
                SELECT passages_fts.rowid AS id, bm25(passages_fts) AS rank
                FROM passages_fts {joins}
                WHERE passages_fts MATCH :match {extra}
                ORDER BY rank, passages_fts.rowid
                LIMIT {int(params["limit"])} OFFSET {int(params["offset"])})
            SELECT p.id AS passage_id, p.document_id, d.title, d.published_at, p.seq, p.kind,
                   snippet(passages_fts, 0, '{OPEN}', '{CLOSE}', '…', 24) AS snippet
            FROM ranked JOIN passages_fts ON passages_fts.rowid = ranked.id
            JOIN passages p ON p.id = ranked.id
            JOIN documents d ON d.id = p.document_id
            WHERE passages_fts MATCH :match
            ORDER BY ranked.rank, ranked.id
        """
    hits = _rows(conn, sql, params)
    return SearchPage(hits[:PAGE_SIZE], max(f.page, 1), len(hits) > PAGE_SIZE)


def highlight_parts(snippet: str) -> list[tuple[str, bool]]:
    """A snippet's text in pieces, each marked as a match or not (for escaping in templates)."""
    parts: list[tuple[str, bool]] = []
    rest = snippet
    while OPEN in rest:
        before, _, after = rest.partition(OPEN)
        match, sep, rest = after.partition(CLOSE)
        if before:
            parts.append((before, False))
        parts.append((match, True))
        if not sep:
            rest = ""
    if rest:
        parts.append((rest, False))
    return parts


# -- statements ---------------------------------------------------------------------------------


@dataclass
class StatementFilters:
    subject_id: int | None = None
    object_id: int | None = None
    predicate: str = ""
    plover: str = ""
    polarity: str = ""
    since: str = ""
    until: str = ""
    page: int = 1

    def as_params(self) -> dict[str, str]:
        """The filters given, as query-string parameters (for links and exports)."""
        out = {}
        for name in ("subject_id", "object_id", "predicate", "plover", "polarity", "since"):
            value = getattr(self, name)
            if value not in (None, ""):
                out[name] = str(value)
        if self.until:
            out["until"] = self.until
        return out


def statement_sql(f: StatementFilters) -> tuple[str, dict[str, Any]]:
    """The statement_facts query for these filters (no paging), and its parameters."""
    where, params = [], {}
    for name in ("subject_id", "object_id", "predicate", "polarity"):
        value = getattr(f, name)
        if value not in (None, ""):
            where.append(f"{name} = :{name}")
            params[name] = value
    if f.plover:
        where.append("predicate IN (SELECT name FROM predicates WHERE plover_event = :plover)")
        params["plover"] = f.plover
    if f.since:
        where.append("date >= :since")
        params["since"] = f.since
    if f.until:
        where.append("substr(date, 1, :until_len) <= :until")
        params["until"] = f.until
        params["until_len"] = len(f.until)
    sql = f"SELECT {STATEMENT_COLUMNS} FROM statement_facts"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + " ORDER BY date DESC, statement_id DESC", params


def statements_page(conn: Connection, f: StatementFilters) -> tuple[list[dict[str, Any]], bool]:
    sql, params = statement_sql(f)
    params["limit"] = PAGE_SIZE + 1
    params["offset"] = min((max(f.page, 1) - 1) * PAGE_SIZE, MAX_OFFSET)
    rows = _rows(conn, sql + " LIMIT :limit OFFSET :offset", params)
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def choices(conn: Connection) -> dict[str, list[str]]:
    """Values for the filter menus: entity types, predicates and PLOVER categories in use."""
    return {
        "types": list(
            conn.execute(text("SELECT DISTINCT type FROM entities ORDER BY type")).scalars()
        ),
        "predicates": list(
            conn.execute(text("SELECT name FROM predicates ORDER BY name")).scalars()
        ),
        "plover": list(
            conn.execute(
                text(
                    "SELECT DISTINCT plover_event FROM predicates WHERE plover_event IS NOT NULL"
                    " AND plover_event <> '' ORDER BY plover_event"
                )
            ).scalars()
        ),
    }


def entity_name(conn: Connection, entity_id: int) -> str | None:
    return conn.execute(
        text("SELECT name FROM entities WHERE id = :id"), {"id": entity_id}
    ).scalar_one_or_none()


def top_entities(conn: Connection, limit: int = 30) -> list[dict[str, Any]]:
    """The most mentioned entities, for the start page."""
    return _rows(
        conn,
        "SELECT e.id AS entity_id, e.name, e.type, c.mentions FROM"
        " (SELECT entity_id, COUNT(*) AS mentions FROM mentions GROUP BY entity_id"
        "  ORDER BY COUNT(*) DESC LIMIT :limit) c JOIN entities e ON e.id = c.entity_id"
        " ORDER BY c.mentions DESC, e.name",
        {"limit": limit},
    )
