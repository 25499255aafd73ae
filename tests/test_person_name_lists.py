"""Persons typed by the open name lists (given_names_open.txt, surnames.txt): unknown
"Firstname Lastname" runs become persons, while given names that are English words, runs with
an organization or place head word, and a lone given name never do. On sentences written for
these tests; run on the rules-only path so that each assertion is about the rules, and once
through `retype_other` for what the model leaves untyped."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from helpers import found_in_line

from docstore.extract import NO_MODEL, Extractor, cache, get_extractor
from docstore.extract.entities import Candidate, NameRules
from docstore.extract.gazetteer import build_word_lists, load_word_lists, read_names
from docstore.extract.types import MentionRecord

ENGLISH_WORD_NAMES = ("Will", "May", "Grant", "Hope", "Justice")


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return get_extractor(NO_MODEL)


def found(extractor: Extractor, line: str) -> dict[str, MentionRecord]:
    return found_in_line(extractor, line)


def test_the_lists_are_at_scale_and_leave_english_words_out() -> None:
    words = load_word_lists()
    assert len(words.open_given_names) > 20_000 and len(words.surnames) > 20_000
    # names from every region, not only the US files
    assert {"Amina", "Kwame", "Farhad", "Olumide", "Lucía"} <= words.open_given_names
    assert {"kowalski", "nakamura", "rahimi", "mendoza", "nguyen"} <= words.surnames
    for name in ENGLISH_WORD_NAMES:
        assert name.lower() in words.name_words, name
        assert name.lower() not in words.surnames, name
    assert not {"May", "Grant", "Hope", "Justice"} & words.open_given_names


def test_a_known_given_name_makes_an_unknown_pair_a_person(rules: Extractor) -> None:
    got = found(rules, "Amina Okonkwo, a lawyer, met Olumide Bakare at the port on Monday.")
    for name in ("Amina Okonkwo", "Olumide Bakare"):
        assert got[name].label == "PERSON", name
        assert got[name].entity_key == "person:" + name.lower().replace(" ", "-")


def test_a_known_surname_after_a_name_like_word_makes_a_person(rules: Extractor) -> None:
    words = load_word_lists()
    # the premise: the first word is in no list, the last is a known surname
    assert "Zorvan" not in words.open_given_names | words.given_names
    assert "kowalski" in words.surnames
    got = found(rules, "The contract went to Zorvan Kowalski after a long tender.")
    assert got["Zorvan Kowalski"].label == "PERSON"
    # a word before the name that is no given name makes the run more than a person
    got = found(rules, "The panel heard Archivist Zorvan Kowalski after a long tender.")
    whole = got.get("Archivist Zorvan Kowalski")
    assert whole is None or whole.label != "PERSON"


def test_given_names_that_are_english_words_make_no_person_alone(rules: Extractor) -> None:
    got = found(rules, "May said the plan would fail. Hope remained among the workers.")
    assert not [m for m in got.values() if m.label == "PERSON"]
    got = found(rules, "The firm Grant Thornton audited the accounts of the port.")
    assert got["Grant Thornton"].label != "PERSON"
    got = found(rules, "Officials said Justice Ofori would not attend.")
    assert "Justice Ofori" not in got or got["Justice Ofori"].label != "PERSON"


def test_name_particles_do_not_count_as_words(rules: Extractor) -> None:
    # "Said" is also written "said" in the text: after "al-" it is still part of the name
    got = found(rules, "Crowds mourned Tariq bin Walid al-Said on Friday, the agency said.")
    assert got["Tariq bin Walid al-Said"].label == "PERSON"
    got = found(rules, "A portrait of Karim El Amrani Ben Salah hung in the hall.")
    assert got["Karim El Amrani Ben Salah"].label == "PERSON"


def test_a_place_preposition_wins_over_the_name_lists(rules: Extractor) -> None:
    got = found(rules, "Fighting was reported at Amina Okonkwo overnight.")
    assert got["Amina Okonkwo"].label != "PERSON"


def test_a_head_word_keeps_a_name_from_being_a_person(rules: Extractor) -> None:
    got = found(rules, "The Kwame Mensah Foundation and Amina Street Market reopened.")
    assert got["Kwame Mensah Foundation"].label == "ORG"
    assert not [m for m in got.values() if m.label == "PERSON"]


def test_an_untyped_model_name_is_retyped_by_the_lists() -> None:
    nlp = spacy.blank("en")
    doc = nlp("Yesterday Olumide Bakare and Grant Thornton met Deputy Spokesperson Amina Okonkwo.")
    rules = NameRules(load_word_lists())
    rules.find(doc)  # reads the document's lower-case words

    def misc(start: int, end: int) -> Candidate:
        span = doc[start:end]
        return Candidate(start, end, span.start_char, span.end_char, span.text, "MISC", "", "model")

    person, firm, titled = misc(1, 3), misc(4, 6), misc(7, 11)
    assert titled.text == "Deputy Spokesperson Amina Okonkwo"
    rules.retype_other(doc, [person, firm, titled])
    assert (person.label, person.type) == ("PERSON", "person")
    assert firm.label == "MISC"
    assert titled.label == "MISC"  # a title inside: the person is not the whole span


def test_name_lists_are_validated() -> None:
    assert read_names("x.txt", "# a comment\nAmina\nO'Neil\n") == ["Amina", "O'Neil"]
    for text, reason in (
        ("Amina\namina\n", "line 2: 'amina' is not one capitalized name"),
        ("Jo Ann\n", "line 1: 'Jo Ann' is not one capitalized name"),
        ("Amina\nAmina\n", "line 2: 'Amina' is listed twice"),
        ("# only a comment\n", "no names"),
    ):
        with pytest.raises(ValueError, match=reason):
            read_names("x.txt", text)


def test_the_cached_word_lists_are_the_built_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCSTORE_CACHE_DIR", str(tmp_path))
    built = build_word_lists()
    assert cache.cached("word-lists", build_word_lists) == built
    assert cache.cached("word-lists", lambda: pytest.fail("rebuilt")) == built
