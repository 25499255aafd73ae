"""Full-text search: ranking, snippets, the entity filter, and input that cannot break it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from known_rows import populate

from docstore.cli import cli
from docstore.search import SearchError, fts5_query, phrases
from docstore.store import Store

AWKWARD = [
    '"military attachés"',
    "NATO's",
    "NATO’s",
    "a AND (",
    "OR",
    "NOT NEAR(",
    "col:umn * ^start",
    '"unbalanced',
    "'); DROP TABLE passages; --",
    "%_\\",
    "Belarus\tMinsk\n",
]


def test_fts5_query_quotes_every_phrase() -> None:
    assert fts5_query("military attachés") == '"military" "attachés"'
    assert fts5_query('"military attachés" Belarus') == '"military attachés" "Belarus"'
    assert fts5_query('say "hi"there') == '"say" "hi" "there"'
    assert fts5_query("a AND (") == '"a" "AND"'
    assert phrases("( ) - *") == []


def test_search_finds_the_seed_passage(db_url: str, seed_path: Path, runner: CliRunner) -> None:
    store = Store(db_url)
    store.ingest([seed_path])
    hits = store.search("military attachés")
    assert hits
    assert "[military] [attachés]" in hits[0].snippet or "[military attachés]" in hits[0].snippet
    assert hits[0].title.startswith("No strategic relations between Belarus")
    assert hits[0].published_at.startswith("2016-04-07")
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:], strict=False))
    for text in AWKWARD:
        store.search(text)  # never a syntax error
    with pytest.raises(SearchError):
        store.search("( ) *")
    result = runner.invoke(cli, ["search", "military attachés", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "military" in result.output and "2016-04-07" in result.output
    result = runner.invoke(cli, ["search", "a AND (", "--db", db_url, "--limit", "1"])
    assert result.exit_code == 0, result.output
    store.close()


def test_search_ranks_filters_and_limits(db_url: str, runner: CliRunner) -> None:
    store = Store(db_url)
    known = populate(store.engine)
    hits = store.search("Belarus")
    assert {h.document_id for h in hits} == set(known.documents)
    assert all("[Belarus" in h.snippet for h in hits)
    assert len(store.search("Belarus", limit=2)) == 2
    only = store.search("Belarus", entity_ids=[known.entity["putin"]])
    assert {h.document_id for h in only} == {known.documents[1]}
    assert store.search('"met Vladimir Putin"')[0].passage_id == known.passages[1][1]
    assert store.search('"Putin met"') == []  # a phrase keeps its order

    result = runner.invoke(
        cli, ["search", "Belarus", "--entity", "Lukashenka", "--json", "--db", db_url]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert {h["document_id"] for h in payload} == set(known.documents[:2])
    assert set(payload[0]) >= {"title", "published_at", "snippet", "score", "passage_id"}

    missing = runner.invoke(cli, ["search", "Belarus", "--entity", "Atlantis", "--db", db_url])
    assert missing.exit_code == 1
    assert "no entity matches 'Atlantis'" in missing.output
    store.close()


def test_search_ignores_accents_on_every_backend(db_url: str, seed_path: Path) -> None:
    store = Store(db_url)
    store.ingest([seed_path])
    for typed in ("military attaches", "MILITARY ATTACHÉS", '"military attaches"'):
        hits = store.search(typed)
        assert hits, typed
        assert "attachés" in hits[0].snippet and "[military" in hits[0].snippet, typed
    store.close()
