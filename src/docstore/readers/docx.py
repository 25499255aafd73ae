"""Word (DOCX) articles: paragraphs with their styles, through python-docx.

The document's own structure gives the block kinds: a "Title" paragraph (else the core
properties' title, else the first paragraph) is the title, "Heading" styles are
headings, list styles and numbered paragraphs are list items, "Quote" styles quotes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from docstore.article import Article, Block
from docstore.readers.errors import ReaderError
from docstore.readers.registry import Reader
from docstore.readers.text import clean_line

if TYPE_CHECKING:
    from docstore.readers import ReadOptions


def parse_docx(data: bytes, source: str) -> Article:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # zipfile, lxml and python-docx each raise their own errors
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise ReaderError(source, f"not a readable DOCX file ({reason})") from None
    title = clean_line(document.core_properties.title or "")
    author = clean_line(document.core_properties.author or "") or None
    blocks: list[Block] = []
    for paragraph in document.paragraphs:
        text = clean_line(paragraph.text)
        if not text:
            continue
        kind = _kind(paragraph)
        if kind == "title":
            title = title or text
            continue
        blocks.append(Block(text, kind))
    for table in document.tables:
        rows = [" | ".join(clean_line(c.text) for c in row.cells) for row in table.rows]
        blocks.extend(Block(row, "paragraph") for row in rows if row.strip(" |"))
    if not title:
        if not blocks:
            raise ReaderError(source, "the document holds no text")
        title, blocks = blocks[0].text, blocks[1:]
    elif blocks and blocks[0].text.lower() == title.lower():
        blocks = blocks[1:]
    if not blocks:
        raise ReaderError(source, "the document has a title but no body text")
    return Article(title=title, blocks=blocks, source=source, author=author)


def _kind(paragraph: Any) -> str:
    style = (paragraph.style.name if paragraph.style is not None else "").lower()
    if style == "title":
        return "title"
    if style.startswith("heading"):
        return "heading"
    if "list" in style or paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None:
        return "list_item"
    if "quote" in style:
        return "quote"
    return "paragraph"


def _is_docx(data: bytes) -> bool:
    return b"word/" in data[:65536] or b"[Content_Types].xml" in data[:65536]


def read(data: bytes, source: str, options: ReadOptions) -> Iterator[Article | ReaderError]:
    yield parse_docx(data, source)


READER = Reader("docx", (".docx",), read, magic=(b"PK\x03\x04",), confirm=_is_docx, binary=True)
