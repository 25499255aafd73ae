"""Constants and helpers shared by several test modules."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any

ARTICLES = Path(__file__).resolve().parent / "corpus" / "articles"
DOCSTORE = str(Path(sys.executable).with_name("docstore"))
# The saved views of the design's contract, in its order.
CONTRACT_VIEWS = (
    "entity_overview",
    "document_overview",
    "entity_documents",
    "entity_cooccurrence",
    "statement_facts",
    "interactions",
    "entity_mentions_in_context",
    "entity_timeline",
)


def make_articles(folder: Path, count: int) -> list[Path]:
    """`count` distinct articles in the corpus layout: each a corpus article with its own
    title and first line, so that no two share content, URL or title."""
    folder.mkdir()
    sources = sorted(ARTICLES.glob("*.txt"))
    paths = []
    for i in range(count):
        title, dateline, *paragraphs = sources[i % len(sources)].read_text().splitlines()
        path = folder / f"{i:04d}.txt"
        path.write_text(
            "\n".join([f"{title} (copy {i})", dateline, f"Copy {i} follows.", *paragraphs])
        )
        paths.append(path)
    return paths


def read_sqlite(db: Path, sql: str) -> list[tuple]:
    """Rows from a read-only plain sqlite3 connection, as an outside reader sees them."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def query_db(db: str, sql: str) -> list[tuple]:
    """Rows of `sql` on a database given as a path or URL, on any backend."""
    from sqlalchemy import create_engine, text

    from docstore.db import resolve_url

    engine = create_engine(resolve_url(db))
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def found_in_line(extractor: Any, line: str) -> dict[str, Any]:
    """Mentions (by text) that `extractor` finds in one line laid out under a title."""
    from docstore.article import Article, Block, layout
    from docstore.extract.types import DocumentInput

    laid = layout(Article(title="Report", blocks=[Block(line)], source="t"))
    result = extractor.analyse(DocumentInput(laid.body, laid.passages))
    return {m.text: m for m in result.mentions if m.char_start >= len("Report\n")}
