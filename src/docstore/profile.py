"""Entities as people look them up: by name, key or any alias, with what surrounds them.

Reads the saved views (entity_overview, entity_documents, entity_cooccurrence), always
filtered by entity id so that the indexes answer.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from docstore.db import DatabaseError
from docstore.extract.normalize import normalize

OVERVIEW_COLUMNS = (
    "entity_id, key, name, type, country, wikidata_id, mentions, documents,"
    " statements_as_subject, statements_as_object, first_seen, last_seen, aliases"
)


class EntityNotFound(DatabaseError):
    """No entity answers to the name given."""


def list_entities(
    conn: Connection, *, type_: str | None = None, limit: int | None = 50
) -> list[dict[str, Any]]:
    """Entities by mention count, most mentioned first."""
    sql = f"SELECT {OVERVIEW_COLUMNS} FROM entity_overview"
    params: dict[str, Any] = {}
    if type_:
        sql += " WHERE type = :type"
        params["type"] = type_
    sql += " ORDER BY mentions DESC, documents DESC, name"
    if limit:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return [dict(row._mapping) for row in conn.execute(text(sql), params)]


def find_entities(conn: Connection, name: str) -> list[int]:
    """Ids of entities whose key, name or a normalized alias is `name`, most mentioned first."""
    rows = conn.execute(
        text(
            """
            SELECT e.id FROM entities e
            WHERE e.id IN (
                SELECT id FROM entities WHERE key = :name OR lower(name) = lower(:name)
                UNION
                SELECT entity_id FROM entity_aliases WHERE normalized = :normalized)
            ORDER BY (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id) DESC, e.id
            """
        ),
        {"name": name.strip(), "normalized": normalize(name)},
    )
    return [int(r[0]) for r in rows]


def resolve_entity(conn: Connection, name: str) -> tuple[int, list[int]]:
    """The best match for `name` and any other matches, or EntityNotFound."""
    ids = find_entities(conn, name)
    if not ids:
        raise EntityNotFound(
            f"no entity matches {name!r} (by name, key or alias); list them with: docstore entities"
        )
    return ids[0], ids[1:]


def entity_profile(conn: Connection, entity_id: int, *, limit: int = 10) -> dict[str, Any]:
    """One entity: overview counts, aliases, its documents and who is mentioned with it."""
    params = {"id": entity_id, "limit": limit}
    overview = conn.execute(
        text(f"SELECT {OVERVIEW_COLUMNS} FROM entity_overview WHERE entity_id = :id"), params
    ).one()
    profile: dict[str, Any] = dict(overview._mapping)
    profile.pop("aliases", None)
    profile["aliases"] = list(
        conn.execute(
            text("SELECT alias FROM entity_aliases WHERE entity_id = :id ORDER BY alias"), params
        ).scalars()
    )
    profile["top_documents"] = [
        dict(r._mapping)
        for r in conn.execute(
            text(
                "SELECT document_id, title, published_at, mentions FROM entity_documents"
                " WHERE entity_id = :id ORDER BY mentions DESC, published_at DESC, document_id"
                " LIMIT :limit"
            ),
            params,
        )
    ]
    profile["mentioned_with"] = [
        dict(r._mapping)
        for r in conn.execute(
            text(
                "SELECT other_entity_id AS entity_id, other_entity AS name, other_type AS type,"
                " passages, documents FROM entity_cooccurrence WHERE entity_id = :id"
                " ORDER BY passages DESC, documents DESC, other_entity LIMIT :limit"
            ),
            params,
        )
    ]
    return profile
