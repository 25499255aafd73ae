"""Write one prepared document (and its entities, mentions, statements) in bulk.

Called inside the caller's transaction; a failure anywhere leaves nothing behind.
Entities are matched by their stable key, so the same real-world thing found in two
documents is one row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timezone

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from docstore.article import LaidOut
from docstore.extract.normalize import normalize as normalize_name
from docstore.extract.types import EntityRecord, Extraction
from docstore.models import Document, Entity, EntityAlias, Mention, Passage, Statement


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def insert_document(conn: Connection, laid: LaidOut, version: str) -> tuple[int, dict[int, int]]:
    """Insert the document row and its passages; return its id and passage ids by seq."""
    a = laid.article
    doc_id = conn.execute(
        insert(Document).returning(Document.id),
        {
            "uid": laid.uid,
            "source": a.source,
            "url": a.url,
            "title": a.title,
            "published_at": a.published_at,
            "publisher": a.publisher,
            "author": a.author,
            "language": a.language,
            "body": laid.body,
            "ingested_at": now_iso(),
            "extractor_version": version,
        },
    ).scalar_one()
    conn.execute(
        insert(Passage),
        [
            {
                "document_id": doc_id,
                "seq": p.seq,
                "kind": p.kind,
                "text": p.text,
                "char_start": p.char_start,
                "char_end": p.char_end,
            }
            for p in laid.passages
        ],
    )
    return doc_id, passage_ids(conn, doc_id)


def passage_ids(conn: Connection, doc_id: int) -> dict[int, int]:
    rows = conn.execute(select(Passage.seq, Passage.id).where(Passage.document_id == doc_id))
    return {seq: pid for seq, pid in rows}


def write_extraction(
    conn: Connection, doc_id: int, passages: dict[int, int], extraction: Extraction
) -> None:
    """Store entities (by key), aliases, mentions and statements of one document."""
    resolve_short_forms(conn, extraction)
    ids = upsert_entities(conn, extraction.entities.values())
    if extraction.mentions:
        conn.execute(
            insert(Mention),
            [
                {
                    "entity_id": ids[m.entity_key],
                    "document_id": doc_id,
                    "passage_id": passages[m.passage_seq],
                    "char_start": m.char_start,
                    "char_end": m.char_end,
                    "text": m.text,
                    "label": m.label,
                    "method": m.method,
                    "confidence": m.confidence,
                }
                for m in extraction.mentions
            ],
        )
    if extraction.statements:
        conn.execute(
            insert(Statement),
            [
                {
                    "document_id": doc_id,
                    "passage_id": passages[s.passage_seq],
                    "subject_id": ids[s.subject_key],
                    "predicate": s.predicate,
                    "object_id": ids[s.object_key] if s.object_key else None,
                    "object_text": s.object_text,
                    "polarity": s.polarity,
                    "modality": s.modality,
                    "speaker_id": ids[s.speaker_key] if s.speaker_key else None,
                    "event_date": s.event_date,
                    "char_start": s.char_start,
                    "char_end": s.char_end,
                    "quote": s.quote,
                    "method": s.method,
                    "confidence": s.confidence,
                    "status": "auto",
                }
                for s in extraction.statements
            ],
        )


def clear_extraction(conn: Connection, doc_id: int) -> None:
    conn.execute(delete(Statement).where(Statement.document_id == doc_id))
    conn.execute(delete(Mention).where(Mention.document_id == doc_id))


def _insert_ignore(conn: Connection, table: type) -> object:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def upsert_entities(conn: Connection, records: Iterable[EntityRecord]) -> dict[str, int]:
    """Insert unknown keys, fill empty facts of known ones, add new aliases; ids by key."""
    records = list(records)
    if not records:
        return {}
    keys = [r.key for r in records]
    existing = {
        row.key: row
        for row in conn.execute(
            select(
                Entity.id, Entity.key, Entity.country, Entity.wikidata_id, Entity.description
            ).where(Entity.key.in_(keys))
        )
    }
    new = [r for r in records if r.key not in existing]
    if new:
        conn.execute(
            _insert_ignore(conn, Entity),  # type: ignore[arg-type]
            [
                {
                    "key": r.key,
                    "name": r.name,
                    "type": r.type,
                    "country": r.country,
                    "wikidata_id": r.wikidata_id,
                    "description": r.description,
                }
                for r in new
            ],
        )
    for r in records:
        row = existing.get(r.key)
        if row is None:
            continue
        fill = {
            col: getattr(r, col)
            for col in ("country", "wikidata_id", "description")
            if getattr(row, col) is None and getattr(r, col) is not None
        }
        if fill:
            conn.execute(update(Entity).where(Entity.id == row.id).values(**fill))
    ids = {
        key: eid
        for eid, key in conn.execute(select(Entity.id, Entity.key).where(Entity.key.in_(keys)))
    }
    _add_aliases(conn, records, ids)
    return ids


def _add_aliases(conn: Connection, records: list[EntityRecord], ids: dict[str, int]) -> None:
    wanted: dict[tuple[int, str], str] = {}
    for r in records:
        eid = ids[r.key]
        for alias, source in [(r.name, "gazetteer" if _is_gazetteer(r) else "document")] + list(
            r.aliases
        ):
            wanted.setdefault((eid, alias), source)
    have = set(
        conn.execute(
            select(EntityAlias.entity_id, EntityAlias.alias).where(
                EntityAlias.entity_id.in_({eid for eid, _ in wanted})
            )
        ).tuples()
    )
    rows = [
        {"entity_id": eid, "alias": alias, "normalized": normalize_name(alias), "source": source}
        for (eid, alias), source in wanted.items()
        if (eid, alias) not in have
    ]
    if rows:
        conn.execute(_insert_ignore(conn, EntityAlias), rows)  # type: ignore[arg-type]


def _is_gazetteer(record: EntityRecord) -> bool:
    return any(source == "gazetteer" for _, source in record.aliases)


def resolve_short_forms(conn: Connection, extraction: Extraction) -> None:
    """Link a one-word person name with no full form in this document ("Carpenter") to
    the one stored person known by that name, so that later documents join earlier ones.

    Done at write time, in document order, so that the result does not depend on how
    many worker processes prepared the documents.
    """
    remap: dict[str, EntityRecord] = {}
    for key, record in extraction.entities.items():
        if record.type != "person" or " " in record.name.strip() or _is_gazetteer(record):
            continue
        rows = conn.execute(
            select(Entity.key, Entity.name, Entity.type, Entity.country, Entity.description)
            .join(EntityAlias, EntityAlias.entity_id == Entity.id)
            .where(EntityAlias.normalized == normalize_name(record.name))
            .where(Entity.type == "person")
            .where(Entity.key != key)
            .distinct()
        ).all()
        if len(rows) == 1:
            target = rows[0]
            remap[key] = EntityRecord(
                key=target.key,
                name=target.name,
                type=target.type,
                country=target.country,
                description=target.description,
                aliases=[(record.name, "document")] + list(record.aliases),
            )
    if not remap:
        return
    for old, new in remap.items():
        del extraction.entities[old]
        extraction.entities.setdefault(new.key, new).aliases.extend(new.aliases)
    extraction.mentions = [
        m if m.entity_key not in remap else replace(m, entity_key=remap[m.entity_key].key)
        for m in extraction.mentions
    ]
    extraction.statements = [
        replace(
            s,
            subject_key=_mapped(s.subject_key, remap) or s.subject_key,
            object_key=_mapped(s.object_key, remap),
            speaker_key=_mapped(s.speaker_key, remap),
        )
        for s in extraction.statements
    ]


def _mapped(key: str | None, remap: dict[str, EntityRecord]) -> str | None:
    if key is None:
        return None
    return remap[key].key if key in remap else key
