"""Branch and bound against the merge, in the same run, on scenarios with large frontiers.

For each case: generates the scenario (the generator of ../negmas/bench.py, same seeds as its
"beyond enumeration" cases), runs `concord analyze --json --count-limit 0` as a whole process with
`--method merge` and with `--method bnb`, prints wall time and peak memory of each, the merge's
frontier size, the nodes the branch and bound searched, and checks that every bargaining value
agrees within 1e-9 (or, for a branch-and-bound answer not proven within the node limit, that the
merge's exact value lies within the reported gap).

Usage: python3 bench/bnb/run.py CONCORD_BINARY OUT_DIR [EXTRA FLAGS FOR THE BRANCH AND BOUND]

The merge runs without a work budget or a partial-sum limit (it is the exact reference); the
branch and bound with the default flags plus the extra ones.
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "negmas"))
from bench import timed, write_genius  # noqa: E402

CASES = [
    ("3p 20x5 opposed", [5] * 20, 3, True),
    ("4p 12x4 opposed", [4] * 12, 4, True),
    ("2p 200x10", [10] * 200, 2, False),
    ("2p 1000x10", [10] * 1000, 2, False),
]


def run(concord: str, folder: Path, method: str, extra: list[str]) -> tuple[float, dict, int]:
    t, stdout, peak = timed([concord, "analyze", str(folder), "--json", "--count-limit", "0",
                             "--method", method, *extra])
    return t, json.loads(stdout), peak


# The merge is the exact reference here: no budget, so that it finishes on every case.
UNBOUNDED_MERGE = ["--max-merge-work", "0", "--max-partial-sums", "0"]


def main() -> None:
    concord, out = sys.argv[1], Path(sys.argv[2])
    extra = sys.argv[3:]
    print(f"{'case':18} {'frontier':>9} {'merge s':>8} {'MiB':>6} {'bnb s':>8} {'MiB':>6} "
          f"{'nodes':>10} {'proven':>7} agree")
    for name, options, parties, opposed in CASES:
        folder = out / name.replace(" ", "-")
        write_genius(folder, options, parties, opposed, seed=len(name) * 7919)
        tm, merged, pm = run(concord, folder, "merge", UNBOUNDED_MERGE)
        tb, searched, pb = run(concord, folder, "bnb", extra)
        agree = True
        proven = 0
        for m, b in zip(merged["solutions"], searched["solutions"]):
            if b["proven"]:
                proven += 1
                agree &= abs(m["value"] - b["value"]) <= 1e-9
                mu = sorted(tuple(p["utilities"].values()) for p in m["points"])
                bu = sorted(tuple(p["utilities"].values()) for p in b["points"])
                agree &= mu == bu
            else:
                agree &= b["value"] - 1e-9 <= m["value"] <= b["value"] + b["gap"] + 1e-9
        agree &= len(merged["solutions"]) == len(searched["solutions"])
        print(f"{name:18} {merged['frontier']['size']:>9} {tm:>8.3f} {pm / 1024:>6.1f} {tb:>8.3f} "
              f"{pb / 1024:>6.1f} {searched['search']['nodes']:>10} {proven:>5}/4 "
              f"{'yes' if agree else 'NO'}")
        for b in searched["solutions"]:
            if not b["proven"]:
                print(f"    {b['concept']}: not proven, value {b['value']:.9f}, gap {b['gap']:.3e}, "
                      f"{b['nodes']} nodes")


if __name__ == "__main__":
    main()
