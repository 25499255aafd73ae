"""Python API overhead per call: `Store.query` on the store's pooled read-only engine,
against the way docstore used to run each query (a read-only engine made and disposed per
call), in the same run, on one SQLite file.

    python benchmarks/bench_api.py            # 300 calls each
    python benchmarks/bench_api.py -n 1000

The query is tiny on purpose (one row from view_catalog), so the figures are the cost of
getting a connection and running a statement, which is what pooling changes.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docstore import Store
from docstore.query import ReadOnlyRunner

SQL = "SELECT name, question FROM view_catalog WHERE name = :name"
PARAMS = {"name": "entity_overview"}


def per_call(fn: Callable[[], object], calls: int) -> list[float]:
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def engine_per_call(store: Store) -> object:
    """The earlier way: a new read-only engine for each query, disposed afterwards."""
    runner = ReadOnlyRunner(store.url, store.engine)
    try:
        with runner.run(SQL, PARAMS) as result:
            return list(result.rows)
    finally:
        runner.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--calls", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(str(Path(folder) / "bench.db"))
        store.query(SQL, PARAMS)  # warm up: the read-only pool, compiled statements
        engine_per_call(store)
        pooled = per_call(lambda: store.query(SQL, PARAMS), args.calls)
        baseline = per_call(lambda: engine_per_call(store), args.calls)
        store.close()
    print(f"{args.calls} calls each, median per call:")
    pooled_ms = statistics.median(pooled) * 1000
    baseline_ms = statistics.median(baseline) * 1000
    print(f"  Store.query (pooled read-only engine)   {pooled_ms:8.3f} ms")
    print(f"  baseline: read-only engine per call     {baseline_ms:8.3f} ms")
    print(f"  baseline / pooled                       {baseline_ms / pooled_ms:8.1f}x")


if __name__ == "__main__":
    main()
