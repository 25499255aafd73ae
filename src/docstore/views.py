"""The saved views as people discover them: questions from `view_catalog`, columns, examples."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, inspect, text

from docstore.db import DatabaseError

# Queries that show how each view is meant to be used: filtered by id where the view is
# keyed by an entity or document, so that the indexes answer them.
EXAMPLES = {
    "entity_overview": (
        "SELECT entity_id, name, type, mentions, documents, first_seen, last_seen\n"
        "FROM entity_overview ORDER BY mentions DESC LIMIT 20"
    ),
    "document_overview": (
        "SELECT document_id, title, published_at, passages, entities, statements\n"
        "FROM document_overview ORDER BY published_at DESC LIMIT 20"
    ),
    "entity_documents": (
        "SELECT title, published_at, mentions FROM entity_documents\n"
        "WHERE entity_id = :id ORDER BY mentions DESC, published_at"
    ),
    "entity_cooccurrence": (
        "SELECT other_entity, other_type, passages, documents FROM entity_cooccurrence\n"
        "WHERE entity_id = :id ORDER BY passages DESC LIMIT 20"
    ),
    "statement_facts": (
        "SELECT date, subject, predicate, object, polarity, modality, quote\n"
        "FROM statement_facts WHERE subject_id = :id OR object_id = :id ORDER BY date"
    ),
    "interactions": (
        "SELECT date, subject, predicate, object, document_title\n"
        "FROM interactions WHERE subject_id = :id OR object_id = :id ORDER BY date"
    ),
    "entity_mentions_in_context": (
        "SELECT document_title, context_before, text, context_after\n"
        "FROM entity_mentions_in_context WHERE entity_id = :id ORDER BY published_at, char_start"
    ),
    "entity_timeline": (
        "SELECT date, mentions, documents FROM entity_timeline\nWHERE entity_id = :id ORDER BY date"
    ),
}


@dataclass
class ViewInfo:
    name: str
    question: str
    description: str
    columns: list[str]
    example: str


def catalog(conn: Connection) -> list[tuple[str, str, str]]:
    """(name, question, description) of every saved view, as the database describes them."""
    rows = conn.execute(
        text("SELECT name, question, description FROM view_catalog ORDER BY name")
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def describe_view(conn: Connection, name: str) -> ViewInfo:
    entries = {row[0]: row for row in catalog(conn)}
    if name not in entries:
        raise DatabaseError(f"no saved view {name!r}; views: {', '.join(sorted(entries))}")
    _, question, description = entries[name]
    columns = [c["name"] for c in inspect(conn).get_columns(name)]
    example = EXAMPLES.get(name, f"SELECT * FROM {name} LIMIT 20")
    return ViewInfo(name, question, description, columns, example)
