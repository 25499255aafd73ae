"""Curation: each kind of judgement changes stored rows, survives `reextract --all`, applies
to documents ingested later, and is undone as if it had never been made (both backends)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from docstore.curation.actions import CurationError
from docstore.models import Document, Entity, EntityAlias, Judgement, Mention, Statement
from docstore.store import Store

ROOT = Path(__file__).resolve().parent
ARTICLES = ROOT / "corpus" / "articles"
LATER = ROOT / "data" / "curation"
HOUSE = "06_wikinews_house_subpoena_pompeo_volker_resigns.txt"
UNION = "02_kremlin_union_state_council_minsk_statements.txt"


def ingest(store: Store, folder: Path, *names: str, source: Path = ARTICLES) -> None:
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(source / name, folder / name)
    report = store.ingest([folder / n for n in names])
    assert report.failed == 0, report.errors


def keys_of_mentions(store: Store, text_: str) -> set[str]:
    """The entity keys of the mentions that read `text_`."""
    with store.engine.connect() as conn:
        return set(
            conn.execute(
                select(Entity.key)
                .join(Mention, Mention.entity_id == Entity.id)
                .where(Mention.text == text_)
            ).scalars()
        )


def entity(store: Store, key: str) -> dict[str, Any] | None:
    with store.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT key, name, type, wikidata_id, mentions, aliases FROM entity_overview"
                " WHERE key = :k"
            ),
            {"k": key},
        ).first()
    return dict(row._mapping) if row is not None else None


def state(store: Store) -> dict[str, Any]:
    """Everything judgements change, without row ids."""
    with store.engine.connect() as conn:
        overview = conn.execute(
            text(
                "SELECT key, name, type, country, wikidata_id, mentions, documents,"
                " statements_as_subject, statements_as_object, first_seen, last_seen, aliases"
                " FROM entity_overview"
            )
        ).all()
        facts = conn.execute(
            text(
                "SELECT subject, predicate, object, polarity, modality, speaker, date, quote,"
                " char_start, char_end, status FROM statement_facts"
            )
        ).all()
    return {"overview": sorted(map(tuple, overview)), "facts": sorted(map(tuple, facts), key=repr)}


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Any:
    with Store(db_url) as s:
        ingest(s, tmp_path / "in", HOUSE, UNION)
        yield s


def house(store: Store) -> tuple[str, set[str]]:
    """The key of the House of Representatives and the entities extraction made of its
    short name "House" (whatever keys the extractor gives them)."""
    [full] = keys_of_mentions(store, "United States House of Representatives")
    others = keys_of_mentions(store, "House") - {full}
    assert others, "extraction now links House by itself: pick another pair to merge"
    return full, others


def holdings_key(store: Store) -> str:
    [key] = keys_of_mentions(store, "Burisma Holdings")
    return key


def test_merge_reaches_stored_and_later_documents_and_undoes(store: Store, tmp_path: Path) -> None:
    before = state(store)
    full, others = house(store)
    found_before = keys_of_mentions(store, "House")
    effect = store.merge_entities(full, sorted(others), author="alice")
    assert effect.documents >= 1
    assert keys_of_mentions(store, "House") == {full}
    for other in others:
        assert entity(store, other) is None  # shown once
    merged = entity(store, full)
    assert merged is not None and "House" in merged["aliases"].split("; ")

    store.reextract(outdated_only=False)
    assert keys_of_mentions(store, "House") == {full}
    ingest(store, tmp_path / "later", "01_burisma_inquiry.txt", source=LATER)
    assert not keys_of_mentions(store, "House") & others

    store.undo_judgement(effect.judgement_id, author="bob")
    with store.engine.connect() as conn:
        undone = conn.execute(select(Judgement.undone_at, Judgement.undone_by)).one()
        assert undone[0] is not None and undone[1] == "bob"
    # Undone, and the later article gone: as if the merge had never been made.
    later = "(SELECT id FROM documents WHERE source LIKE '%burisma_inquiry%')"
    with store.engine.begin() as conn:
        for table in ("mentions", "statements", "passages"):
            conn.execute(text(f"DELETE FROM {table} WHERE document_id IN {later}"))
        conn.execute(text(f"DELETE FROM documents WHERE id IN {later}"))
    from docstore.writer import rebuild_entity_dates

    with store.engine.begin() as conn:
        rebuild_entity_dates(conn)
    assert keys_of_mentions(store, "House") == found_before
    involved = others | {full}
    after = state(store)
    assert [r for r in after["overview"] if r[0] in involved] == [
        r for r in before["overview"] if r[0] in involved
    ]


def test_reject_entity_keeps_it_out_of_everything(store: Store, tmp_path: Path) -> None:
    store.reject_entity("person:republican", note="a party member, not a name")
    assert entity(store, "person:republican") is None
    assert keys_of_mentions(store, "Republican") == set()
    store.reextract(outdated_only=False)
    ingest(store, tmp_path / "later", "03_house_vote.txt", source=LATER)
    assert keys_of_mentions(store, "Republican") == set()
    assert entity(store, "person:republican") is None
    [judgement] = store.list_judgements()
    store.undo_judgement(judgement.id)  # type: ignore[arg-type]
    # Back in the stored article and in the one ingested while it was rejected.
    found = entity(store, "person:republican")
    assert found is not None and found["mentions"] == 2


def test_rename_retype_link_survive_and_undo(store: Store, tmp_path: Path) -> None:
    holdings = holdings_key(store)
    first_type = entity(store, holdings)["type"]  # type: ignore[index]
    rename = store.rename_entity("Burisma Holdings", "Burisma Holdings Ltd", author="alice")
    retype = store.retype_entity(holdings, "organization")
    store.link_entity(holdings, "Q16960862")
    store.reextract(outdated_only=False)
    ingest(store, tmp_path / "later", "01_burisma_inquiry.txt", source=LATER)
    row = entity(store, holdings)
    assert row is not None
    assert (row["name"], row["type"], row["wikidata_id"]) == (
        "Burisma Holdings Ltd",
        "organization",
        "Q16960862",
    )
    store.undo_judgement(rename.judgement_id)
    store.undo_judgement(retype.judgement_id)
    row = entity(store, holdings)
    assert row is not None
    assert (row["name"], row["type"], row["wikidata_id"]) == (
        "Burisma Holdings",
        first_type,
        "Q16960862",
    )
    assert "Burisma Holdings Ltd" not in (row["aliases"] or "")
    with pytest.raises(CurationError, match="not one of"):
        store.retype_entity(holdings, "vegetable")
    with pytest.raises(CurationError, match="Wikidata id"):
        store.link_entity(holdings, "184")


def test_alias_add_resolves_later_mentions_and_undoes(store: Store, tmp_path: Path) -> None:
    effect = store.add_alias("org:union-state", "Union")
    assert keys_of_mentions(store, "Union") == {"org:union-state"}
    assert entity(store, "other:union") is None
    store.reextract(outdated_only=False)
    ingest(store, tmp_path / "later", "02_union_budget.txt", source=LATER)
    assert keys_of_mentions(store, "Union") == {"org:union-state"}
    with store.engine.connect() as conn:
        source = conn.execute(
            select(EntityAlias.source)
            .join(Entity, Entity.id == EntityAlias.entity_id)
            .where(Entity.key == "org:union-state", EntityAlias.alias == "Union")
        ).scalar_one()
    assert source == "manual"
    store.undo_judgement(effect.judgement_id)
    # As if the alias had never been added: what a fresh re-extraction gives.
    undone = keys_of_mentions(store, "Union")
    assert undone and "org:union-state" not in undone
    store.reextract(outdated_only=False)
    assert keys_of_mentions(store, "Union") == undone
    row = entity(store, "org:union-state")
    assert row is not None and "Union;" not in (row["aliases"] + ";")


def test_alias_remove_and_split(store: Store, tmp_path: Path) -> None:
    store.remove_alias("person:rudy-giuliani", "Giuliani")
    assert keys_of_mentions(store, "Giuliani") == set()
    assert keys_of_mentions(store, "Rudy Giuliani") == {"person:rudy-giuliani"}
    with pytest.raises(CurationError, match="not an alias"):
        store.remove_alias("person:rudy-giuliani", "Nobody")
    [removed] = store.list_judgements()
    store.undo_judgement(removed.id)  # type: ignore[arg-type]
    assert keys_of_mentions(store, "Giuliani") == {"person:rudy-giuliani"}

    split = store.split_entity("person:rudy-giuliani", "Giuliani")
    assert keys_of_mentions(store, "Giuliani") == {"person:giuliani"}
    assert keys_of_mentions(store, "Rudy Giuliani") == {"person:rudy-giuliani"}
    store.reextract(outdated_only=False)
    assert keys_of_mentions(store, "Giuliani") == {"person:giuliani"}
    store.undo_judgement(split.judgement_id)
    assert keys_of_mentions(store, "Giuliani") == {"person:rudy-giuliani"}
    assert entity(store, "person:giuliani") is None


# Statements whose identity (document, offsets, predicate) no other statement shares, so
# that a judgement on one touches that one only; whatever the extractor finds.
UNIQUE_STATEMENTS = """
    SELECT MIN(s.id) FROM statements s
    GROUP BY s.document_id, s.char_start, s.char_end, s.predicate
    HAVING COUNT(*) = 1 ORDER BY MIN(s.id)
"""
FACT = "SELECT subject, predicate, object, polarity, status FROM statement_facts"


def unique_statements(store: Store) -> list[int]:
    with store.engine.connect() as conn:
        return [int(i) for i in conn.execute(text(UNIQUE_STATEMENTS)).scalars()]


def fact(store: Store, statement: int) -> tuple[Any, ...]:
    with store.engine.connect() as conn:
        return tuple(
            conn.execute(text(FACT + " WHERE statement_id = :id"), {"id": statement}).one()
        )


def test_statement_judgements_survive_reextract(store: Store) -> None:
    first, second, third = unique_statements(store)[:3]
    rejected_fact = fact(store, first)
    verified = fact(store, second)[:4] + ("verified",)
    edited = (fact(store, third)[0], "meet", "Mike Pompeo", "negative", "auto")
    store.reject_statement(first)
    store.verify_statement(second)
    store.edit_statement(third, predicate="meet", polarity="negative", object_="Mike Pompeo")
    with store.engine.connect() as conn:
        assert conn.execute(select(Statement.status).where(Statement.id == first)).scalar() == (
            "rejected"
        )
    for _ in range(2):
        with store.engine.connect() as conn:
            facts = conn.execute(text(FACT)).all()
            counts = select(Statement.status, func.count()).group_by(Statement.status)
            statuses = {status: n for status, n in conn.execute(counts)}
        assert rejected_fact not in facts
        assert (statuses["rejected"], statuses["verified"]) == (1, 1)
        assert verified in facts
        assert edited in facts
        store.reextract(outdated_only=False)
    with pytest.raises(CurationError, match="unknown predicate"):
        store.edit_statement(unique_statements(store)[0], predicate="teleport")


def test_document_delete_skips_it_at_ingest_and_undo_restores_it(
    store: Store, tmp_path: Path
) -> None:
    with store.engine.connect() as conn:
        uid, title = conn.execute(
            select(Document.uid, Document.title).where(Document.source.like(f"%{UNION}"))
        ).one()
    original = state(store)
    effect = store.delete_document(uid)
    with store.engine.connect() as conn:
        assert conn.execute(select(Document.id).where(Document.uid == uid)).first() is None
        assert conn.execute(select(func.count()).select_from(Judgement)).scalar() == 1
        log = conn.execute(text("SELECT kind, target_name FROM judgement_log")).one()
    assert tuple(log) == ("document_delete", title)
    report = store.ingest([tmp_path / "in" / UNION])
    assert report.added == 0 and "deleted by judgement" in report.outcomes[0].message
    assert state(store) != original
    store.undo_judgement(effect.judgement_id)  # stored again from what the judgement kept
    with store.engine.connect() as conn:
        assert conn.execute(select(Document.title).where(Document.uid == uid)).scalar() == title
    assert state(store) == original
    assert store.ingest([tmp_path / "in" / UNION]).skipped == 1


def test_ambiguous_and_unknown_names_are_one_line_errors(store: Store) -> None:
    with pytest.raises(CurationError, match="no entity matches"):
        store.rename_entity("Atlantis", "X")
    with store.engine.begin() as conn:  # a second entity known as "Union"
        conn.execute(
            text(
                "INSERT INTO entity_aliases (entity_id, alias, normalized, source)"
                " SELECT id, 'Union', 'union', 'manual' FROM entities WHERE key = 'org:union-state'"
            )
        )
    with pytest.raises(CurationError, match="ambiguous") as caught:
        store.retype_entity("Union", "organization")
    message = str(caught.value)
    assert "\n" not in message and "org:union-state" in message and "other:union" in message
    store.retype_entity("other:union", "organization")  # by key: unambiguous


def test_export_import_round_trip_is_idempotent(store: Store, tmp_path: Path, db_url: str) -> None:
    full, others = house(store)
    store.merge_entities(full, sorted(others), author="alice")
    store.reject_entity("person:republican", author="alice")
    renamed = store.rename_entity("person:kurt-volker", "Kurt D. Volker", author="alice")
    store.undo_judgement(renamed.judgement_id)
    path = tmp_path / "alice.jsonl"
    assert store.export_judgements(path) == 3
    fresh = tmp_path / "fresh.db"
    with Store(str(fresh)) as other:
        ingest(other, tmp_path / "in2", HOUSE, UNION)
        report = other.import_judgements(path)
        assert (report.added, report.conflicts) == (3, [])
        assert state(other) == state(store)
        again = other.import_judgements(path)
        assert (again.added, again.undone, again.unchanged) == (0, 0, 3)
        assert state(other) == state(store)
        # Bob renames differently; importing Alice's rename is reported as a conflict.
        other.rename_entity("person:kurt-volker", "Volker", author="bob")
        store.rename_entity("person:kurt-volker", "K. Volker", author="alice")
        store.export_judgements(path)
        report = other.import_judgements(path)
        assert report.added == 1 and len(report.conflicts) == 1
        assert entity(other, "person:kurt-volker")["name"] == "K. Volker"  # type: ignore[index]


def test_concurrent_judgements_lose_nothing(db_url: str, tmp_path: Path) -> None:
    """Two analysts (two connections) judging the same entity at once."""
    with Store(db_url) as setup:
        ingest(setup, tmp_path / "in", UNION)
    errors: list[BaseException] = []

    def analyst(name: str) -> None:
        try:
            with Store(db_url) as mine:
                for i in range(4):
                    mine.add_alias("org:union-state", f"{name} union {i}", author=name)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=analyst, args=(n,)) for n in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(db_url) as check:
        assert len(check.list_judgements()) == 8
        row = entity(check, "org:union-state")
        assert row is not None
        for name in ("alice", "bob"):
            for i in range(4):
                assert f"{name} union {i}" in row["aliases"]


def test_learned_gazetteer_finds_judged_names_extraction_misses(
    store: Store, tmp_path: Path
) -> None:
    """A judged alias that the extractor does not recognize as a name at all is found in
    later articles, as the entity judged and typed as judged."""
    holdings = holdings_key(store)
    store.retype_entity(holdings, "organization")
    store.add_alias(holdings, "the gas company")
    later = tmp_path / "later"
    later.mkdir()
    (later / "gas.txt").write_text(
        "Inquiry into gas payments\n"
        "3 March 2020, 10:00\n"
        "Investigators said the gas company had paid consultants in Kyiv.\n"
        "Nobody at the gas company answered questions on Tuesday.\n"
    )
    assert store.ingest([later / "gas.txt"]).added == 1
    with store.engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT m.text, e.key, m.label, m.method FROM mentions m"
                " JOIN entities e ON e.id = m.entity_id"
                " JOIN documents d ON d.id = m.document_id"
                " WHERE d.source LIKE '%gas.txt' AND m.text = 'the gas company'"
            )
        ).all()
    assert [tuple(r) for r in found] == [("the gas company", holdings, "ORG", "judgement")] * 2
    [alias] = [j for j in store.list_judgements() if j.kind == "alias_add"]
    store.undo_judgement(alias.id)  # type: ignore[arg-type]
    with store.engine.connect() as conn:
        left = conn.execute(
            text("SELECT COUNT(*) FROM mentions WHERE text = 'the gas company'")
        ).scalar()
    assert left == 0


def test_judgements_survive_a_schema_downgrade_and_upgrade(store: Store) -> None:
    """Judgements live in their own table from revision 0005 on: taking the schema back to
    0005 and up again (every later migration replayed, ingest_runs rebuilt on SQLite) keeps
    them, and they still apply to a full re-extraction afterwards."""
    full, others = house(store)
    store.merge_entities(full, sorted(others), author="alice")
    store.retype_entity(holdings_key(store), "other", author="alice")
    judged = state(store)
    with store.engine.connect() as conn:
        kept = conn.execute(select(Judgement.kind, Judgement.author).order_by(Judgement.id)).all()
    store.downgrade("0005")
    store.upgrade()
    with store.engine.connect() as conn:
        assert (
            conn.execute(select(Judgement.kind, Judgement.author).order_by(Judgement.id)).all()
            == kept
        )
    store.reextract(outdated_only=False)
    assert keys_of_mentions(store, "House") == {full}
    assert state(store) == judged
