"""The default path (no flags: zone size, issue map and relaxations counted) against
`--count-limit 0`, for two Concord binaries (before / after a change), on random Genius folders
written as bench.py writes them. Prints the best of N whole-process runs (wall seconds) and
checks that both binaries' JSON reports are identical, byte for byte.

Usage: python3 bench/negmas/counting.py BEFORE_BINARY AFTER_BINARY OUT_DIR [RUNS] [AFTER_FLAG ...]
(AFTER_FLAG: flags given to AFTER only, e.g. --count-halves.)
"""
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import write_genius  # noqa: E402

CASES = [
    ("2p 1e4", [10] * 4, 2),
    ("2p 1e5", [10] * 5, 2),
    ("2p 1e6", [10] * 6, 2),
    ("2p 1e7", [10] * 7, 2),
    ("2p 1e8", [10] * 8, 2),
    ("3p 1e6", [10] * 6, 3),
]


def best(cmd: list[str], runs: int) -> tuple[float, bytes]:
    times, out = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise RuntimeError(proc.stderr.decode()[-2000:])
        out = proc.stdout
    return min(times), out


def main() -> None:
    before, after, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    flags = sys.argv[5:]
    print(f"load average before: {os.getloadavg()}")
    print(f"{'case':10} {'before s':>9} {'after s':>9} {'x':>6} {'count-limit 0 s':>16} "
          f"{'after / cl0':>11} {'same json':>9}")
    for name, options, parties in CASES:
        folder = out / "counting" / name.replace(" ", "-")
        if not (folder / "domain.xml").exists():
            write_genius(folder, options, parties, True, seed=zlib.crc32(folder.name.encode()),
                         reservation=0.5)
        t_before, j_before = best([before, "analyze", str(folder), "--json"], runs)
        t_after, j_after = best([after, "analyze", str(folder), "--json", *flags], runs)
        t_zero, _ = best([after, "analyze", str(folder), "--json", "--count-limit", "0"], runs)
        print(f"{name:10} {t_before:>9.3f} {t_after:>9.3f} {t_before / t_after:>6.1f} "
              f"{t_zero:>16.3f} {t_after / t_zero:>11.2f} {str(j_before == j_after):>9}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
