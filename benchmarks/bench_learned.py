"""What the learned gazetteer costs: extraction with analysts' confirmed names against the
same extraction without them (the baseline, same run, same extractor), and the time to
replace the names when a judgement changes them against building a pipeline anew.

    python benchmarks/bench_learned.py [--names 2000] [--wikinews 300] [--repeat 3]

The names are invented ("Qorvath Holding 17", "the qorvath fund 17"): half of several words
(matched ignoring case), half single words (matched as written), all of one entity each,
which is what matching costs whether or not the text holds them. CPU seconds of this
process, best of `--repeat` runs, the runs with and without names taking turns.
"""

from __future__ import annotations

import argparse
import time

from bench_extract import best_time, load_docs, print_speeds

from docstore.extract import Extractor
from docstore.extract.learned import LearnedEntity, LearnedNames
from docstore.extract.pipeline import learned_ruler


def invented(count: int, salt: str) -> LearnedNames:
    """`count` names of `count` entities; `salt` makes another set of the same size."""
    forms: list[tuple[str, str]] = []
    entities: list[LearnedEntity] = []
    for n in range(count):
        key = f"org:qorvath-{salt}-{n}"
        text = f"Qorvath{salt} Holding {n}" if n % 2 else f"Qorvath{salt}{n}"
        forms.append((text, key))
        entities.append(LearnedEntity(key, text, "organization"))
    return LearnedNames(forms=tuple(forms), entities=tuple(entities))


def _best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(w for w, _ in runs), min(c for _, c in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=2000, help="learned names to match")
    parser.add_argument("--wikinews", type=int, default=300, help="Wikinews articles to add")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    docs = load_docs(args.wikinews)
    words = sum(len(d.body.split()) for d in docs)

    cpu = time.process_time()
    extractor = Extractor()
    build = time.process_time() - cpu
    extractor.extract(docs[0])  # warm-up: lazy data loading
    names = invented(args.names, "a")
    other = invented(args.names, "b")

    # the two alternate, so that a neighbour's load on the machine hits both alike
    base_runs: list[tuple[float, float]] = []
    learned_runs: list[tuple[float, float]] = []
    for _ in range(args.repeat):
        base_runs.append(best_time(lambda: [extractor.extract(d) for d in docs], 1))
        learned_runs.append(
            best_time(lambda: [extractor.extract(d, learned=names) for d in docs], 1)
        )
    rows = [
        ("Extractor().extract (no learned names)", _best(base_runs)),
        (f"... with {args.names} learned names", _best(learned_runs)),
    ]
    ruler = learned_ruler(extractor.nlp)
    swaps = 10

    def swap() -> None:
        for n in range(swaps):
            ruler.set_names(other if n % 2 else names)

    _, swap_cpu = best_time(swap, args.repeat)

    print(f"{len(docs)} documents, {words} words (best of {args.repeat})")
    print_speeds("extraction", rows, words)
    base, learned = rows[0][1][1], rows[1][1][1]
    print(f"learned names add {(learned - base) / base:.1%} to the extraction time")
    print(
        f"replacing {args.names} names: {swap_cpu / swaps * 1000:.1f} ms CPU"
        f" (building the pipeline: {build:.2f} s CPU)"
    )


if __name__ == "__main__":
    main()
