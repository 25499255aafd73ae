"""The plain-text article layout: title line, optional dateline, one block per line."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING

from docstore.article import Article, Block
from docstore.dates import parse_dateline
from docstore.readers.encoding import decode_text
from docstore.readers.errors import ReaderError
from docstore.readers.registry import Reader

if TYPE_CHECKING:
    from docstore.readers import ReadOptions

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_LIST_ITEM = re.compile(r"^(?:[-*•▪◦‣–]\s+|\d{1,3}[.)]\s+|[a-z][.)]\s+)\S")
_HEADING_MAX_WORDS = 12


def block_kind(line: str, next_line: str | None = None) -> str:
    """Classify one line: list item by its marker, heading by shape, else paragraph."""
    if _LIST_ITEM.match(line):
        return "list_item"
    if _looks_like_heading(line, next_line):
        return "heading"
    return "paragraph"


def _looks_like_heading(line: str, next_line: str | None) -> bool:
    # A short line without sentence punctuation, followed by more text, reads as a heading
    # ("Beginning of Russian-Belarusian talks"). Speaker labels ending in ":" are not headings.
    if next_line is None or line.endswith((".", ":", "?", "!", ",", ";", "”", '"')):
        return False
    words = line.split()
    return 0 < len(words) <= _HEADING_MAX_WORDS and line[0].isupper() and "* * *" not in line


def clean_line(text: str) -> str:
    """Collapse every run of whitespace (tabs, no-break spaces, line breaks) to one space.

    Passages must be single lines, and one space between words keeps search and matching
    independent of how the source happened to be typeset. NFC again, because JSON escapes
    and HTML character references can spell out decomposed characters after decoding, and
    JSON escapes can spell out control characters, which are dropped.
    """
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def split_lines(text: str) -> list[str]:
    """The non-empty lines of `text`, cleaned: one line is one block."""
    return [line for line in (clean_line(raw) for raw in text.splitlines()) if line]


def split_dateline(lines: list[str]) -> tuple[str | None, str | None, list[str]]:
    """Take a leading dateline off `lines`: (dateline, its ISO date, the remaining lines)."""
    if lines and (iso := parse_dateline(lines[0])) is not None:
        return lines[0], iso, lines[1:]
    return None, None, lines


def text_blocks(lines: list[str]) -> list[Block]:
    return [
        Block(line, block_kind(line, lines[i + 1] if i + 1 < len(lines) else None))
        for i, line in enumerate(lines)
    ]


def parse_text(text: str, source: str) -> Article:
    """Line 1 is the title, line 2 a dateline when it reads as one, then a block per line."""
    lines = split_lines(text)
    if not lines:
        raise ReaderError(source, "the file holds no text")
    title, rest = lines[0], lines[1:]
    dateline, published_at, rest = split_dateline(rest)
    if not rest:
        raise ReaderError(source, "the article has a title but no body text")
    return Article(
        title=title,
        blocks=text_blocks(rest),
        source=source,
        dateline=dateline,
        published_at=published_at,
    )


def read(data: bytes, source: str, options: ReadOptions) -> Iterator[Article | ReaderError]:
    yield parse_text(decode_text(data, source), source)


READER = Reader("text", (".txt", ".text", ".md"), read)
