"""Write one prepared document (and its entities, mentions, statements) in bulk.

Called inside the caller's transaction; a failure anywhere leaves nothing behind.
Entities are matched by their stable key, so the same real-world thing found in two
documents is one row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from docstore.article import LaidOut
from docstore.extract.normalize import normalize as normalize_name
from docstore.extract.normalize import slug
from docstore.extract.types import EntityRecord, Extraction
from docstore.models import (
    Document,
    Entity,
    EntityAlias,
    EntityDates,
    Mention,
    Passage,
    Statement,
)

# Statements built once: per-document writes then only look up SQLAlchemy's compiled cache
# instead of rebuilding expressions (a measurable share of the write time per document).
_INSERT_DOCUMENT = insert(Document).returning(Document.id)
_INSERT_PASSAGES = insert(Passage)
_INSERT_MENTIONS = insert(Mention)
_INSERT_STATEMENTS = insert(Statement)
_PASSAGE_IDS = select(Passage.seq, Passage.id).where(Passage.document_id == bindparam("doc_id"))
_ENTITIES_BY_KEY = select(
    Entity.id, Entity.key, Entity.country, Entity.wikidata_id, Entity.description
).where(Entity.key.in_(bindparam("keys", expanding=True)))
_ENTITY_IDS = select(Entity.id, Entity.key).where(Entity.key.in_(bindparam("keys", expanding=True)))
_ALIASES_OF = select(EntityAlias.entity_id, EntityAlias.alias).where(
    EntityAlias.entity_id.in_(bindparam("ids", expanding=True))
)


# First/last seen of a document's entities, widened to its date (entity_dates). Plain SQL:
# the upsert and the CASE are the same on SQLite and PostgreSQL.
_WIDEN_ENTITY_DATES = text("""
    INSERT INTO entity_dates (entity_id, first_seen, last_seen)
    SELECT DISTINCT m.entity_id, d.published_at, d.published_at
    FROM mentions m JOIN documents d ON d.id = m.document_id
    WHERE m.document_id = :doc_id AND d.published_at IS NOT NULL
    ON CONFLICT (entity_id) DO UPDATE SET
        first_seen = CASE WHEN excluded.first_seen < entity_dates.first_seen
                          THEN excluded.first_seen ELSE entity_dates.first_seen END,
        last_seen = CASE WHEN excluded.last_seen > entity_dates.last_seen
                         THEN excluded.last_seen ELSE entity_dates.last_seen END
""")
_DATES_FROM_MENTIONS = """
    INSERT INTO entity_dates (entity_id, first_seen, last_seen)
    SELECT m.entity_id, MIN(d.published_at), MAX(d.published_at)
    FROM mentions m JOIN documents d ON d.id = m.document_id
    WHERE {entities} d.published_at IS NOT NULL
    GROUP BY m.entity_id
"""
_RECOMPUTE_ENTITY_DATES = text(
    _DATES_FROM_MENTIONS.format(entities="m.entity_id IN :ids AND")
).bindparams(bindparam("ids", expanding=True))
_REBUILD_ENTITY_DATES = text(_DATES_FROM_MENTIONS.format(entities=""))
_ENTITIES_OF_DOCUMENT = (
    select(Mention.entity_id).where(Mention.document_id == bindparam("doc_id")).distinct()
)


_PERSON = (Entity.key, Entity.name, Entity.type, Entity.country, Entity.description)
PersonRow = tuple[str, str, str, str | None, str | None]


def stored_persons(conn: Connection, names: list[str]) -> dict[str, list[PersonRow]]:
    """Stored persons by normalized short name: first those known by exactly that name
    (an indexed lookup), then, for names still unmatched, those whose key ends with it as
    a surname ("whitcombe" finds person:jonathan-whitcombe; a scan of persons only)."""
    known: dict[str, list[PersonRow]] = {}
    exact = (
        select(EntityAlias.normalized, *_PERSON)
        .join(EntityAlias, EntityAlias.entity_id == Entity.id)
        .where(EntityAlias.normalized.in_(names), Entity.type == "person")
        .distinct()
    )
    for row in conn.execute(exact):
        known.setdefault(row[0], []).append(_person(row[1:]))
    suffixes = {f"-{slug(n)}": n for n in names if n not in known and slug(n)}
    if suffixes:
        by_surname = select(*_PERSON).where(
            Entity.type == "person",
            or_(*[Entity.key.like(f"person:%{_escape_like(x)}", escape="\\") for x in suffixes]),
        )
        for candidate in conn.execute(by_surname):
            for suffix, name in suffixes.items():
                if candidate.key.endswith(suffix):
                    known.setdefault(name, []).append(_person(tuple(candidate)))
    return known


def _person(values: tuple[Any, ...]) -> PersonRow:
    key, name, type_, country, description = values
    return (key, name, type_, country, description)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_INSERT_IGNORE: dict[str, dict[type, Insert]] = {
    dialect: {
        table: module.insert(table).on_conflict_do_nothing() for table in (Entity, EntityAlias)
    }
    for dialect, module in (("postgresql", postgresql), ("sqlite", sqlite))
}


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def insert_document(conn: Connection, laid: LaidOut, version: str) -> tuple[int, dict[int, int]]:
    """Insert the document row and its passages; return its id and passage ids by seq."""
    a = laid.article
    doc_id = conn.execute(
        _INSERT_DOCUMENT,
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
        _INSERT_PASSAGES,
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
    return {seq: pid for seq, pid in conn.execute(_PASSAGE_IDS, {"doc_id": doc_id})}


def write_extraction(
    conn: Connection,
    doc_id: int,
    passages: dict[int, int],
    extraction: Extraction,
    uid: str | None = None,
) -> None:
    """Store entities (by key), aliases, mentions and statements of one document.

    With the document's `uid`, analysts' judgements are applied first (after linking),
    so that every write, new or re-extracted, reflects them."""
    resolve_short_forms(conn, extraction)
    statuses = ["auto"] * len(extraction.statements)
    if uid is not None:
        from docstore.curation.actions import curate

        statuses = curate(conn, uid, extraction)
    ids = upsert_entities(conn, extraction.entities.values())
    if extraction.mentions:
        conn.execute(
            _INSERT_MENTIONS,
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
        widen_entity_dates(conn, doc_id)
    if extraction.statements:
        conn.execute(
            _INSERT_STATEMENTS,
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
                    "status": status,
                }
                for s, status in zip(extraction.statements, statuses, strict=True)
            ],
        )


def entities_of(conn: Connection, doc_id: int) -> set[int]:
    """Ids of the entities a stored document mentions."""
    return set(conn.execute(_ENTITIES_OF_DOCUMENT, {"doc_id": doc_id}).scalars())


def widen_entity_dates(conn: Connection, doc_id: int) -> None:
    """Count a stored document's date in the first/last seen of every entity it mentions."""
    conn.execute(_WIDEN_ENTITY_DATES, {"doc_id": doc_id})


def recompute_entity_dates(conn: Connection, entity_ids: Iterable[int]) -> None:
    """First/last seen of these entities from their mentions, for when some are gone."""
    ids = sorted(set(entity_ids))
    if not ids:
        return
    conn.execute(delete(EntityDates).where(EntityDates.entity_id.in_(ids)))
    conn.execute(_RECOMPUTE_ENTITY_DATES, {"ids": ids})


def rebuild_entity_dates(conn: Connection) -> int:
    """Recompute entity_dates for every entity; the number of entities with dates."""
    conn.execute(delete(EntityDates))
    conn.execute(_REBUILD_ENTITY_DATES)
    return int(conn.execute(select(func.count()).select_from(EntityDates)).scalar_one())


def clear_extraction(conn: Connection, doc_id: int) -> None:
    conn.execute(delete(Statement).where(Statement.document_id == doc_id))
    conn.execute(delete(Mention).where(Mention.document_id == doc_id))


def _insert_ignore(conn: Connection, table: type) -> Insert:
    return _INSERT_IGNORE["postgresql" if conn.dialect.name == "postgresql" else "sqlite"][table]


def upsert_entities(conn: Connection, records: Iterable[EntityRecord]) -> dict[str, int]:
    """Insert unknown keys, fill empty facts of known ones, add new aliases; ids by key."""
    records = list(records)
    if not records:
        return {}
    keys = [r.key for r in records]
    existing = {row.key: row for row in conn.execute(_ENTITIES_BY_KEY, {"keys": keys})}
    new = [r for r in records if r.key not in existing]
    if new:
        conn.execute(
            _insert_ignore(conn, Entity),
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
    ids = {key: row.id for key, row in existing.items()}
    if new:  # ids of the inserted rows (or of rows a concurrent writer inserted first)
        ids.update(
            (key, eid) for eid, key in conn.execute(_ENTITY_IDS, {"keys": [r.key for r in new]})
        )
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
    have = {
        (eid, alias)
        for eid, alias in conn.execute(_ALIASES_OF, {"ids": list({eid for eid, _ in wanted})})
    }
    rows = [
        {"entity_id": eid, "alias": alias, "normalized": normalize_name(alias), "source": source}
        for (eid, alias), source in wanted.items()
        if (eid, alias) not in have
    ]
    if rows:
        conn.execute(_insert_ignore(conn, EntityAlias), rows)


def _is_gazetteer(record: EntityRecord) -> bool:
    return any(source == "gazetteer" for _, source in record.aliases)


def resolve_short_forms(conn: Connection, extraction: Extraction) -> None:
    """Link a one-word person name with no full form in this document ("Carpenter") to
    the one stored person known by that name, so that later documents join earlier ones.

    Done at write time, in document order, so that the result does not depend on how
    many worker processes prepared the documents.
    """
    remap: dict[str, EntityRecord] = {}
    short = {
        key: normalize_name(record.name)
        for key, record in extraction.entities.items()
        if record.type == "person" and " " not in record.name.strip() and not _is_gazetteer(record)
    }
    if not short:
        return
    known = stored_persons(conn, sorted(set(short.values())))
    for key, normalized in short.items():
        record = extraction.entities[key]
        rows = list(dict.fromkeys(t for t in known.get(normalized, ()) if t[0] != key))
        if len(rows) == 1:
            t_key, t_name, t_type, t_country, t_description = rows[0]
            remap[key] = EntityRecord(
                key=t_key,
                name=t_name,
                type=t_type,
                country=t_country,
                description=t_description,
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
