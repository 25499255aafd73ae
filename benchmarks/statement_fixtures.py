"""Build an `Analysis` from a plain alias table, without the entity pipeline.

Statement rules are tested and benchmarked on their own: given entities with their
name forms, this finds mentions by exact (word-bounded) match and splits sentences by
punctuation, so rule quality is measured apart from entity recognition quality.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from docstore.article import Passage, layout
from docstore.extract.types import Analysis, DocumentInput, EntityRecord, MentionRecord, Sentence

_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"]?\s+(?=[A-Z“\"‘'])")
_ABBREV = re.compile(r"(?:\b(?:Dr|Mr|Mrs|Ms|St|Jr|Prof|Gen|No)|\b[A-Z])\.$")


def split_sentences(passage: Passage) -> list[Sentence]:
    """Sentences of a passage by end punctuation, not after "Dr." or an initial."""
    out: list[Sentence] = []
    text = passage.text
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREV.search(text[: m.start()]):
            continue
        end = m.start() + len(m.group().rstrip()) if m.group()[:1] in '”"' else m.start()
        if text[start:end].strip():
            out.append(Sentence(passage.char_start + start, passage.char_start + end, passage.seq))
        start = m.end()
    if text[start:].strip():
        out.append(Sentence(passage.char_start + start, passage.char_end, passage.seq))
    return out


def _entities(table: list[dict[str, Any]]) -> dict[str, EntityRecord]:
    return {
        e["key"]: EntityRecord(
            key=e["key"],
            name=e["name"],
            type=e["type"],
            country=e.get("country"),
            description=e.get("description"),
            aliases=[(a, "gazetteer") for a in e.get("aliases", [])],
        )
        for e in table
    }


def build_analysis(
    body: str,
    passages: tuple[Passage, ...],
    published_at: str | None,
    table: list[dict[str, Any]],
) -> Analysis:
    """Mentions of every alias (longest first, no overlaps) and regex sentences."""
    entities = _entities(table)
    forms: list[tuple[str, str, str]] = []
    for e in table:
        label = e.get("label", "PERSON")
        for alias in [e["name"], *e.get("aliases", [])]:
            forms.append((alias, e["key"], label))
        for alias in e.get("norp", []):
            forms.append((alias, e["key"], "NORP"))
    forms.sort(key=lambda f: len(f[0]), reverse=True)
    taken = [False] * len(body)
    found: list[tuple[int, int, str, str]] = []
    for alias, key, label in forms:
        for m in re.finditer(rf"(?<!\w){re.escape(alias)}(?!\w)", body):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            found.append((m.start(), m.end(), key, label))
    found.sort()
    seq_of = [(p.char_start, p.char_end, p.seq) for p in passages]
    mentions = []
    for start, end, key, label in found:
        seq = next(s for a, b, s in seq_of if a <= start < b + 1)
        mentions.append(MentionRecord(key, seq, start, end, body[start:end], label, "fixture", 1.0))
    sentences = [s for p in passages for s in split_sentences(p)]
    doc = DocumentInput(body=body, passages=passages, published_at=published_at)
    return Analysis(doc=doc, sentences=sentences, mentions=mentions, entities=entities)


def analysis_for_file(path: Path, table: list[dict[str, Any]]) -> Analysis:
    """Read a seed-layout text file and build its fixture analysis."""
    from docstore.readers.text import parse_text

    laid = layout(parse_text(path.read_text("utf-8"), str(path)))
    return build_analysis(laid.body, laid.passages, laid.article.published_at, table)


def load_table(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text("utf-8"))
    assert isinstance(data, list)
    return data
