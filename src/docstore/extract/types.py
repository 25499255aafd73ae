"""Plain data produced by extraction and consumed by the store.

Entities are referred to by their stable `key` (``country:by``, ``person:michael-carpenter``)
so that extraction needs no database and the store can link across documents by key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docstore.article import Passage


@dataclass
class EntityRecord:
    key: str
    name: str
    type: str
    country: str | None = None
    wikidata_id: str | None = None
    description: str | None = None
    # (alias, source) pairs: every name form known or seen for this entity
    aliases: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Sentence:
    char_start: int
    char_end: int
    passage_seq: int


@dataclass(frozen=True)
class MentionRecord:
    entity_key: str
    passage_seq: int
    char_start: int
    char_end: int
    text: str
    label: str
    method: str
    confidence: float


@dataclass(frozen=True)
class StatementRecord:
    passage_seq: int
    subject_key: str
    predicate: str
    char_start: int
    char_end: int
    quote: str
    method: str
    confidence: float
    object_key: str | None = None
    object_text: str | None = None
    polarity: str = "positive"
    modality: str = "asserted"
    speaker_key: str | None = None
    event_date: str | None = None


@dataclass(frozen=True)
class DocumentInput:
    """What extraction needs of a document: its text, passages and date."""

    body: str
    passages: tuple[Passage, ...]
    published_at: str | None = None


@dataclass
class Analysis:
    """Sentences, mentions and entities of one document: the input to statement rules."""

    doc: DocumentInput
    sentences: list[Sentence]
    mentions: list[MentionRecord]
    entities: dict[str, EntityRecord]


@dataclass
class Extraction:
    entities: dict[str, EntityRecord]
    mentions: list[MentionRecord]
    statements: list[StatementRecord]
    sentences: list[Sentence] = field(default_factory=list)
