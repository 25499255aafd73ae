"""`docstore reextract`: recompute mentions and statements of stored documents from their
stored text after the extractor changed, keeping document and passage ids."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, select, update

from docstore.cli import cli
from docstore.extract import get_extractor
from docstore.models import Document, Entity, Mention, Passage, Statement
from docstore.store import Store

ARTICLES = Path(__file__).resolve().parent / "corpus" / "articles"
NAMES = [
    "03_kremlin_putin_lukashenko_press_statements_oil_gas.txt",
    "05_wikinews_trump_ousts_bolton.txt",
    "14_kremlin_phone_call_lukashenko_after_election.txt",
]


def folder_of(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name in NAMES:
        shutil.copy(ARTICLES / name, folder / name)
    return folder


def extraction_of(store: Store) -> dict[str, Any]:
    """Mentions and statements by document title, with entity keys rather than ids."""
    with store.engine.connect() as conn:
        mentions = conn.execute(
            select(Document.title, Mention.char_start, Mention.char_end, Mention.label, Entity.key)
            .join(Document, Document.id == Mention.document_id)
            .join(Entity, Entity.id == Mention.entity_id)
        ).all()
        statements = conn.execute(
            select(
                Document.title, Statement.predicate, Statement.char_start, Statement.char_end
            ).join(Document, Document.id == Statement.document_id)
        ).all()
    return {"mentions": sorted(map(tuple, mentions)), "statements": sorted(map(tuple, statements))}


def ids_of(store: Store, table: Any) -> list[int]:
    with store.engine.connect() as conn:
        return sorted(conn.execute(select(table.id)).scalars())


def mention_ids(store: Store, doc_id: int) -> set[int]:
    with store.engine.connect() as conn:
        return set(conn.execute(select(Mention.id).where(Mention.document_id == doc_id)).scalars())


def test_reextract_outdated_touches_only_those(tmp_path: Path, db_url: str) -> None:
    folder = folder_of(tmp_path)
    with Store(str(tmp_path / "fresh.db")) as fresh:
        fresh.ingest([folder])
        expected = extraction_of(fresh)
    assert expected["mentions"], "the extractor found nothing to compare"

    with Store(db_url) as store:
        store.ingest([folder])
        docs, passages = ids_of(store, Document), ids_of(store, Passage)
        old, kept = docs[:2], docs[2]
        kept_mentions = mention_ids(store, kept)
        with store.engine.begin() as conn:  # an older extractor wrote these two, badly
            conn.execute(
                update(Document).where(Document.id.in_(old)).values(extractor_version="0.1")
            )
            conn.execute(delete(Statement).where(Statement.document_id == old[0]))
            conn.execute(delete(Mention).where(Mention.document_id == old[0]))
            conn.execute(update(Mention).where(Mention.document_id == old[1]).values(label="MISC"))
        assert extraction_of(store) != expected

    result = CliRunner().invoke(cli, ["reextract", "--outdated", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "re-extracted 2 document(s)" in result.stdout

    with Store(db_url, upgrade=False) as store:
        assert ids_of(store, Document) == docs and ids_of(store, Passage) == passages
        assert mention_ids(store, kept) == kept_mentions  # untouched
        assert extraction_of(store) == expected
        with store.engine.connect() as conn:
            versions = set(conn.execute(select(Document.extractor_version)).scalars())
        assert versions == {get_extractor().version}

    # Nothing is outdated now; --all redoes everything, to the same result.
    result = CliRunner().invoke(cli, ["reextract", "--db", db_url])
    assert "re-extracted 0 document(s)" in result.stdout
    result = CliRunner().invoke(cli, ["reextract", "--all", "--db", db_url])
    assert result.exit_code == 0 and "re-extracted 3 document(s)" in result.stdout
    with Store(db_url, upgrade=False) as store:
        assert mention_ids(store, kept).isdisjoint(kept_mentions)
        assert ids_of(store, Document) == docs
        assert extraction_of(store) == expected


def test_reextract_failure_keeps_old_results(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One document whose extraction fails keeps what it had; the others go on."""
    with Store(db_url) as store:
        store.ingest([folder_of(tmp_path)])
        before = extraction_of(store)
        docs = ids_of(store, Document)
        with store.engine.begin() as conn:
            conn.execute(update(Document).values(extractor_version="0.1"))

    extractor = get_extractor()
    original = extractor.extract

    def flaky(doc: Any, *args: Any, **kwargs: Any) -> Any:
        if "Bolton" in doc.body[:200]:
            raise ValueError("extractor bug")
        return original(doc, *args, **kwargs)

    monkeypatch.setattr(extractor, "extract", flaky)
    result = CliRunner().invoke(cli, ["reextract", "--db", db_url])
    assert result.exit_code == 1
    assert result.stderr.count("error: ") == 1 and "extractor bug" in result.stderr
    assert "re-extracted 2 document(s)" in result.stdout and "1 failed" in result.stdout
    with Store(db_url, upgrade=False) as store:
        assert extraction_of(store) == before
        with store.engine.connect() as conn:
            versions = dict(conn.execute(select(Document.title, Document.extractor_version)).all())
        assert sorted(versions.values()) == sorted(["0.1", extractor.version, extractor.version])
        assert ids_of(store, Document) == docs
