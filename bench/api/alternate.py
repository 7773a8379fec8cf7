"""One scenario, several binaries (or flags), run alternately: medians of whole-process wall
time and of CPU time (user + system, of the child).

Usage: python3 bench/api/alternate.py RUNS FILE LABEL=BINARY[:EXTRA:ARGS] ...

Each LABEL runs `BINARY analyze FILE --json [EXTRA ARGS]` (extra arguments separated by
colons, for example `cl0=target/release/concord:--count-limit:0`), once per round, RUNS rounds.
Alternating the commands spreads this machine's slow and fast phases over all of them.
"""

import resource
import statistics
import subprocess
import sys
import time


def main() -> None:
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    runs, path = int(sys.argv[1]), sys.argv[2]
    specs = []
    for arg in sys.argv[3:]:
        label, rest = arg.split("=", 1)
        binary, *extra = rest.split(":")
        specs.append((label, binary, extra))
    wall = {label: [] for label, _, _ in specs}
    cpu = {label: [] for label, _, _ in specs}
    for _ in range(runs):
        for label, binary, extra in specs:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run([binary, "analyze", path, "--json", *extra],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            wall[label].append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[label].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    for label, _, _ in specs:
        print(f"{label:8} wall median {statistics.median(wall[label]) * 1000:7.2f} ms"
              f"  cpu median {statistics.median(cpu[label]) * 1000:7.2f} ms")


if __name__ == "__main__":
    main()
