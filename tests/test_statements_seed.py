"""End-to-end statement requirements on the seed article.

Run twice: through the docstore extractor (entity pipeline + statement rules) and on a
fixture analysis built from the gold alias table, so rule regressions show apart from
entity recognition changes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from gold import load_source, source_of
from statement_fixtures import analysis_for_file, load_table

from docstore.article import layout
from docstore.extract.statements import find_statements
from docstore.extract.types import DocumentInput, StatementRecord
from docstore.readers.text import parse_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_96980ad8853fa758.txt"
GOLD = ROOT / "tests" / "gold" / "statements"
L, C = "person:alexander-lukashenko", "person:michael-carpenter"


def _via_extractor() -> list[StatementRecord]:
    from docstore.extract import get_extractor

    laid = layout(parse_text(SEED.read_text("utf-8"), str(SEED)))
    doc = DocumentInput(laid.body, laid.passages, laid.article.published_at)
    return get_extractor().extract(doc).statements


def _via_fixture() -> list[StatementRecord]:
    return find_statements(analysis_for_file(SEED, load_table(GOLD / "entities.json")))


@pytest.fixture(params=["extractor", "fixture"])
def statements(request: pytest.FixtureRequest) -> list[StatementRecord]:
    return _via_extractor() if request.param == "extractor" else _via_fixture()


def _has(found: list[StatementRecord], **want: object) -> bool:
    return any(all(getattr(s, k) == v for k, v in want.items()) for s in found)


def test_carpenter_visited_belarus_or_minsk(statements: list[StatementRecord]) -> None:
    visits = [s for s in statements if s.predicate == "visit" and s.subject_key == C]
    assert {s.object_key for s in visits} & {"country:by", "place:minsk"}
    assert all(s.polarity == "positive" for s in visits)


def test_carpenter_met_ministers_and_president(statements: list[StatementRecord]) -> None:
    meets = [s for s in statements if s.predicate == "meet" and s.subject_key == C]
    assert any(s.object_key == L for s in meets)
    assert any("Ministers" in (s.object_text or "") for s in meets)


def test_carpenter_met_each_belarusian_minister(statements: list[StatementRecord]) -> None:
    # "met with the Belarusian Foreign and Defence Ministers": one meeting per office
    meets = {s.object_key for s in statements if s.predicate == "meet" and s.subject_key == C}
    assert {"org:by-ministry-of-foreign-affairs", "org:by-ministry-of-defence"} <= meets


def test_ministries_met_are_document_entities() -> None:
    from docstore.extract import get_extractor

    laid = layout(parse_text(SEED.read_text("utf-8"), str(SEED)))
    doc = DocumentInput(laid.body, laid.passages, laid.article.published_at)
    result = get_extractor().extract(doc)
    keys = {k for s in result.statements for k in (s.subject_key, s.object_key, s.speaker_key)}
    assert keys - {None} <= set(result.entities)
    ministry = result.entities["org:by-ministry-of-defence"]
    assert (ministry.type, ministry.country) == ("organization", "BY")


def test_american_delegation_proposed(statements: list[StatementRecord]) -> None:
    assert _has(
        statements,
        predicate="propose",
        subject_key="country:us",
        object_text="to exchange military attachés",
        polarity="positive",
    )


def test_csto_statement_is_negative_and_reported(statements: list[StatementRecord]) -> None:
    neg = [s for s in statements if "CSTO, i.e." in s.quote and s.polarity == "negative"]
    assert neg and all(s.speaker_key == L and s.modality == "reported" for s in neg)
    assert _has(statements, predicate="say", subject_key=L, object_key="org:csto")


def test_carpenter_title(statements: list[StatementRecord]) -> None:
    assert _has(
        statements,
        predicate="holds_position",
        subject_key=C,
        object_text="US Deputy Assistant Secretary of Defence",
    )


def test_belarusian_president_promoted_dialogue(statements: list[StatementRecord]) -> None:
    hits = [s for s in statements if s.predicate == "support" and s.subject_key == L]
    assert any("American-Belarusian dialogue" in (s.object_text or "") for s in hits)


def test_no_negated_sentence_turns_positive(statements: list[StatementRecord]) -> None:
    for s in statements:
        if "rather than support" in s.quote and s.predicate == "support":
            assert s.polarity == "negative"
        if "should not be regarded as a sign" in s.quote:
            assert s.predicate == "propose", s  # the proposal was made; nothing else holds


def test_offsets_and_evidence(statements: list[StatementRecord]) -> None:
    body = layout(parse_text(SEED.read_text("utf-8"), str(SEED))).body
    assert statements
    for s in statements:
        assert s.quote == body[s.char_start : s.char_end]
        assert s.method.startswith(("trigger:", "title:", "apposition:"))
        assert 0 < s.confidence <= 1


def test_gold_files_are_well_formed() -> None:
    vocab = ROOT / "src" / "docstore" / "extract" / "data" / "predicates.yaml"
    predicates = {p["name"] for p in yaml.safe_load(vocab.read_text("utf-8"))["predicates"]}
    # Gold is coded in the fixed shared vocabulary, which predicates.yaml grows into.
    shared = (ROOT / "tests" / "gold" / "predicates.txt").read_text("utf-8").splitlines()
    predicates |= {line.strip() for line in shared if line.strip() and line[0] != "#"}
    for path in GOLD.glob("*.json"):
        if path.name == "entities.json":
            continue
        data = json.loads(path.read_text("utf-8"))
        laid = load_source(ROOT, source_of(data))
        for g in data["statements"]:
            assert g["predicate"] in predicates, (path.name, g["predicate"])
            # an event without an object ("fighting broke out", "X was elected") may leave
            # both empty; quality_statements then accepts any object
            assert g.get("object") is None or ":" in g["object"], path.name
            assert laid.body[g["char_start"] : g["char_end"]] == g["sentence"]
