"""docstore: a SQLite-backed document-and-entity store for news and analysis articles."""

__version__ = "0.1.0"
