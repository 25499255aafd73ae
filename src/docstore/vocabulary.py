"""Reference data kept in data files and copied into the database by migrations."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import Connection, text


@cache
def predicates() -> list[dict[str, Any]]:
    data = resources.files("docstore.extract").joinpath("data/predicates.yaml").read_text("utf-8")
    return list(yaml.safe_load(data)["predicates"])


def sync_predicates(conn: Connection) -> None:
    """Insert or update every predicate of the vocabulary file (never deletes: statements
    may refer to a predicate that a newer vocabulary dropped)."""
    existing = {row[0] for row in conn.execute(text("SELECT name FROM predicates"))}
    for p in predicates():
        params = {
            "name": p["name"],
            "description": p["description"],
            "cameo_code": p.get("cameo_code"),
            "plover_event": p.get("plover_event"),
        }
        if p["name"] in existing:
            conn.execute(
                text(
                    "UPDATE predicates SET description = :description, cameo_code = :cameo_code,"
                    " plover_event = :plover_event WHERE name = :name"
                ),
                params,
            )
        else:
            conn.execute(
                text(
                    "INSERT INTO predicates (name, description, cameo_code, plover_event)"
                    " VALUES (:name, :description, :cameo_code, :plover_event)"
                ),
                params,
            )
