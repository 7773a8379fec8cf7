"""Counting the zone and the issue map on the default path: two binaries side by side, and the
second with `--count-limit 0` (no counting: a flag that skips work, shown for the goal "no flags
within 2x of --count-limit 0").

Usage: python3 bench/api/counting.py BEFORE_BINARY AFTER_BINARY [RUNS]

Run from the repository root. Scenarios come from bench.py's seeded generator (short decimals,
reservation 0.3) with 2 to 5 parties and 10^6 to 10^8 packages. Each command runs RUNS times
per binary, alternating; the table gives medians of whole-process wall-clock seconds and whether
both binaries printed the same JSON.
"""

import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from bench import binaries_and_runs, seeded_scenarios  # noqa: E402

CASES = [
    (2, 6), (2, 7), (2, 8),
    (3, 6), (3, 7), (3, 8),
    (4, 6), (4, 7), (4, 8),
    (5, 6), (5, 7),
]


def timed(binary, args):
    t = time.perf_counter()
    p = subprocess.run([binary, *args], capture_output=True)
    return time.perf_counter() - t, p.stdout


def main() -> None:
    before, after, runs = binaries_and_runs(sys.argv)
    print(f"{'case':12} {'before s':>9} {'after s':>9} {'x':>6} {'cl0 s':>8} {'after/cl0':>9}  same")
    for parties, exponent, path in seeded_scenarios(CASES):
        args = ["analyze", path, "--json"]
        b, a, c = [], [], []
        for _ in range(runs):
            t, out_b = timed(before, args)
            b.append(t)
            t, out_a = timed(after, args)
            a.append(t)
            t, _ = timed(after, [*args, "--count-limit", "0"])
            c.append(t)
        mb, ma, mc = statistics.median(b), statistics.median(a), statistics.median(c)
        print(f"{parties}p 1e{exponent:<7} {mb:9.4f} {ma:9.4f} {mb / ma:6.1f} {mc:8.4f} {ma / mc:9.2f}  {out_b == out_a}")


if __name__ == "__main__":
    main()
