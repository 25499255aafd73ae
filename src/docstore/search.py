"""Ranked full-text search over passages, with highlighted snippets.

SQLite: the FTS5 table `passages_fts` (bm25, snippet); PostgreSQL: the stored tsvector
column `passages.text_search` and its GIN index (ts_rank, ts_headline). Whatever people type is
searched as literal words: every word must occur, a double-quoted part is a phrase, and
nothing is read as query syntax, so text like `a AND (` or `NATO's` cannot fail.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, text

from docstore.db import DatabaseError

FTS_TABLE = "passages_fts"
# PostgreSQL (revisions 0003, 0007): `to_tsvector('docstore_english', text)`, stored, with
# a GIN index; the configuration is english with accents removed (unaccent) where it can be.
PG_CONFIG = "docstore_english"
PG_COLUMN = "text_search"
PG_INDEX = "ix_passages_text_search"
OPEN, CLOSE = "[", "]"
_PARTS = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w")


class SearchError(DatabaseError):
    """A search that cannot run (nothing to search for, no index)."""


@dataclass
class Hit:
    passage_id: int
    document_id: int
    title: str
    published_at: str | None
    seq: int
    kind: str
    snippet: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def phrases(query: str) -> list[str]:
    """The phrases to find: quoted parts whole, other words one by one, no empty ones."""
    found = []
    for quoted, word in _PARTS.findall(query):
        part = (quoted or word).strip()
        if _WORD.search(part):
            found.append(part)
    return found


def fts5_query(query: str) -> str:
    """An FTS5 MATCH expression that treats every phrase literally (implicit AND)."""
    return " ".join('"' + p.replace('"', '""') + '"' for p in phrases(query))


def search(
    conn: Connection,
    query: str,
    *,
    entity_ids: Sequence[int] | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Best passages first; with `entity_ids`, only passages of documents mentioning them."""
    parts = phrases(query)
    if not parts:
        raise SearchError(f"nothing to search for in {query!r}: give at least one word")
    params: dict[str, Any] = {"limit": limit}
    entity_filter = ""
    if entity_ids:
        names = [f"e{i}" for i in range(len(entity_ids))]
        params.update(zip(names, entity_ids, strict=True))
        entity_filter = (
            "AND p.document_id IN (SELECT m.document_id FROM mentions m WHERE m.entity_id IN ("
            + ", ".join(f":{n}" for n in names)
            + "))"
        )
    if conn.dialect.name == "postgresql":
        sql = _postgres_sql(parts, params, entity_filter)
    else:
        params["match"] = fts5_query(query)
        sql = _sqlite_sql(entity_filter)
    rows = conn.execute(text(sql), params).all()
    return [Hit(*row) for row in rows]


def _sqlite_sql(entity_filter: str) -> str:
    return f"""
        SELECT p.id, p.document_id, d.title, d.published_at, p.seq, p.kind,
               snippet({FTS_TABLE}, 0, '{OPEN}', '{CLOSE}', '…', 24) AS snippet,
               -bm25({FTS_TABLE}) AS score
        FROM {FTS_TABLE}
        JOIN passages p ON p.id = {FTS_TABLE}.rowid
        JOIN documents d ON d.id = p.document_id
        WHERE {FTS_TABLE} MATCH :match {entity_filter}
        ORDER BY bm25({FTS_TABLE}), p.id
        LIMIT :limit
    """


def _postgres_sql(parts: list[str], params: dict[str, Any], entity_filter: str) -> str:
    terms = []
    for i, part in enumerate(parts):
        params[f"q{i}"] = part
        terms.append(f"phraseto_tsquery('{PG_CONFIG}', :q{i})")
    # Matching and ranking both read the stored vector: no passage text is parsed again,
    # except the few returned ones, for their headlines (evaluated after the LIMIT).
    vector = f"p.{PG_COLUMN}"
    options = f"StartSel={OPEN}, StopSel={CLOSE}, MaxFragments=2, MaxWords=30, MinWords=12"
    return f"""
        SELECT p.id, p.document_id, d.title, d.published_at, p.seq, p.kind,
               ts_headline('{PG_CONFIG}', p.text, q.query, '{options}') AS snippet,
               ts_rank({vector}, q.query) AS score
        FROM passages p
        JOIN documents d ON d.id = p.document_id
        CROSS JOIN (SELECT {" && ".join(terms)} AS query) q
        WHERE {vector} @@ q.query {entity_filter}
        ORDER BY score DESC, p.id
        LIMIT :limit
    """


def rebuild(conn: Connection) -> str:
    """Rebuild the full-text index from the passages; says what was done."""
    if conn.dialect.name == "postgresql":
        # The generated column follows every change by itself; recomputing it only matters
        # if the text search configuration changed (e.g. after a PostgreSQL upgrade).
        count = conn.execute(text("UPDATE passages SET text = text")).rowcount
        conn.execute(text(f"REINDEX INDEX {PG_INDEX}"))
        return (
            f"recomputed passages.{PG_COLUMN} for {count} passage(s) and reindexed {PG_INDEX}"
            " (PostgreSQL keeps both up to date by itself)"
        )
    conn.execute(text(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')"))
    conn.execute(text(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')"))
    count = conn.execute(text("SELECT COUNT(*) FROM passages")).scalar_one()
    return f"rebuilt {FTS_TABLE} from {count} passage(s)"
