"""Metadata a stored document lacks, taken from a richer copy of the same article.

The same article often arrives twice: first as plain text (no URL, no publisher), then
as its web page. The second copy is not stored, but what it knows that the stored one
does not (`url`, `publisher`, `author`, `published_at`) is filled in; content, passages
and id never change, and a value already stored is never overwritten.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from docstore.article import Article
from docstore.models import Document
from docstore.writer import widen_entity_dates

ENRICHED_FIELDS = ("url", "publisher", "author", "published_at")


def missing_metadata(conn: Connection, doc_id: int, article: Article) -> dict[str, str]:
    """The fields `article` has and the stored document lacks."""
    if not any(getattr(article, name) for name in ENRICHED_FIELDS):
        return {}
    stored = conn.execute(
        select(*(getattr(Document, name) for name in ENRICHED_FIELDS)).where(Document.id == doc_id)
    ).one()
    return {
        name: value
        for name, have in zip(ENRICHED_FIELDS, stored, strict=True)
        if not have and (value := getattr(article, name))
    }


def enrich(conn: Connection, doc_id: int, article: Article) -> list[str]:
    """Fill in what the stored document lacks; the names of the fields filled in."""
    values = missing_metadata(conn, doc_id, article)
    if values:
        conn.execute(update(Document).where(Document.id == doc_id).values(**values))
        if "published_at" in values:  # its entities are now seen on that date too
            widen_entity_dates(conn, doc_id)
    return list(values)


def can_enrich(article: Article) -> bool:
    return any(getattr(article, name) for name in ENRICHED_FIELDS)


def filled_note(fields: list[str]) -> str:
    return f"; added {', '.join(fields)} to it" if fields else ""
