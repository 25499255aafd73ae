"""Token F1 of the article body docstore stores from HTML pages, against hand-checked gold,
beside plain `trafilatura.extract` on the same pages in the same run.

Pages: the wget mirror of en.kremlin.ru (CC BY 4.0, President of Russia website) kept in
the public repository iandennismiller/valdai-transcripts (commit
d365d811cb40d792621e10c96f38729f6150cb21), folder
`var/extract/en.kremlin.ru/events/president/news/`. The pages are not part of docstore:
pass that folder, or the root of a checkout (or `git archive` extraction) of the
repository, as the argument.

The gold is docstore's own annotation, `benchmarks/data/html_gold.jsonl`, one page per
line: the XPath of the article's lead and body, the XPaths of parts inside them that are
not the article (photo sliders, video blocks, "See also" boxes, tags and publication
metadata), and the first and last words of the body as checked by hand. The benchmark
derives the gold text from the page with those paths and refuses a page whose derived
text does not start and end with the checked words.

Compared text: for docstore, every stored passage but the title and the dateline (the
gold has neither); for trafilatura, `trafilatura.extract(page)` with its defaults. Tokens
are lower-cased words (`\\w+`); F1 is computed per page and averaged.

    python benchmarks/bench_html.py /path/to/valdai-transcripts
    python benchmarks/bench_html.py /path/to/valdai-transcripts --pages 40 --markdown
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import table  # noqa: E402

GOLD = Path(__file__).resolve().parent / "data" / "html_gold.jsonl"
SUBFOLDER = "var/extract/en.kremlin.ru/events/president/news"
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def f1(predicted: str, gold: str) -> tuple[float, float, float]:
    p, g = Counter(words(predicted)), Counter(words(gold))
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def gold_text(page: bytes, note: dict[str, object]) -> str:
    """The article text the annotation picks out of the page, one block per line."""
    from lxml import html

    tree = html.fromstring(page)
    for path in note.get("exclude", []):  # type: ignore[union-attr]
        for el in tree.xpath(str(path)):
            el.drop_tree()
    blocks = []
    for path in note["blocks"]:  # type: ignore[union-attr]
        for el in tree.xpath(str(path)):
            text = " ".join(el.text_content().split())
            if text:
                blocks.append(text)
    return "\n".join(blocks)


def docstore_text(page: bytes, name: str) -> str:
    from docstore.article import layout
    from docstore.readers import Article, read_bytes

    [item] = list(read_bytes(page, name))
    if not isinstance(item, Article):
        return ""
    laid = layout(item)
    return "\n".join(p.text for p in laid.passages if p.kind not in ("title", "dateline"))


def trafilatura_text(page: bytes) -> str:
    import trafilatura

    return trafilatura.extract(page.decode("utf-8", errors="replace")) or ""


def check(gold: str, note: dict[str, object]) -> str | None:
    flat = " ".join(gold.split())
    first, last = str(note["first"]), str(note["last"])
    if not flat.startswith(first):
        return f"gold starts {flat[:60]!r}, annotation says {first!r}"
    if not flat.endswith(last):
        return f"gold ends {flat[-60:]!r}, annotation says {last!r}"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("snapshot", type=Path, help="the news folder, or the repository root")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--show", type=int, default=5, help="list the N weakest pages")
    args = parser.parse_args()
    folder = args.snapshot / SUBFOLDER if (args.snapshot / SUBFOLDER).is_dir() else args.snapshot
    notes = [json.loads(line) for line in args.gold.read_text().splitlines() if line.strip()]
    scores: dict[str, list[tuple[float, float, float]]] = {"docstore": [], "trafilatura": []}
    per_page = []
    for note in notes:
        page = (folder / note["page"]).read_bytes()
        gold = gold_text(page, note)
        problem = check(gold, note)
        if problem:
            sys.exit(f"{note['page']}: annotation does not match the page: {problem}")
        ours = f1(docstore_text(page, note["page"]), gold)
        theirs = f1(trafilatura_text(page), gold)
        scores["docstore"].append(ours)
        scores["trafilatura"].append(theirs)
        per_page.append((ours[2], theirs[2], note["page"]))

    def mean(values: list[tuple[float, float, float]], i: int) -> str:
        return f"{sum(v[i] for v in values) / len(values):.3f}"

    print(f"{len(notes)} pages (en.kremlin.ru, CC BY 4.0), gold from {args.gold.name}")
    rows = [
        [name, mean(values, 0), mean(values, 1), mean(values, 2)] for name, values in scores.items()
    ]
    print(table(["extractor", "precision", "recall", "token F1"], rows, args.markdown))
    ours = float(mean(scores["docstore"], 2))
    theirs = float(mean(scores["trafilatura"], 2))
    print(
        f"docstore {'beats' if ours > theirs else 'does not beat'} trafilatura.extract: "
        f"{ours:.3f} vs {theirs:.3f}"
    )
    if args.show:
        print("weakest pages for docstore (F1 docstore, F1 trafilatura, page):")
        for ours_f1, theirs_f1, name in sorted(per_page)[: args.show]:
            print(f"  {ours_f1:.3f}  {theirs_f1:.3f}  {name}")


if __name__ == "__main__":
    main()
