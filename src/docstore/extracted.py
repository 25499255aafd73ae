"""What ingesting a file would store, computed without a database (`docstore extract`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docstore.article import LaidOut, layout
from docstore.extract.types import DocumentInput, Extraction
from docstore.pieces import extract_document
from docstore.readers import ReadOptions, read_file
from docstore.readers.errors import ReaderError


@dataclass
class Extracted:
    """One document as laid out (body, passages) and what extraction found in it."""

    laid: LaidOut
    extraction: Extraction

    def as_dict(self) -> dict[str, Any]:
        """Passages, mentions, entities and statements as JSON-ready dicts."""
        from docstore.report import extraction_dict

        return extraction_dict(self.laid, self.extraction)

    def render(self) -> str:
        """The same, as text tables for people."""
        from docstore.report import render_extraction

        return render_extraction(self.laid, self.extraction)


def extract_file(path: Path, options: ReadOptions, model: str | None = None) -> list[Extracted]:
    """Every document of `path`, extracted; the first unreadable one raises ReaderError."""
    from docstore.extract import get_extractor

    out = []
    for item in read_file(path, options):
        if isinstance(item, ReaderError):
            raise item
        laid = layout(item)
        extraction = extract_document(
            get_extractor(model), DocumentInput(laid.body, laid.passages, item.published_at)
        )
        out.append(Extracted(laid, extraction))
    return out
