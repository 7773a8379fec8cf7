"""Whole-process timings of two `concord` binaries on the same commands, alternating runs.

Usage: python3 bench/api/bench.py BEFORE_BINARY AFTER_BINARY [RUNS]

Run from the repository root. Each command runs RUNS times per binary, before and after
alternating, so that machine load falls on both alike; the table gives the median and the
minimum wall-clock seconds, and whether both binaries printed the same output.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time


def random_scenario(path: str, issues: int, options: int, seed: int, parties: int = 2) -> None:
    """`parties` parties (two by default), additive preferences from a seeded generator, short
    decimals, reservation 0.3: a space of options^issues packages, counted under the default
    limit."""
    import random

    rng = random.Random(seed)
    names = "abcdefgh"[:parties]
    lines = ['[scenario]', 'id = "bench"', 'title = "Bench"']
    for p in names:
        lines += ["[[parties]]", f'id = "{p}"', f'name = "{p.upper()}"', 'role = "party"']
    for i in range(issues):
        opts = ", ".join(f'"o{k}"' for k in range(options))
        lines += ["[[issues]]", f'id = "i{i}"', f'name = "I{i}"', f"options = [{opts}]"]
    for p in names:
        raw = [rng.randint(1, 9) for _ in range(issues)]
        total = sum(raw)
        # Weights in thousandths summing to exactly 1000.
        w = [r * 1000 // total for r in raw]
        w[0] += 1000 - sum(w)
        lines += [f"[preferences.{p}]", "reservation = 0.3"]
        for i in range(issues):
            vals = ", ".join(f"o{k} = {rng.randint(0, 100) / 100}" for k in range(options))
            lines += [f"[preferences.{p}.issues.i{i}]", f"weight = {w[i] / 1000}", f"values = {{ {vals} }}"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def binaries_and_runs(argv: list[str]) -> tuple[str, str, int]:
    """BEFORE_BINARY AFTER_BINARY [RUNS] from the command line (5 runs by default), with the
    machine line every table starts with printed."""
    before, after = argv[1], argv[2]
    runs = int(argv[3]) if len(argv) > 3 else 5
    print(f"runs per binary: {runs}; cpus: {os.cpu_count()}; load: {os.getloadavg()[0]:.2f}")
    return before, after, runs


def seeded_scenarios(cases: list[tuple[int, int]]):
    """For each (parties, exponent): a scenario of 10^exponent packages (10 options per issue)
    from `random_scenario`, seeded by its shape, written to a fresh temporary folder; yields
    (parties, exponent, path)."""
    tmp = tempfile.mkdtemp()
    for parties, exponent in cases:
        path = os.path.join(tmp, f"{parties}p-1e{exponent}.toml")
        random_scenario(path, exponent, 10, 100 * parties + exponent, parties)
        yield parties, exponent, path


def main() -> None:
    before, after = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    tmp = tempfile.mkdtemp()
    r6 = os.path.join(tmp, "random-1e6.toml")
    random_scenario(r6, 6, 10, 1)
    r8 = os.path.join(tmp, "random-1e8.toml")
    random_scenario(r8, 8, 10, 2)
    cases = [
        ("kyiv text", ["analyze", "examples/kyiv-2026.toml"]),
        ("kyiv --json", ["analyze", "examples/kyiv-2026.toml", "--json"]),
        ("water --sensitivity 200 --json", ["analyze", "examples/water-sharing.toml", "--sensitivity", "200", "--json"]),
        ("random 10^6 (counted) --json", ["analyze", r6, "--json"]),
        ("random 10^8 (counted) --json", ["analyze", r8, "--json"]),
        ("random 10^8 --count-limit 0 --json", ["analyze", r8, "--json", "--count-limit", "0"]),
        ("sequence kyiv --json", ["sequence", "examples/kyiv-2026.toml", "--json"]),
        ("score kyiv", ["score", "examples/kyiv-2026.toml"]),
    ]
    genius = "../shared/genius/anac_y2016_AgentHp2"
    if os.path.isdir(genius):
        cases.append(("AgentHp2 raw --json", ["analyze", genius, "--json", "--normalization", "raw"]))
    print(f"runs per binary: {runs}; cpus: {os.cpu_count()}; load: {os.getloadavg()[0]:.2f}")
    print(f"{'case':38} {'before med':>10} {'after med':>10} {'before min':>10} {'after min':>10}  same")
    for name, args in cases:
        times = {before: [], after: []}
        outs = {}
        for _ in range(runs):
            for binary in (before, after):
                t = time.perf_counter()
                p = subprocess.run([binary, *args], capture_output=True, env={**os.environ, "COLUMNS": "100"})
                times[binary].append(time.perf_counter() - t)
                outs[binary] = p.stdout
        same = outs[before] == outs[after]
        b, a = times[before], times[after]
        print(f"{name:38} {statistics.median(b):10.4f} {statistics.median(a):10.4f} {min(b):10.4f} {min(a):10.4f}  {same}")


if __name__ == "__main__":
    main()
