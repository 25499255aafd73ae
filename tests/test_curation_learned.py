"""The learned gazetteer: names analysts confirmed are entities for extraction itself, so
statements are extracted around them in new documents, with the judged entity and type; a
rejected entity's name yields no entity at all (both backends; worker processes too)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from docstore.cli import cli
from docstore.curation.learned import learned_from
from docstore.curation.records import JudgementData
from docstore.extract import get_extractor
from docstore.extract.learned import LearnedEntity, LearnedNames
from docstore.extract.types import DocumentInput
from docstore.store import IngestOptions, Store

# invented texts, written for these tests
FIRST = (
    "Gas payments questioned\n"
    "2 March 2020, 09:00\n"
    "Investigators in Kyiv questioned Burisma Holdings about its payments.\n"
    "Zorblax Kuvent met the investigators on Monday.\n"
)
VISIT = "Talks in {city}\n3 March 2020, 10:00\n{name} visited {city} and met Emmanuel Macron.\n"


def write(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def rows(store: Store, sql: str, **params: Any) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql), params)]


def entity_reading(store: Store, reading: str) -> dict[str, Any]:
    [found] = rows(
        store,
        "SELECT DISTINCT e.id, e.key, e.type FROM mentions m"
        " JOIN entities e ON e.id = m.entity_id WHERE m.text = :t",
        t=reading,
    )
    return found


def facts_of(store: Store, source: str) -> list[dict[str, Any]]:
    return rows(
        store,
        "SELECT f.subject_id, f.subject, f.predicate, f.object FROM statement_facts f"
        " JOIN documents d ON d.id = f.document_id WHERE d.source LIKE :s ORDER BY f.char_start",
        s=f"%{source}",
    )


def mentions_of(store: Store, source: str) -> list[tuple[str, str, str, str]]:
    found = rows(
        store,
        "SELECT m.text, e.key, m.label, m.method FROM mentions m"
        " JOIN entities e ON e.id = m.entity_id JOIN documents d ON d.id = m.document_id"
        " WHERE d.source LIKE :s ORDER BY m.char_start",
        s=f"%{source}",
    )
    return [(r["text"], r["key"], r["label"], r["method"]) for r in found]


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Iterator[Store]:
    with Store(db_url) as s:
        assert s.ingest([write(tmp_path / "in", "first.txt", FIRST)]).added == 1
        yield s


def test_alias_makes_statements_around_the_name_in_new_documents(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    holdings = entity_reading(store, "Burisma Holdings")
    later = write(tmp_path / "later", "visit.txt", VISIT.format(name="Some New Name", city="Paris"))
    # without the judgement, extraction does not know the name as Burisma Holdings
    [plain] = store.extract(later)
    assert not any(m.entity_key == holdings["key"] for m in plain.extraction.mentions)

    result = CliRunner().invoke(
        cli, ["alias", "add", holdings["key"], "Some New Name", "--db", db_url]
    )
    assert result.exit_code == 0, result.output
    assert store.ingest([later]).added == 1
    facts = facts_of(store, "visit.txt")
    assert [(f["subject_id"], f["predicate"], f["object"]) for f in facts] == [
        (holdings["id"], "visit", "Paris"),
        (holdings["id"], "meet", "Emmanuel Macron"),
    ]
    assert ("Some New Name", holdings["key"], "judgement") in {
        (t, k, method) for t, k, _, method in mentions_of(store, "visit.txt")
    }
    # the names are judgements, not a new extractor: no document became outdated
    assert store.reextract(outdated_only=True).done == []
    # and `docstore extract`, which has no database, still knows nothing of them
    [again] = store.extract(later)
    assert not any(m.entity_key == holdings["key"] for m in again.extraction.mentions)


def test_retyped_entity_keeps_its_type_in_new_documents(store: Store, tmp_path: Path) -> None:
    holdings = entity_reading(store, "Burisma Holdings")
    judged = "organization" if holdings["type"] != "organization" else "other"
    store.retype_entity(holdings["key"], judged)
    later = write(
        tmp_path / "later", "berlin.txt", VISIT.format(name="Burisma Holdings", city="Berlin")
    )
    assert store.ingest([later]).added == 1
    label = {"organization": "ORG", "other": "MISC"}[judged]
    assert ("Burisma Holdings", holdings["key"], label, "judgement") in mentions_of(
        store, "berlin.txt"
    )
    assert entity_reading(store, "Burisma Holdings")["type"] == judged
    assert [f["subject_id"] for f in facts_of(store, "berlin.txt")][:1] == [holdings["id"]]


def test_rejected_name_yields_no_entity_and_no_statement(store: Store, tmp_path: Path) -> None:
    rejected = entity_reading(store, "Zorblax Kuvent")
    # the name again, once where extraction types it otherwise (another key)
    body = VISIT.format(name="Zorblax Kuvent", city="Rome")
    body += "More talks were held at Zorblax Kuvent on Tuesday.\n"
    later = write(tmp_path / "later", "rome.txt", body)
    [plain] = store.extract(later)
    keys = {m.entity_key for m in plain.extraction.mentions if m.text == "Zorblax Kuvent"}
    assert keys - {rejected["key"]}, keys  # the entity's own key alone would be dropped anyway

    store.reject_entity(rejected["key"])
    assert store.ingest([later]).added == 1
    assert not any("Zorblax" in t for t, _, _, _ in mentions_of(store, "rome.txt"))
    assert rows(store, "SELECT key FROM entities WHERE name LIKE '%Zorblax%'") == []
    facts = facts_of(store, "rome.txt")
    assert not any("Zorblax" in (f["subject"] or "") + (f["object"] or "") for f in facts)


def test_worker_processes_use_the_learned_names(sqlite_path: str, tmp_path: Path) -> None:
    with Store(sqlite_path) as store:
        assert store.ingest([write(tmp_path / "in", "first.txt", FIRST)]).added == 1
        holdings = entity_reading(store, "Burisma Holdings")
        store.add_alias(holdings["key"], "Some New Name")
        files = [
            write(tmp_path / "later", f"{city}.txt", VISIT.format(name="Some New Name", city=city))
            for city in ("Paris", "Berlin")
        ]
        assert store.ingest(files, IngestOptions(workers=2)).added == 2
        for path in files:
            facts = facts_of(store, path.name)
            assert facts and all(f["subject_id"] == holdings["id"] for f in facts), facts


def test_learned_names_follow_later_judgements() -> None:
    """Replayed in order: an alias follows its entity into a merge; a retype types it; a
    rejected entity's names name nothing; an undone judgement counts for nothing."""
    a = {"key": "other:a", "name": "Alpha", "type": "other", "aliases": []}
    b = {"key": "org:b", "name": "Beta", "type": "organization", "aliases": []}
    c = {"key": "person:c", "name": "Gamma", "type": "person", "aliases": []}

    def j(kind: str, target: dict[str, Any], when: str, **args: Any) -> JudgementData:
        return JudgementData(
            kind, target["key"], {"entity": target, **args}, author="t", created_at=when
        )

    undone = j("alias_add", c, "5", alias="Delta")
    undone.undone_at = "6"
    learned = learned_from(
        [
            j("alias_add", a, "1", alias="the alpha group"),
            j("entity_merge", b, "2", others=[a]),
            j("entity_retype", b, "3", type="place"),
            j("entity_reject", c, "4"),
            undone,
        ]
    )
    assert dict(learned.forms) == {"the alpha group": "org:b", "Alpha": "org:b", "Beta": "org:b"}
    assert learned.entity("org:b") == LearnedEntity("org:b", "Beta", "place")
    assert learned.rejected == ("Gamma",)


def test_extractor_sets_names_per_call_and_keeps_longer_names() -> None:
    extractor = get_extractor()
    body = "Rudy Giuliani met the Union delegation and Giuliani spoke to the European Union."
    doc = DocumentInput(body, ())
    learned = LearnedNames(
        forms=(("Union", "org:union-state"), ("Giuliani", "person:giuliani")),
        entities=(
            LearnedEntity("org:union-state", "Union State", "organization"),
            LearnedEntity("person:giuliani", "Giuliani", "person"),
        ),
    )
    with_names = {
        (m.text, m.entity_key, m.method) for m in extractor.extract(doc, learned=learned).mentions
    }
    assert ("Union", "org:union-state", "judgement") in with_names
    assert ("Giuliani", "person:giuliani", "judgement") in with_names
    # never cut out of a longer name: the gazetteer's, or one the rules read whole
    assert {t for t, _, _ in with_names} >= {"Rudy Giuliani", "European Union"}
    without = {(m.text, m.method) for m in extractor.extract(doc).mentions}
    assert not any(method == "judgement" for _, method in without)


def test_titles_and_common_words_do_not_make_a_learned_name_longer() -> None:
    learned = LearnedNames(
        forms=(("Some New Name", "org:x"),),
        entities=(LearnedEntity("org:x", "X", "organization"),),
    )
    for body in (
        "Minister Some New Name said the talks went well.",
        "Yesterday Some New Name visited Paris.",
        "Ukrainian Some New Name visited Paris.",
    ):
        result = get_extractor().extract(DocumentInput(body, ()), learned=learned)
        assert ("Some New Name", "org:x") in {(m.text, m.entity_key) for m in result.mentions}
        assert [s.subject_key for s in result.statements] == ["org:x"], body
    # a capitalized word that is no title makes it another, longer name
    longer = get_extractor().extract(
        DocumentInput("Some New Name Foundation said so.", ()), learned=learned
    )
    assert not any(m.entity_key == "org:x" for m in longer.mentions)
