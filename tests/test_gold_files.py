"""Every hand-made gold file is well formed: it loads, its offsets point at the text it
quotes in the body docstore's reader produces, its keys follow the key scheme and its
predicates are in the shared vocabulary. A gold file that drifts from its article (a
reader change, a hand edit) fails here rather than silently skewing quality figures."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from gold import load_source, source_of

from docstore.article import Article, layout
from docstore.readers import read_file

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
ENTITY_FILES = sorted((GOLD / "entities").glob("*.json"))
STATEMENT_FILES = sorted(
    p for p in (GOLD / "statements").glob("*.json") if p.name != "entities.json"
)
SENTENCES = GOLD / "events" / "sentences.jsonl"

# The fixed statement vocabulary shared by gold files and predicates.yaml.
PREDICATES = frozenset(
    line.strip()
    for line in (GOLD / "predicates.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)
POLARITIES = {"positive", "negative"}
KEY = re.compile(r"^(country:[a-z]{2}|(person|org|place|event):[a-z0-9]+(-[a-z0-9]+)*)$")
TYPES = {"country": "country", "person": "person", "org": "organization", "place": "place"}
TYPES["event"] = "event"
LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"}


@cache
def rows_of(csv: str) -> dict[int, Article]:
    """Every article of a tabular file by row, read once (the same reader as ingest)."""
    return {
        int(item.extra["row"]): item for item in read_file(ROOT / csv) if isinstance(item, Article)
    }


@cache
def body_of(source: str) -> str:
    """The stored body of a gold file's article (``source`` is its JSON-encoded source)."""
    where = json.loads(source)
    if isinstance(where, dict) and "csv" in where:
        return layout(rows_of(where["csv"])[where["row"]]).body
    return load_source(ROOT, where).body


def body(gold: dict[str, Any]) -> str:
    return body_of(json.dumps(source_of(gold), sort_keys=True))


def load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a JSON object"
    return data


def test_vocabulary() -> None:
    assert len(PREDICATES) == 45 and {"say", "holds_position", "lift_sanctions"} <= PREDICATES


def test_gold_files_exist() -> None:
    names = {p.name for p in ENTITY_FILES}
    assert sum(n.startswith("unseen_") for n in names) >= 10
    assert {p.name for p in STATEMENT_FILES if p.name.startswith("unseen_")} <= names
    assert SENTENCES.is_file()


@pytest.mark.parametrize("path", ENTITY_FILES, ids=lambda p: p.stem)
def test_entity_gold(path: Path) -> None:
    gold = load(path)
    text = body(gold)
    declared = {}
    for entity in gold["entities"]:
        assert KEY.match(entity["key"]), f"{path.name}: bad key {entity['key']!r}"
        assert entity["type"] == TYPES[entity["key"].split(":")[0]], entity
        assert entity["key"] not in declared, f"{path.name}: {entity['key']} listed twice"
        declared[entity["key"]] = entity["type"]
    spans = set()
    for m in gold["mentions"]:
        where = f"{path.name} {m['char_start']}-{m['char_end']}"
        assert text[m["char_start"] : m["char_end"]] == m["text"], f"{where}: offsets"
        assert m["text"] == m["text"].strip() and m["text"], f"{where}: untrimmed span"
        assert m["key"] in declared, f"{where}: {m['key']} not among the entities"
        assert m["label"] in LABELS, f"{where}: label {m['label']}"
        assert (m["char_start"], m["char_end"]) not in spans, f"{where}: listed twice"
        spans.add((m["char_start"], m["char_end"]))
    used = {m["key"] for m in gold["mentions"]}
    assert used == set(declared), f"{path.name}: entities without mentions {set(declared) - used}"


@pytest.mark.parametrize("path", STATEMENT_FILES, ids=lambda p: p.stem)
def test_statement_gold(path: Path) -> None:
    gold = load(path)
    text = body(gold)
    for s in gold["statements"]:
        where = f"{path.name} {s['subject']} {s['predicate']}"
        assert KEY.match(s["subject"]), f"{where}: bad subject key"
        assert s["predicate"] in PREDICATES, f"{where}: predicate not in the vocabulary"
        assert s["polarity"] in POLARITIES, where
        assert s["object"] is None or KEY.match(s["object"]), f"{where}: bad object key"
        assert s["object"] or s["object_text"], f"{where}: no object"
        assert 0 <= s["char_start"] < s["char_end"] <= len(text), f"{where}: offsets"
        if "sentence" in s:
            assert text[s["char_start"] : s["char_end"]] == s["sentence"], f"{where}: offsets"


def sentence_lines() -> list[dict[str, Any]]:
    lines = SENTENCES.read_text(encoding="utf-8").splitlines()
    assert all(line.strip() for line in lines), "blank line in sentences.jsonl"
    return [json.loads(line) for line in lines]


def test_event_sentences() -> None:
    items = sentence_lines()
    assert len(items) >= 200
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"s\d{3,}", i) for i in ids)
    fields = {"predicate", "source", "source_text", "target", "target_text", "object_text"}
    fields.add("polarity")
    for item in items:
        where = item["id"]
        assert set(item) == {"id", "source", "text", "events"}, where
        assert item["text"] in body(item), f"{where}: text not in its article"
        for event in item["events"]:
            assert set(event) == fields, f"{where}: fields {sorted(event)}"
            assert event["predicate"] in PREDICATES, f"{where}: {event['predicate']}"
            assert event["polarity"] in POLARITIES, where
            for role in ("source", "target"):
                key, words = event[role], event[f"{role}_text"]
                assert key is None or KEY.match(key), f"{where}: bad {role} key {key!r}"
                assert words is None or words in item["text"], f"{where}: {role}_text {words!r}"
                assert key is None or words, f"{where}: {role} key without its words"


def test_event_sentences_are_held_out() -> None:
    """No sentence comes from an article other gold files annotate."""
    annotated = set()
    for path in ENTITY_FILES + STATEMENT_FILES:
        source = source_of(load(path))
        if isinstance(source, dict):
            annotated.add((source["csv"], source["row"]))
    for item in sentence_lines():
        source = item["source"]
        assert (source.get("csv"), source.get("row")) not in annotated, item["id"]


def test_event_readme_counts_match() -> None:
    """The per-predicate table in events/README.md is the file's real distribution."""
    readme = (GOLD / "events" / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"\| ([a-z_]+) \| (\d+) ", readme))
    counted = dict.fromkeys(PREDICATES, 0)
    for item in sentence_lines():
        for event in item["events"]:
            counted[event["predicate"]] += 1
    assert {p: int(n) for p, n in table.items()} == counted
