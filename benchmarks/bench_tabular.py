"""Peak memory of `docstore ingest` on large generated CSV files: flat in file size.

Generates CSV exports of N rows (default 100,000 and 1,000,000; short distinct articles),
then for each runs `docstore ingest FILE` for a fixed time, sampling the memory of its
process tree every 0.1 s, and kills it with SIGKILL, as a user stopping a long import
would. Printed per file: size, documents committed before the kill and their rate, peak
RSS. Then, on the killed databases, that every committed document is whole (its passages
are there). The baseline, from the same run, is what holding the file costs: a process
that reads the file into memory and decodes it, as docstore did before tabular sources
streamed (it then also extracted every row before writing the first).

    python benchmarks/bench_tabular.py                           # 100k and 1M rows, 60 s each
    python benchmarks/bench_tabular.py --rows 1000000 --seconds 120 --workdir /tmp/tab
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import docstore_cmd, machine, mib, table, tree_memory, work_folder  # noqa: E402

PLACES = ["Minsk", "Vilnius", "Warsaw", "Kyiv", "Riga", "Moscow", "Berlin", "Paris"]


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["title", "date", "url", "text"])
        for i in range(rows):
            a, b = PLACES[i % 8], PLACES[(i // 8) % 8]
            writer.writerow(
                [
                    f"Delegations meet in {a}, report {i}",
                    f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    f"https://news.example.org/{i}",
                    f"Officials from {a} and {b} met on Monday to discuss trade (report {i}).\n"
                    f"Talks will continue next month in {b}, a spokesman said.",
                ]
            )


def measure(cmd: list[str], seconds: float) -> tuple[int, float]:
    """Peak RSS of the process tree's largest process while `cmd` runs, killed after
    `seconds` (SIGKILL to its process group)."""
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    peak = 0
    start = time.perf_counter()
    while proc.poll() is None and time.perf_counter() - start < seconds:
        peak = max(peak, tree_memory(proc.pid)[0])
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return peak, elapsed


def hold_whole(path: Path) -> int:
    """Baseline: peak RSS of reading and decoding the whole file, then splitting rows."""
    code = (
        "import csv, io, sys; from pathlib import Path; "
        "text = Path(sys.argv[1]).read_bytes().decode('utf-8'); "
        "rows = list(csv.reader(io.StringIO(text, newline=''))); print(len(rows))"
    )
    peak = [0]
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.DEVNULL)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], tree_memory(proc.pid)[0])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    proc.wait()
    done.set()
    sampler.join()
    return peak[0]


def check_committed(db: Path) -> tuple[int, int]:
    """(documents, documents without passages) in a database left by a killed run."""
    conn = sqlite3.connect(db)
    try:
        docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        broken = conn.execute(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS "
            "(SELECT 1 FROM passages p WHERE p.document_id = d.id)"
        ).fetchone()[0]
    finally:
        conn.close()
    return docs, broken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default="100000,1000000", help="comma-separated row counts")
    parser.add_argument("--seconds", type=float, default=60.0, help="ingest time per file")
    parser.add_argument("--workdir", type=Path, help="keep files here (default: temporary)")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    folder, tmp = work_folder(args.workdir)
    print(machine())
    rows_out = []
    peaks = []
    for rows in (int(n) for n in args.rows.split(",")):
        path = folder / f"rows_{rows}.csv"
        if not path.exists():
            write_csv(path, rows)
        db = folder / f"rows_{rows}.db"
        db.unlink(missing_ok=True)
        cmd = [*docstore_cmd(), "ingest", str(path), "--db", str(db)]
        peak, elapsed = measure(cmd, args.seconds)
        docs, broken = check_committed(db)
        baseline = hold_whole(path)
        peaks.append(peak)
        rows_out.append(
            [
                f"{rows:,}",
                mib(path.stat().st_size),
                f"{docs:,}",
                f"{docs / elapsed:.1f}",
                mib(peak),
                mib(baseline),
                "yes" if broken == 0 and docs > 0 else f"NO ({broken} without passages)",
            ]
        )
    print(
        table(
            [
                "rows",
                "file",
                "committed before SIGKILL",
                "docs/s",
                "docstore peak RSS",
                "baseline: file held whole",
                "committed docs whole",
            ],
            rows_out,
            args.markdown,
        )
    )
    growth = max(peaks) / min(peaks) if min(peaks) else float("inf")
    print(f"peak RSS, largest file over smallest: {growth:.2f}x (flat: under 1.2x)")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
