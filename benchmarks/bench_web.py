"""Server time of `docstore serve`'s pages at 50,000 documents (the benchmark corpus).

The database is built as bench_views.py builds it (and reused from --workdir): --base
documents ingested by `docstore ingest`, replicated with SQL up to -n. Each page is then
requested through Datasette's in-process client (routing, the page's SQL, templates and
the SVG charts; no sockets), median of --repeat after one warm-up:

- the entity page of the most frequent entity, and of a typical one (the median by
  mentions);
- search pages: the most common entity's name, a rarer phrase, and the most common name
  with the entity-type and date filters;
- the statement explorer filtered by the top subject.

Baselines from the same run: the same questions in plain `sqlite3` without docstore — the
entity's row of `entity_overview`, its 20 latest documents from `entity_documents`, and an
FTS5 top-20 match of the same words — so the page's cost beyond the data it needs is visible.

    python benchmarks/bench_web.py --workdir /tmp/docstore-bench          # 50,000 documents
    python benchmarks/bench_web.py -n 1000 --repeat 3                      # a quick look
    python benchmarks/bench_web.py --db docstore.db                        # an existing file
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench_views import build
from common import machine, table, verdict, work_folder

TARGET_MS = 300.0


def _median_ms(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of `repeat` calls after one warm-up."""
    fn()
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times) * 1000, statistics.median(cpu) * 1000


def _subjects(conn: sqlite3.Connection) -> tuple[int, int, int, str]:
    top, name = conn.execute(
        "SELECT m.entity_id, e.name FROM mentions m JOIN entities e ON e.id = m.entity_id"
        " GROUP BY m.entity_id ORDER BY COUNT(*) DESC LIMIT 1"
    ).fetchone()
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT entity_id FROM mentions GROUP BY entity_id ORDER BY COUNT(*), entity_id"
        )
    ]
    subject = conn.execute(
        "SELECT subject_id FROM statements GROUP BY subject_id ORDER BY COUNT(*) DESC LIMIT 1"
    ).fetchone()
    return top, ids[len(ids) // 2], subject[0] if subject else top, name


Row = tuple[str, str, float, float, "bool | None"]


def measure(db: Path, repeat: int) -> list[Row]:
    """(what, how, median wall ms, median CPU ms, target met) for every page and baseline.

    CPU time (of the whole process, the server's worker threads included) is what a page
    costs when the machine is otherwise idle; wall time on a busy machine is larger."""
    from docstore.db import resolve_url
    from docstore.search import fts5_query
    from docstore.web.app import make_datasette

    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    top, typical, subject, top_name = _subjects(raw)
    years = raw.execute(
        "SELECT substr(MIN(published_at), 1, 4), substr(MAX(published_at), 1, 4) FROM documents"
    ).fetchone()
    search = {
        f"search {top_name!r}": {"q": top_name},
        "search 'military attachés'": {"q": "military attachés"},
        f"search {top_name!r}, type=person, {years[1]}": {
            "q": top_name,
            "type": "person",
            "since": f"{years[1]}-01-01",
            "until": f"{years[1]}-12-31",
        },
    }
    pages = {
        f"entity page, most frequent ({top_name})": f"/-/docstore/entity/{top}",
        "entity page, typical entity": f"/-/docstore/entity/{typical}",
        **{k: "/-/docstore/search?" + urlencode(v) for k, v in search.items()},
        "statements by the top subject": f"/-/docstore/statements?subject_id={subject}",
    }
    ds = make_datasette(resolve_url(str(db)))
    rows: list[Row] = []

    async def run() -> None:
        for what, path in pages.items():
            await ds.client.get(path)  # warm-up (and Datasette's start-up on the first)
            times, cpu = [], []
            for _ in range(repeat):
                start, start_cpu = time.perf_counter(), time.process_time()
                response = await ds.client.get(path)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
                if response.status_code != 200:
                    sys.exit(f"{path}: HTTP {response.status_code}")
            ms, cpu_ms = statistics.median(times) * 1000, statistics.median(cpu) * 1000
            gated = what.startswith("entity page, most") or what == f"search {top_name!r}"
            rows.append((what, "docstore serve", ms, cpu_ms, ms <= TARGET_MS if gated else None))

    asyncio.run(run())

    baselines: dict[str, Callable[[], Any]] = {
        "entity_overview row, most frequent": lambda: raw.execute(
            "SELECT * FROM entity_overview WHERE entity_id = ?", (top,)
        ).fetchall(),
        "entity_documents, latest 20, most frequent": lambda: raw.execute(
            "SELECT document_id, title, published_at, mentions FROM entity_documents"
            " WHERE entity_id = ? ORDER BY published_at DESC LIMIT 20",
            (top,),
        ).fetchall(),
        f"FTS5 top 20 for {top_name!r}": lambda: raw.execute(
            "SELECT rowid, snippet(passages_fts, 0, '[', ']', '…', 24) FROM passages_fts"
            " WHERE passages_fts MATCH ? ORDER BY bm25(passages_fts) LIMIT 20",
            (fts5_query(top_name),),
        ).fetchall(),
    }
    for what, fn in baselines.items():
        ms, cpu_ms = _median_ms(fn, repeat)
        rows.append((what, "plain sqlite3 (baseline)", ms, cpu_ms, None))
    raw.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=50_000, help="documents (default 50,000)")
    parser.add_argument("--base", type=int, default=1000, help="documents really ingested")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed")
    parser.add_argument("--workers", type=int, default=2, help="for the base ingest")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page")
    parser.add_argument("--workdir", type=Path, help="keep (and reuse) corpora and databases here")
    parser.add_argument("--db", type=Path, help="measure this existing SQLite file instead")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table too")
    args = parser.parse_args(argv)

    workdir, tmp = work_folder(args.workdir)
    try:
        db = args.db or build(workdir, args.n, args.base, args.seed, args.workers)
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            documents = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        print(f"machine: {machine()}")
        print(f"database: {db} ({documents:,} documents)")
        rows = measure(db, args.repeat)
        load = os.getloadavg()[0]
    finally:
        if tmp:
            tmp.cleanup()
    headers = ("what", "how", "median ms", "CPU ms", f"≤ {TARGET_MS:.0f} ms (wall)")
    body = [
        (w, h, f"{ms:.1f}", f"{cpu:.1f}", verdict(ok) if ok is not None else "")
        for w, h, ms, cpu, ok in rows
    ]
    print(table(headers, body))
    print(f"1-minute load average at the end: {load:.2f}")
    if args.markdown:
        print("\n" + table(headers, body, markdown=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
