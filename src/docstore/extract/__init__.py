"""Extraction: the one seam between ingestion and NLP.

`Extractor.extract` takes a document's text and passages and returns entities,
mentions and statements as plain records; it never touches the database.
"""

from __future__ import annotations

from typing import Protocol

from docstore.extract.types import DocumentInput, EntityRecord, Extraction

EXTRACTOR_VERSION = "0"


class AliasLookup(Protocol):
    """Entities already stored under a normalized name, for cross-document linking."""

    def entities_for_alias(self, normalized: str) -> list[EntityRecord]: ...


class Extractor:
    version = EXTRACTOR_VERSION

    def __init__(self, model: str | None = None) -> None:
        self.model = model

    def extract(self, doc: DocumentInput, lookup: AliasLookup | None = None) -> Extraction:
        return Extraction(entities={}, mentions=[], statements=[])


_cache: dict[str | None, Extractor] = {}


def get_extractor(model: str | None = None) -> Extractor:
    """One extractor (and so one spaCy pipeline) per process and model."""
    if model not in _cache:
        _cache[model] = Extractor(model)
    return _cache[model]
