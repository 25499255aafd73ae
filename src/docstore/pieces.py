"""Extraction of articles too long for one spaCy call, in pieces cut between passages.

spaCy refuses texts over `nlp.max_length` (a million characters) and its memory grows
with the text, so a long article is extracted a group of passages at a time. Each piece
is a slice of the body with its passages shifted to start at 0; what comes back is
shifted back, so every offset still points into the whole body. Linking short names to
full ones works within a piece, not across pieces.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Protocol

from docstore.article import Passage
from docstore.extract.learned import LearnedNames
from docstore.extract.types import DocumentInput, EntityRecord, Extraction

# Longest text given to the pipeline in one call (but see `pieces`); well under spaCy's
# limit.
PIECE_CHARS = 200_000


class _Extracts(Protocol):
    def extract(
        self, doc: DocumentInput, lookup: None = None, learned: LearnedNames | None = None
    ) -> Extraction: ...


def extract_document(
    extractor: _Extracts,
    doc: DocumentInput,
    limit: int | None = None,
    learned: LearnedNames | None = None,
) -> Extraction:
    """`extractor.extract(doc)` with the `learned` names, in pieces when the body is longer
    than `limit`."""
    limit = limit or PIECE_CHARS
    if len(doc.body) <= limit:
        return extractor.extract(doc, learned=learned)
    whole = Extraction(entities={}, mentions=[], statements=[], sentences=[])
    for start, passages in pieces(doc, limit):
        end = passages[-1].char_end
        part = DocumentInput(
            doc.body[start:end],
            tuple(
                replace(p, char_start=p.char_start - start, char_end=p.char_end - start)
                for p in passages
            ),
            doc.published_at,
        )
        _add(whole, extractor.extract(part, learned=learned), start)
    return whole


def pieces(doc: DocumentInput, limit: int) -> Iterator[tuple[int, list[Passage]]]:
    """(start offset, passages) groups of at least two passages each (a lone line, a
    title say, can be a text the sentence splitter gives up on), spanning at most
    `limit` characters, the last at most 1.5 × `limit`. A passage longer than half the
    limit is cut at a space into parts that keep its seq."""
    groups: list[list[Passage]] = [[]]
    for passage in doc.passages:
        for part in _cut(passage, doc.body, (limit - 1) // 2):
            group = groups[-1]
            if group and part.char_end - group[0].char_start > limit:
                groups.append([])
            groups[-1].append(part)
    if len(groups) > 1 and len(groups[-1]) == 1:
        groups[-2].extend(groups.pop())
    for group in groups:
        if group:
            yield group[0].char_start, group


def _cut(passage: Passage, body: str, limit: int) -> Iterator[Passage]:
    start = passage.char_start
    while passage.char_end - start > limit:
        space = body.rfind(" ", start + limit // 2, start + limit)
        end = space + 1 if space > 0 else start + limit
        yield replace(passage, text=body[start:end], char_start=start, char_end=end)
        start = end
    yield replace(passage, text=body[start : passage.char_end], char_start=start)


def _add(whole: Extraction, part: Extraction, shift: int) -> None:
    whole.mentions.extend(
        replace(m, char_start=m.char_start + shift, char_end=m.char_end + shift)
        for m in part.mentions
    )
    whole.statements.extend(
        replace(s, char_start=s.char_start + shift, char_end=s.char_end + shift)
        for s in part.statements
    )
    whole.sentences.extend(
        replace(s, char_start=s.char_start + shift, char_end=s.char_end + shift)
        for s in part.sentences
    )
    for key, entity in part.entities.items():
        known = whole.entities.get(key)
        if known is None:
            whole.entities[key] = entity
        else:
            _merge_aliases(known, entity)


def _merge_aliases(known: EntityRecord, more: EntityRecord) -> None:
    for alias in more.aliases:
        if alias not in known.aliases:
            known.aliases.append(alias)
