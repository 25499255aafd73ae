"""bench_html.py end to end on one page the tests ship (the benchmark's own pages are not
part of docstore): gold derived from the annotation, both extractors scored."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "tests" / "corpus" / "raw" / "kremlin_62752.html"
BLOCKS = [
    "//div[@id='read-lead']//p",
    "//div[@itemprop='articleBody']//p",
]
EXCLUDE = [
    "//div[@itemprop='articleBody']//div[contains(@class,'read__bottommeta')]",
    "//div[@itemprop='articleBody']//div[contains(@class,'slider')]",
]


def run(folder: Path, note: dict[str, object]) -> subprocess.CompletedProcess[str]:
    gold = folder / "gold.jsonl"
    gold.write_text(json.dumps(note) + "\n")
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_html.py"), str(folder)]
        + ["--gold", str(gold)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bench_html_scores_both_and_checks_the_annotation(tmp_path: Path) -> None:
    shutil.copy(PAGE, tmp_path / "62752.html")
    note = {
        "page": "62752.html",
        "blocks": BLOCKS,
        "exclude": EXCLUDE,
        "first": "Vladimir Putin held talks in Sochi",
        "last": "a lot to be done. <…>",
    }
    proc = run(tmp_path, {**note, "last": "this is not how it ends"})
    assert proc.returncode != 0 and "annotation does not match" in proc.stderr

    last = run(tmp_path, note)
    assert last.returncode == 0, last.stderr
    scores = {
        line.split()[0]: float(line.split()[-1])
        for line in last.stdout.splitlines()
        if line.startswith(("docstore ", "trafilatura "))
    }
    assert set(scores) == {"docstore", "trafilatura"}
    assert all(0.5 < f1 <= 1.0 for f1 in scores.values()), last.stdout
