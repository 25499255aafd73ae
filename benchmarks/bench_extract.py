"""Extraction speed: words per second of `Extractor(...).extract` against the bare spaCy
tokenizer over the same texts in the same run (corpus articles plus a slice of the Wikinews
CSVs), one process on one core: words per CPU second of the process (wall time is printed
too, but on a shared machine it measures the neighbours).

    python benchmarks/bench_extract.py [--model NAME] [--wikinews 300] [--repeat 3]

Rows: the tokenizer alone (the floor every path pays), the rules-only path
(`Extractor("none")`, CLI `--no-model`), the default path with the NER shipped in the package
(`Extractor()`), and with `--model` an installed spaCy pipeline (name or path) in its place.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from docstore.article import layout
from docstore.extract import DEFAULT_MODEL, NO_MODEL, Extractor
from docstore.extract.types import DocumentInput
from docstore.readers.errors import ReaderError
from docstore.readers.text import parse_text

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"


def load_docs(wikinews: int) -> list[DocumentInput]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "articles").glob("*.txt"))]
    csv.field_size_limit(sys.maxsize)
    for path in sorted((CORPUS / "wikinews").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh)):
                if n >= wikinews // 2:
                    break
                texts.append(f"{row['title']}\n{row['text']}")
    docs = []
    for n, text in enumerate(texts):
        try:
            laid = layout(parse_text(text, f"doc{n}"))
        except ReaderError:
            continue  # an empty Wikinews row
        docs.append(DocumentInput(laid.body, laid.passages, laid.article.published_at))
    return docs


def print_speeds(title: str, rows: list[tuple[str, tuple[float, float]]], words: int) -> None:
    """A table of (name, (wall s, CPU s)) rows with words per CPU-second."""
    print(f"{title:<44}{'wall s':>9}{'CPU s':>9}{'words/CPU s':>13}")
    for name, (wall, cpu) in rows:
        print(f"{name:<44}{wall:9.3f}{cpu:9.3f}{words / cpu:13,.0f}")


def best_time(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process), each the best of ``repeat`` runs: on a
    shared machine the CPU time is the figure for one core."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="spaCy pipeline to time (name or path)")
    parser.add_argument("--wikinews", type=int, default=300, help="Wikinews articles to add")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    docs = load_docs(args.wikinews)
    words = sum(len(d.body.split()) for d in docs)
    tokenizer = spacy.blank("en").tokenizer
    models = [('Extractor("none").extract', NO_MODEL), ("Extractor().extract", DEFAULT_MODEL)]
    if args.model:
        models.append((f"Extractor({args.model!r}).extract", args.model))
    rows = [
        (
            "spacy.blank('en').tokenizer",
            best_time(lambda: [tokenizer(d.body) for d in docs], args.repeat),
        )
    ]
    for label, model in models:
        extractor = Extractor(model)
        extractor.extract(docs[0])  # warm-up: lazy data loading
        if model == DEFAULT_MODEL:  # the same without statements: what the statement rules add
            rows.append(
                (
                    "Extractor().analyse (no statements)",
                    best_time(lambda e=extractor: [e.analyse(d) for d in docs], args.repeat),
                )
            )
        rows.append(
            (label, best_time(lambda e=extractor: [e.extract(d) for d in docs], args.repeat))
        )
    print(f"{len(docs)} documents, {words} words (best of {args.repeat})")
    print_speeds("pipeline", rows, words)
    full, bare = rows[3][1][1], rows[2][1][1]
    print(f"statements add {(full - bare) / bare:.0%} to the default extraction time")


if __name__ == "__main__":
    main()
