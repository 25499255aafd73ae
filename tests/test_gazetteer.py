"""The gazetteer data files: complete, well-formed, with stable keys."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from docstore.extract.gazetteer import load_gazetteer, load_word_lists, read_cities
from docstore.terms import ENTITY_TYPES

DATA_FILES = (
    "countries.csv",
    "country_forms.yaml",
    "places.yaml",
    "subdivisions.csv",
    "organizations.yaml",
    "companies.yaml",
    "people.yaml",
    "government_bodies.yaml",
    "rules.yaml",
    "common_words.txt",
    "given_names.txt",
    "given_names_open.txt",
    "surnames.txt",
    "name_words.txt",
    "cities.csv",
)


def test_every_data_file_says_where_its_facts_come_from() -> None:
    data = resources.files("docstore.extract").joinpath("data")
    for name in DATA_FILES:
        first = data.joinpath(name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("#"), name


def test_every_iso_country_is_present() -> None:
    gaz = load_gazetteer()
    countries = [r for r in gaz.entities.values() if r.type == "country"]
    assert len(countries) >= 249
    assert gaz.entities["country:by"].name == "Belarus"
    assert gaz.entities["country:ru"].name == "Russia"
    for record in countries:
        assert record.key == f"country:{record.country.lower()}"  # type: ignore[union-attr]


def test_short_forms_and_demonyms() -> None:
    gaz = load_gazetteer()
    for form in ("US", "U.S.", "USA", "United States", "America", "American", "Americans"):
        assert gaz.key_for(form) == "country:us", form
    for form in ("UK", "Britain", "British"):
        assert gaz.key_for(form) == "country:gb", form
    for form in ("Belarusian", "Belarusians", "Belarussian"):
        assert gaz.key_for(form) == "country:by", form


def test_places_orgs_and_people_have_country_and_stable_keys() -> None:
    gaz = load_gazetteer()
    assert gaz.entities["place:minsk"].country == "BY"
    assert gaz.key_for("Kiev") == gaz.key_for("Kyiv") == "place:kyiv"
    assert (
        gaz.key_for("St Petersburg") == gaz.key_for("Saint Petersburg") == "place:saint-petersburg"
    )
    assert gaz.key_for("NATO") == "org:nato"
    assert gaz.key_for("Eurasian Economic Union") == gaz.key_for("EAEU") == "org:eaeu"
    assert gaz.entities["org:us-pentagon"].country == "US"
    assert gaz.entities["org:by-ministry-of-foreign-affairs"].country == "BY"
    lukashenko = gaz.entities["person:alexander-lukashenko"]
    assert lukashenko.country == "BY"
    assert lukashenko.description == "President of Belarus (1994–)"
    for variant in ("Lukashenka", "Zelenskyy", "Zelenskiy", "Tsikhanouskaya", "Navalnyy"):
        assert gaz.key_for(variant), variant
    for record in gaz.entities.values():
        assert record.type in ENTITY_TYPES
        assert record.key.split(":", 1)[0] in {"country", "place", "org", "person"}
        if record.type == "person":
            assert record.country and record.description


def test_ambiguous_forms_are_not_matched() -> None:
    gaz = load_gazetteer()
    assert gaz.key_for("Congo") is None
    texts = {p.text for p in gaz.unambiguous_patterns()}
    assert "Congo" not in texts and "Democratic Republic of the Congo" in texts


def test_word_lists_load() -> None:
    words = load_word_lists()
    assert {"interestingly", "however", "the", "according"} <= words.common_words
    assert "dr." in words.titles and "said" in words.reporting_verbs
    assert "ministry" in words.org_heads


def test_common_english_country_names_and_adjectival_places() -> None:
    gaz = load_gazetteer()
    assert gaz.key_for("Turkey") == gaz.key_for("Türkiye") == "country:tr"
    assert gaz.key_for("Ivory Coast") == "country:ci"
    assert gaz.key_for("Soviet") == "place:soviet-union"
    assert any(p.text == "Soviet" and p.label == "NORP" for p in gaz.patterns)


def test_every_country_field_is_an_iso_code_string() -> None:
    """YAML reads a bare NO (Norway) as false: every country must stay a two-letter code."""
    import re

    bad = [
        (e.key, e.country)
        for e in load_gazetteer().entities.values()
        if e.country is not None
        and not (isinstance(e.country, str) and re.fullmatch(r"[A-Z]{2}", e.country))
    ]
    assert bad == []
    assert load_gazetteer().entities["place:oslo"].country == "NO"


def test_first_level_subdivisions() -> None:
    gaz = load_gazetteer()
    for name, key, country in (
        ("Ohio", "place:ohio", "US"),
        ("Florida", "place:florida", "US"),
        ("Bavaria", "place:bavaria", "DE"),
        ("Minsk Oblast", "place:minsk-region", "BY"),
        ("Donetsk Oblast", "place:donetsk-oblast", "UA"),
        ("Kiev Region", "place:kyiv-oblast", "UA"),
        ("Tatarstan", "place:tatarstan", "RU"),
        ("Scotland", "place:scotland", "GB"),
        ("Uttar Pradesh", "place:uttar-pradesh", "IN"),
    ):
        assert gaz.key_for(name) == key, name
        assert gaz.entities[key].type == "place" and gaz.entities[key].country == country
    # a subdivision with the name of a listed place is that place; cities keep their name
    assert gaz.key_for("Crimea") == "place:crimea"
    assert gaz.key_for("Moscow") == "place:moscow"
    assert gaz.key_for("Minsk") == "place:minsk"
    assert gaz.key_for("Donetsk") == "place:donetsk"
    # names left out: a country's name, a listed city, a name shared with another country
    assert gaz.key_for("Georgia") == "country:ge"
    assert gaz.key_for("Washington") == "place:washington"
    assert gaz.key_for("Punjab") is None and gaz.key_for("Victoria") is None


def test_subdivision_forms_are_unambiguous() -> None:
    gaz = load_gazetteer()
    text = (
        resources.files("docstore.extract")
        .joinpath("data/subdivisions.csv")
        .read_text(encoding="utf-8")
    )
    rows = [line.split(",") for line in text.splitlines() if not line.startswith("#")][1:]
    assert len(rows) > 300
    keys = [row[1] for row in rows]
    assert len(keys) == len(set(keys))
    for row in rows:
        assert gaz.key_for(row[3]) == row[1], row


def test_companies_and_news_organizations() -> None:
    gaz = load_gazetteer()
    for name, key in (
        ("Twitter", "org:twitter"),
        ("AP", "org:associated-press"),
        ("Associated Press", "org:associated-press"),
        ("TASS", "org:tass"),
        ("RIA Novosti", "org:ria-novosti"),
        ("New York Times", "org:new-york-times"),
        ("Gazprom", "org:ru-gazprom"),
        ("Belaruskali", "org:belaruskali"),
    ):
        assert gaz.key_for(name) == key, name
        assert gaz.entities[key].type == "organization" and gaz.entities[key].country


def test_company_keys_follow_the_rule_made_key() -> None:
    from docstore.extract.normalize import slug

    data = resources.files("docstore.extract").joinpath("data/companies.yaml")
    for item in yaml.safe_load(data.read_text(encoding="utf-8")):
        name = item["name"].removeprefix("The ")
        if item["key"] not in ("org:ru-gazprom", "org:ru-rosneft"):
            assert item["key"] == f"org:{slug(name)}", item


def test_geonames_cities_with_their_country_and_capitals() -> None:
    gaz = load_gazetteer()
    for name, key, country in (
        ("Ouagadougou", "place:ouagadougou", "BF"),
        ("Bujumbura", "place:bujumbura", "BI"),
        ("Lagos", "place:lagos", "NG"),
        ("Muscat", "place:muscat", "OM"),
        ("Nam Dinh", "place:nam-dinh", "VN"),  # the unaccented form of "Nam Định"
    ):
        assert gaz.key_for(name) == key, name
        assert gaz.entities[key].country == country
    # an entry of the hand-made files keeps its name: Georgia is the country, Minsk its place
    assert gaz.key_for("Georgia") == "country:ge"
    assert gaz.key_for("Minsk") == "place:minsk"


def test_cities_file_is_validated_when_read() -> None:
    good = "# header\nkey,country,name,aliases\nplace:accra,GH,Accra,Akra\n"
    assert read_cities(good)[0]["name"] == "Accra"
    with pytest.raises(ValueError, match="bad data row 2"):
        read_cities("key,country,name,aliases\naccra,GH,Accra,\n")
    with pytest.raises(ValueError, match="expected columns"):
        read_cities("key,name\nplace:accra,Accra\n")
