"""What the Python package adds to an analysis: the same scenario analysed by the `concord`
binary (whole process) and by `concord.load(...).analyze().to_dict()` in Python (the call
alone, and a whole `python -c` process including the import).

Usage: python bench/python/overhead.py CONCORD_BINARY [RUNS]   (the package installed in the
running interpreter; run from the repository root)
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from bench import random_scenario  # noqa: E402

import concord  # noqa: E402


def main() -> None:
    binary = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    tmp = tempfile.mkdtemp()
    cases = []
    for issues, options, seed, label in ((6, 10, 1, "10^6 counted"), (8, 10, 2, "10^8 counted")):
        path = os.path.join(tmp, f"r{issues}.toml")
        random_scenario(path, issues, options, seed)
        cases.append((label, path))
    print(f"runs: {runs}; cpus: {os.cpu_count()}; load: {os.getloadavg()[0]:.2f}")
    print(f"{'case':16} {'cli s':>8} {'py call s':>10} {'py process s':>13} {'call/cli':>9} {'same':>5}")
    for label, path in cases:
        cli, call, proc = [], [], []
        for _ in range(runs):
            t = time.perf_counter()
            out = subprocess.run([binary, "analyze", path, "--json"], capture_output=True).stdout
            cli.append(time.perf_counter() - t)
            t = time.perf_counter()
            d = concord.load(path).analyze().to_dict()
            call.append(time.perf_counter() - t)
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", f"import concord; concord.load({path!r}).analyze().to_dict()"],
                check=True,
            )
            proc.append(time.perf_counter() - t)
        import json

        same = json.loads(out) == d
        c, p, q = statistics.median(cli), statistics.median(call), statistics.median(proc)
        print(f"{label:16} {c:8.4f} {p:10.4f} {q:13.4f} {p / c:9.2f} {str(same):>5}")


if __name__ == "__main__":
    main()
