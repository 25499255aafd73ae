"""Entity extraction quality against the hand-made gold files in tests/gold/entities/.

For each gold file: read the article with the plain-text reader, lay it out, extract, and
compare. Scores: entities by key; persons by key (the `person:` entities, so that person
recall shows apart); mention spans by exact offsets (label-agnostic); mention spans with the
right entity key. Per file and overall (micro-averaged).

    python benchmarks/quality_entities.py [--model NAME] [--verbose]
        [--set dev|heldout|unseen|all]
    python benchmarks/quality_entities.py --uner PATH/en_ewt-ud-test.iob2 [--model NAME]

Held-out gold files (heldout_*, articles the rules were not developed on) and the unseen set
(unseen_*, articles from other regions annotated before any extraction ran on them, see
tests/gold/UNSEEN.md) are totalled apart from the development files.

`--uner` scores PER/ORG/LOC on the UNER English-EWT test split (CC BY-SA 4.0;
UniversalNER/UNER_English-EWT @ 8ed072d, en_ewt-ud-test.iob2; not in this repository): exact
span and type, micro-averaged; docstore labels map PERSON -> PER, ORG -> ORG, GPE/LOC/FAC ->
LOC (NORP, EVENT and MISC are not scored). Each UNER document is one docstore document, one
sentence a passage. The reference figure printed beside it, F1 57.1, is spaCy's
en_core_web_sm on the same file, measured the same way.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from gold import gold_set, load_source, source_of

from docstore.article import Passage
from docstore.extract import Extractor
from docstore.extract.types import DocumentInput

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "entities"
Counts = tuple[int, int, int]  # true positives, predicted, gold
SETS = ("dev", "heldout", "unseen", "all")
UNSEEN_PREFIX = "unseen_"
EN_CORE_WEB_SM_UNER_F1 = 57.1
UNER_LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}


def set_of(path: Path) -> str:
    """``unseen``, ``heldout`` or ``dev``: each is totalled apart."""
    return "unseen" if path.name.startswith(UNSEEN_PREFIX) else gold_set(path)


def read_uner(path: Path) -> list[list[tuple[list[str], list[tuple[int, int, str]]]]]:
    """UNER documents: sentences of (tokens, gold token spans with PER/ORG/LOC)."""
    docs: list[list[tuple[list[str], list[tuple[int, int, str]]]]] = []
    words: list[str] = []
    tags: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("# newdoc") or not docs:
            docs.append([])
        if line.startswith("#"):
            continue
        if not line.strip():
            if words:
                docs[-1].append((words, _iob_spans(tags)))
            words, tags = [], []
            continue
        cols = line.split("\t")
        words.append(cols[1])
        tags.append(cols[2])
    return [d for d in docs if d]


def _iob_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, name = tag.partition("-")
        if prefix == "I" and name == label and start >= 0:
            continue
        if start >= 0:
            spans.append((start, i, label))
        start, label = (i, name) if prefix in ("B", "I") else (-1, "")
    return spans


def score_uner(extractor: Extractor, path: Path) -> None:
    """Print PER/ORG/LOC precision, recall and F1 on a UNER file, with the reference."""
    per_label: dict[str, list[int]] = {}
    for sentences in read_uner(path):
        body_parts: list[str] = []
        passages: list[Passage] = []
        gold: set[tuple[int, int, str]] = set()
        pos = 0
        for seq, (words, spans) in enumerate(sentences):
            line = " ".join(words)
            offsets, o = [], pos
            for w in words:
                offsets.append(o)
                o += len(w) + 1
            for a, b, label in spans:
                gold.add((offsets[a], offsets[b - 1] + len(words[b - 1]), label))
            passages.append(Passage(seq, "paragraph", line, pos, pos + len(line)))
            body_parts.append(line)
            pos += len(line) + 1
        doc = DocumentInput("\n".join(body_parts), tuple(passages))
        pred = {
            (m.char_start, m.char_end, UNER_LABELS[m.label])
            for m in extractor.analyse(doc).mentions
            if m.label in UNER_LABELS
        }
        for label in ("PER", "ORG", "LOC"):
            acc = per_label.setdefault(label, [0, 0, 0])
            p_l = {x for x in pred if x[2] == label}
            g_l = {x for x in gold if x[2] == label}
            for i, v in enumerate(compare(p_l, g_l)):
                acc[i] += v
    print(f"UNER English-EWT ({path.name}), exact span and type")
    print(f"{'label':<10}{'P':>7}{'R':>7}{'F1':>7}")
    total = [0, 0, 0]
    for label, counts in per_label.items():
        p, r, f = prf(*counts)
        print(f"{label:<10}{p:7.3f}{r:7.3f}{f:7.3f}")
        total = [a + b for a, b in zip(total, counts, strict=True)]
    p, r, f = prf(*total)
    print(f"{'ALL':<10}{p:7.3f}{r:7.3f}{f:7.3f}")
    print(f"F1 {f * 100:.1f}  (reference: en_core_web_sm {EN_CORE_WEB_SM_UNER_F1})")


def prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def compare(pred: set, gold: set) -> Counts:
    return len(pred & gold), len(pred), len(gold)


def _persons(keys: set[str]) -> set[str]:
    return {k for k in keys if k.startswith("person:")}


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
        "persons": compare(_persons(pred_keys), _persons(gold_keys)),
        "spans": compare(pred_spans, gold_spans),
        "spans+key": compare(pred_linked, gold_linked),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model", default=None, help="NER: 'none' for rules only, an installed pipeline or path"
    )
    parser.add_argument("--uner", type=Path, help="score UNER English-EWT (en_ewt-ud-test.iob2)")
    parser.add_argument("--verbose", action="store_true", help="list misses and extras")
    parser.add_argument("--set", choices=SETS, default="all", help="gold files to score")
    args = parser.parse_args()
    extractor = Extractor(args.model)
    if args.uner is not None:
        if not args.uner.is_file():
            parser.error(f"--uner: no such file: {args.uner}")
        score_uner(extractor, args.uner)
        return
    totals: dict[tuple[str, str], list[int]] = {}
    print(f"{'file':<18}{'measure':<11}{'P':>7}{'R':>7}{'F1':>7}")
    for path in sorted(p for p in GOLD.glob("*.json") if args.set in ("all", set_of(p))):
        for measure, counts in score_file(extractor, path, args.verbose).items():
            acc = totals.setdefault((set_of(path), measure), [0, 0, 0])
            for i, value in enumerate(counts):
                acc[i] += value
            p, r, f = prf(*counts)
            print(f"{path.stem[:17]:<18}{measure:<11}{p:7.3f}{r:7.3f}{f:7.3f}")
    for (name, measure), counts in sorted(totals.items()):
        p, r, f = prf(*counts)
        print(f"{'OVERALL ' + name:<18}{measure:<11}{p:7.3f}{r:7.3f}{f:7.3f}")


if __name__ == "__main__":
    main()
