"""The plain data that passes from readers to extraction and the store.

Readers produce an `Article` (title, dateline, blocks); `layout` turns it into the
normalized body text and the passages that are slices of it, so that every offset
stored later is an offset into one string.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

PASSAGE_KINDS = (
    "title",
    "dateline",
    "paragraph",
    "list_item",
    "heading",
    "quote",
    "table",
    "standfirst",
)


@dataclass(frozen=True)
class Block:
    text: str
    kind: str = "paragraph"


@dataclass
class Article:
    """One article as read from its source, before offsets exist."""

    title: str
    blocks: list[Block]
    source: str
    dateline: str | None = None
    published_at: str | None = None
    url: str | None = None
    author: str | None = None
    publisher: str | None = None
    language: str = "en"
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Passage:
    seq: int
    kind: str
    text: str
    char_start: int
    char_end: int


@dataclass(frozen=True)
class LaidOut:
    """An article with its body text and the passages that slice it."""

    article: Article
    body: str
    passages: tuple[Passage, ...]

    @property
    def uid(self) -> str:
        return content_uid(self.body)


def content_uid(body: str) -> str:
    """Content hash used for idempotent ingest: same text, same document."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]


def layout(article: Article) -> LaidOut:
    """Join title, dateline and blocks with newlines; passages are exact slices."""
    parts: list[tuple[str, str]] = [("title", article.title)]
    if article.dateline:
        parts.append(("dateline", article.dateline))
    parts.extend((b.kind, b.text) for b in article.blocks)
    passages: list[Passage] = []
    pos = 0
    for seq, (kind, text) in enumerate(parts):
        passages.append(Passage(seq, kind, text, pos, pos + len(text)))
        pos += len(text) + 1
    body = "\n".join(text for _, text in parts)
    return LaidOut(article, body, tuple(passages))
