"""Trigger patterns and cue words for statement rules, loaded once per process.

The vocabulary lives in ``data/triggers.yaml`` and ``data/cues.yaml`` so that a new
trigger or cue is a data change; this module validates both when it loads them (a trigger
naming a predicate that predicates.yaml lacks, an unknown field, a phrase listed for two
predicates or in two cue lists that exclude each other: an error naming the file and the
entry) and turns them into lookup tables keyed by the first token of each phrase, so
matching a sentence costs one dict probe per token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from docstore.extract.gazetteer import load_word_lists
from docstore.vocabulary import DataFileError, load_yaml, predicate_names

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
    # the event stands without an object ("X resigned"): object_text is the trigger phrase
    bare: bool = False


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
    subject_pronouns: frozenset[str]
    object_pronouns: frozenset[str]
    question_labels: frozenset[tuple[str, ...]]
    time_words: frozenset[str]


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


_OBJECT_KINDS = frozenset({"entity", "clause", "content", "directive"})
_TRIGGER_FIELDS = frozenset(
    {
        "pattern",
        "object",
        "noun",
        "generic",
        "polarity",
        "confidence",
        "reciprocal",
        "directive",
        "bare",
    }
)
# Cue lists that must not share a phrase: each decides something different about it.
_EXCLUSIVE_CUES = (
    ("negation", "modality", "attribution"),
    ("determiners", "possessives", "prepositions", "be_forms"),
)


def _load(name: str) -> dict[str, Any]:
    return load_yaml(name)


def check_triggers(
    data: dict[str, Any], known: frozenset[str], name: str = "triggers.yaml"
) -> None:
    """Every trigger names a known predicate, uses known fields, and no phrase is listed for
    two predicates (or twice for one)."""
    predicates = data.get("predicates")
    if not isinstance(predicates, dict):
        raise DataFileError(f"{name}: needs a mapping 'predicates'")
    owner: dict[str, str] = {}
    for predicate, specs in predicates.items():
        if predicate not in known:
            raise DataFileError(f"{name}: {predicate}: not a predicate of predicates.yaml")
        for spec in specs or ():
            pattern = spec.get("pattern") if isinstance(spec, dict) else None
            where = f"{name}: {predicate}: pattern {pattern!r}"
            if not isinstance(pattern, str) or not pattern.strip():
                raise DataFileError(f"{name}: {predicate}: an entry without a pattern")
            unknown = set(spec) - _TRIGGER_FIELDS
            if unknown:
                raise DataFileError(f"{where}: unknown field {sorted(unknown)[0]!r}")
            if spec.get("object", "entity") not in _OBJECT_KINDS:
                raise DataFileError(f"{where}: unknown object kind {spec['object']!r}")
            if spec.get("directive") is not None and spec["directive"] not in known:
                raise DataFileError(f"{where}: directive {spec['directive']!r} is not a predicate")
            if any(("{" in w or "}" in w) and not _SLOT.fullmatch(w) for w in pattern.split()):
                raise DataFileError(f"{where}: a verb slot must be a whole word ({{verb}})")
            key = " ".join(pattern.lower().split())
            if key in owner:
                raise DataFileError(f"{where}: already listed for {owner[key]}")
            owner[key] = predicate


def check_cues(data: dict[str, Any], name: str = "cues.yaml") -> None:
    """Lists that decide different things about a phrase must not share one."""
    for group in _EXCLUSIVE_CUES:
        seen: dict[str, str] = {}
        for key in group:
            items = data.get(key)
            if items is None:
                raise DataFileError(f"{name}: missing the list {key!r}")
            flat = [p for v in items.values() for p in v] if isinstance(items, dict) else items
            for phrase in flat:
                norm = " ".join(str(phrase).lower().split())
                if norm in seen and seen[norm] != key:
                    raise DataFileError(f"{name}: {norm!r} is in both {seen[norm]} and {key}")
                seen[norm] = key
    pronouns = data.get("pronouns", {})
    owner: dict[str, str] = {}
    for group, words in pronouns.items():
        for w in words:
            if w in owner:
                raise DataFileError(f"{name}: pronoun {w!r} is in both {owner[w]} and {group}")
            owner[w] = group


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
    check_triggers(data, predicate_names())
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
                    bare=bool(spec.get("bare", False)),
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
    check_cues(data)

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
        honorifics=load_word_lists().honorifics,
        person_pronouns=frozenset(pronouns["person"]),
        speaker_pronouns=frozenset(pronouns["speaker"]),
        group_pronouns=frozenset(pronouns["speaker_group"]),
        group_nouns=words("group_nouns"),
        title_heads=words("title_heads"),
        title_modifiers=words("title_modifiers"),
        title_not_current=words("title_not_current"),
        verbal_context=words("verbal_context"),
        subject_pronouns=words("subject_pronouns"),
        object_pronouns=words("object_pronouns"),
        question_labels=frozenset(_phrases(data["question_labels"])),
        time_words=words("time_words"),
    )


@lru_cache(maxsize=1)
def speech_acts() -> frozenset[str]:
    """Predicates that are something said, stronger than `say` (cues.yaml)."""
    found = frozenset(_load("cues.yaml")["speech_acts"])
    unknown = found - predicate_names()
    if unknown:
        raise DataFileError(f"cues.yaml: speech_acts: {sorted(unknown)[0]!r} is not a predicate")
    return found
