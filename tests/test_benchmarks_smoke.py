"""The benchmark corpus generator and scripts work end to end (tiny sizes, no timings)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from docstore.readers.text import parse_text

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402

PG_ENV = "DOCSTORE_TEST_POSTGRES_URL"
# Only the backends that are available, as tests/conftest.py's BACKENDS.
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(PG_ENV) else [])


def test_corpus_is_deterministic_and_distinct() -> None:
    a = [x.text() for x in corpus.generate(30, seed=7)]
    b = [x.text() for x in corpus.generate(30, seed=7)]
    c = [x.text() for x in corpus.generate(30, seed=8)]
    assert a == b
    assert a != c
    assert len(set(a)) == 30
    assert len({t.split("\n", 1)[0] for t in a}) == 30  # titles differ too


def test_corpus_files_are_valid_articles(tmp_path: Path) -> None:
    stats = corpus.write_corpus(tmp_path, 25, seed=3)
    files = sorted(tmp_path.glob("*/*.txt"))
    assert len(files) == 25 == stats["documents"]
    assert (tmp_path / corpus.SOURCES_FILE).read_text(encoding="utf-8").count("CC BY") >= 2
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "\n\n" not in text and not text.endswith("\n")
        article = parse_text(text, str(path))
        assert article.published_at is not None  # the dateline was recognized
        assert len(article.blocks) >= 3
    assert 150 < stats["words"] / 25 < 2000


def test_corpus_shards_by_thousand(tmp_path: Path) -> None:
    assert corpus.shard_path(tmp_path, 0) == tmp_path / "0000" / "000000.txt"
    assert corpus.shard_path(tmp_path, 1999) == tmp_path / "0001" / "001999.txt"


def _run(script: str, *args: str, tmp_path: Path) -> str:
    proc = subprocess.run(
        [sys.executable, str(BENCH / script), *args, "--workdir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


@pytest.mark.slow
def test_bench_ingest_runs(tmp_path: Path) -> None:
    out = _run("bench_ingest.py", "-n", "12", "--markdown", tmp_path=tmp_path)
    assert "docstore ingest --workers 2" in out
    assert "baseline: spaCy blank('en') tokenizer" in out
    assert "stores the same as --workers 1" in out and "identical" in out
    assert "| backend |" in out  # the markdown table


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_bench_views_runs(backend: str, tmp_path: Path) -> None:
    pg = ["--backend", "postgresql", "--pg-url", os.environ[PG_ENV]] if backend != "sqlite" else []
    out = _run(
        "bench_views.py",
        *pg,
        "--sizes",
        "8,20",
        "--base",
        "8",
        "--repeat",
        "1",
        "--export",
        "mentions",
        "--markdown",
        tmp_path=tmp_path,
    )
    for view in ("entity_overview", "statement_facts", "entity_cooccurrence"):
        assert view in out
    assert "docstore export (whole command)" in out
    assert "docstore.search" in out
    assert "| documents |" in out
    if pg:
        assert "csv.writer over psycopg server-side cursor" in out


@pytest.mark.slow
def test_bench_extract_times_tokenizer_rules_and_shipped_model() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_extract.py"), "--wikinews", "0", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    rates = {}
    for line in proc.stdout.splitlines():
        name, _, rest = line.partition(" ")
        if name.startswith(("spacy.", "Extractor(")):
            rates[name] = float(rest.split()[-1].replace(",", ""))
    assert set(rates) == {
        "spacy.blank('en').tokenizer",
        'Extractor("none").extract',
        "Extractor().analyse",
        "Extractor().extract",
    }
    assert all(rate > 0 for rate in rates.values())


@pytest.mark.slow
def test_bench_learned_compares_with_and_without_names() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_learned.py"), "--wikinews", "0", "--repeat", "1"]
        + ["--names", "40"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Extractor().extract (no learned names)" in proc.stdout
    assert "... with 40 learned names" in proc.stdout
    assert "replacing 40 names:" in proc.stdout


UNER_SAMPLE = """\
# newdoc id = d1
# sent_id = d1-1
# text = Tendai Mbofana flew to Harare .
1\tTendai\tB-PER\t-\t-
2\tMbofana\tI-PER\t-\t-
3\tflew\tO\t-\t-
4\tto\tO\t-\t-
5\tHarare\tB-LOC\t-\t-
6\t.\tO\t-\t-

# newdoc id = d2
# sent_id = d2-1
# text = Nobody called .
1\tNobody\tO\t-\t-
2\tcalled\tO\t-\t-
3\t.\tO\t-\t-
"""


def test_quality_entities_scores_a_uner_file(tmp_path: Path) -> None:
    import quality_entities

    path = tmp_path / "sample.iob2"
    path.write_text(UNER_SAMPLE, encoding="utf-8")
    docs = quality_entities.read_uner(path)
    assert [[(words[0], spans) for words, spans in d] for d in docs] == [
        [("Tendai", [(0, 2, "PER"), (4, 5, "LOC")])],
        [("Nobody", [])],
    ]
    missing = subprocess.run(
        [sys.executable, str(BENCH / "quality_entities.py"), "--uner", str(tmp_path / "no")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode != 0 and "--uner: no such file" in missing.stderr
