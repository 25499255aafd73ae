"""The extraction pipeline end to end: sentences, offsets, model path, the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from docstore.article import Article, Block, layout
from docstore.extract import (
    DEFAULT_MODEL,
    EXTRACTOR_VERSION,
    NO_MODEL,
    Extractor,
    get_extractor,
)
from docstore.extract.types import DocumentInput
from docstore.readers.text import parse_text

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = sorted((ROOT / "tests" / "corpus" / "articles").glob("*.txt"))
SEED = ROOT / "seeds" / "000_96980ad8853fa758.txt"


def doc_of(path: Path) -> DocumentInput:
    laid = layout(parse_text(path.read_text(encoding="utf-8"), str(path)))
    return DocumentInput(laid.body, laid.passages, laid.article.published_at)


def doc_from_lines(*lines: str) -> DocumentInput:
    laid = layout(Article(title=lines[0], blocks=[Block(x) for x in lines[1:]], source="t"))
    return DocumentInput(laid.body, laid.passages)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return get_extractor()


def test_one_extractor_per_process(extractor: Extractor) -> None:
    assert get_extractor() is extractor
    assert extractor.version == EXTRACTOR_VERSION


@pytest.mark.parametrize("path", [SEED, *ARTICLES], ids=lambda p: p.name)
def test_offsets_and_passages_hold_for_every_article(extractor: Extractor, path: Path) -> None:
    doc = doc_of(path)
    result = extractor.extract(doc)
    by_seq = {p.seq: p for p in doc.passages}
    assert result.mentions
    for m in result.mentions:
        assert doc.body[m.char_start : m.char_end] == m.text
        passage = by_seq[m.passage_seq]
        assert passage.char_start <= m.char_start < m.char_end <= passage.char_end
        assert m.entity_key in result.entities
        assert 0.0 <= m.confidence <= 1.0
        assert m.label in {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "MISC"}
    for s in result.sentences:
        passage = by_seq[s.passage_seq]
        assert passage.char_start <= s.char_start < s.char_end <= passage.char_end
    for record in result.entities.values():
        names = {alias for alias, _ in record.aliases}
        assert {m.text for m in result.mentions if m.entity_key == record.key} <= names


def test_sentences_split_at_lines_and_punctuation(extractor: Extractor) -> None:
    doc = doc_from_lines(
        "A title without a stop", "Dr. Smith came. He left! Then? Yes", "Next line"
    )
    texts = [doc.body[s.char_start : s.char_end] for s in extractor.extract(doc).sentences]
    assert texts == [
        "A title without a stop",
        "Dr. Smith came.",
        "He left!",
        "Then?",
        "Yes",
        "Next line",
    ]


def test_seed_article(extractor: Extractor) -> None:
    result = extractor.extract(doc_of(SEED))
    keys = {m.entity_key for m in result.mentions}
    assert {
        "country:by", "country:us", "country:ru", "country:pl", "org:nato", "org:csto", "org:eu",
        "org:us-pentagon", "org:ru-kremlin", "person:michael-carpenter", "place:minsk",
        "person:alexander-lukashenko",
    } <= keys  # fmt: skip
    texts = {m.text for m in result.mentions}
    for word in ("Interestingly", "Presumably", "According", "During", "However", "The", "In"):
        assert word not in texts
    luk = [m for m in result.mentions if m.entity_key == "person:alexander-lukashenko"]
    assert len(luk) == 5 and all(m.text == "Lukashenka" for m in luk)
    carpenter = [m.text for m in result.mentions if m.entity_key == "person:michael-carpenter"]
    assert carpenter == ["Michael Carpenter", "Carpenter"]
    us = {m.text for m in result.mentions if m.entity_key == "country:us"}
    assert {"US", "USA", "United States", "American"} <= us
    assert result.entities["place:moscow"].country == "RU"
    assert result.entities["org:ru-kremlin"].country == "RU"


def test_lukashenko_and_putin_are_one_entity_across_articles(extractor: Extractor) -> None:
    forms: dict[str, set[str]] = {}
    for name in ("03_", "12_", "14_"):
        path = next(p for p in ARTICLES if p.name.startswith(name))
        for m in extractor.extract(doc_of(path)).mentions:
            forms.setdefault(m.entity_key, set()).add(m.text)
    for m in extractor.extract(doc_of(SEED)).mentions:
        forms.setdefault(m.entity_key, set()).add(m.text)
    assert {"Alexander Lukashenko", "Lukashenka"} <= forms["person:alexander-lukashenko"]
    assert {"Vladimir Putin", "Putin"} <= forms["person:vladimir-putin"]


def _train_tiny_ner(path: Path) -> None:
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    data = [
        ("Zorblat Quint visited the plant.", [(0, 13, "PERSON")]),
        ("Yesterday Zorblat Quint spoke.", [(10, 23, "PERSON")]),
        ("The firm Acme Widgets grew.", [(9, 21, "ORG")]),
    ]
    for _, ents in data:
        for *_, label in ents:
            ner.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": e}) for t, e in data]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(30):
        nlp.update(examples, sgd=optimizer)
    nlp.to_disk(path)


def test_model_path_adds_ner_behind_the_gazetteer(tmp_path: Path) -> None:
    model = tmp_path / "tiny_ner"
    _train_tiny_ner(model)
    extractor = Extractor(str(model))
    assert extractor.nlp.pipe_names[-1] == "ner"
    assert extractor.version.startswith(EXTRACTOR_VERSION + "+")
    doc = doc_from_lines(
        "Zorblat Quint visited Minsk", "Zorblat Quint met Alexander Lukashenko in Minsk."
    )
    result = extractor.extract(doc)
    for m in result.mentions:
        assert doc.body[m.char_start : m.char_end] == m.text
    by_text = {m.text: m for m in result.mentions}
    # the gazetteer wins where both speak
    assert by_text["Minsk"].entity_key == "place:minsk"
    assert by_text["Minsk"].method == "gazetteer"
    assert by_text["Alexander Lukashenko"].entity_key == "person:alexander-lukashenko"
    assert any(m.method == "model" for m in result.mentions)


def test_model_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from docstore.extract import resolve_model

    monkeypatch.setenv("DOCSTORE_MODEL", "some_model")
    assert resolve_model(None) == "some_model"
    assert resolve_model("other") == "other"
    monkeypatch.delenv("DOCSTORE_MODEL")
    assert resolve_model(None) == DEFAULT_MODEL
    assert resolve_model(NO_MODEL) == NO_MODEL


def test_shipped_model_types_a_name_no_gazetteer_holds(extractor: Extractor) -> None:
    from docstore.extract.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    name = "Tendai Mbofana"
    assert gazetteer.key_for(name) is None and gazetteer.key_for("Mbofana") is None
    doc = doc_from_lines(
        "Water board replaced",
        f"The regional water board was replaced on Monday after {name} resigned over the "
        "contracts, which had been signed without a tender.",
    )
    found = {m.text: m for m in extractor.extract(doc).mentions}
    assert found[name].label == "PERSON"
    assert found[name].entity_key == "person:tendai-mbofana"
    assert found[name].method == "model"


def test_no_model_is_the_rules_only_path() -> None:
    rules = get_extractor(NO_MODEL)
    assert "ner" not in rules.nlp.pipe_names
    assert rules.version == EXTRACTOR_VERSION + "+rules"
    assert get_extractor().nlp.pipe_names[-1] == "ner"


def test_model_entity_with_a_leading_the_keeps_its_label() -> None:
    from spacy.tokens import Span

    from docstore.extract.entities import ruler_candidates

    nlp = spacy.blank("en")
    doc = nlp("He joined the Quorvian Workers League last year.")
    doc.ents = [Span(doc, 2, 6, label="ORG")]  # "the Quorvian Workers League", as a model sets it
    (cand,) = ruler_candidates(doc)
    assert cand.text == "Quorvian Workers League"
    assert cand.label == "ORG"
    assert cand.method == "model"


def test_a_one_sentence_document_has_its_sentence() -> None:
    doc = DocumentInput("Ngozi Ekwueme opened the clinic", ())
    result = get_extractor(NO_MODEL).analyse(doc)
    assert [(s.char_start, s.char_end) for s in result.sentences] == [(0, len(doc.body))]
