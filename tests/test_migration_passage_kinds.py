"""Migration 0009: passages accept the kinds `table` and `standfirst` on a database that
already holds documents; the constraint still refuses unknown kinds; downgrade narrows it
again, turning rows of the new kinds into paragraphs."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from docstore import migrate
from docstore.db import make_engine, resolve_url

INSERT = text(
    "INSERT INTO passages (document_id, seq, kind, text, char_start, char_end) "
    "VALUES (1, :seq, :kind, 'x', 0, 1)"
)


def test_new_passage_kinds(db_url: str) -> None:
    engine = make_engine(resolve_url(db_url))
    try:
        migrate.upgrade(engine, "0004")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO documents (id, uid, source, title, language, body, ingested_at)"
                    " VALUES (1, 'u1', 'a.txt', 'T', 'en', 'T', '2026-01-01')"
                )
            )
            conn.execute(INSERT, {"seq": 0, "kind": "title"})
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(INSERT, {"seq": 1, "kind": "table"})

        migrate.upgrade(engine, "0009")
        with engine.begin() as conn:
            conn.execute(INSERT, {"seq": 1, "kind": "table"})
            conn.execute(INSERT, {"seq": 2, "kind": "standfirst"})
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(INSERT, {"seq": 3, "kind": "banner"})
        with engine.connect() as conn:
            kinds = conn.execute(text("SELECT kind FROM passages ORDER BY seq")).scalars().all()
        assert kinds == ["title", "table", "standfirst"]

        migrate.downgrade(engine, "0004")
        with engine.connect() as conn:
            kinds = conn.execute(text("SELECT kind FROM passages ORDER BY seq")).scalars().all()
        assert kinds == ["title", "paragraph", "paragraph"]
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(INSERT, {"seq": 3, "kind": "table"})
    finally:
        engine.dispose()
