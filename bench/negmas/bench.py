"""Concord against NegMAS (and a plain numpy merge) on the same Genius files, in one run.

Generates random additive scenarios as Genius XML, times each tool as a whole process, checks
that the frontiers and Nash points agree, and prints a table of times and ratios; then the same
for the ANAC scenarios in ../shared/genius; then Concord alone on sizes NegMAS cannot enumerate,
with frontier size, time and peak memory. Run it through run.sh, which sets up the venv.

Usage: python bench.py CONCORD_BINARY OUT_DIR [--quick]
"""
import json
import math
import os
import random
import subprocess
import sys
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent.parent / "shared" / "genius"
PY = sys.executable


# The cases NegMAS cannot enumerate (name, options per issue, parties, opposed preferences),
# timed for Concord alone here and by beyond.py.
BEYOND_ENUMERATION = [
    ("2p 19x5", [5] * 19, 2, False),
    ("2p 200x10", [10] * 200, 2, False),
    ("2p 1000x10", [10] * 1000, 2, False),
    ("3p 20x5", [5] * 20, 3, False),
    ("4p 12x4", [4] * 12, 4, False),
    ("3p 20x5 opposed", [5] * 20, 3, True),
    ("4p 12x4 opposed", [4] * 12, 4, True),
    ("5p 10x4", [4] * 10, 5, False),
]


def write_genius(folder: Path, options: list[int], parties: int, opposed: bool, seed: int,
                 conditionals: int = 0, reservation: float | None = None,
                 noise: float = 0.2) -> None:
    """A random additive scenario. Each issue's best evaluation is 1, so the Genius and raw
    conventions agree. Opposed: the parties' option values are negatively correlated, with
    `noise` of each value drawn at random (0: exactly opposed values, the largest frontiers)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    issues = "".join(
        f'<issue index="{i + 1}" name="i{i}" vtype="discrete" type="discrete" etype="discrete">'
        + "".join(f'<item index="{k + 1}" value="v{k}"/>' for k in range(n))
        + "</issue>\n"
        for i, n in enumerate(options)
    )
    (folder / "domain.xml").write_text(
        f'<negotiation_template><utility_space number_of_issues="{len(options)}">'
        f'<objective index="0" name="random" type="objective">\n{issues}</objective>'
        "</utility_space></negotiation_template>\n"
    )
    base = [[rng.random() for _ in range(n)] for n in options]
    for p in range(parties):
        weights = [rng.random() for _ in options]
        total = sum(weights)
        body = ""
        for i, n in enumerate(options):
            if opposed:
                # Party p's values follow the base values for p = 0 and run against them for the
                # others, with noise: contested issues.
                raw = [
                    (base[i][k] if p == 0 else 1 - base[i][k]) * (1 - noise) + noise * rng.random()
                    for k in range(n)
                ]
            else:
                raw = [rng.random() for _ in range(n)]
            top = max(raw)
            body += (
                f'<issue index="{i + 1}" name="i{i}" vtype="discrete" type="discrete" etype="discrete">'
                + "".join(
                    f'<item index="{k + 1}" value="v{k}" evaluation="{raw[k] / top!r}"/>'
                    for k in range(n)
                )
                + "</issue>\n"
            )
        body += "".join(
            f'<weight index="{i + 1}" value="{weights[i] / total!r}"/>\n' for i in range(len(options))
        )
        res = f'<reservation value="{reservation}"/>' if reservation is not None else ""
        (folder / f"p{p}.xml").write_text(
            f'<utility_space><objective index="0" name="random">\n{body}</objective>{res}'
            "</utility_space>\n"
        )


def toml_scenario(path: Path, options: list[int], parties: int, opposed: bool, seed: int,
                  conditionals: int, reservation: float) -> None:
    """The same kind of random scenario as a Concord TOML file, with conditional red lines
    between random pairs of issues (Genius has no red lines)."""
    rng = random.Random(seed)
    out = ['[scenario]\nid = "random"\ntitle = "Random scenario with conditional red lines"\n']
    for p in range(parties):
        out.append(f'[[parties]]\nid = "p{p}"\nname = "P{p}"\nrole = "party"\n')
    for i, n in enumerate(options):
        opts = ", ".join(f'"v{k}"' for k in range(n))
        out.append(f'[[issues]]\nid = "i{i}"\nname = "I{i}"\noptions = [{opts}]\n')
    base = [[rng.random() for _ in range(n)] for n in options]
    for p in range(parties):
        weights = [rng.random() for _ in options]
        total = sum(weights)
        # Rounded weights whose sum is exactly 1: the last takes the remainder.
        ws = [round(w / total, 12) for w in weights]
        ws[-1] = round(1 - sum(ws[:-1]), 12)
        out.append(f"[preferences.p{p}]\nreservation = {reservation}\n")
        for i, n in enumerate(options):
            if opposed:
                raw = [(base[i][k] if p == 0 else 1 - base[i][k]) * 0.8 + 0.2 * rng.random() for k in range(n)]
            else:
                raw = [rng.random() for _ in range(n)]
            top = max(raw)
            values = ", ".join(f"v{k} = {raw[k] / top!r}" for k in range(n))
            out.append(f"[preferences.p{p}.issues.i{i}]\nweight = {max(ws[i], 0.0)!r}\nvalues = {{ {values} }}\n")
    for c in range(conditionals):
        a, b = rng.sample(range(len(options)), 2)
        trigger = rng.randrange(options[a])
        allowed = sorted(rng.sample(range(options[b]), max(1, options[b] - 2)))
        allowed_s = ", ".join(f'"v{k}"' for k in allowed)
        out.append(
            f'[[red_lines]]\nid = "c{c}"\nparty = "p{c % parties}"\n'
            f'if = {{ issue = "i{a}", is = ["v{trigger}"] }}\n'
            f'then = {{ issue = "i{b}", must_be_one_of = [{allowed_s}] }}\n'
        )
    path.write_text("\n".join(out))


GNU_TIME = Path("/usr/bin/time")


def timed(cmd: list[str]) -> tuple[float, str, int]:
    """Wall time, stdout and peak resident memory (KiB, -1 if unknown) of one whole process.
    The peak comes from GNU time when it is installed (Debian package `time`)."""
    wrapped = [str(GNU_TIME), "-f", "%M", *cmd] if GNU_TIME.exists() else cmd
    start = time.perf_counter()
    proc = subprocess.run(wrapped, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    peak = -1
    if GNU_TIME.exists():
        last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
        peak = int(last) if last.isdigit() else -1
    return elapsed, proc.stdout, peak


def best_of(cmd: list[str], repeat: int) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(repeat):
        t, out, _ = timed(cmd)
        times.append(t)
    return min(times), out


def same_points(a: list[list[float]], b: list[list[float]], tol: float = 1e-9) -> bool:
    """Whether two frontiers are the same set of distinct vectors, within `tol`."""
    def distinct(ps):
        out = []
        for p in sorted(ps):
            if not out or any(abs(x - y) > tol for x, y in zip(p, out[-1])):
                out.append(p)
        return out
    a, b = distinct(a), distinct(b)
    return len(a) == len(b) and all(all(abs(x - y) <= tol for x, y in zip(p, q)) for p, q in zip(a, b))


def concord_points(report: dict) -> tuple[list[list[float]], list[list[float]]]:
    ids = report["consenting"]
    front = [[p["utilities"][i] for i in ids] for p in report["frontier"]["points"]]
    nash = next((s for s in report["solutions"] if s["concept"] == "nash"), None)
    if nash is None:  # no agreement zone: no bargaining solution
        return front, []
    return front, [[p["utilities"][i] for i in ids] for p in nash["points"]]


def compare(concord: str, folder: Path, with_numpy: bool, repeat: int) -> dict:
    c_cmd = [concord, "analyze", str(folder), "--json", "--normalization", "raw", "--count-limit", "0"]
    c_time, c_out = best_of(c_cmd, repeat)
    n_time, n_out = best_of([PY, str(HERE / "negmas_peer.py"), str(folder)], 1)
    report, negmas = json.loads(c_out), json.loads(n_out)
    c_front, c_nash = concord_points(report)
    # NegMAS's frontier is over all outcomes; Concord's over those at or above every reserve
    # (NegMAS's own reserved values). The frontier of the rational outcomes is the rational part
    # of the whole frontier, so filter NegMAS's the same way.
    reserved = [r if r is not None and math.isfinite(r) else -math.inf for r in negmas["reserved"]]
    n_front = [p for p in negmas["frontier"] if all(u >= r for u, r in zip(p, reserved))]
    row = {
        "scenario": folder.name,
        "method": report["method"],
        "frontier": len(c_front),
        "concord_s": c_time,
        "negmas_s": n_time,
        "frontier_agrees": same_points(c_front, n_front),
        "nash_agrees": same_points(c_nash, negmas["nash"]),
    }
    if with_numpy:
        p_time, p_out = best_of([PY, str(HERE / "numpy_peer.py"), str(folder)], 1)
        row["numpy_s"] = p_time
        row["numpy_agrees"] = same_points(c_front, json.loads(p_out)["frontier"])
    return row


def print_table(rows: list[dict]) -> None:
    print(f"{'scenario':34} {'method':12} {'frontier':>8} {'concord s':>10} {'negmas s':>9} "
          f"{'x negmas':>9} {'numpy s':>8} {'x numpy':>8}  agree (frontier, nash, numpy)")
    for r in rows:
        numpy_s = r.get("numpy_s")
        print(
            f"{r['scenario']:34} {r['method'].split()[1][:12]:12} {r['frontier']:>8} {r['concord_s']:>10.4f} "
            f"{r['negmas_s']:>9.3f} {r['negmas_s'] / r['concord_s']:>9.0f} "
            f"{numpy_s if numpy_s is not None else float('nan'):>8.3f} "
            f"{(numpy_s / r['concord_s']) if numpy_s else float('nan'):>8.0f}  "
            f"{r['frontier_agrees']}, {r['nash_agrees']}, {r.get('numpy_agrees', '-')}"
        )


def main() -> None:
    concord, out = sys.argv[1], Path(sys.argv[2])
    quick = "--quick" in sys.argv
    out.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; "
          f"negmas {__import__('negmas').__version__}; numpy {__import__('numpy').__version__}\n")

    print("== Random additive scenarios (whole processes; concord best of 3, peers 1 run) ==")
    sizes = [("1e4", [10] * 4, 2), ("1e5", [10] * 5, 2), ("1e6", [10] * 6, 2), ("1e5-3p", [10] * 5, 3)]
    if quick:
        sizes = sizes[:2]
    rows = []
    for name, options, parties in sizes:
        for opposed in (False, True):
            folder = out / "scenarios" / f"{name}-{'opposed' if opposed else 'independent'}"
            write_genius(folder, options, parties, opposed, seed=zlib.crc32(folder.name.encode()))
            rows.append(compare(concord, folder, with_numpy=True, repeat=3))
    print_table(rows)

    print("\n== ANAC scenarios in ../shared/genius that NegMAS can enumerate ==")
    rows = []
    if SHARED.is_dir():
        for folder in sorted(SHARED.iterdir()):
            if folder.name.startswith("other_S-1") or not folder.is_dir():
                continue  # non-linear (hyper-rectangle) profiles: refused by Concord
            if quick and folder.name in ("anac_y2016_AgentHp2", "other_AMPOvsCity"):
                continue
            rows.append(compare(concord, folder, with_numpy=False, repeat=3))
        print_table(rows)
    else:
        print(f"skipped: {SHARED} is absent")

    print("\n== Concord alone, beyond enumeration (whole process, 1 run) ==")
    big = list(BEYOND_ENUMERATION)
    if quick:
        big = big[:2]
    print(f"{'case':22} {'log10 outcomes':>15} {'frontier':>9} {'seconds':>9} {'peak MiB':>9}")
    for name, options, parties, opposed in big:
        folder = out / "big" / name.replace(" ", "-")
        write_genius(folder, options, parties, opposed, seed=len(name) * 7919)
        t, stdout, peak = timed([concord, "analyze", str(folder), "--json", "--count-limit", "0"])
        report = json.loads(stdout)
        print(f"{name:22} {report['space_log10']:>15.1f} {report['frontier']['size']:>9} {t:>9.3f} "
              f"{peak / 1024 if peak > 0 else float('nan'):>9.1f}")
    path = out / "big" / "2p-19x5-conditional.toml"
    toml_scenario(path, [5] * 19, 2, False, seed=19, conditionals=20, reservation=0.4)
    t, stdout, peak = timed([concord, "analyze", str(path), "--json", "--count-limit", "0"])
    report = json.loads(stdout)
    print(f"{'2p 19x5 20 cond. r=.4':22} {report['space_log10']:>15.1f} {report['frontier']['size']:>9} "
          f"{t:>9.3f} {peak / 1024 if peak > 0 else float('nan'):>9.1f}")


if __name__ == "__main__":
    main()
