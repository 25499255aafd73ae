"""Precision and recall of statement extraction against hand-written gold statements.

Gold files live in tests/gold/statements/*.json (one per article). A predicted statement
matches a gold one when subject, predicate, polarity and object agree and its sentence
overlaps the gold sentence; the object agrees when the keys are equal (gold gives a
key) or the object texts share most of their words (gold gives only text).

    python benchmarks/quality_statements.py            # through the docstore extractor
    python benchmarks/quality_statements.py --fixture  # mentions from the gold alias table
    python benchmarks/quality_statements.py --set heldout  # held-out articles only

Held-out gold files (heldout_*, articles the rules were not developed on) are totalled
apart; they are scored through the extractor only (the alias table covers dev articles).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

from gold import SETS, gold_set, in_set, load_source, source_of
from statement_fixtures import build_analysis, load_table

from docstore.article import LaidOut
from docstore.extract.gazetteer import load_offices
from docstore.extract.statement_data import cues, triggers
from docstore.extract.statements import find_statements
from docstore.extract.types import Analysis, DocumentInput, StatementRecord

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "statements"
_WORD = re.compile(r"\w+")


def _words(text: str | None) -> set[str]:
    return set(_WORD.findall((text or "").lower()))


def object_matches(gold: dict[str, Any], pred: StatementRecord) -> bool:
    if gold.get("object"):
        return pred.object_key == gold["object"]
    want, got = _words(gold.get("object_text")), _words(pred.object_text)
    if not want or not got:
        return False
    return len(want & got) >= 0.6 * len(want) and len(want & got) >= 0.3 * len(got)


def matches(gold: dict[str, Any], pred: StatementRecord) -> bool:
    return (
        pred.subject_key == gold["subject"]
        and pred.predicate == gold["predicate"]
        and pred.polarity == gold["polarity"]
        and pred.char_start < gold["char_end"]
        and gold["char_start"] < pred.char_end
        and object_matches(gold, pred)
    )


def analysis_for(laid: LaidOut, fixture: bool) -> Analysis:
    if fixture:
        table = load_table(GOLD / "entities.json")
        return build_analysis(laid.body, laid.passages, laid.article.published_at, table)
    from docstore.extract import get_extractor

    doc = DocumentInput(laid.body, laid.passages, laid.article.published_at)
    holder: dict[str, Analysis] = {}
    import docstore.extract.statements as rules

    def capture(analysis: Analysis) -> list[StatementRecord]:
        holder["a"] = analysis
        return []

    original = rules.find_statements
    rules.find_statements = capture
    try:
        get_extractor().extract(doc)
    finally:
        rules.find_statements = original
    if "a" not in holder:
        raise SystemExit("the extractor did not call find_statements; use --fixture")
    return holder["a"]


def score(gold: list[dict[str, Any]], preds: list[StatementRecord]) -> tuple[int, list[int]]:
    """Number of true positives and the indexes of unmatched gold statements."""
    used: set[int] = set()
    missed = []
    for gi, g in enumerate(gold):
        hit = next((i for i, p in enumerate(preds) if i not in used and matches(g, p)), None)
        if hit is None:
            missed.append(gi)
        else:
            used.add(hit)
    return len(used), missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixture", action="store_true", help="mentions from the gold alias table")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and extras")
    parser.add_argument("--set", choices=SETS, default="all", help="gold files to score")
    args = parser.parse_args(argv)
    cues(), triggers(), load_offices()  # load the data files before timing
    totals: dict[str, list[int]] = {}
    words = 0
    seconds = 0.0
    print(f"{'file':40} {'gold':>5} {'pred':>5} {'tp':>4} {'P':>6} {'R':>6}")
    for gold_path in sorted(GOLD.glob("*.json")):
        if gold_path.name == "entities.json" or not in_set(gold_path, args.set):
            continue
        if args.fixture and gold_set(gold_path) == "heldout":
            continue
        data = json.loads(gold_path.read_text("utf-8"))
        analysis = analysis_for(load_source(ROOT, source_of(data)), args.fixture)
        t0 = time.perf_counter()
        preds = find_statements(analysis)
        seconds += time.perf_counter() - t0
        words += len(analysis.doc.body.split())
        gold = data["statements"]
        tp, missed = score(gold, preds)
        p = tp / len(preds) if preds else 0.0
        r = tp / len(gold) if gold else 0.0
        print(f"{gold_path.stem:40} {len(gold):5} {len(preds):5} {tp:4} {p:6.2f} {r:6.2f}")
        if args.verbose:
            for gi in missed:
                g = gold[gi]
                obj = g["object"] or g["object_text"]
                print(f"   miss  {g['subject']} {g['predicate']} {obj!r}")
            for pr in preds:
                if not any(matches(g, pr) for g in gold):
                    obj = pr.object_key or pr.object_text
                    print(f"   extra {pr.subject_key} {pr.predicate} {obj!r} {pr.polarity}")
        acc = totals.setdefault(gold_set(gold_path), [0, 0, 0])
        acc[0] += tp
        acc[1] += len(preds)
        acc[2] += len(gold)
    for name, (total_tp, total_pred, total_gold) in sorted(totals.items()):
        p = total_tp / total_pred if total_pred else 0.0
        r = total_tp / total_gold if total_gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        row = f"{total_gold:5} {total_pred:5} {total_tp:4} {p:6.2f} {r:6.2f}"
        print(f"{'overall ' + name:40} {row}  F1 {f1:.2f}")
    if seconds:
        print(f"statement rules: {words / seconds:,.0f} words/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
