"""`entity_dates` (first and last seen per entity, behind `entity_overview`) stays equal to
what the mentions and document dates say: after ingest, after re-extraction that drops an
entity from a document, and when the migration fills it for an existing database."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text, update

from docstore import migrate
from docstore.cli import cli
from docstore.extract import get_extractor
from docstore.extract.types import DocumentInput, Extraction
from docstore.models import Document
from docstore.store import Store

ARTICLES = Path(__file__).resolve().parent / "corpus" / "articles"
NAMES = [
    "03_kremlin_putin_lukashenko_press_statements_oil_gas.txt",
    "12_kremlin_talks_with_lukashenko_oil_integration.txt",
    "14_kremlin_phone_call_lukashenko_after_election.txt",
]
KEY = "person:alexander-lukashenko"

# What first/last seen must be, from the mentions themselves.
EXPECTED = """
SELECT e.id, MIN(d.published_at), MAX(d.published_at)
FROM entities e
LEFT JOIN mentions m ON m.entity_id = e.id
LEFT JOIN documents d ON d.id = m.document_id AND d.published_at IS NOT NULL
GROUP BY e.id ORDER BY e.id
"""
ACTUAL = "SELECT entity_id, first_seen, last_seen FROM entity_overview ORDER BY entity_id"


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in NAMES:
        shutil.copy(ARTICLES / name, folder / name)
    # an undated article: its entities get no dates from it
    (folder / "undated.txt").write_text(
        "A note without a date\nNATO and the OSCE met in Vienna with Alexander Lukashenko.",
        encoding="utf-8",
    )
    return folder


def dates(store: Store, sql: str) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def lukashenko_dates(store: Store) -> tuple[str, str]:
    with store.engine.connect() as conn:
        row = conn.execute(
            text("SELECT first_seen, last_seen FROM entity_overview WHERE key = :k"), {"k": KEY}
        ).one()
    return row[0], row[1]


def test_ingest_keeps_first_and_last_seen(tmp_path: Path, db_url: str) -> None:
    with Store(db_url) as store:
        store.ingest([corpus(tmp_path)])
        expected = dates(store, EXPECTED)
        assert dates(store, ACTUAL) == expected
        undated_only = [row for row in expected if row[1] is None]
        assert undated_only, "the undated article should bring entities of its own"
        first, last = lukashenko_dates(store)
        assert first < last  # mentioned in articles of different dates


def test_reextract_recomputes_an_entity_a_document_drops(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(db_url) as store:
        store.ingest([corpus(tmp_path)])
        first, last = lukashenko_dates(store)
        with store.engine.begin() as conn:
            conn.execute(update(Document).values(extractor_version="0.1"))

    extractor = get_extractor()
    original = extractor.extract

    def without_lukashenko_in_the_latest(doc: DocumentInput, *a: Any, **k: Any) -> Extraction:
        result = original(doc, *a, **k)
        if doc.published_at != last:
            return result
        return replace(
            result,
            entities={key: e for key, e in result.entities.items() if key != KEY},
            mentions=[m for m in result.mentions if m.entity_key != KEY],
            statements=[
                s
                for s in result.statements
                if KEY not in (s.subject_key, s.object_key, s.speaker_key)
            ],
        )

    monkeypatch.setattr(extractor, "extract", without_lukashenko_in_the_latest)
    with Store(db_url) as store:
        report = store.reextract()
        assert not report.failed and len(report.done) == len(NAMES) + 1
        assert dates(store, ACTUAL) == dates(store, EXPECTED)
        new_first, new_last = lukashenko_dates(store)
        assert new_first == first and new_last < last


def test_migration_fills_dates_for_an_existing_database(tmp_path: Path, db_url: str) -> None:
    with Store(db_url) as store:
        store.ingest([corpus(tmp_path)])
        expected = dates(store, EXPECTED)
        migrate.downgrade(store.engine, "0003")
        with store.engine.connect() as conn:
            assert migrate.current_revision(conn) == "0003"
        migrate.upgrade(store.engine)
        assert dates(store, ACTUAL) == expected
        assert any(row[1] is not None for row in expected)


def test_rebuild_dates_command_restores_them(
    tmp_path: Path, db_url: str, runner: CliRunner
) -> None:
    with Store(db_url) as store:
        store.ingest([corpus(tmp_path)])
        expected = dates(store, EXPECTED)
        with store.engine.begin() as conn:  # changed behind docstore's back
            conn.execute(text("DELETE FROM entity_dates"))
        assert dates(store, ACTUAL) != expected
    result = runner.invoke(cli, ["db", "rebuild-dates", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "recomputed for" in result.stdout
    with Store(db_url) as store:
        assert dates(store, ACTUAL) == expected
