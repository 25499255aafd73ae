"""Extraction: the one seam between ingestion and NLP.

`Extractor.extract` takes a document's text and passages and returns entities,
mentions and statements as plain records; it never touches the database.

spaCy is imported only when an extractor is first asked for, so that commands which only
read the database (query, export, search) start quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docstore.extract.version import DEFAULT_MODEL, EXTRACTOR_VERSION, NO_MODEL

if TYPE_CHECKING:
    from docstore.extract.extractor import AliasLookup, Extractor, get_extractor, resolve_model

__all__ = [
    "DEFAULT_MODEL",
    "EXTRACTOR_VERSION",
    "NO_MODEL",
    "AliasLookup",
    "Extractor",
    "get_extractor",
    "resolve_model",
]


def __getattr__(name: str) -> Any:
    if name in ("AliasLookup", "Extractor", "get_extractor", "resolve_model"):
        from docstore.extract import extractor

        return getattr(extractor, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
