"""Read the article a hand-made gold file annotates, for quality scripts and tests.

Gold files name their article either as a text file (``"file"`` or ``"source"``: a path
relative to the repository) or as one row of a tabular file (``"source": {"csv": PATH,
"row": N}``, N being the reader's 1-based data row). Held-out gold files (``heldout_*``)
annotate articles the rules were not developed on, so their figures are reported apart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docstore.article import Article, LaidOut, layout
from docstore.readers import read_file
from docstore.readers.text import parse_text

HELDOUT_PREFIX = "heldout_"
SETS = ("dev", "heldout", "all")


def gold_set(path: Path) -> str:
    """``heldout`` for gold files of held-out articles, else ``dev``."""
    return "heldout" if path.name.startswith(HELDOUT_PREFIX) else "dev"


def in_set(path: Path, wanted: str) -> bool:
    return wanted == "all" or gold_set(path) == wanted


def source_of(gold: dict[str, Any]) -> str | dict[str, Any]:
    source = gold.get("source", gold.get("file"))
    if source is None:
        raise ValueError("a gold file needs a 'source' (or 'file')")
    return source


def load_source(root: Path, source: str | dict[str, Any]) -> LaidOut:
    """The laid-out article: a text file, or a row of a CSV/JSON file."""
    if isinstance(source, str):
        path = root / source
        return layout(parse_text(path.read_text(encoding="utf-8"), str(path)))
    wanted = str(source["row"])
    for item in read_file(root / source["csv"]):
        if isinstance(item, Article) and item.extra.get("row") == wanted:
            return layout(item)
    raise ValueError(f"no article at row {wanted} of {source['csv']}")
