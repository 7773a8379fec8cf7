"""What the Python package adds to a tournament of built-in strategies: the same tournament
played by the `concord` binary (`concord tournament --out DIR`, a whole process that writes
the CSV and Parquet tables) and by `concord.tournament(..., parquet_dir=DIR)` (the call, which
writes the same files, and builds the DataFrames on request). The files are checked equal.

Usage: python bench/python/tournament_overhead.py CONCORD_BINARY [REPETITIONS] [RUNS]
(run from the repository root, the package installed in release mode)
"""

import filecmp
import os
import statistics
import subprocess
import sys
import tempfile
import time

import concord


def main() -> None:
    binary = sys.argv[1]
    repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 4000
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    scenario = "examples/water-sharing.toml"
    strategies = ["boulware", "conceder", "linear", "tit-for-tat", "random"]
    n = len(strategies) ** 2 * repetitions
    tmp = tempfile.mkdtemp()
    cli, call, frames = [], [], []
    for k in range(runs):
        out_cli, out_py = os.path.join(tmp, f"cli{k}"), os.path.join(tmp, f"py{k}")
        t = time.perf_counter()
        subprocess.run(
            [binary, "tournament", "--scenarios", scenario, "--strategies", ",".join(strategies),
             "--repetitions", str(repetitions), "--rounds", "100", "--out", out_cli],
            check=True, capture_output=True,
        )
        cli.append(time.perf_counter() - t)
        t = time.perf_counter()
        r = concord.tournament([scenario], strategies, repetitions=repetitions, rounds=100, parquet_dir=out_py)
        call.append(time.perf_counter() - t)
        t = time.perf_counter()
        r.negotiations, r.summary
        frames.append(time.perf_counter() - t)
        for f in ("negotiations.csv", "negotiations.parquet", "summary.csv", "summary.parquet"):
            assert filecmp.cmp(os.path.join(out_cli, f), os.path.join(out_py, f), shallow=False), f
    c, p, d = statistics.median(cli), statistics.median(call), statistics.median(frames)
    print(f"{n} negotiations; runs: {runs} (median); cpus: {os.cpu_count()}; load: {os.getloadavg()[0]:.2f}")
    print(f"cli process {c:.3f} s; python call {p:.3f} s ({p / c:.2f}× the CLI); DataFrames {d:.3f} s more; files equal")


if __name__ == "__main__":
    main()
