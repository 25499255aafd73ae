"""docstore: a SQLite-backed document-and-entity store for news and analysis articles.

The Python API is `Store` and the plain types its methods take and return:

    from docstore import Store
    store = Store("news.db")
    store.ingest(["articles/"])
    store.query("SELECT name, mentions FROM entity_overview LIMIT 5")

Names are imported on first use, so that `import docstore` stays quick.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> module that defines it.
_EXPORTS = {
    "Store": "docstore.store",
    "IngestOptions": "docstore.store",
    "IngestReport": "docstore.store",
    "Outcome": "docstore.store",
    "ReextractReport": "docstore.store",
    "Extracted": "docstore.extracted",
    "Rows": "docstore.results",
    "Revision": "docstore.results",
    "ViewSummary": "docstore.results",
    "ViewInfo": "docstore.views",
    "Hit": "docstore.search",
    "ExportOptions": "docstore.export",
    "ReadOptions": "docstore.readers",
    "DatabaseError": "docstore.db",
    "QueryError": "docstore.query",
    "EntityNotFound": "docstore.profile",
    "ReaderError": "docstore.readers.errors",
    "Interrupted": "docstore.signals",
    "CurationError": "docstore.curation.actions",
    "JudgementEffect": "docstore.curation.actions",
    "JudgementData": "docstore.curation.records",
    "ImportReport": "docstore.curation.exchange",
}

__all__ = [
    "CurationError",
    "DatabaseError",
    "EntityNotFound",
    "ExportOptions",
    "Extracted",
    "Hit",
    "ImportReport",
    "IngestOptions",
    "IngestReport",
    "Interrupted",
    "JudgementData",
    "JudgementEffect",
    "Outcome",
    "QueryError",
    "ReadOptions",
    "ReaderError",
    "ReextractReport",
    "Revision",
    "Rows",
    "Store",
    "ViewInfo",
    "ViewSummary",
    "__version__",
]

if TYPE_CHECKING:
    from docstore.curation.actions import CurationError, JudgementEffect
    from docstore.curation.exchange import ImportReport
    from docstore.curation.records import JudgementData
    from docstore.db import DatabaseError
    from docstore.export import ExportOptions
    from docstore.extracted import Extracted
    from docstore.profile import EntityNotFound
    from docstore.query import QueryError
    from docstore.readers import ReadOptions
    from docstore.readers.errors import ReaderError
    from docstore.results import Revision, Rows, ViewSummary
    from docstore.search import Hit
    from docstore.signals import Interrupted
    from docstore.store import IngestOptions, IngestReport, Outcome, ReextractReport, Store
    from docstore.views import ViewInfo


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'docstore' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
