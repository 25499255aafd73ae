"""The reader registry: which reader takes which bytes.

A reader declares its format name, the file extensions it takes, and how to know its
bytes without a name (leading magic bytes, or a look at the start of the text), and
receives the raw bytes: text readers decode them with `encoding.decode_text`, binary
ones (PDF, DOCX) hand them to their library. Adding a format is one module with a
`READER` and one line in `readers/__init__.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docstore.article import Article
from docstore.readers.errors import ReaderError

if TYPE_CHECKING:
    from docstore.readers import ReadOptions

ReadFn = Callable[[bytes, str, "ReadOptions"], Iterator[Article | ReaderError]]
StreamFn = Callable[[Path, str, "ReadOptions"], Iterator[Article | ReaderError]]


@dataclass(frozen=True)
class Reader:
    """One input format: what it is called, how it is recognized, how it is read."""

    format: str
    extensions: tuple[str, ...]
    read: ReadFn
    # Leading bytes that identify the format whatever the file is called.
    magic: tuple[bytes, ...] = ()
    # Given the start of the text (BOM and leading whitespace gone, lower case): is it mine?
    sniff: Callable[[bytes], bool] | None = None
    # A second look at the whole data when the magic matches (a ZIP is not always DOCX).
    confirm: Callable[[bytes], bool] | None = None
    binary: bool = False
    # Reads a file a document at a time, in memory that does not grow with the file
    # (tabular exports); `--max-bytes` then bounds a document, not the file.
    stream: StreamFn | None = None
