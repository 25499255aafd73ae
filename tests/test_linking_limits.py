"""Linking that knows its limits: a generic body keeps its country, Georgia the US state is
not Georgia the country when the text says so."""

from __future__ import annotations

import pytest

from docstore.article import Article, Block, layout
from docstore.extract import NO_MODEL, Extractor, get_extractor
from docstore.extract.types import DocumentInput, MentionRecord


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return get_extractor(NO_MODEL)


def found(extractor: Extractor, line: str) -> dict[str, MentionRecord]:
    laid = layout(Article(title="Report", blocks=[Block(line)], source="t"))
    result = extractor.extract(DocumentInput(laid.body, laid.passages))
    return {m.text: m for m in result.mentions if m.char_start >= len("Report\n")}


def test_a_generic_body_of_a_country_is_keyed_with_that_country(rules: Extractor) -> None:
    got = found(rules, "The Labour Party of Norway won, and the Supreme Court of Kenya ruled.")
    assert got["Labour Party of Norway"].entity_key == "org:no-labour-party"
    assert got["Supreme Court of Kenya"].entity_key == "org:ke-supreme-court"


def test_georgia_the_us_state_is_not_the_country(rules: Extractor) -> None:
    got = found(rules, "Voters in the US state of Georgia went to the polls.")
    assert got["Georgia"].entity_key == "place:georgia-us"
    got = found(rules, "The storm reached Atlanta, Georgia on Monday.")
    assert got["Georgia"].entity_key == "place:georgia-us"
    got = found(rules, "Georgia and Armenia signed a border treaty in Tbilisi.")
    assert got["Georgia"].entity_key == "country:ge"


def test_the_us_state_entity_carries_its_country(rules: Extractor) -> None:
    laid = layout(
        Article(title="Report", blocks=[Block("Rain fell in Atlanta, Georgia.")], source="t")
    )
    result = rules.extract(DocumentInput(laid.body, laid.passages))
    assert result.entities["place:georgia-us"].country == "US"
    assert result.entities["place:georgia-us"].type == "place"
