"""Extraction results as JSON-ready dicts and as a readable text report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docstore.article import LaidOut
from docstore.extract.types import Extraction


def extraction_dict(laid: LaidOut, extraction: Extraction) -> dict[str, Any]:
    a = laid.article
    entities = extraction.entities
    return {
        "document": {
            "uid": laid.uid,
            "source": a.source,
            "title": a.title,
            "published_at": a.published_at,
            "url": a.url,
            "author": a.author,
            "publisher": a.publisher,
            "language": a.language,
        },
        "passages": [p.__dict__ for p in laid.passages],
        "mentions": [
            {
                "passage_seq": m.passage_seq,
                "char_start": m.char_start,
                "char_end": m.char_end,
                "text": m.text,
                "label": m.label,
                "method": m.method,
                "confidence": m.confidence,
                "key": m.entity_key,
                "name": entities[m.entity_key].name,
                "type": entities[m.entity_key].type,
            }
            for m in extraction.mentions
        ],
        "entities": [
            {
                "key": e.key,
                "name": e.name,
                "type": e.type,
                "country": e.country,
                "wikidata_id": e.wikidata_id,
                "description": e.description,
                "aliases": sorted({alias for alias, _ in e.aliases}),
            }
            for e in entities.values()
        ],
        "statements": [
            {
                "passage_seq": s.passage_seq,
                "subject": s.subject_key,
                "predicate": s.predicate,
                "object": s.object_key,
                "object_text": s.object_text,
                "polarity": s.polarity,
                "modality": s.modality,
                "speaker": s.speaker_key,
                "event_date": s.event_date,
                "char_start": s.char_start,
                "char_end": s.char_end,
                "quote": s.quote,
                "method": s.method,
                "confidence": s.confidence,
            }
            for s in extraction.statements
        ],
    }


def render_extraction(laid: LaidOut, extraction: Extraction) -> str:
    a = laid.article
    lines = [
        f"{a.title}",
        f"  source: {a.source}   published: {a.published_at or '-'}",
        f"  {len(laid.passages)} passages, {len(extraction.mentions)} mentions, "
        f"{len(extraction.entities)} entities, {len(extraction.statements)} statements",
        "",
        "Mentions",
    ]
    rows: list[tuple[str, ...]] = [
        (f"{m.char_start}-{m.char_end}", m.label, m.text, m.entity_key) for m in extraction.mentions
    ]
    lines += _table(("span", "label", "text", "entity"), rows)
    if extraction.statements:
        lines += ["", "Statements"]
        rows = [
            (
                s.subject_key,
                s.predicate + ("" if s.polarity == "positive" else " (not)"),
                s.object_key or s.object_text or "",
                s.modality,
                s.speaker_key or "",
            )
            for s in extraction.statements
        ]
        lines += _table(("subject", "predicate", "object", "modality", "speaker"), rows)
    return "\n".join(lines) + "\n"


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [min(max([len(h)] + [len(r[i]) for r in rows]), 48) for i, h in enumerate(header)]

    def fmt(cells: tuple[str, ...]) -> str:
        return "  ".join(c[:48].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [fmt(header), fmt(tuple("-" * w for w in widths))] + [fmt(r) for r in rows]
