"""Each document is one transaction: a failure while writing it leaves no trace of it
(document, passages, mentions, statements, new entities or aliases) and the run goes on."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, func, select

import docstore.store as store_module
from docstore.models import (
    Document,
    Entity,
    EntityAlias,
    IngestError,
    IngestRun,
    Mention,
    Passage,
    Statement,
)
from docstore.store import Store

ARTICLES = Path(__file__).resolve().parent / "corpus" / "articles"
NAMES = [
    "01_kremlin_putin_obama_call_syria_ukraine.txt",
    "05_wikinews_trump_ousts_bolton.txt",  # the one that fails
    "14_kremlin_phone_call_lukashenko_after_election.txt",
]
FAILING = NAMES[1]


def copy_articles(folder: Path, names: list[str]) -> Path:
    folder.mkdir()
    for name in names:
        shutil.copy(ARTICLES / name, folder / name)
    return folder


def snapshot(store: Store) -> dict[str, Any]:
    """What the database holds, by content rather than ids."""
    with store.engine.connect() as conn:
        return {
            "titles": sorted(conn.execute(select(Document.title)).scalars()),
            "passages": conn.execute(select(func.count()).select_from(Passage)).scalar(),
            "mentions": sorted(
                tuple(r)
                for r in conn.execute(select(Mention.text, Mention.char_start, Mention.label))
            ),
            "statements": conn.execute(select(func.count()).select_from(Statement)).scalar(),
            "entities": sorted(conn.execute(select(Entity.key)).scalars()),
            "aliases": sorted(
                tuple(r)
                for r in conn.execute(
                    select(Entity.key, EntityAlias.alias).join(
                        Entity, Entity.id == EntityAlias.entity_id
                    )
                )
            ),
        }


def test_failure_after_document_row_leaves_nothing(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = store_module.write_extraction
    seen: list[str] = []

    def failing(
        conn: Connection,
        doc_id: int,
        passages: dict[int, int],
        extraction: Any,
        uid: str | None = None,
    ) -> None:
        original(conn, doc_id, passages, extraction, uid)  # entities, mentions, statements
        source = conn.execute(select(Document.source).where(Document.id == doc_id)).scalar_one()
        if source.endswith(FAILING):
            seen.append(source)
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(store_module, "write_extraction", failing)
    folder = copy_articles(tmp_path / "in", NAMES)
    with Store(db_url) as store:
        report = store.ingest([folder])
        assert seen, "the failure was not injected"
        assert (report.added, report.failed) == (2, 1)
        [message] = report.errors
        assert FAILING in message and "disk on fire" in message
        got = snapshot(store)
        with store.engine.connect() as conn:
            assert (
                conn.execute(select(Document.id).where(Document.source.in_(seen))).first() is None
            )
            assert conn.execute(select(IngestRun.status)).scalar_one() == "failed"
            errors = conn.execute(select(IngestError.source, IngestError.error)).all()
        assert len(errors) == 1 and errors[0][0].endswith(FAILING)

    # The same database as if the failing article had never been offered.
    reference = tmp_path / "reference.db"
    monkeypatch.setattr(store_module, "write_extraction", original)
    with Store(str(reference)) as ref:
        ref.ingest([copy_articles(tmp_path / "ref", [n for n in NAMES if n != FAILING])])
        assert got == snapshot(ref)

    # A rerun stores it: the failure left nothing in the way.
    with Store(db_url) as store:
        report = store.ingest([folder])
        assert (report.added, report.skipped, report.failed) == (1, 2, 0)


def test_failure_inside_passages_insert(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database error (not a Python one) mid-document: rolled back, reported in one line."""
    original = store_module.insert_document

    def bad_passages(conn: Connection, laid: Any, version: str) -> Any:
        doc_id, passages = original(conn, laid, version)
        if laid.article.source.endswith(FAILING):
            # A second passage with the same (document_id, seq) breaks a unique constraint.
            conn.execute(
                Passage.__table__.insert(),
                {"document_id": doc_id, "seq": 0, "kind": "title", "text": "x"}
                | {"char_start": 0, "char_end": 1},
            )
        return doc_id, passages

    monkeypatch.setattr(store_module, "insert_document", bad_passages)
    with Store(db_url) as store:
        report = store.ingest([copy_articles(tmp_path / "in", NAMES)])
        assert (report.added, report.failed) == (2, 1)
        [message] = report.errors
        assert "\n" not in message and "could not be stored" in message
        assert "INSERT INTO" not in message  # the reason, not SQLAlchemy's statement dump
        with store.engine.connect() as conn:
            sources = list(conn.execute(select(Document.source)).scalars())
        assert len(sources) == 2 and not any(s.endswith(FAILING) for s in sources)


def test_interrupt_mid_document_rolls_back_and_marks_run(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C (or SIGTERM, raised as the same exception) while a document is half written."""
    original = store_module.write_extraction

    def interrupted(
        conn: Connection,
        doc_id: int,
        passages: dict[int, int],
        extraction: Any,
        uid: str | None = None,
    ) -> None:
        original(conn, doc_id, passages, extraction, uid)
        raise store_module.Interrupted()

    monkeypatch.setattr(store_module, "write_extraction", interrupted)
    with Store(db_url) as store:
        with pytest.raises(KeyboardInterrupt):
            store.ingest([copy_articles(tmp_path / "in", NAMES)])
        assert snapshot(store)["titles"] == []
        assert snapshot(store)["passages"] == 0
        with store.engine.connect() as conn:
            status, finished = conn.execute(select(IngestRun.status, IngestRun.finished_at)).one()
        assert status == "interrupted" and finished
