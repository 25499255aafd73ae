"""Within-document short forms and cross-document linking through `AliasLookup`."""

from __future__ import annotations

import pytest

from docstore.article import Article, Block, layout
from docstore.extract import Extractor, get_extractor
from docstore.extract.normalize import normalize
from docstore.extract.types import DocumentInput, EntityRecord, Extraction


class FakeStore:
    """Stands in for the store: entities by normalized alias."""

    def __init__(self, *records: EntityRecord) -> None:
        self.calls: list[str] = []
        self.by_alias: dict[str, list[EntityRecord]] = {}
        for r in records:
            for alias, _ in r.aliases:
                self.by_alias.setdefault(normalize(alias), []).append(r)

    def entities_for_alias(self, normalized: str) -> list[EntityRecord]:
        self.calls.append(normalized)
        return self.by_alias.get(normalized, [])


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return get_extractor()


def run(extractor: Extractor, *lines: str, lookup: FakeStore | None = None) -> Extraction:
    laid = layout(Article(title=lines[0], blocks=[Block(x) for x in lines[1:]], source="t"))
    return extractor.extract(DocumentInput(laid.body, laid.passages), lookup)


def test_short_form_links_to_full_name_in_document(extractor: Extractor) -> None:
    result = run(
        extractor,
        "Visit",
        "Envoy Harriet Wexley arrived in Minsk on Monday.",
        "Wexley said the talks went well. Later Mr. Wexley left.",
    )
    keys = {m.text: m.entity_key for m in result.mentions}
    assert keys["Harriet Wexley"] == keys["Wexley"] == "person:harriet-wexley"
    methods = {m.method for m in result.mentions if m.text == "Wexley"}
    assert methods == {"short_form"}
    aliases = result.entities["person:harriet-wexley"].aliases
    assert ("Harriet Wexley", "document") in aliases and ("Wexley", "document") in aliases


def test_gazetteer_short_forms_and_variants_are_one_entity(extractor: Extractor) -> None:
    result = run(extractor, "Talks", "Vladimir Putin met Lukashenko. Putin thanked Lukashenka.")
    keys = {m.text: m.entity_key for m in result.mentions}
    assert keys["Putin"] == keys["Vladimir Putin"] == "person:vladimir-putin"
    assert keys["Lukashenko"] == keys["Lukashenka"] == "person:alexander-lukashenko"
    record = result.entities["person:alexander-lukashenko"]
    assert (
        record.country == "BY"
        and record.description
        and "President of Belarus" in record.description
    )
    assert ("Lukashenka", "gazetteer") in record.aliases


def test_bare_surname_links_to_stored_entity_across_documents(extractor: Extractor) -> None:
    stored = EntityRecord(
        "person:michael-carpenter",
        "Michael Carpenter",
        "person",
        aliases=[("Michael Carpenter", "document"), ("Carpenter", "document")],
    )
    store = FakeStore(stored)
    result = run(extractor, "Later", "Carpenter said Minsk was calm.", lookup=store)
    mention = next(m for m in result.mentions if m.text == "Carpenter")
    assert mention.entity_key == "person:michael-carpenter"
    assert mention.label == "PERSON"
    assert "carpenter" in store.calls
    assert result.entities["person:michael-carpenter"].name == "Michael Carpenter"


def test_ambiguous_stored_alias_does_not_link(extractor: Extractor) -> None:
    store = FakeStore(
        EntityRecord("person:anna-kovac", "Anna Kovac", "person", aliases=[("Kovac", "document")]),
        EntityRecord("person:ivan-kovac", "Ivan Kovac", "person", aliases=[("Kovac", "document")]),
    )
    result = run(extractor, "Later", "Kovac said the plan was sound.", lookup=store)
    assert [m.entity_key for m in result.mentions if m.text == "Kovac"] == ["person:kovac"]


def test_same_name_gives_same_key_in_separate_documents(extractor: Extractor) -> None:
    a = run(extractor, "One", "Dr. Nadia Orlov visited Vilnius.")
    b = run(extractor, "Two", "Professor Nadia Orlov spoke in Riga.")
    assert "person:nadia-orlov" in a.entities and "person:nadia-orlov" in b.entities


def test_acronym_in_parentheses_links_to_the_full_name(extractor: Extractor) -> None:
    result = run(
        extractor,
        "Rebels talk",
        "The Democratic Forces for the Liberation of Rwanda (FDLR) met envoys.",
        "Later the FDLR said talks would go on.",
    )
    keys = {m.text: m.entity_key for m in result.mentions}
    assert keys["FDLR"] == keys["Democratic Forces for the Liberation of Rwanda"]
    assert all(m.label != "PERSON" for m in result.mentions if m.text == "FDLR")


def test_surname_after_a_particle_links_to_the_full_name(extractor: Extractor) -> None:
    result = run(
        extractor,
        "Hakim speaks",
        "Shia leader Ammar al-Hakim addressed supporters. Hakim said the vote was fair.",
    )
    keys = {m.entity_key for m in result.mentions if "Hakim" in m.text}
    assert keys == {"person:ammar-al-hakim"}


def keys(result: Extraction) -> list[tuple[str, str]]:
    return [(m.text, m.entity_key) for m in result.mentions]


def test_a_countrys_possessive_keys_a_generic_body_with_that_country(
    extractor: Extractor,
) -> None:
    result = run(
        extractor,
        "Election day",
        "Norway's Labour Party won the vote in Oslo.",
        "The Labour Party will form a government.",
    )
    labour = [key for text, key in keys(result) if text == "Labour Party"]
    assert labour == ["org:no-labour-party", "org:no-labour-party"]
    other = run(extractor, "Rally", "Britain's Labour Party met in Leeds.")
    assert ("Labour Party", "org:gb-labour-party") in keys(other)


def test_a_bare_body_name_is_the_national_body_the_document_names(
    extractor: Extractor,
) -> None:
    result = run(
        extractor,
        "Court ruling",
        "The Supreme Court of India ruled on Monday.",
        "The Supreme Court said the law stands.",
    )
    courts = {key for text, key in keys(result) if "Supreme Court" in text}
    assert courts == {"org:in-supreme-court"}
    two = run(
        extractor,
        "Courts",
        "Kenya's Supreme Court and the Supreme Court of India both ruled.",
        "The Supreme Court of Kenya sat first; the Supreme Court heard appeals.",
    )
    bare = [key for text, key in keys(two) if text == "Supreme Court"]
    assert "org:ke-supreme-court" in bare and "org:supreme-court" in bare  # two courts: no guess


def test_georgia_follows_the_documents_us_state(extractor: Extractor) -> None:
    result = run(
        extractor,
        "Storms",
        "Atlanta, Georgia was hit by storms.",
        "The Georgia governor declared an emergency.",
    )
    assert {key for text, key in keys(result) if text == "Georgia"} == {"place:georgia-us"}
    country = run(
        extractor, "Talks", "Tbilisi, Georgia hosted the talks. Georgia's president spoke."
    )
    assert {key for text, key in keys(country) if text == "Georgia"} == {"country:ge"}
