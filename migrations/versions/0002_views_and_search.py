"""Views refined for filtered queries, mention indexes, full-text search on passages.

The saved views now aggregate mentions before joining names, so that a filter on
`entity_id` (or `document_id`) reaches the covering indexes on `mentions` instead of
aggregating the whole table first. Full-text search: an FTS5 external-content table
`passages_fts` kept in step by triggers on SQLite (the sqlite-utils/Datasette layout), a
GIN expression index on `to_tsvector('english', text)` on PostgreSQL.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 06:00:00
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEWS = (
    "entity_overview",
    "document_overview",
    "entity_documents",
    "entity_cooccurrence",
    "statement_facts",
    "interactions",
    "entity_mentions_in_context",
    "entity_timeline",
)

# (name, columns) of the mention indexes 0002 adds, and the single-column ones they replace.
NEW_INDEXES = (
    ("ix_mentions_entity_document", ["entity_id", "document_id", "passage_id"]),
    ("ix_mentions_document_entity", ["document_id", "entity_id"]),
    ("ix_mentions_passage_entity", ["passage_id", "entity_id"]),
)
OLD_INDEXES = (
    ("ix_mentions_entity_id", ["entity_id"]),
    ("ix_mentions_document_id", ["document_id"]),
    ("ix_mentions_passage_id", ["passage_id"]),
)

# Document dates beside their ids, so that first/last-seen lookups read this small index
# rather than the document rows (which carry whole bodies).
DATES_INDEX = ("ix_documents_id_published_at", ["id", "published_at"])

FTS_TABLE = "passages_fts"
PG_FTS_INDEX = "ix_passages_text_fts"
CONTEXT_CHARS = 80


def upgrade() -> None:
    _drop_views()
    for name, columns in NEW_INDEXES:
        op.create_index(name, "mentions", columns)
    for name, _ in OLD_INDEXES:
        op.drop_index(name, table_name="mentions")
    op.create_index(DATES_INDEX[0], "documents", DATES_INDEX[1])
    _create_views(_view_sql())
    _create_search()


def downgrade() -> None:
    _drop_search()
    _drop_views()
    for name, columns in OLD_INDEXES:
        op.create_index(name, "mentions", columns)
    for name, _ in NEW_INDEXES:
        op.drop_index(name, table_name="mentions")
    op.drop_index(DATES_INDEX[0], table_name="documents")
    _create_views(_initial_module()._view_sql())


# -- views ---------------------------------------------------------------------------------


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _aliases(entity: str) -> str:
    """The entity's aliases, sorted, in one cell."""
    if _is_postgres():
        return (
            "(SELECT string_agg(a.alias, '; ' ORDER BY a.alias) FROM entity_aliases a"
            f" WHERE a.entity_id = {entity})"
        )
    return (
        "(SELECT group_concat(x.alias, '; ') FROM (SELECT a.alias FROM entity_aliases a"
        f" WHERE a.entity_id = {entity} ORDER BY a.alias) x)"
    )


def _dated_documents() -> str:
    """documents, read through the (id, published_at) index on SQLite (its planner would
    otherwise look up each whole row by id)."""
    if _is_postgres():
        return "documents d"
    return f"documents d INDEXED BY {DATES_INDEX[0]}"


def _mention_counts() -> str:
    """Mentions per (entity, document), read from the covering index alone."""
    return """(SELECT m.entity_id, m.document_id, COUNT(*) AS mentions,
                     COUNT(DISTINCT m.passage_id) AS passages
              FROM mentions m GROUP BY m.entity_id, m.document_id)"""


def _view_sql() -> dict[str, tuple[str, str, str]]:
    n = CONTEXT_CHARS
    offset = "(m.char_start - p.char_start)"
    return {
        "entity_overview": (
            "Which entities appear, how often, in how many documents, first and last seen,"
            " under which names?",
            "One row per entity: key, name, type, country, counts of mentions, documents and"
            " statements (as subject, as object), the dates of the first and last documents"
            " that mention it, and its aliases. Filter by entity_id, name, type or country.",
            f"""
            SELECT e.id AS entity_id, e.key, e.name, e.type, e.country, e.wikidata_id,
                   (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id) AS mentions,
                   (SELECT COUNT(DISTINCT m.document_id) FROM mentions m
                     WHERE m.entity_id = e.id) AS documents,
                   (SELECT COUNT(*) FROM statements s
                     WHERE s.subject_id = e.id AND s.status <> 'rejected') AS statements_as_subject,
                   (SELECT COUNT(*) FROM statements s
                     WHERE s.object_id = e.id AND s.status <> 'rejected') AS statements_as_object,
                   (SELECT MIN(d.published_at) FROM {_dated_documents()} WHERE d.id IN
                     (SELECT m.document_id FROM mentions m WHERE m.entity_id = e.id))
                     AS first_seen,
                   (SELECT MAX(d.published_at) FROM {_dated_documents()} WHERE d.id IN
                     (SELECT m.document_id FROM mentions m WHERE m.entity_id = e.id))
                     AS last_seen,
                   {_aliases("e.id")} AS aliases
            FROM entities e
            """,
        ),
        "document_overview": (
            "What does each document contain (passages, entities, statements)?",
            "One row per document: title, date, publisher, author, source and URL, with counts"
            " of passages, mentions, distinct entities and statements. Filter by document_id.",
            """
            SELECT d.id AS document_id, d.title, d.published_at, d.publisher, d.author,
                   d.language, d.source, d.url, d.ingested_at,
                   (SELECT COUNT(*) FROM passages p WHERE p.document_id = d.id) AS passages,
                   (SELECT COUNT(*) FROM mentions m WHERE m.document_id = d.id) AS mentions,
                   (SELECT COUNT(DISTINCT m.entity_id) FROM mentions m
                     WHERE m.document_id = d.id) AS entities,
                   (SELECT COUNT(*) FROM statements s
                     WHERE s.document_id = d.id AND s.status <> 'rejected') AS statements
            FROM documents d
            """,
        ),
        "entity_documents": (
            "Which documents mention entity X, how many times?",
            "One row per entity and document that mentions it: the document's title, date"
            " and publisher, the number of mentions and of passages with a mention."
            " Filter by entity_id (or document_id).",
            f"""
            SELECT c.entity_id, e.name AS entity, e.type AS entity_type,
                   c.document_id, d.title, d.published_at, d.publisher, d.url,
                   c.mentions, c.passages
            FROM {_mention_counts()} c
            JOIN entities e ON e.id = c.entity_id
            JOIN documents d ON d.id = c.document_id
            """,
        ),
        "entity_cooccurrence": (
            "Which entities are mentioned together in the same passage, how often?",
            "One row per ordered pair of distinct entities mentioned in the same passage, with"
            " the number of passages and documents where both occur. Each pair appears in both"
            " directions, so filtering by entity_id lists everything mentioned with X.",
            """
            SELECT c.entity_id, ea.name AS entity, ea.type AS entity_type,
                   c.other_entity_id, eb.name AS other_entity, eb.type AS other_type,
                   c.passages, c.documents
            FROM (SELECT a.entity_id, b.entity_id AS other_entity_id,
                         COUNT(DISTINCT a.passage_id) AS passages,
                         COUNT(DISTINCT a.document_id) AS documents
                  FROM mentions a
                  JOIN mentions b ON b.passage_id = a.passage_id AND b.entity_id <> a.entity_id
                  GROUP BY a.entity_id, b.entity_id) c
            JOIN entities ea ON ea.id = c.entity_id
            JOIN entities eb ON eb.id = c.other_entity_id
            """,
        ),
        "statement_facts": (
            "Who did or said what to whom, when, according to which document,"
            " with the evidence quote?",
            "One row per statement that is not rejected: subject, predicate, object and speaker"
            " by name (ids beside them), polarity, modality, the event date (else the"
            " document date), the quote and its document. Filter by subject_id, object_id or"
            " document_id.",
            """
            SELECT s.id AS statement_id, s.subject_id, subj.name AS subject, s.predicate,
                   s.object_id, COALESCE(obj.name, s.object_text) AS object, s.object_text,
                   s.polarity, s.modality, s.speaker_id, spk.name AS speaker,
                   COALESCE(s.event_date, d.published_at) AS date, s.event_date,
                   s.document_id, d.title AS document_title, d.published_at,
                   s.passage_id, s.quote, s.char_start, s.char_end,
                   s.method, s.confidence, s.status
            FROM statements s
            JOIN entities subj ON subj.id = s.subject_id
            LEFT JOIN entities obj ON obj.id = s.object_id
            LEFT JOIN entities spk ON spk.id = s.speaker_id
            JOIN documents d ON d.id = s.document_id
            WHERE s.status <> 'rejected'
            """,
        ),
        "interactions": (
            "Who met, visited, called or negotiated with whom, and when?",
            "Statements that are not rejected whose predicate is an encounter (visit, host,"
            " meet, phone, negotiate) between two entities, with the date, the document and"
            " the quote. Filter by subject_id, object_id or document_id.",
            """
            SELECT s.id AS statement_id, s.subject_id, subj.name AS subject, s.predicate,
                   s.object_id, obj.name AS object, s.polarity, s.modality,
                   COALESCE(s.event_date, d.published_at) AS date, s.event_date,
                   s.document_id, d.title AS document_title, d.published_at,
                   s.passage_id, s.quote, s.status
            FROM statements s
            JOIN entities subj ON subj.id = s.subject_id
            JOIN entities obj ON obj.id = s.object_id
            JOIN documents d ON d.id = s.document_id
            WHERE s.predicate IN ('visit', 'host', 'meet', 'phone', 'negotiate')
              AND s.status <> 'rejected'
            """,
        ),
        "entity_mentions_in_context": (
            "Where exactly is X mentioned, with the passage text around it?",
            f"One row per mention: the text and label, up to {n} characters before and after it"
            " in its passage, the whole passage, its offsets in the document body and the"
            " document. Filter by entity_id (or document_id).",
            f"""
            SELECT m.id AS mention_id, m.entity_id, e.name AS entity, m.text, m.label,
                   CASE WHEN {offset} > {n} THEN substr(p.text, {offset} - {n - 1}, {n})
                        ELSE substr(p.text, 1, {offset}) END AS context_before,
                   substr(p.text, m.char_end - p.char_start + 1, {n}) AS context_after,
                   m.document_id, d.title AS document_title, d.published_at,
                   m.passage_id, p.seq AS passage_seq, p.kind AS passage_kind,
                   p.text AS passage, m.char_start, m.char_end, m.method, m.confidence
            FROM mentions m
            JOIN entities e ON e.id = m.entity_id
            JOIN passages p ON p.id = m.passage_id
            JOIN documents d ON d.id = m.document_id
            """,
        ),
        "entity_timeline": (
            "When does entity X appear over time (by document date)?",
            "One row per entity and publication day (YYYY-MM-DD; empty for undated documents)"
            " with the number of mentions and of documents. Filter by entity_id; group by"
            " substr(date, 1, 7) for months.",
            # One level of grouping only: SQLite pushes a filter on entity_id into one
            # aggregate subquery, not through two.
            """
            SELECT m.entity_id, e.name AS entity, substr(d.published_at, 1, 10) AS date,
                   COUNT(*) AS mentions, COUNT(DISTINCT m.document_id) AS documents
            FROM mentions m
            JOIN entities e ON e.id = m.entity_id
            JOIN documents d ON d.id = m.document_id
            GROUP BY m.entity_id, e.name, substr(d.published_at, 1, 10)
            """,
        ),
    }


def _drop_views() -> None:
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {name}")


def _create_views(views: dict[str, tuple[str, str, str]]) -> None:
    catalog = sa.table(
        "view_catalog", sa.column("name"), sa.column("question"), sa.column("description")
    )
    bind = op.get_bind()
    for name, (question, description, sql) in views.items():
        op.execute(f"CREATE VIEW {name} AS {sql}")
        values = {"question": question, "description": description}
        updated = bind.execute(
            sa.update(catalog).where(catalog.c.name == name).values(**values)
        ).rowcount
        if not updated:
            bind.execute(sa.insert(catalog).values(name=name, **values))


def _initial_module() -> ModuleType:
    """Revision 0001, whose view definitions a downgrade restores."""
    path = Path(__file__).with_name("0001_initial_schema.py")
    spec = importlib.util.spec_from_file_location("docstore_migration_0001", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- full-text search ----------------------------------------------------------------------

# Trigger names and bodies follow sqlite-utils' `enable_fts(create_triggers=True)`.
SQLITE_FTS = (
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        text, content="passages", content_rowid="id",
        tokenize="porter unicode61 remove_diacritics 2")""",
    f"""CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
        INSERT INTO {FTS_TABLE} (rowid, text) VALUES (new.id, new.text);
    END""",
    f"""CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
        INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    f"""CREATE TRIGGER passages_au AFTER UPDATE ON passages BEGIN
        INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO {FTS_TABLE} (rowid, text) VALUES (new.id, new.text);
    END""",
    f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')",
)


def _create_search() -> None:
    if _is_postgres():
        op.execute(
            f"CREATE INDEX {PG_FTS_INDEX} ON passages USING gin (to_tsvector('english', text))"
        )
        return
    for sql in SQLITE_FTS:
        op.execute(sql)


def _drop_search() -> None:
    if _is_postgres():
        op.execute(f"DROP INDEX IF EXISTS {PG_FTS_INDEX}")
        return
    for trigger in ("passages_ai", "passages_ad", "passages_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
