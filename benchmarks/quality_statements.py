"""Precision and recall of statement extraction against hand-written gold statements.

Gold files live in tests/gold/statements/*.json (one per article). A predicted statement
matches a gold one when subject, predicate, polarity and object agree and its sentence
overlaps the gold sentence; the object agrees when the keys are equal (gold gives a
key) or the object texts share most of their words (gold gives only text).

    python benchmarks/quality_statements.py            # through the docstore extractor
    python benchmarks/quality_statements.py --fixture  # mentions from the gold alias table
    python benchmarks/quality_statements.py --set heldout  # held-out articles only
    python benchmarks/quality_statements.py --set unseen   # articles coded after the rules
    python benchmarks/quality_statements.py --set sentences  # single-sentence events

Held-out gold files (heldout_*, articles the rules were not developed on) and unseen ones
(unseen_*, articles annotated after the statement vocabulary and parser were written) are
totalled apart; they are scored through the extractor only (the alias table covers dev
articles). Recall is also given by category (the gold predicate's PLOVER category, or
the predicate where it has none). The single-sentence set is scored by
benchmarks/quality_events.py (see there for how).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

from gold import load_source, source_of
from statement_fixtures import build_analysis, load_table

from docstore.article import LaidOut
from docstore.extract.gazetteer import load_offices
from docstore.extract.statements import find_statements
from docstore.extract.statements.data import cues, triggers
from docstore.extract.statements.syntax import parser as load_parser
from docstore.extract.types import Analysis, DocumentInput, StatementRecord
from docstore.vocabulary import plover_of

ROOT = Path(__file__).resolve().parents[1]
ARTICLE_SETS = ("dev", "heldout", "unseen")
SETS = (*ARTICLE_SETS, "sentences", "all")


def gold_set(path: Path) -> str:
    """``heldout`` / ``unseen`` by the gold file's prefix, else ``dev``."""
    for name in ("heldout", "unseen"):
        if path.name.startswith(name + "_"):
            return name
    return "dev"


def in_set(path: Path, wanted: str) -> bool:
    return wanted == "all" or gold_set(path) == wanted


GOLD = ROOT / "tests" / "gold" / "statements"
_WORD = re.compile(r"\w+")


def _words(text: str | None) -> set[str]:
    return set(_WORD.findall((text or "").lower()))


def object_matches(gold: dict[str, Any], pred: StatementRecord) -> bool:
    if not gold.get("object") and not gold.get("object_text"):
        return True  # an event coded without an object
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


def category(predicate: str) -> str:
    return plover_of(predicate) or predicate


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
    cues(), triggers(), load_offices(), load_parser()  # load the data and parser before timing
    totals: dict[str, list[int]] = {}
    by_category: dict[tuple[str, str], list[int]] = {}
    words = 0
    seconds = 0.0
    print(f"{'file':40} {'gold':>5} {'pred':>5} {'tp':>4} {'P':>6} {'R':>6}")
    for gold_path in sorted(GOLD.glob("*.json")):
        if args.set == "sentences":
            break
        if gold_path.name == "entities.json" or not in_set(gold_path, args.set):
            continue
        if args.fixture and gold_set(gold_path) != "dev":
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
        for gi, g in enumerate(gold):
            cat = by_category.setdefault((gold_set(gold_path), category(g["predicate"])), [0, 0])
            cat[0] += gi not in missed
            cat[1] += 1
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
    if by_category:
        print("recall by category (found/gold):")
        for name in sorted({s for s, _ in by_category}):
            cells = [f"{c} {f}/{n}" for (s, c), (f, n) in sorted(by_category.items()) if s == name]
            print(f"  {name}: " + ", ".join(cells))
    if seconds:
        print(f"statement rules: {words / seconds:,.0f} words/s")
    if args.set in ("sentences", "all") and not args.fixture:
        import quality_events

        print()
        quality_events.run(verbose=args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
