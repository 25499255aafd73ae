"""SQLAlchemy models: the contract tables of docstore.

Migrations, not these models, create the schema; a test checks that the two agree.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from docstore.article import PASSAGE_KINDS
from docstore.terms import ALIAS_SOURCES, ENTITY_TYPES, MODALITIES, POLARITIES

MENTION_LABELS = (
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
    "DATE",
    "TIME",
    "MISC",
)
STATEMENT_STATUSES = ("auto", "verified", "rejected")
RUN_STATUSES = ("running", "completed", "failed", "interrupted", "abandoned")
JUDGEMENT_KINDS = (
    "entity_merge",
    "entity_split",
    "entity_rename",
    "entity_retype",
    "entity_reject",
    "entity_link",
    "alias_add",
    "alias_remove",
    "statement_reject",
    "statement_verify",
    "statement_edit",
    "document_delete",
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def one_of(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text, index=True)
    title: Mapped[str] = mapped_column(Text)
    published_at: Mapped[str | None] = mapped_column(String(32), index=True)
    publisher: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[str] = mapped_column(String(32))
    extractor_version: Mapped[str | None] = mapped_column(String(32), index=True)

    __table_args__ = (
        Index("ix_documents_title_published_at", "title", "published_at"),
        # Revision 0002: dates beside ids for the views' first/last-seen lookups.
        Index("ix_documents_id_published_at", "id", "published_at"),
    )


class Passage(Base):
    __tablename__ = "passages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("document_id", "seq"),
        CheckConstraint(one_of("kind", PASSAGE_KINDS), name="kind"),
        CheckConstraint("char_start >= 0 AND char_end >= char_start", name="span"),
    )


class Entity(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text, index=True)
    type: Mapped[str] = mapped_column(String(16), index=True)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    wikidata_id: Mapped[str | None] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (CheckConstraint(one_of("type", ENTITY_TYPES), name="type"),)


class EntityAlias(Base):
    __tablename__ = "entity_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(Text)
    normalized: Mapped[str] = mapped_column(Text, index=True)
    source: Mapped[str] = mapped_column(String(16))

    __table_args__ = (
        UniqueConstraint("entity_id", "alias"),
        CheckConstraint(one_of("source", ALIAS_SOURCES), name="source"),
    )


class EntityDates(Base):
    """First and last seen per entity: the dates of the first and last dated documents
    that mention it, kept by the writer so that `entity_overview` need not compute them."""

    __tablename__ = "entity_dates"

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    first_seen: Mapped[str] = mapped_column(String(32))
    last_seen: Mapped[str] = mapped_column(String(32))


class Mention(Base):
    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    passage_id: Mapped[int] = mapped_column(ForeignKey("passages.id", ondelete="CASCADE"))
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(16), index=True)
    method: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float)

    __table_args__ = (
        # Composite indexes (revision 0002) that cover the views' per-entity, per-document
        # and per-passage lookups; each also serves its leading foreign key.
        Index("ix_mentions_entity_document", "entity_id", "document_id", "passage_id"),
        Index("ix_mentions_document_entity", "document_id", "entity_id"),
        Index("ix_mentions_passage_entity", "passage_id", "entity_id"),
        CheckConstraint(one_of("label", MENTION_LABELS), name="label"),
        CheckConstraint("char_start >= 0 AND char_end > char_start", name="span"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence"),
    )


class Predicate(Base):
    __tablename__ = "predicates"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    description: Mapped[str] = mapped_column(Text)
    cameo_code: Mapped[str | None] = mapped_column(String(8))
    plover_event: Mapped[str | None] = mapped_column(String(16))


class VocabularyVersion(Base):
    """Revision 0006: the vocabulary file version a reference table was last synchronized
    with (docstore.vocabulary.ensure_predicates)."""

    __tablename__ = "vocabulary_versions"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    applied_at: Mapped[str] = mapped_column(String(32))


class Statement(Base):
    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passages.id", ondelete="CASCADE"), index=True
    )
    subject_id: Mapped[int] = mapped_column(ForeignKey("entities.id"))
    predicate: Mapped[str] = mapped_column(ForeignKey("predicates.name"), index=True)
    object_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"))
    object_text: Mapped[str | None] = mapped_column(Text)
    polarity: Mapped[str] = mapped_column(String(8), default="positive")
    modality: Mapped[str] = mapped_column(String(16), default="asserted")
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)
    event_date: Mapped[str | None] = mapped_column(String(32))
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default="auto")

    __table_args__ = (
        # Revision 0003: the status beside each entity id, so that counts of statements that
        # are not rejected (entity_overview) read the index alone; each serves its foreign key.
        Index("ix_statements_subject_status", "subject_id", "status"),
        Index("ix_statements_object_status", "object_id", "status"),
        CheckConstraint(one_of("polarity", POLARITIES), name="polarity"),
        CheckConstraint(one_of("modality", MODALITIES), name="modality"),
        CheckConstraint(one_of("status", STATEMENT_STATUSES), name="status"),
        CheckConstraint("object_id IS NOT NULL OR object_text IS NOT NULL", name="object"),
        CheckConstraint("char_start >= 0 AND char_end >= char_start", name="span"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence"),
    )


class IngestRun(Base):
    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[str] = mapped_column(String(32))
    finished_at: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    files_seen: Mapped[int] = mapped_column(Integer, default=0)
    documents_added: Mapped[int] = mapped_column(Integer, default=0)
    documents_skipped: Mapped[int] = mapped_column(Integer, default=0)
    documents_failed: Mapped[int] = mapped_column(Integer, default=0)
    # The process running it, so that the next run can tell a dead run (abandoned).
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))

    __table_args__ = (CheckConstraint(one_of("status", RUN_STATUSES), name="status"),)


class IngestError(Base):
    __tablename__ = "ingest_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("ingest_runs.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(Text)
    error: Mapped[str] = mapped_column(Text)


class Judgement(Base):
    """An analyst's decision, applied on every write until undone; never deleted.

    `target` is an entity key, a document uid, or for statements "uid:start-end:predicate"
    (spelled out in document_uid, char_start, char_end, predicate): names that survive
    re-extraction. `arguments` is a JSON object; `uid` identifies the judgement across
    databases (export/import)."""

    __tablename__ = "judgements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(300))
    target_name: Mapped[str | None] = mapped_column(Text)
    document_uid: Mapped[str | None] = mapped_column(String(64), index=True)
    char_start: Mapped[int | None] = mapped_column(Integer)
    char_end: Mapped[int | None] = mapped_column(Integer)
    predicate: Mapped[str | None] = mapped_column(String(32))
    arguments: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(100), index=True)
    created_at: Mapped[str] = mapped_column(String(32), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    undone_at: Mapped[str | None] = mapped_column(String(32))
    undone_by: Mapped[str | None] = mapped_column(String(100))

    __table_args__ = (
        Index("ix_judgements_target_kind", "target", "kind"),
        CheckConstraint(one_of("kind", JUDGEMENT_KINDS), name="kind"),
    )


class ViewCatalog(Base):
    __tablename__ = "view_catalog"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
