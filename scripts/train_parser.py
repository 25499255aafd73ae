"""Train the dependency parser (with a part-of-speech tagger) that ships with docstore.

Data: Universal Dependencies English-EWT (CC BY-SA 4.0), from a checkout of
https://github.com/UniversalDependencies/UD_English-EWT (trained at commit 15d613d8): the
per-document files under ``not-to-release/sources/`` listed in
``not-to-release/file-lists/files.train`` (training) and ``files.dev`` (development
figures). The test list is never read.

    nice -n 10 python scripts/train_parser.py /path/to/UD_English-EWT

Seeds are fixed and training runs on one core; it prints the development LAS/UAS and
writes the pipeline to ``src/docstore/extract/models/parser`` (``--out`` to change).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import spacy  # noqa: E402
from spacy.cli.init_config import init_config  # noqa: E402
from spacy.tokens import DocBin  # noqa: E402
from spacy.training.converters import conllu_to_docs  # noqa: E402

SEED = 20260
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src/docstore/extract/models/parser"


def read_split(root: Path, split: str) -> str:
    """The CoNLL-U text of every document of one split, in the order of its file list."""
    listing = root / "not-to-release" / "file-lists" / f"files.{split}"
    if not listing.is_file():
        raise SystemExit(f"error: {listing}: not found (is {root} a UD_English-EWT checkout?)")
    parts = []
    for line in listing.read_text("utf-8").split():
        path = root / "not-to-release" / "sources" / line
        if not path.is_file():
            raise SystemExit(f"error: {path}: listed in {listing.name} but missing")
        parts.append(path.read_text("utf-8").strip() + "\n\n")
    return "".join(parts)


def write_docbin(conllu: str, path: Path) -> int:
    """Convert CoNLL-U text to spaCy's binary format; returns the number of sentences."""
    docs = list(conllu_to_docs(conllu, n_sents=10, merge_subtokens=True, no_print=True))
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    return conllu.count("\n\n")


def config(train: Path, dev: Path, epochs: int) -> spacy.util.Config:
    cfg = init_config(lang="en", pipeline=["tagger", "parser"], optimize="efficiency")
    cfg["paths"]["train"] = str(train)
    cfg["paths"]["dev"] = str(dev)
    cfg["system"]["seed"] = SEED
    # small enough to train on one shared core in well under an hour and ship in ~4 MB
    embed = cfg["components"]["tok2vec"]["model"]["embed"]
    embed["rows"] = [3000, 1000, 1500, 1500]
    cfg["components"]["tok2vec"]["model"]["encode"]["width"] = 64
    cfg["components"]["tok2vec"]["model"]["encode"]["depth"] = 3
    cfg["components"]["parser"]["model"]["hidden_width"] = 64
    cfg["training"]["max_epochs"] = epochs
    cfg["training"]["max_steps"] = 0
    cfg["training"]["patience"] = 3000
    cfg["training"]["eval_frequency"] = 400
    cfg["training"]["score_weights"] = {"dep_las": 0.7, "dep_uas": 0.1, "tag_acc": 0.2}
    return cfg


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ewt", type=Path, help="checkout of UniversalDependencies/UD_English-EWT")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the parser")
    ap.add_argument("--epochs", type=int, default=5, help="passes over the training data")
    args = ap.parse_args(argv)
    from spacy.cli.train import train

    spacy.util.fix_random_seed(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        n_train = write_docbin(read_split(args.ewt, "train"), work / "train.spacy")
        n_dev = write_docbin(read_split(args.ewt, "dev"), work / "dev.spacy")
        print(f"EWT sentences: train {n_train}, dev {n_dev}", flush=True)
        cfg_path = work / "config.cfg"
        config(work / "train.spacy", work / "dev.spacy", args.epochs).to_disk(cfg_path)
        train(cfg_path, work / "output", use_gpu=-1)
        best = work / "output" / "model-best"
        nlp = spacy.load(best)
        scores = nlp.evaluate(
            list(_examples(nlp, work / "dev.spacy")),
        )
        print(
            f"dev LAS {scores['dep_las']:.3f}  UAS {scores['dep_uas']:.3f}"
            f"  tag accuracy {scores['tag_acc']:.3f}"
        )
        nlp.meta["name"] = "docstore_parser"
        nlp.meta["version"] = "1.0.0"
        nlp.meta["sources"] = [
            {
                "name": "Universal Dependencies English Web Treebank (UD_English-EWT)",
                "url": "https://github.com/UniversalDependencies/UD_English-EWT",
                "license": "CC BY-SA 4.0",
            }
        ]
        nlp.meta["performance"] = {k: scores[k] for k in ("dep_las", "dep_uas", "tag_acc")}
        if args.out.exists():
            shutil.rmtree(args.out)
        nlp.to_disk(args.out)
    print(f"wrote {args.out}")
    return 0


def _examples(nlp: spacy.language.Language, path: Path):  # type: ignore[no-untyped-def]
    from spacy.training import Example

    for gold in DocBin().from_disk(path).get_docs(nlp.vocab):
        yield Example(nlp.make_doc(gold.text), gold)


if __name__ == "__main__":
    sys.exit(main())
