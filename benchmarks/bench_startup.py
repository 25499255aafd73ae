"""Start-up time of docstore commands beside a bare `python -c pass` from the same run.

Each command runs `--repeat` times in a fresh process; the median and the fastest wall
times are printed, with the bare interpreter's as the baseline and the targets (`--version`
and `--help` under 0.3 s, a one-file `extract` under 1.5 s) as met or missed. A loaded
machine slows every row alike: compare each with the baselines of the same run (a bare
interpreter, and one that only imports spaCy: the floor of any command that extracts).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import REPO, docstore_cmd

SEED = REPO / "seeds" / "000_96980ad8853fa758.txt"
TARGETS = {"--version": 0.3, "--help": 0.3, "extract (one file)": 1.5}


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (default 5)")
    parser.add_argument("--file", type=Path, default=SEED, help="the article to extract")
    args = parser.parse_args()
    docstore = docstore_cmd()
    commands = {
        "python -c pass (baseline)": [sys.executable, "-c", "pass"],
        "python -c 'import spacy' (baseline)": [sys.executable, "-c", "import spacy"],
        "--version": [*docstore, "--version"],
        "--help": [*docstore, "--help"],
        "query --help": [*docstore, "query", "--help"],
        "extract (one file)": [*docstore, "extract", str(args.file), "--json"],
    }
    print(f"{'command':36} {'median s':>9} {'fastest s':>10}  target")
    medians: dict[str, float] = {}
    for name, cmd in commands.items():
        times = [timed(cmd) for _ in range(args.repeat)]
        median, fastest = statistics.median(times), min(times)
        target = TARGETS.get(name)
        verdict = (
            "" if target is None else f"< {target} s: {'met' if median < target else 'missed'}"
        )
        medians[name] = median
        print(f"{name:36} {median:9.3f} {fastest:10.3f}  {verdict}")
    own = medians["extract (one file)"] - medians["python -c 'import spacy' (baseline)"]
    print(f"extract beyond importing spaCy: {own:.3f} s (median)")


if __name__ == "__main__":
    main()
