"""A small, fully known database for exact expectations on views, search and entities.

Three documents, five entities, mentions at exact offsets and four statements, inserted
directly (no extraction), so that every count in the views can be worked out by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, insert

from docstore.models import Document, Entity, EntityAlias, Mention, Passage, Statement
from docstore.writer import recompute_entity_dates

ENTITIES = {
    "belarus": ("country:by", "Belarus", "country", "BY"),
    "carpenter": ("person:michael-carpenter", "Michael Carpenter", "person", "US"),
    "lukashenko": ("person:alexander-lukashenko", "Alexander Lukashenko", "person", "BY"),
    "minsk": ("place:minsk", "Minsk", "place", "BY"),
    "putin": ("person:vladimir-putin", "Vladimir Putin", "person", "RU"),
}
ALIASES = {
    "belarus": ["Belarus", "Belarusian"],
    "lukashenko": ["Alexander Lukashenko", "Lukashenka", "Lukashenko"],
    "carpenter": ["Carpenter", "Michael Carpenter"],
}
# (title, published_at, passages); each mention is (entity, surface text, label) and is
# found in its passage by text.
DOCUMENTS = [
    (
        "Carpenter visits Minsk",
        "2016-04-07T20:47:00",
        [
            ("title", "Carpenter visits Minsk", [("carpenter", "Carpenter", "PERSON")]),
            (
                "paragraph",
                'Michael Carpenter visited Belarus, "met" Lukashenka, and saw military attachés.',
                [
                    ("carpenter", "Michael Carpenter", "PERSON"),
                    ("belarus", "Belarus", "GPE"),
                    ("lukashenko", "Lukashenka", "PERSON"),
                ],
            ),
            (
                "paragraph",
                "Belarusian officials spoke in Minsk.",
                [
                    ("belarus", "Belarusian", "NORP"),
                    ("minsk", "Minsk", "GPE"),
                ],
            ),
        ],
    ),
    (
        "Lukashenko meets Putin",
        "2016-05-01",
        [
            (
                "title",
                "Lukashenko meets Putin",
                [
                    ("lukashenko", "Lukashenko", "PERSON"),
                    ("putin", "Putin", "PERSON"),
                ],
            ),
            (
                "paragraph",
                "Lukashenko met Vladimir Putin; Belarus and Russia talked.",
                [
                    ("lukashenko", "Lukashenko", "PERSON"),
                    ("putin", "Vladimir Putin", "PERSON"),
                    ("belarus", "Belarus", "GPE"),
                ],
            ),
        ],
    ),
    (
        "Undated note",
        None,
        [
            (
                "paragraph",
                "Belarus again, =1+1, with a comma.",
                [
                    ("belarus", "Belarus", "GPE"),
                ],
            )
        ],
    ),
]


@dataclass
class Known:
    entity: dict[str, int] = field(default_factory=dict)
    documents: list[int] = field(default_factory=list)
    passages: list[list[int]] = field(default_factory=list)


def populate(engine: Engine) -> Known:
    known = Known()
    with engine.begin() as conn:
        for slug, (key, name, type_, country) in ENTITIES.items():
            known.entity[slug] = conn.execute(
                insert(Entity).returning(Entity.id),
                {"key": key, "name": name, "type": type_, "country": country},
            ).scalar_one()
        for slug, aliases in ALIASES.items():
            for alias in aliases:
                conn.execute(
                    insert(EntityAlias),
                    {
                        "entity_id": known.entity[slug],
                        "alias": alias,
                        "normalized": alias.casefold(),
                        "source": "gazetteer",
                    },
                )
        for n, (title, date, passages) in enumerate(DOCUMENTS):
            body = "\n".join(text for _, text, _ in passages)
            doc_id = conn.execute(
                insert(Document).returning(Document.id),
                {
                    "uid": f"known-{n}",
                    "source": f"known/{n}.txt",
                    "title": title,
                    "published_at": date,
                    "body": body,
                    "ingested_at": "2026-01-01T00:00:00Z",
                },
            ).scalar_one()
            known.documents.append(doc_id)
            ids, start = [], 0
            for seq, (kind, text, mentions) in enumerate(passages):
                pid = conn.execute(
                    insert(Passage).returning(Passage.id),
                    {
                        "document_id": doc_id,
                        "seq": seq,
                        "kind": kind,
                        "text": text,
                        "char_start": start,
                        "char_end": start + len(text),
                    },
                ).scalar_one()
                ids.append(pid)
                for slug, surface, label in mentions:
                    at = start + text.index(surface)
                    conn.execute(
                        insert(Mention),
                        {
                            "entity_id": known.entity[slug],
                            "document_id": doc_id,
                            "passage_id": pid,
                            "char_start": at,
                            "char_end": at + len(surface),
                            "text": surface,
                            "label": label,
                            "method": "test",
                            "confidence": 1.0,
                        },
                    )
                start += len(text) + 1
            known.passages.append(ids)
        # Rows written here bypass docstore's writer, which keeps entity_dates in step.
        recompute_entity_dates(conn, known.entity.values())
        e, d, p = known.entity, known.documents, known.passages
        statements = [
            (d[0], p[0][1], e["carpenter"], "visit", e["belarus"], None, "2016-04-06", "auto"),
            (d[1], p[1][1], e["lukashenko"], "meet", e["putin"], None, None, "auto"),
            (d[1], p[1][1], e["lukashenko"], "say", None, "talks went well", None, "verified"),
            (d[0], p[0][1], e["carpenter"], "meet", e["minsk"], None, None, "rejected"),
        ]
        for doc, pid, subj, pred, obj, obj_text, date, status in statements:
            conn.execute(
                insert(Statement),
                {
                    "document_id": doc,
                    "passage_id": pid,
                    "subject_id": subj,
                    "predicate": pred,
                    "object_id": obj,
                    "object_text": obj_text,
                    "polarity": "positive",
                    "modality": "asserted",
                    "event_date": date,
                    "char_start": 0,
                    "char_end": 5,
                    "quote": "quote",
                    "method": "test",
                    "confidence": 0.9,
                    "status": status,
                },
            )
    return known
