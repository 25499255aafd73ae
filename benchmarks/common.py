"""Helpers shared by the benchmark scripts: timed subprocesses with peak memory, tables."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    """A finished subprocess: wall time, exit status, output and memory peaks (bytes)."""

    seconds: float
    returncode: int
    stdout: str
    stderr: str
    max_rss: int  # largest sampled RSS of one process (the command or one of its workers)
    tree_pss: int  # largest sampled sum of PSS over the command and all its descendants
    cpu_seconds: float = 0.0  # user + system time of the command and its reaped workers
    load: float = 0.0  # 1-minute load average when it ended (other work on the machine)


def docstore_cmd() -> list[str]:
    """The `docstore` console script of this interpreter's environment."""
    exe = Path(sys.executable).with_name("docstore")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("docstore")
    return [found] if found else [sys.executable, "-m", "docstore.cli"]


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out.extend(int(x) for x in f.read().split())
    except OSError:
        pass
    return out


def _pss(pid: int) -> int:
    """Proportional set size: resident memory with pages shared by n processes counted 1/n
    (so forked workers sharing the parent's pages are not counted twice); RSS as fallback."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def tree_memory(pid: int) -> tuple[int, int]:
    """(largest RSS of one process, summed PSS) over `pid` and its descendants (Linux)."""
    largest, total, todo = 0, 0, [pid]
    while todo:
        p = todo.pop()
        largest = max(largest, _rss(p))
        total += _pss(p)
        todo.extend(_children(p))
    return largest, total


def run_measured(cmd: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run `cmd`, timing it and recording its peak memory (largest process, whole tree)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    # Sampled from /proc rather than taken from wait4(): a forked child's ru_maxrss starts
    # from its parent's, so it would report this (large) benchmark process instead.
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            largest, total = tree_memory(proc.pid)
            peak[0] = max(peak[0], largest)
            peak[1] = max(peak[1], total)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out: list[str] = []
    err: list[str] = []
    readers = [
        threading.Thread(target=lambda: out.append(proc.stdout.read()), daemon=True),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True),  # type: ignore[union-attr]
    ]
    for t in readers:
        t.start()
    for t in readers:
        t.join()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        seconds,
        proc.returncode,
        "".join(out),
        "".join(err),
        peak[0],
        peak[1],
        usage.ru_utime + usage.ru_stime,
        os.getloadavg()[0],
    )


def mib(n: float) -> str:
    return f"{n / 2**20:.0f} MB"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], markdown: bool = False) -> str:
    """A plain aligned text table, or a GitHub markdown table."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    if markdown:
        lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    fmt = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    lines = [fmt.format(*cells[0]), "  ".join("-" * w for w in widths)]
    lines += [fmt.format(*r) for r in cells[1:]]
    return "\n".join(lines)


def machine() -> str:
    """One line describing the machine: CPU model, cores, RAM, Python, SQLite."""
    import sqlite3

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram = ""
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
            ram = f", {kib / 2**20:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{ram}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "MISSED")


class PgServer:
    """Benchmark databases on a PostgreSQL server: created, copied, dropped unless kept."""

    def __init__(self, admin_url: str, keep: bool) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.base = make_url(admin_url)
        if self.base.drivername == "postgresql":
            self.base = self.base.set(drivername="postgresql+psycopg")
        self.engine = create_engine(self.base, isolation_level="AUTOCOMMIT")
        self.keep = keep
        self.used: list[str] = []

    def url(self, name: str) -> str:
        if name not in self.used:
            self.used.append(name)
        return self.base.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            suffix = f' TEMPLATE "{template}"' if template else ""
            conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
        return self.url(name)

    def close(self) -> None:
        from sqlalchemy import text

        if not self.keep:
            with self.engine.connect() as conn:
                for name in self.used:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.engine.dispose()


def work_folder(path: Path | None) -> tuple[Path, tempfile.TemporaryDirectory[str] | None]:
    """The benchmark's working folder: the one given (kept, so corpora and databases are
    reused), else a temporary one removed at the end (the second value, to clean up)."""
    if path is not None:
        path.mkdir(parents=True, exist_ok=True)
        return path, None
    tmp = tempfile.TemporaryDirectory(prefix="docstore-bench-")
    return Path(tmp.name), tmp
