"""The saved views as people discover them: questions from `view_catalog`, columns, examples.

Each view's SQL, catalog entry and example query live in one file under `views/sql/`
(see `docstore.views.definitions`); migrations create the views from those files.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, inspect, text

from docstore.db import DatabaseError
from docstore.views.definitions import SQL_DIR, parse


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
    example = _example(name) or f"SELECT * FROM {name} LIMIT 20"
    return ViewInfo(name, question, description, columns, example)


def _example(name: str) -> str | None:
    """The example query of a view docstore ships (None for views it does not know)."""
    path = SQL_DIR / f"{name}.sql"
    return parse(path, name).example if path.is_file() else None
