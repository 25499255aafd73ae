"""Extraction speed: words per second of `Extractor().extract` against the bare spaCy tokenizer
over the same texts in the same run (corpus articles plus a slice of the Wikinews CSVs).

    python benchmarks/bench_extract.py [--model NAME] [--wikinews 300] [--repeat 3]
    python benchmarks/bench_extract.py --stand-in-model

`--model` adds a row for an installed statistical pipeline (name or path) beside the default
one. Where none is installed, `--stand-in-model` times the `--model` path with spaCy's default
`ner` component (its own CNN tok2vec, the architecture of spaCy's small English pipelines),
trained for a few steps on the default pipeline's own mentions: its speed stands for such a
model's, its accuracy for nothing.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import spacy
from spacy.training import Example

from docstore.article import layout
from docstore.extract import Extractor
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


def best_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


# spaCy labels for the stand-in model, from docstore's mention labels.
_STAND_IN_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC"}


def build_stand_in_model(docs: list[DocumentInput], path: Path, steps: int = 5) -> None:
    """A blank pipeline with spaCy's default ``ner``, trained briefly on the default
    pipeline's own mentions of a few documents, saved to ``path``."""
    extractor = Extractor(None)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    examples = []
    for doc in docs[:20]:
        spans = []
        last_end = -1
        for m in sorted(extractor.extract(doc).mentions, key=lambda m: m.char_start):
            label = _STAND_IN_LABELS.get(m.label)
            if label and m.char_start >= last_end:
                spans.append((m.char_start, m.char_end, label))
                last_end = m.char_end
        made = nlp.make_doc(doc.body)
        if all(made.char_span(a, b) is not None for a, b, _ in spans):
            examples.append(Example.from_dict(made, {"entities": spans}))
    for label in _STAND_IN_LABELS.values():
        ner.add_label(label)  # type: ignore[attr-defined]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(steps):
        nlp.update(examples, sgd=optimizer)
    nlp.to_disk(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="statistical pipeline to add (name or path)")
    parser.add_argument(
        "--stand-in-model",
        action="store_true",
        help="time the --model path with a briefly trained default spaCy ner (speed only)",
    )
    parser.add_argument("--wikinews", type=int, default=300, help="Wikinews articles to add")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    docs = load_docs(args.wikinews)
    words = sum(len(d.body.split()) for d in docs)
    tokenizer = spacy.blank("en").tokenizer
    with tempfile.TemporaryDirectory() as tmp:
        models: list[tuple[str, str | None]] = [("Extractor(None).extract", None)]
        if args.model:
            models.append((f"Extractor({args.model!r}).extract", args.model))
        if args.stand_in_model:
            path = Path(tmp) / "stand_in_ner"
            build_stand_in_model(docs, path)
            models.append(("Extractor(<stand-in ner>).extract", str(path)))
        rows = [
            (
                "spacy.blank('en').tokenizer",
                best_time(lambda: [tokenizer(d.body) for d in docs], args.repeat),
            )
        ]
        for label, model in models:
            extractor = Extractor(model)
            extractor.extract(docs[0])  # warm-up: lazy data loading
            if model is None:  # the same without statements: what the statement rules add
                rows.append(
                    (
                        "Extractor(None).analyse (no statements)",
                        best_time(lambda e=extractor: [e.analyse(d) for d in docs], args.repeat),
                    )
                )
            rows.append(
                (
                    label,
                    best_time(lambda e=extractor: [e.extract(d) for d in docs], args.repeat),
                )
            )
    print(f"{len(docs)} documents, {words} words (best of {args.repeat})")
    print(f"{'pipeline':<40}{'seconds':>9}{'words/s':>11}")
    for name, seconds in rows:
        print(f"{name:<40}{seconds:9.3f}{words / seconds:11,.0f}")
    full, bare = rows[2][1], rows[1][1]
    print(f"statements add {(full - bare) / bare:.0%} to the default extraction time")


if __name__ == "__main__":
    main()
