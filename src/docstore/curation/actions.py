"""Judgements made and undone against a database: record, bring stored rows in line, undo.

Stored rows follow a judgement the same way new documents do: the documents it touches are
re-extracted, with the learned names of the judgements now active (docstore.curation.learned),
and the write path applies every active judgement (docstore.curation.apply).
Entity facts that no document carries (a judged name, type or Wikidata id) are set on the
entity row directly. Callers hold the writers' lock and the transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from docstore.curation.apply import DocumentText, apply_judgements, learned_names
from docstore.curation.records import (
    ENTITY_KINDS,
    STATEMENT_KINDS,
    JudgementData,
    get,
    insert_judgement,
    load,
    now_precise,
)
from docstore.db import DatabaseError
from docstore.extract.normalize import normalize
from docstore.extract.types import Extraction
from docstore.models import (
    Document,
    Entity,
    EntityAlias,
    Judgement,
    Mention,
    Statement,
)
from docstore.writer import entities_of, recompute_entity_dates

# Re-extract one stored document (by id) inside the caller's transaction.
Reextract = Callable[[Connection, int], None]

# Judged entity facts: (kind, entities column, argument holding the value).
_FACTS = (
    ("entity_rename", "name", "name"),
    ("entity_retype", "type", "type"),
    ("entity_link", "wikidata_id", "wikidata"),
)


class CurationError(DatabaseError):
    """A judgement that cannot be made: unknown target, ambiguous name, bad argument."""


# -- the write path ---------------------------------------------------------------------


def judgements_for(conn: Connection, uid: str) -> list[JudgementData]:
    """The active judgements that apply to the document with this uid, in order."""
    return load(conn, active_only=True, kinds=ENTITY_KINDS + STATEMENT_KINDS, document_uid=uid)


def curate(conn: Connection, uid: str, extraction: Extraction) -> list[str]:
    """Apply the active judgements to a document's extraction; its statements' statuses."""

    judgements = judgements_for(conn, uid)
    text = None
    if learned_names(judgements):
        text = _document_text(conn, uid)
    return apply_judgements(extraction, judgements, uid, text)


def _document_text(conn: Connection, uid: str) -> DocumentText | None:
    from docstore.models import Passage

    row = conn.execute(select(Document.id, Document.body).where(Document.uid == uid)).first()
    if row is None:
        return None
    passages = conn.execute(
        select(Passage.seq, Passage.char_start, Passage.char_end)
        .where(Passage.document_id == row.id)
        .order_by(Passage.seq)
    ).all()
    return DocumentText(row.body, tuple((p[0], p[1], p[2]) for p in passages))


def deleted_by(conn: Connection, uid: str) -> int | None:
    """The active judgement that deleted the document with this uid, if any."""
    return conn.execute(
        select(Judgement.id).where(
            Judgement.kind == "document_delete",
            Judgement.target == uid,
            Judgement.undone_at.is_(None),
        )
    ).scalar()


# -- naming targets ---------------------------------------------------------------------


def snapshot(conn: Connection, entity_id: int) -> dict[str, Any]:
    """What a judgement keeps of an entity: key, name, type, country, Wikidata id, aliases."""
    row = conn.execute(
        select(Entity.key, Entity.name, Entity.type, Entity.country, Entity.wikidata_id).where(
            Entity.id == entity_id
        )
    ).one()
    aliases = conn.execute(
        select(EntityAlias.alias)
        .where(EntityAlias.entity_id == entity_id)
        .order_by(EntityAlias.alias)
    ).scalars()
    return {**dict(row._mapping), "aliases": list(aliases)}


def resolve_entity(conn: Connection, ref: str) -> int:
    """An entity by key, id or unambiguous name (or alias); CurationError otherwise."""
    from docstore.profile import find_entities

    ref = ref.strip()
    if ref.isdigit():
        found = conn.execute(select(Entity.id).where(Entity.id == int(ref))).scalar()
        if found is not None:
            return int(found)
    exact = conn.execute(select(Entity.id).where(Entity.key == ref)).scalar()
    if exact is not None:
        return int(exact)
    ids = find_entities(conn, ref)
    if not ids:
        raise CurationError(f"no entity matches {ref!r} (by key, id, name or alias)")
    if len(ids) > 1:
        rows = conn.execute(
            select(Entity.id, Entity.key, Entity.name).where(Entity.id.in_(ids)).order_by(Entity.id)
        ).all()
        listed = "; ".join(f"{r.key} (id {r.id}, {r.name})" for r in rows)
        raise CurationError(f"{ref!r} is ambiguous: {listed}; name one by key or id")
    return ids[0]


def resolve_document(conn: Connection, ref: str) -> tuple[int, str, str]:
    """A document by id or uid: (id, uid, title)."""
    ref = ref.strip()
    query = select(Document.id, Document.uid, Document.title)
    row = conn.execute(query.where(Document.uid == ref)).first()
    if row is None and ref.isdigit():
        row = conn.execute(query.where(Document.id == int(ref))).first()
    if row is None:
        raise CurationError(f"no document with id or uid {ref!r}")
    return int(row.id), str(row.uid), str(row.title)


# -- making and undoing -----------------------------------------------------------------


@dataclass
class JudgementEffect:
    """What applying or undoing a judgement did to stored rows."""

    judgement_id: int
    documents: int = 0


def judge(conn: Connection, j: JudgementData, reextract: Reextract) -> JudgementEffect:
    """Record a judgement and bring the stored rows in line with it."""
    insert_judgement(conn, j)
    assert j.id is not None
    return JudgementEffect(j.id, _apply(conn, j, reextract))


def undo(conn: Connection, judgement_id: int, author: str, reextract: Reextract) -> JudgementEffect:
    """Stamp a judgement undone and restore what it changed, as if it had not been made."""

    j = get(conn, judgement_id)
    if j is None:
        raise CurationError(f"no judgement with id {judgement_id}")
    if not j.active:
        raise CurationError(f"judgement {judgement_id} was already undone at {j.undone_at}")
    j.undone_at, j.undone_by = now_precise(), author
    conn.execute(
        update(Judgement)
        .where(Judgement.id == judgement_id)
        .values(undone_at=j.undone_at, undone_by=author)
    )
    return JudgementEffect(judgement_id, _revert(conn, j, reextract))


def _apply(conn: Connection, j: JudgementData, reextract: Reextract) -> int:
    if j.kind == "document_delete":
        _delete_document(conn, j.target)
        return 1
    if j.kind == "entity_link":
        sync_facts(conn, j.target)
        return 0
    if j.kind in ("entity_rename", "entity_retype"):
        # the stored entity is as judged before its documents are extracted again, so
        # that linking them to stored entities sees the judged type
        sync_facts(conn, j.target)
    if j.kind == "entity_rename":
        _add_alias(conn, j.target, j.arguments["name"])
    if j.kind in STATEMENT_KINDS:
        return _update_statements(conn, j)
    if j.kind == "alias_add":
        _add_alias(conn, j.target, j.arguments["alias"])
    if j.kind in ("alias_remove", "entity_split"):
        _drop_alias(conn, j.target, j.arguments["alias"])
    docs = _affected(conn, j)
    _reextract_all(conn, docs, reextract)
    if j.kind == "entity_merge":
        for other in j.arguments["others"]:
            _drop_entity(conn, other["key"], into=j.target)
    elif j.kind == "entity_reject":
        _drop_entity(conn, j.target, into=None)
    for key in j.entity_keys():
        sync_facts(conn, key)
    return len(docs)


def _revert(conn: Connection, j: JudgementData, reextract: Reextract) -> int:
    if j.kind == "document_delete":
        return _restore_document(conn, j, reextract)
    if j.kind == "entity_link":
        sync_facts(conn, j.target)
        return 0
    if j.kind == "entity_merge":
        # Names that came with the merged entities go; re-extraction brings back the
        # ones the documents give the kept entity itself.
        gone = {normalize(n) for o in j.arguments["others"] for n in [o["name"], *o["aliases"]]}
        for alias in gone:
            _drop_alias(conn, j.target, alias, manual_too=False)
    if j.kind in ("entity_rename", "entity_retype"):
        sync_facts(conn, j.target)
    if j.kind == "entity_rename":
        _drop_alias(conn, j.target, j.arguments["name"])
    if j.kind == "alias_add" and not _alias_still_judged(conn, j):
        _drop_alias(conn, j.target, j.arguments["alias"])
    docs = _affected(conn, j)
    _reextract_all(conn, docs, reextract)
    if j.kind == "entity_split":
        _drop_entity(conn, j.arguments["new"]["key"], into=j.target)
    for key in j.entity_keys():
        sync_facts(conn, key)
        _restore_manual_aliases(conn, key)
    return len(docs)


def _reextract_all(conn: Connection, docs: list[int], reextract: Reextract) -> None:
    """Re-extract documents; entities they mentioned that nothing refers to any more (all
    their mentions went to another entity) are removed, as if never extracted."""
    before: set[int] = set()
    for doc_id in docs:
        before |= entities_of(conn, doc_id)
    for doc_id in docs:
        reextract(conn, doc_id)
    for entity_id in sorted(before):
        if not _referenced(conn, entity_id):
            conn.execute(delete(Entity).where(Entity.id == entity_id))


def _referenced(conn: Connection, entity_id: int) -> bool:
    mention = select(Mention.id).where(Mention.entity_id == entity_id).limit(1)
    statement = (
        select(Statement.id)
        .where(
            or_(
                Statement.subject_id == entity_id,
                Statement.object_id == entity_id,
                Statement.speaker_id == entity_id,
            )
        )
        .limit(1)
    )
    return conn.execute(mention).first() is not None or conn.execute(statement).first() is not None


def _update_statements(conn: Connection, j: JudgementData) -> int:
    """Statement judgements change the matching rows in place (their ids stay); the write
    path does the same to every later extraction of the document."""
    doc_id = conn.execute(select(Document.id).where(Document.uid == j.document_uid)).scalar()
    if doc_id is None:
        return 0
    values: dict[str, Any] = {}
    if j.kind == "statement_reject":
        values["status"] = "rejected"
    elif j.kind == "statement_verify":
        values["status"] = "verified"
    else:
        args = j.arguments
        values.update({k: args[k] for k in ("predicate", "polarity") if args.get(k)})
        if isinstance(args.get("object"), dict):
            object_id = _entity_id(conn, args["object"]["key"])
            if object_id is None:
                raise CurationError(f"no entity {args['object']['key']} to be the object")
            values.update(object_id=object_id, object_text=None)
    conn.execute(
        update(Statement)
        .where(
            Statement.document_id == doc_id,
            Statement.char_start == j.char_start,
            Statement.char_end == j.char_end,
            Statement.predicate == j.predicate,
        )
        .values(**values)
    )
    return 0


def _affected(conn: Connection, j: JudgementData) -> list[int]:
    """Documents whose extraction a judgement may change: those that mention or state
    something about its entities, and those whose text contains one of its names."""
    if j.kind in STATEMENT_KINDS:
        row = conn.execute(select(Document.id).where(Document.uid == j.document_uid)).scalar()
        return [int(row)] if row is not None else []
    keys = sorted(j.entity_keys())
    ids = list(conn.execute(select(Entity.id).where(Entity.key.in_(keys))).scalars())
    docs: set[int] = set()
    if ids:
        docs.update(
            conn.execute(select(Mention.document_id).where(Mention.entity_id.in_(ids))).scalars()
        )
        docs.update(
            conn.execute(
                select(Statement.document_id).where(
                    or_(
                        Statement.subject_id.in_(ids),
                        Statement.object_id.in_(ids),
                        Statement.speaker_id.in_(ids),
                    )
                )
            ).scalars()
        )
    names = sorted({n.lower() for n in j.names()})
    if names:
        body = func.lower(Document.body)
        docs.update(
            conn.execute(
                select(Document.id).where(or_(*[body.contains(n, autoescape=True) for n in names]))
            ).scalars()
        )
    return sorted(docs)


def sync_facts(conn: Connection, key: str) -> None:
    """Set an entity's judged name, type and Wikidata id: the newest active judgement's
    value, else the value before the first such judgement (all of them undone)."""
    judged = load(conn, kinds=tuple(k for k, _, _ in _FACTS), target=key)
    for kind, column, argument in _FACTS:
        of_kind = [j for j in judged if j.kind == kind]
        if not of_kind:
            continue
        active = [j for j in of_kind if j.active]
        value = active[-1].arguments[argument] if active else of_kind[0].arguments.get("before")
        if value is None and column != "wikidata_id":
            continue
        conn.execute(update(Entity).where(Entity.key == key).values({column: value}))


def _entity_id(conn: Connection, key: str) -> int | None:
    found = conn.execute(select(Entity.id).where(Entity.key == key)).scalar()
    return int(found) if found is not None else None


def _add_alias(conn: Connection, key: str, alias: str) -> None:
    entity_id = _entity_id(conn, key)
    if entity_id is None:
        return
    exists = conn.execute(
        select(EntityAlias.id).where(EntityAlias.entity_id == entity_id, EntityAlias.alias == alias)
    ).scalar()
    if exists is None:
        conn.execute(
            insert(EntityAlias),
            {
                "entity_id": entity_id,
                "alias": alias,
                "normalized": normalize(alias),
                "source": "manual",
            },
        )


def _drop_alias(conn: Connection, key: str, alias: str, *, manual_too: bool = True) -> None:
    entity_id = _entity_id(conn, key)
    if entity_id is None:
        return
    condition = [EntityAlias.entity_id == entity_id, EntityAlias.normalized == normalize(alias)]
    if not manual_too:
        condition.append(EntityAlias.source != "manual")
    conn.execute(delete(EntityAlias).where(*condition))


def _alias_still_judged(conn: Connection, j: JudgementData) -> bool:
    wanted = normalize(j.arguments["alias"])
    return any(
        o.target == j.target and normalize(o.arguments["alias"]) == wanted
        for o in load(conn, active_only=True, kinds=("alias_add",))
    )


def _restore_manual_aliases(conn: Connection, key: str) -> None:
    for j in load(conn, active_only=True, kinds=("alias_add", "entity_rename"), target=key):
        if j.target == key:
            _add_alias(conn, key, j.arguments["alias" if j.kind == "alias_add" else "name"])


def _drop_entity(conn: Connection, key: str, *, into: str | None) -> None:
    """Remove an entity row that judgements say should not exist (merged away, rejected,
    split back), moving whatever still refers to it to `into` (or dropping it)."""
    entity_id = _entity_id(conn, key)
    if entity_id is None:
        return
    target = _entity_id(conn, into) if into is not None else None
    if target is not None:
        for column in (Statement.subject_id, Statement.object_id, Statement.speaker_id):
            conn.execute(update(Statement).where(column == entity_id).values({column.key: target}))
        conn.execute(update(Mention).where(Mention.entity_id == entity_id).values(entity_id=target))
        recompute_entity_dates(conn, [target])
    else:
        conn.execute(
            delete(Statement).where(
                or_(Statement.subject_id == entity_id, Statement.object_id == entity_id)
            )
        )
        conn.execute(
            update(Statement).where(Statement.speaker_id == entity_id).values(speaker_id=None)
        )
        conn.execute(delete(Mention).where(Mention.entity_id == entity_id))
    conn.execute(delete(Entity).where(Entity.id == entity_id))


def stored_document(conn: Connection, doc_id: int) -> dict[str, Any]:
    """A document row and its passages as a judgement keeps them, to restore on undo."""
    from docstore.models import Passage

    columns = [c for c in Document.__table__.columns if c.name != "id"]
    row = conn.execute(select(*columns).where(Document.id == doc_id)).one()
    passages = conn.execute(
        select(Passage.seq, Passage.kind, Passage.text, Passage.char_start, Passage.char_end)
        .where(Passage.document_id == doc_id)
        .order_by(Passage.seq)
    ).all()
    return {
        "document": dict(row._mapping),
        "passages": [dict(p._mapping) for p in passages],
    }


def _restore_document(conn: Connection, j: JudgementData, reextract: Reextract) -> int:
    """Store a deleted document again from what its judgement kept, and extract it."""
    from docstore.models import Passage

    kept = j.arguments.get("document")
    if not isinstance(kept, dict) or deleted_by(conn, j.target) is not None:
        return 0
    if conn.execute(select(Document.id).where(Document.uid == j.target)).first() is not None:
        return 0  # ingested again in the meantime
    known = {c.name for c in Document.__table__.columns}
    doc_id = conn.execute(
        insert(Document).returning(Document.id),
        {k: v for k, v in kept.items() if k in known},
    ).scalar_one()
    passages = [{**p, "document_id": doc_id} for p in j.arguments.get("passages", [])]
    if passages:
        conn.execute(insert(Passage), passages)
    reextract(conn, doc_id)
    return 1


def _delete_document(conn: Connection, uid: str) -> None:
    doc_id = conn.execute(select(Document.id).where(Document.uid == uid)).scalar()
    if doc_id is None:
        return
    mentioned = entities_of(conn, doc_id)
    conn.execute(delete(Statement).where(Statement.document_id == doc_id))
    conn.execute(delete(Mention).where(Mention.document_id == doc_id))
    from docstore.models import Passage

    conn.execute(delete(Passage).where(Passage.document_id == doc_id))
    conn.execute(delete(Document).where(Document.id == doc_id))
    recompute_entity_dates(conn, mentioned)
