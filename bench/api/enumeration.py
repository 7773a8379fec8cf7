"""The frontier by enumeration (`--method enumerate`): two binaries side by side, CPU time per
package.

Usage: python3 bench/api/enumeration.py BEFORE_BINARY AFTER_BINARY [RUNS]

Run from the repository root. Scenarios come from bench.py's seeded generator (2 to 4 parties,
10 options per issue, 10^6 and 10^7 packages). Each binary runs
`analyze FILE --json --method enumerate --count-limit 0` (the frontier from every package, no
counting) RUNS times, alternating; the table gives the median wall-clock seconds, the median user
plus system CPU seconds, CPU nanoseconds per package, and whether both printed the same JSON.
"""

import os
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from bench import binaries_and_runs, seeded_scenarios  # noqa: E402

CASES = [(2, 6), (2, 7), (3, 6), (3, 7), (4, 6), (4, 7)]


def run(binary, args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run([binary, *args], capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, p.stdout


def main() -> None:
    before, after, runs = binaries_and_runs(sys.argv)
    print(f"{'case':10} {'before wall':>11} {'after wall':>10} {'before cpu':>10} {'after cpu':>9} {'ns/pkg before':>13} {'after':>6}  same")
    for parties, exponent, path in seeded_scenarios(CASES):
        args = ["analyze", path, "--json", "--method", "enumerate", "--count-limit", "0"]
        res = {before: [], after: []}
        outs = {}
        for _ in range(runs):
            for binary in (before, after):
                wall, cpu, out = run(binary, args)
                res[binary].append((wall, cpu))
                outs[binary] = out
        med = {b: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r)) for b, r in res.items()}
        n = 10 ** exponent
        (bw, bc), (aw, ac) = med[before], med[after]
        print(f"{parties}p 1e{exponent:<5} {bw:11.3f} {aw:10.3f} {bc:10.3f} {ac:9.3f} {bc / n * 1e9:13.1f} {ac / n * 1e9:6.1f}  {outs[before] == outs[after]}")


if __name__ == "__main__":
    main()
