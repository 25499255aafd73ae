"""Trigger patterns and cue words for statement rules, loaded once per process.

The vocabulary lives in ``data/triggers.yaml`` and ``data/cues.yaml`` so that a new
trigger or cue is a data change; this module turns it into lookup tables keyed by the
first token of each phrase, so matching a sentence costs one dict probe per token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_SLOT = re.compile(r"\{(\w+)\}")
_VOWELS = "aeiou"


@dataclass(frozen=True)
class Trigger:
    """One expanded trigger phrase of a predicate."""

    predicate: str
    tokens: tuple[str, ...]
    object: str  # entity | clause | content
    noun: bool
    generic: bool
    negative: bool
    confidence: float
    # one-word verb form that may also be a noun or participle ("visit", "meeting")
    ambiguous: bool
    # "A and B met": with coordinated subjects and no object, each is the other's object
    reciprocal: bool = False
    # predicate when an addressee and "to" + verb follow ("told X to leave": demand)
    directive: str | None = None


@dataclass(frozen=True)
class Cues:
    negation: dict[str, list[tuple[str, ...]]]
    modality: dict[str, list[tuple[tuple[str, ...], str]]]
    attribution: dict[str, list[tuple[str, ...]]]
    clause_breaks: frozenset[str]
    comma_openers: frozenset[str]
    prepositions: frozenset[str]
    determiners: frozenset[str]
    possessives: frozenset[str]
    be_forms: frozenset[str]
    honorifics: frozenset[str]
    person_pronouns: frozenset[str]
    speaker_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    group_nouns: frozenset[str]
    title_heads: frozenset[str]
    title_modifiers: frozenset[str]
    title_not_current: frozenset[str]
    verbal_context: frozenset[str]


def inflect(lemma: str) -> list[str]:
    """Regular English verb forms: base, -s, -ed, -ing (irregular verbs are listed in data)."""
    if lemma.endswith(("s", "x", "z", "ch", "sh")):
        third = lemma + "es"
    elif lemma.endswith("y") and lemma[-2:-1] not in _VOWELS:
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    if lemma.endswith("e"):
        past = lemma + "d"
    elif lemma.endswith("y") and lemma[-2:-1] not in _VOWELS:
        past = lemma[:-1] + "ied"
    else:
        past = lemma + "ed"
    if lemma.endswith("ie"):
        ing = lemma[:-2] + "ying"
    elif lemma.endswith("e") and not lemma.endswith("ee"):
        ing = lemma[:-1] + "ing"
    else:
        ing = lemma + "ing"
    return [lemma, third, past, ing]


def _load(name: str) -> dict[str, Any]:
    text = resources.files("docstore.extract").joinpath("data").joinpath(name).read_text("utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict), name
    return data


def _phrases(items: list[str]) -> list[tuple[str, ...]]:
    return [tuple(item.lower().split()) for item in items]


def _by_first(phrases: list[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    table: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):
        table.setdefault(phrase[0], []).append(phrase)
    return table


def _expand(pattern: str, irregular: dict[str, list[str]]) -> list[tuple[tuple[str, ...], bool]]:
    """All token sequences of a pattern, each with whether it is an ambiguous one-word form."""
    words = pattern.lower().split()
    seqs: list[tuple[list[str], bool]] = [([], False)]
    for word in words:
        slot = _SLOT.fullmatch(word)
        if not slot:
            seqs = [(seq + [word], amb) for seq, amb in seqs]
            continue
        lemma = slot.group(1)
        forms = irregular.get(lemma) or inflect(lemma)
        base, third = forms[0], forms[1]
        seqs = [
            (seq + [form], amb or form in (base, third) or form.endswith("ing"))
            for seq, amb in seqs
            for form in forms
        ]
    return [(tuple(seq), amb and len(seq) == 1) for seq, amb in seqs]


@lru_cache(maxsize=1)
def triggers() -> dict[str, list[Trigger]]:
    """Trigger phrases by first token, longest first."""
    data = _load("triggers.yaml")
    irregular = {k: [f.lower() for f in v] for k, v in data.get("irregular", {}).items()}
    table: dict[str, list[Trigger]] = {}
    for predicate, patterns in data["predicates"].items():
        for spec in patterns:
            for tokens, ambiguous in _expand(spec["pattern"], irregular):
                trig = Trigger(
                    predicate=predicate,
                    tokens=tokens,
                    object=spec.get("object", "entity"),
                    noun=bool(spec.get("noun", False)),
                    generic=bool(spec.get("generic", False)),
                    negative=spec.get("polarity") == "negative",
                    confidence=float(spec.get("confidence", 0.8)),
                    ambiguous=ambiguous,
                    reciprocal=bool(spec.get("reciprocal", False)),
                    directive=spec.get("directive"),
                )
                table.setdefault(tokens[0], []).append(trig)
    for entries in table.values():
        entries.sort(key=lambda t: len(t.tokens), reverse=True)
    return table


@lru_cache(maxsize=1)
def prefilter() -> frozenset[str]:
    """Words a sentence must contain (unless it names a person) to need the rules at all."""
    return frozenset(triggers()) | cues().person_pronouns


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = _load("cues.yaml")

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data[key])

    modality: list[tuple[tuple[str, ...], str]] = [
        (phrase, mood) for mood, items in data["modality"].items() for phrase in _phrases(items)
    ]
    mod_table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, mood in sorted(modality, key=lambda pm: len(pm[0]), reverse=True):
        mod_table.setdefault(phrase[0], []).append((phrase, mood))
    pronouns = data["pronouns"]
    return Cues(
        negation=_by_first(_phrases(data["negation"])),
        modality=mod_table,
        attribution=_by_first(_phrases(data["attribution"])),
        clause_breaks=words("clause_breaks"),
        comma_openers=words("comma_clause_openers"),
        prepositions=words("prepositions"),
        determiners=words("determiners"),
        possessives=words("possessives"),
        be_forms=words("be_forms"),
        honorifics=words("honorifics"),
        person_pronouns=frozenset(pronouns["person"]),
        speaker_pronouns=frozenset(pronouns["speaker"]),
        group_pronouns=frozenset(pronouns["speaker_group"]),
        group_nouns=words("group_nouns"),
        title_heads=words("title_heads"),
        title_modifiers=words("title_modifiers"),
        title_not_current=words("title_not_current"),
        verbal_context=words("verbal_context"),
    )
