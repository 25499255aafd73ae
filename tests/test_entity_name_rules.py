"""Name rules for text the corpus rules were not written on: capitals lines, hyphenated
names, titles before names, places inside longer names, plural subjects of "said". Run on
the rules-only path, so that each assertion is about a rule, not the model."""

from __future__ import annotations

import pytest
from helpers import found_in_line

from docstore.extract import NO_MODEL, Extractor, get_extractor
from docstore.extract.gazetteer import read_entity_rules
from docstore.extract.types import MentionRecord


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return get_extractor(NO_MODEL)


def found(extractor: Extractor, line: str) -> dict[str, MentionRecord]:
    return found_in_line(extractor, line)


def test_a_capitals_headline_is_never_one_name(rules: Extractor) -> None:
    assert found(rules, "MINISTER VISITS FLOODED VILLAGES IN THE NORTH") == {}
    got = found(rules, "FLOODS HIT LAGOS AS RAINS CONTINUE")
    assert set(got) == {"LAGOS"} and got["LAGOS"].entity_key == "place:lagos"


def test_datelines_in_capitals_give_the_known_place(rules: Extractor) -> None:
    got = found(rules, "NAIROBI (Reuters) - Tea prices rose on Tuesday.")
    assert got["NAIROBI"].entity_key == "place:nairobi"
    assert got["NAIROBI"].label == "GPE"
    assert found(rules, "ACCRA 2019-03-06 Shares fell.")["ACCRA"].entity_key == "place:accra"


def test_hyphenated_names_are_not_cut(rules: Extractor) -> None:
    got = found(rules, "Jean-Claude Juncker met Moon Jae-in and Abdel Fattah el-Sisi in Brussels.")
    assert {"Jean-Claude Juncker", "Moon Jae-in", "Abdel Fattah el-Sisi"} <= set(got)
    assert got["Moon Jae-in"].entity_key == "person:moon-jae-in"


def test_romanized_syllable_names_are_not_cut_at_the_hyphen(rules: Extractor) -> None:
    got = found(rules, "Kim Yo-jong spoke after Prime Minister Prayuth Chan-o-cha arrived.")
    assert "Kim Yo-jong" in got and "Kim Yo" not in got
    assert "Prayuth Chan-o-cha" in got
    got = found(rules, "Moscow-backed fighters and a Paris-based charity were named.")
    assert {m.entity_key for m in got.values()} == {"place:moscow", "place:paris"}


def test_a_sentence_opening_word_is_not_part_of_the_models_person() -> None:
    extractor = get_extractor()  # the shipped model behind the rules
    got = found(extractor, "Ana Ruiz met Tom Ruiz. Later Ruiz said the talks went well.")
    assert "Later Ruiz" not in got
    assert all(not text.startswith("Later") for text in got)


def test_roads_and_buildings_are_places_and_stop_before_in(rules: Extractor) -> None:
    got = found(rules, "Protesters gathered on Wellington Road in Ottawa near the Kibera Mosque.")
    assert got["Wellington Road"].entity_key == "place:wellington-road"
    assert got["Ottawa"].entity_key == "place:ottawa"
    assert got["Kibera Mosque"].label == "FAC"


def test_a_role_of_a_body_splits_the_body_from_the_person(rules: Extractor) -> None:
    got = found(rules, "The CEO of Oxfam Amitabh Behar met the head of Tenrah Fund Ida Kowal.")
    assert got["Oxfam"].label == "ORG" and got["Amitabh Behar"].label == "PERSON"
    assert got["Tenrah Fund"].label == "ORG" and got["Ida Kowal"].label == "PERSON"
    got = found(rules, "The head of the World Health Organization spoke.")
    assert not any(m.label == "PERSON" for m in got.values())


def test_an_untyped_name_stops_before_in(rules: Extractor) -> None:
    got = found(rules, "Gunmen shot Tarek Obaidi in Kessaba on Tuesday.")
    assert "Tarek Obaidi" in got and "Kessaba" in got
    assert not any(" in " in text for text in got)


def test_titles_and_roles_stay_outside_the_person(rules: Extractor) -> None:
    got = found(rules, "Shadow Foreign Secretary Tamsin Oyelaran criticised the plan.")
    assert "Tamsin Oyelaran" in got and got["Tamsin Oyelaran"].label == "PERSON"
    assert not any("Secretary" in text for text in got)


def test_plural_subjects_of_said_are_not_people(rules: Extractor) -> None:
    got = found(rules, "Traders said prices fell. Analysts say supply was tight.")
    assert "Traders" not in got and "Analysts" not in got


def test_a_known_place_inside_a_longer_name_stays_inside(rules: Extractor) -> None:
    got = found(rules, "Munich Re and Real Madrid signed a deal with Hapoel Jerusalem.")
    for name in ("Munich Re", "Real Madrid", "Hapoel Jerusalem"):
        assert got[name].label == "ORG", name
    assert not {"Munich", "Madrid", "Jerusalem"} & set(got)
    # a direction word is part of the place, not of an organization
    assert "Madrid" in found(rules, "Protests spread across Madrid on Monday.")


def test_entity_rules_file_is_validated() -> None:
    lists = {
        "role_words": ["ceo"],
        "non_person_subjects": ["traders"],
        "place_modifiers": [],
        "generic_body_words": ["labour"],
    }
    assert read_entity_rules(lists)["role_words"] == frozenset({"ceo"})
    with pytest.raises(ValueError, match="role_words"):
        read_entity_rules({**lists, "role_words": ["CEO"]})
    with pytest.raises(ValueError, match="place_modifiers"):
        read_entity_rules({"role_words": [], "non_person_subjects": []})
