"""Roles from a dependency parse: hand-built parses (UD labels, as the shipped parser
gives them) of sentences written for the test."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from docstore.extract.statements.syntax import Parse


def parse(words: list[str], heads: list[int], deps: list[str], pos: list[str]) -> Parse:
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos)
    return Parse(doc, offset=100)


def start_of(p: Parse, word: str) -> int:
    return next(p.at(t) for t in p.doc if t.text == word)


def words_at(p: Parse, offsets: list[int]) -> list[str]:
    tokens = [p.token_at(o) for o in offsets]
    return [t.text for t in tokens if t is not None]


def test_apposition_head_is_the_subject() -> None:
    # Chile , a partner , declined talks
    p = parse(
        ["Chile", ",", "a", "partner", ",", "declined", "talks"],
        [5, 0, 3, 0, 0, 5, 5],
        ["nsubj", "punct", "det", "appos", "punct", "ROOT", "obj"],
        ["PROPN", "PUNCT", "DET", "NOUN", "PUNCT", "VERB", "NOUN"],
    )
    roles = p.roles(start_of(p, "declined"))
    assert roles is not None
    assert words_at(p, roles.subjects) == ["Chile"]
    assert words_at(p, roles.objects) == ["talks"]
    assert not roles.passive


def test_passive_agent_and_patient() -> None:
    # The plan was rejected by Iran and Iraq
    p = parse(
        ["The", "plan", "was", "rejected", "by", "Iran", "and", "Iraq"],
        [1, 3, 3, 3, 5, 3, 7, 5],
        ["det", "nsubj:pass", "aux:pass", "ROOT", "case", "obl:agent", "cc", "conj"],
        ["DET", "NOUN", "AUX", "VERB", "ADP", "PROPN", "CCONJ", "PROPN"],
    )
    roles = p.roles(start_of(p, "rejected"))
    assert roles is not None and roles.passive
    assert words_at(p, roles.subjects) == ["Iran", "Iraq"]
    assert words_at(p, roles.objects) == ["plan"]


def test_controlling_verb_lends_its_subject_and_negation() -> None:
    # Russia did not threaten to impose sanctions
    p = parse(
        ["Russia", "did", "not", "threaten", "to", "impose", "sanctions"],
        [3, 3, 3, 3, 5, 3, 5],
        ["nsubj", "aux", "advmod", "ROOT", "mark", "xcomp", "obj"],
        ["PROPN", "AUX", "PART", "VERB", "PART", "VERB", "NOUN"],
    )
    roles = p.roles(start_of(p, "impose"))
    assert roles is not None
    assert words_at(p, roles.subjects) == ["Russia"]
    assert words_at(p, roles.objects) == ["sanctions"]
    assert roles.negated


def test_relative_clause_object_is_the_noun_it_hangs_on() -> None:
    # the plan which Egypt condemned failed
    p = parse(
        ["the", "plan", "which", "Egypt", "condemned", "failed"],
        [1, 5, 4, 4, 1, 5],
        ["det", "nsubj", "obj", "nsubj", "acl:relcl", "ROOT"],
        ["DET", "NOUN", "PRON", "PROPN", "VERB", "VERB"],
    )
    roles = p.roles(start_of(p, "condemned"))
    assert roles is not None
    assert words_at(p, roles.subjects) == ["Egypt"]
    assert words_at(p, roles.objects) == ["plan"]
    assert p.token_at(99) is None and p.token_at(101) is not None


def test_rules_take_the_passive_agent_from_the_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """The agent is not next to the verb: only the parse finds it."""
    from test_statements import one, run

    import docstore.extract.statements.rules as rules

    sentence = "The plan was rejected on Monday by Russia and Belarus."
    words = [
        "The",
        "plan",
        "was",
        "rejected",
        "on",
        "Monday",
        "by",
        "Russia",
        "and",
        "Belarus",
        ".",
    ]
    heads = [1, 3, 3, 3, 5, 3, 7, 3, 9, 7, 3]
    deps = ["det", "nsubj:pass", "aux:pass", "ROOT", "case", "obl", "case", "obl:agent", "cc",
            "conj", "punct"]  # fmt: skip
    pos = ["DET", "NOUN", "AUX", "VERB", "ADP", "PROPN", "ADP", "PROPN", "CCONJ", "PROPN", "PUNCT"]

    def fake_parse(items: list[tuple[str, int]]) -> dict[int, Parse]:
        offset = next((o for text, o in items if text == sentence), None)
        if offset is None:
            return {}
        spaces = [True] * 9 + [False, False]  # "... Belarus."
        vocab = spacy.blank("en").vocab
        doc = Doc(vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos)
        assert doc.text == sentence
        return {offset: Parse(doc, offset)}

    monkeypatch.setattr(rules, "parse_sentences", fake_parse)
    found = run(sentence)
    rejections = [s for s in found if s.predicate == "reject"]
    assert {(s.subject_key, s.object_text) for s in rejections} == {
        ("country:ru", "The plan"),
        ("country:by", "The plan"),
    }
    assert one(run("Russia met Belarus."), "meet").subject_key == "country:ru"


def test_shipped_parser_loads_and_parses() -> None:
    """The parser in the package loads with nothing downloaded and parses a sentence."""
    from docstore.extract.statements.syntax import PARSER_PATH, parse_sentence, parser

    assert (PARSER_PATH / "config.cfg").is_file()
    nlp = parser()
    assert nlp is not None and {"tagger", "parser"} <= set(nlp.pipe_names)
    sentence = "Iran threatened to close the strait."
    p = parse_sentence(sentence, 10)
    assert p is not None
    by_word = {t.text: t for t in p.doc}
    assert by_word["Iran"].dep_ == "nsubj" and by_word["Iran"].head.text == "threatened"
    assert by_word["strait"].head.text == "close"
    roles = p.roles(10 + sentence.index("close"))
    assert roles is not None
    assert words_at(p, roles.subjects) == ["Iran"]  # the controlling verb's subject
    assert words_at(p, roles.objects) == ["strait"]
