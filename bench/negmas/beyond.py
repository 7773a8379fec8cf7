"""Concord alone on the "beyond enumeration" cases of issue 5, without NegMAS: writes the same
Genius folders as bench.py (same seeds) and times each case as a whole process, best of N runs,
with wall time, CPU time (user + system) and peak memory from GNU time. The load average is
printed before and after, since the machine's cores are shared.

Usage: python3 bench/negmas/beyond.py CONCORD_BINARY OUT_DIR [RUNS] [CASE ...]
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import BEYOND_ENUMERATION, toml_scenario, write_genius  # noqa: E402  (stdlib only at import time)

CASES = BEYOND_ENUMERATION


def run(cmd: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds (measured here, to the millisecond, GNU time's start-up included), CPU
    seconds and peak KiB (from GNU time, to 10 ms) of one process, and its stdout."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr[-2000:])
    user, system, peak = proc.stderr.strip().splitlines()[-1].split()
    return wall, float(user) + float(system), int(peak), proc.stdout


def main() -> None:
    concord, out = sys.argv[1], Path(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    only = set(sys.argv[4:])
    print(f"load average before: {os.getloadavg()}")
    print(f"{'case':22} {'frontier':>9} {'best wall s':>12} {'best cpu s':>11} {'peak MiB':>9}")
    targets = []
    for name, options, parties, opposed in CASES:
        folder = out / "big" / name.replace(" ", "-")
        if not (folder / "domain.xml").exists():
            write_genius(folder, options, parties, opposed, seed=len(name) * 7919)
        targets.append((name, folder))
    path = out / "big" / "2p-19x5-conditional.toml"
    if not path.exists():
        toml_scenario(path, [5] * 19, 2, False, seed=19, conditionals=20, reservation=0.4)
    targets.append(("2p 19x5 20 cond. r=.4", path))
    for name, target in targets:
        if only and name.replace(" ", "-") not in only:
            continue
        results = [run([concord, "analyze", str(target), "--json", "--count-limit", "0"]) for _ in range(runs)]
        size = json.loads(results[-1][3])["frontier"]["size"]
        print(f"{name:22} {size:>9} {min(r[0] for r in results):>12.3f} "
              f"{min(r[1] for r in results):>11.3f} {max(r[2] for r in results) / 1024:>9.1f}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
