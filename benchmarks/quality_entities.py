"""Entity extraction quality against the hand-made gold files in tests/gold/entities/.

For each gold file: read the article with the plain-text reader, lay it out, extract, and
compare. Scores: entities by key; mention spans by exact offsets (label-agnostic); mention
spans with the right entity key. Per file and overall (micro-averaged).

    python benchmarks/quality_entities.py [--model NAME] [--verbose] [--set dev|heldout|all]

Held-out gold files (heldout_*, articles the rules were not developed on) are totalled apart.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from gold import SETS, gold_set, in_set, load_source, source_of

from docstore.extract import Extractor
from docstore.extract.types import DocumentInput

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "entities"
Counts = tuple[int, int, int]  # true positives, predicted, gold


def prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def compare(pred: set, gold: set) -> Counts:
    return len(pred & gold), len(pred), len(gold)


def score_file(extractor: Extractor, gold_path: Path, verbose: bool) -> dict[str, Counts]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    laid = load_source(ROOT, source_of(gold))
    doc = DocumentInput(laid.body, laid.passages, laid.article.published_at)
    mentions = extractor.extract(doc).mentions
    pred_keys = {m.entity_key for m in mentions}
    gold_keys = {e["key"] for e in gold["entities"]}
    pred_spans = {(m.char_start, m.char_end) for m in mentions}
    gold_spans = {(m["char_start"], m["char_end"]) for m in gold["mentions"]}
    pred_linked = {(m.char_start, m.char_end, m.entity_key) for m in mentions}
    gold_linked = {(m["char_start"], m["char_end"], m["key"]) for m in gold["mentions"]}
    if verbose:
        print(f"--- {gold_path.name}")
        print("  missed entities:", sorted(gold_keys - pred_keys))
        print("  extra entities: ", sorted(pred_keys - gold_keys))
        for a, b in sorted(gold_spans - pred_spans):
            print(f"  missed span {a}-{b} {laid.body[a:b]!r}")
        for a, b in sorted(pred_spans - gold_spans):
            print(f"  extra span  {a}-{b} {laid.body[a:b]!r}")
    return {
        "entities": compare(pred_keys, gold_keys),
        "spans": compare(pred_spans, gold_spans),
        "spans+key": compare(pred_linked, gold_linked),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="statistical pipeline to add (name or path)")
    parser.add_argument("--verbose", action="store_true", help="list misses and extras")
    parser.add_argument("--set", choices=SETS, default="all", help="gold files to score")
    args = parser.parse_args()
    extractor = Extractor(args.model)
    totals: dict[tuple[str, str], list[int]] = {}
    print(f"{'file':<18}{'measure':<11}{'P':>7}{'R':>7}{'F1':>7}")
    for path in sorted(p for p in GOLD.glob("*.json") if in_set(p, args.set)):
        for measure, counts in score_file(extractor, path, args.verbose).items():
            acc = totals.setdefault((gold_set(path), measure), [0, 0, 0])
            for i, value in enumerate(counts):
                acc[i] += value
            p, r, f = prf(*counts)
            print(f"{path.stem[:17]:<18}{measure:<11}{p:7.3f}{r:7.3f}{f:7.3f}")
    for (name, measure), counts in sorted(totals.items()):
        p, r, f = prf(*counts)
        print(f"{'OVERALL ' + name:<18}{measure:<11}{p:7.3f}{r:7.3f}{f:7.3f}")


if __name__ == "__main__":
    main()
