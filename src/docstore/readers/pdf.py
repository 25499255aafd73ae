"""PDF articles: text with its position on the page, rebuilt into paragraphs.

pypdf gives each run of text with its transformation matrices; runs at the same height
make a line. Lines are grouped into paragraphs by the vertical gap between them (a gap
clearly wider than the usual line spacing, or a change of font size, starts a new
block). Page numbers and running headers and footers (the same first or last line on
several pages, digits aside) are left out. The title comes from the document's
metadata, else from its first block.
"""

from __future__ import annotations

import io
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docstore.article import Article, Block
from docstore.readers.errors import ReaderError
from docstore.readers.registry import Reader
from docstore.readers.text import clean_line

if TYPE_CHECKING:
    from docstore.readers import ReadOptions

_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—\s]*\d{1,4}[-–—\s]*(?:(?:of|/)\s*\d{1,4})?$", re.I)
_SENTENCE_END = (".", "!", "?", "…", '"', "”", "’", ":")
# A gap this many times the usual line spacing separates paragraphs.
_PARAGRAPH_GAP = 1.4
# Producers that put a file name or a tool into /Title instead of a title.
_NOT_A_TITLE = re.compile(r"^(?:microsoft word - |untitled\b)|\.(?:docx?|pdf|odt|rtf)$", re.I)


@dataclass
class _Line:
    page: int
    y: float
    size: float
    text: str


def parse_pdf(data: bytes, source: str) -> Article:
    """One article from a PDF's text layer; a clear error for what has none."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _unlock(reader):
            raise ReaderError(source, "the PDF is encrypted (a password is needed to read it)")
        pages = [_page_lines(i, page) for i, page in enumerate(reader.pages)]
        meta: Any = reader.metadata or {}
    except ReaderError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise ReaderError(source, f"not a readable PDF (corrupt: {reason})") from None
    if not any(pages):
        raise ReaderError(
            source, "the PDF has no text layer (scanned or image-only); run OCR on it first"
        )
    blocks = _blocks([line for page in _drop_running_lines(pages) for line in page])
    title = clean_line(str(meta.get("/Title") or ""))
    if not title or _NOT_A_TITLE.search(title):
        if not blocks:
            raise ReaderError(source, "the PDF holds no text")
        title, blocks = blocks[0].text, blocks[1:]
    elif blocks and blocks[0].text.lower() == title.lower():
        blocks = blocks[1:]  # the first line repeats the title
    if not blocks:
        raise ReaderError(source, "the PDF has a title but no body text")
    author = clean_line(str(meta.get("/Author") or "")) or None
    return Article(title=title, blocks=blocks, source=source, author=author)


def _unlock(reader: Any) -> bool:
    """Open a PDF that is encrypted with an empty password (readable by anyone)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf raises its own errors, or needs a crypto library
        return False


def _page_lines(number: int, page: Any) -> list[_Line]:
    lines: list[_Line] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or 1.0
        height = size * scale
        if lines and abs(lines[-1].y - y) < max(lines[-1].size, height) * 0.5:
            lines[-1].text += text
        else:
            lines.append(_Line(number, y, height, text))

    page.extract_text(visitor_text=visit)
    out = []
    for line in lines:
        line.text = clean_line(line.text)
        if line.text and not _PAGE_NUMBER.match(line.text):
            out.append(line)
    return out


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Leave out a first or last line repeated, at the same height, on several pages
    (digits ignored: "Page 3", a date)."""
    if len(pages) < 2:
        return pages

    def key(line: _Line) -> str:
        return f"{round(line.y / 4)}:{re.sub(r'[0-9]+', '#', line.text.lower())}"

    counts: dict[tuple[str, str], int] = {}
    for lines in pages:
        for where, line in (("top", lines[:1]), ("bottom", lines[-1:])):
            for item in line:
                counts[(where, key(item))] = counts.get((where, key(item)), 0) + 1
    repeated = {k for k, n in counts.items() if n >= 2}
    out = []
    for lines in pages:
        if lines and ("top", key(lines[0])) in repeated:
            lines = lines[1:]
        if lines and ("bottom", key(lines[-1])) in repeated:
            lines = lines[:-1]
        out.append(lines)
    return out


def _blocks(lines: list[_Line]) -> list[Block]:
    """Lines joined into paragraphs by spacing; larger type than the body is a heading."""
    if not lines:
        return []
    body_size = statistics.median(line.size for line in lines)
    gaps = [
        a.y - b.y
        for a, b in zip(lines, lines[1:], strict=False)
        if a.page == b.page and abs(a.size - b.size) < 0.5 and a.y > b.y
    ]
    spacing = statistics.median(gaps) if gaps else body_size * 1.2
    groups: list[list[_Line]] = [[lines[0]]]
    for prev, line in zip(lines, lines[1:], strict=False):
        if prev.page != line.page:
            new = prev.text.endswith(_SENTENCE_END) or abs(prev.size - line.size) >= 0.5
        else:
            new = (
                prev.y - line.y > spacing * _PARAGRAPH_GAP
                or prev.y < line.y
                or abs(prev.size - line.size) >= 0.5
            )
        if new:
            groups.append([line])
        else:
            groups[-1].append(line)
    return [_block(group, body_size) for group in groups]


def _block(group: list[_Line], body_size: float) -> Block:
    text = group[0].text
    for line in group[1:]:
        if text.endswith("-") and text[-2:-1].isalpha() and line.text[:1].islower():
            text = text[:-1] + line.text  # a word hyphenated at the end of the line
        else:
            text = f"{text} {line.text}"
    kind = "heading" if group[0].size > body_size + 0.5 and len(text.split()) <= 20 else "paragraph"
    return Block(text, kind)


def read(data: bytes, source: str, options: ReadOptions) -> Iterator[Article | ReaderError]:
    yield parse_pdf(data, source)


READER = Reader("pdf", (".pdf",), read, magic=(b"%PDF-",), binary=True)
