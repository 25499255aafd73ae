"""Single-sentence events: recall of event type and of source+target, and precision.

Gold: tests/gold/events/sentences.jsonl, one sentence per line with its coded events
(predicate, source and target entity keys or null, the words that name them, polarity),
written before extraction ran on the sentences. Each sentence is extracted alone, as a
one-paragraph document, through docstore's default extractor.

- event type: a gold event is found when a statement of its sentence has the same
  predicate (exact), or the same PLOVER category (predicates.yaml; predicates without
  one must match exactly);
- source+target: a statement whose subject matches the gold source and whose object
  matches the gold target (a null side matches anything; events with both null are not
  counted). An entity matches by key, or when its name or an alias equals the gold
  ``*_text`` after normalization (case, accents, a leading "the", punctuation);
- precision: statements whose predicate is that of a gold event of the sentence and
  whose subject matches that event's source. Relations (holds_position, member_of) count
  like events: the gold codes them too.

    python benchmarks/quality_events.py [-v] [--by category|predicate]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docstore.article import Passage
from docstore.extract.types import DocumentInput, Extraction, StatementRecord
from docstore.vocabulary import plover_of

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "events" / "sentences.jsonl"
_PUNCT = re.compile(r"[^\w\s]")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = _PUNCT.sub(" ", text.replace("’", "'").replace("'s ", " "))
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def entity_matches(
    key: str | None, extraction: Extraction, gold_key: str, gold_text: str | None
) -> bool:
    if key is None:
        return False
    if key == gold_key:
        return True
    entity = extraction.entities.get(key)
    if entity is None or not gold_text:
        return False
    names = {normalize(entity.name)} | {normalize(alias) for alias, _ in entity.aliases}
    return normalize(gold_text) in names


def category(predicate: str) -> str:
    return plover_of(predicate) or predicate


@dataclass
class Tally:
    gold: int = 0
    type_exact: int = 0
    type_plover: int = 0
    pairs: int = 0
    pairs_found: int = 0
    predicted: int = 0
    correct: int = 0

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _source_ok(st: StatementRecord, ev: dict[str, Any], ex: Extraction) -> bool:
    return ev["source"] is None or entity_matches(
        st.subject_key, ex, ev["source"], ev.get("source_text")
    )


def _target_ok(st: StatementRecord, ev: dict[str, Any], ex: Extraction) -> bool:
    return ev["target"] is None or entity_matches(
        st.object_key, ex, ev["target"], ev.get("target_text")
    )


def score_sentence(
    gold: list[dict[str, Any]], ex: Extraction, by: str
) -> tuple[dict[str, Tally], list[str]]:
    """Tallies by category (or predicate) for one sentence, and lines describing misses."""
    tallies: dict[str, Tally] = {}
    notes: list[str] = []
    events = list(ex.statements)
    for ev in gold:
        t = tallies.setdefault(
            ev["predicate"] if by == "predicate" else category(ev["predicate"]), Tally()
        )
        t.gold += 1
        same = [st for st in events if st.predicate == ev["predicate"]]
        t.type_exact += bool(same)
        t.type_plover += bool(same) or any(
            plover_of(st.predicate) is not None
            and plover_of(st.predicate) == plover_of(ev["predicate"])
            for st in events
        )
        if ev["source"] is not None or ev["target"] is not None:
            t.pairs += 1
            hit = any(_source_ok(st, ev, ex) and _target_ok(st, ev, ex) for st in events)
            t.pairs_found += hit
        if not same:
            notes.append(f"   miss  {ev['predicate']} {ev['source']} -> {ev['target']}")
    for st in events:
        t = tallies.setdefault(
            st.predicate if by == "predicate" else category(st.predicate), Tally()
        )
        t.predicted += 1
        ok = any(ev["predicate"] == st.predicate and _source_ok(st, ev, ex) for ev in gold)
        t.correct += ok
        if not ok:
            notes.append(
                f"   extra {st.predicate} {st.subject_key} -> {st.object_key or st.object_text!r}"
            )
    return tallies, notes


def extract_sentence(text: str) -> Extraction:
    from docstore.extract import get_extractor

    passage = Passage(seq=0, kind="paragraph", text=text, char_start=0, char_end=len(text))
    return get_extractor().extract(DocumentInput(text, (passage,)))


def _ratio(a: int, b: int) -> str:
    return f"{a / b:6.2f}" if b else "     -"


def report(tallies: dict[str, Tally]) -> Tally:
    print(
        f"{'category':18} {'gold':>5} {'type':>6} {'PLOVER':>6} {'src+tgt':>7} {'pred':>5} {'P':>6}"
    )
    total = Tally()
    for name in sorted(tallies):
        t = tallies[name]
        total.add(t)
        print(_row(name, t))
    print(_row("overall", total))
    return total


def _row(name: str, t: Tally) -> str:
    return (
        f"{name:18} {t.gold:5} {_ratio(t.type_exact, t.gold)} {_ratio(t.type_plover, t.gold)}"
        f"  {_ratio(t.pairs_found, t.pairs)} {t.predicted:5} {_ratio(t.correct, t.predicted)}"
    )


def run(gold_path: Path = GOLD, by: str = "category", verbose: bool = False) -> Tally:
    lines = [json.loads(line) for line in gold_path.read_text("utf-8").splitlines() if line.strip()]
    tallies: dict[str, Tally] = {}
    extract_sentence("Russia met Belarus.")  # load the pipeline before timing
    t0 = time.perf_counter()
    for item in lines:
        ex = extract_sentence(item["text"])
        found, notes = score_sentence(item["events"], ex, by)
        for name, t in found.items():
            tallies.setdefault(name, Tally()).add(t)
        if verbose and notes:
            print(f"{item['id']}: {item['text']}")
            print("\n".join(notes))
    seconds = time.perf_counter() - t0
    print(f"{len(lines)} sentences from {gold_path} ({seconds:.1f} s)")
    return report(tallies)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and extras")
    parser.add_argument("--by", choices=("category", "predicate"), default="category")
    parser.add_argument("--gold", type=Path, default=GOLD, help="a sentences.jsonl file")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"error: {args.gold}: no such file", file=sys.stderr)
        return 2
    run(args.gold, args.by, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
