"""Entities and statements as stored: one row per real-world thing across documents, and
the seed's statements visible through the views, on every backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from docstore.store import Store

ARTICLES = Path(__file__).resolve().parent / "corpus" / "articles"
LUKASHENKO_ARTICLES = [
    ARTICLES / "03_kremlin_putin_lukashenko_press_statements_oil_gas.txt",
    ARTICLES / "12_kremlin_talks_with_lukashenko_oil_integration.txt",
    ARTICLES / "14_kremlin_phone_call_lukashenko_after_election.txt",
]


def q(store: Store, sql: str, **params: object) -> list[tuple]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


@pytest.fixture
def seed_store(db_url: str, seed_path: Path) -> Store:
    store = Store(db_url)
    report = store.ingest([seed_path])
    assert report.added == 1
    return store


def test_transliterations_and_short_forms_are_one_entity_across_documents(
    db_url: str, seed_path: Path
) -> None:
    store = Store(db_url)
    report = store.ingest([seed_path, *LUKASHENKO_ARTICLES])
    assert (report.added, report.failed) == (4, 0)
    forms = q(
        store,
        "SELECT DISTINCT e.key, m.text FROM mentions m JOIN entities e ON e.id = m.entity_id "
        "WHERE m.text IN ('Lukashenka', 'Lukashenko', 'Alexander Lukashenko')",
    )
    assert {key for key, _ in forms} == {"person:alexander-lukashenko"}
    assert {"Lukashenka", "Lukashenko"} <= {form for _, form in forms}
    docs = q(
        store,
        "SELECT COUNT(DISTINCT m.document_id) FROM mentions m JOIN entities e"
        " ON e.id = m.entity_id WHERE e.key = 'person:alexander-lukashenko'",
    )
    assert docs == [(4,)]
    putin = q(
        store,
        "SELECT DISTINCT e.key FROM mentions m JOIN entities e ON e.id = m.entity_id "
        "WHERE m.text IN ('Putin', 'Vladimir Putin')",
    )
    assert putin == [("person:vladimir-putin",)]
    aliases = {
        a
        for (a,) in q(
            store,
            "SELECT a.normalized FROM entity_aliases a JOIN entities e ON e.id = a.entity_id"
            " WHERE e.key = 'person:alexander-lukashenko'",
        )
    }
    assert {"lukashenka", "lukashenko"} <= aliases
    assert q(store, "SELECT COUNT(*) FROM entities WHERE key LIKE 'person:%lukashenk%'") == [(1,)]
    store.close()


def test_seed_entities(seed_store: Store) -> None:
    by_key = dict(
        q(
            seed_store,
            "SELECT e.key, COUNT(m.id) FROM entities e JOIN mentions m ON m.entity_id = e.id"
            " GROUP BY e.key",
        )
    )
    for key in ("country:by", "country:us", "country:ru", "country:pl", "org:nato", "place:minsk"):
        assert by_key.get(key), key
    assert by_key["person:michael-carpenter"] == 2
    assert by_key["person:alexander-lukashenko"] == 5
    us_forms = {
        t
        for (t,) in q(
            seed_store,
            "SELECT m.text FROM mentions m JOIN entities e"
            " ON e.id = m.entity_id WHERE e.key = 'country:us'",
        )
    }
    assert {"US", "USA", "United States"} <= us_forms
    norp = q(
        seed_store,
        "SELECT DISTINCT e.key FROM mentions m JOIN entities e ON e.id = m.entity_id"
        " WHERE m.text = 'Belarusian' AND m.label = 'NORP'",
    )
    assert norp == [("country:by",)]
    names = {n for (n,) in q(seed_store, "SELECT m.text FROM mentions m")}
    assert not names & {"Interestingly", "Presumably", "According", "During"}


def test_seed_statements_through_views(seed_store: Store) -> None:
    facts = q(
        seed_store,
        "SELECT subject, predicate, object, polarity, modality, speaker, date, quote"
        " FROM statement_facts",
    )
    visits = [f for f in facts if f[0] == "Michael Carpenter" and f[1] == "visit"]
    assert {f[2] for f in visits} & {"Belarus", "Minsk"}
    assert all(f[6].startswith("2016-04-07") for f in visits)
    assert any("visited Belarus" in f[7] for f in visits)
    attaches = [f for f in facts if f[1] == "propose" and f[0] == "United States"]
    assert attaches and "exchange military attachés" in attaches[0][2]
    troops = [f for f in facts if "send her troops" in (f[2] or "")]
    assert troops and troops[0][3] == "negative"
    assert troops[0][5] == "Alexander Lukashenko"
    meetings = q(seed_store, "SELECT subject, predicate, object FROM interactions")
    assert ("Michael Carpenter", "meet", "Alexander Lukashenko") in meetings
    position = q(
        seed_store,
        "SELECT object_text FROM statement_facts WHERE subject = 'Michael Carpenter'"
        " AND predicate = 'holds_position'",
    )
    assert position == [("US Deputy Assistant Secretary of Defence",)]


def test_negated_clauses_never_store_positive_statements(seed_store: Store) -> None:
    rows = q(
        seed_store,
        "SELECT polarity, COALESCE(object_text, ''), quote FROM statements"
        " WHERE predicate <> 'say'",  # saying a negative thing is a positive 'say'
    )
    for polarity, object_text, _quote in rows:
        # "...should not be regarded as a sign of US special interest"; "would not send her
        # troops anywhere": whatever is stored of these clauses carries the negation.
        if "special interest" in object_text or "send her troops" in object_text:
            assert polarity == "negative", object_text
    assert any(p == "negative" for p, _, _ in rows)


def test_short_form_links_to_person_stored_earlier(db_url: str, tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    first.write_text(
        "Envoy arrives in Vilnius\n3 August 2020\n"
        "Senior diplomat Dr. Jonathan Whitcombe said the talks in Vilnius went well.",
        encoding="utf-8",
    )
    second = tmp_path / "b.txt"
    second.write_text(
        "Talks resume\n5 August 2020\nWhitcombe said on Wednesday that the talks would resume.",
        encoding="utf-8",
    )
    store = Store(db_url)
    assert store.ingest([first]).added == 1
    assert store.ingest([second]).added == 1
    keys = q(
        store,
        "SELECT DISTINCT e.key FROM mentions m JOIN entities e ON e.id = m.entity_id"
        " WHERE m.text LIKE '%Whitcombe'",
    )
    assert keys == [("person:jonathan-whitcombe",)]
    store.close()
