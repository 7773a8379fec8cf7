"""Semantics of Concord's simulation against NegMAS 0.16.0, outcome by outcome.

Runs the same two-party Genius scenarios (../shared/genius, those small enough for NegMAS to
presort every outcome quickly) with equivalent strategies on both sides and compares, for every
negotiation: agreement or not, the agreed outcome, the step of agreement and both utilities.

Deterministic part, every ordered pair of
  Concord boulware | linear | conceder | time:2 | hardliner
  NegMAS  AspirationNegotiator(aspiration_type = "boulware" | "linear" | "conceder" | 2.0)
          | ToughNegotiator
with NegMAS run twice: with `tolerance=0` (the documented mapping, docs/simulation.md, which
should give identical outcomes) and with its default `tolerance=0.001` (whose band explains the
differences it makes). Both sides use the raw Genius evaluations (`--normalization raw`, NegMAS's
convention on load). For every mismatch the first point where the two traces part is printed
and classified.

Random part: Concord's `random` against itself and against `boulware`, compared with a NegMAS
negotiator written here to the same rule (offer an outcome worth at least the reserve, drawn
uniformly, once per turn; accept an offer worth at least that draw), statistically: agreement
rate and mean utilities with 95% confidence intervals (normal approximation).

Usage: bench/.venv/bin/python bench/negmas-sim/compare.py CONCORD_BIN [--rounds N ...]
       [--random-runs R]   (bench/negmas-sim/semantics.sh runs it)
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
import tempfile
import tomllib
import warnings
from collections import Counter
from pathlib import Path

from negmas.inout import Scenario
from negmas.gb.common import ResponseType
from negmas.sao import SAOMechanism, SAONegotiator
from negmas.sao.negotiators import AspirationNegotiator, ToughNegotiator

warnings.filterwarnings("ignore")

GENIUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "genius"
SCENARIOS = [
    "anac_y2012_LaptopC",
    "anac_y2010_ItexvsCypress",
    "anac_y2010_EnglandZimbabwe",
    "geniusweb_Fitness",
    "geniusweb_Party",
    "anac_y2011_Car",
]
STRATEGIES = ["boulware", "linear", "conceder", "time:2", "hardliner"]
EXPONENTS = {"boulware": "boulware", "linear": "linear", "conceder": "conceder", "time:2": 2.0}
E = {"boulware": 4.0, "linear": 1.0, "conceder": 0.25, "time:2": 2.0}


def negmas_agent(strategy: str, name: str, tolerance: float):
    if strategy == "hardliner":
        return ToughNegotiator(name=name)
    return AspirationNegotiator(
        name=name, aspiration_type=EXPONENTS[strategy], tolerance=tolerance
    )


class Loaded:
    """A Genius folder as both tools see it: NegMAS's scenario and Concord's ids and names."""

    def __init__(self, folder: Path, concord: str):
        self.folder = folder
        self.negmas = Scenario.load(str(folder))
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "s.toml"
            subprocess.run(
                [concord, "import", "genius", str(folder), "-o", str(out)],
                check=True,
                capture_output=True,
            )
            toml = tomllib.loads(out.read_text())
        self.issue_ids = [i["id"] for i in toml["issues"]]
        # Concord id -> option position, per issue; NegMAS value (the Genius name) -> position.
        self.concord_option = [
            {o["id"]: k for k, o in enumerate(i["options"])} for i in toml["issues"]
        ]
        self.negmas_option = [
            {str(v): k for k, v in enumerate(issue.all)}
            for issue in self.negmas.outcome_space.issues
        ]
        self.parties = [u.name for u in self.negmas.ufuns]
        self.size = self.negmas.outcome_space.cardinality
        outcomes = list(self.negmas.outcome_space.enumerate_or_sample())
        self.reserves = [
            max(float(u.reserved_value), min(float(u(o)) for o in outcomes))
            for u in self.negmas.ufuns
        ]
        self.best = [max(float(u(o)) for o in outcomes) for u in self.negmas.ufuns]

    def from_concord(self, package: dict | None):
        if package is None:
            return None
        return tuple(self.concord_option[k][package[i]] for k, i in enumerate(self.issue_ids))

    def from_negmas(self, outcome):
        if outcome is None:
            return None
        return tuple(self.negmas_option[k][str(v)] for k, v in enumerate(outcome))


def run_concord(concord: str, loaded: Loaded, pair, rounds: int) -> dict:
    args = [concord, "simulate", str(loaded.folder), "--normalization", "raw", "--json"]
    args += ["--trace", "--rounds", str(rounds)]
    for party, strategy in zip(loaded.parties, pair):
        args += ["--strategy", f"{party}={strategy}"]
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"concord failed: {' '.join(args)}\n{done.stderr}")
    report = json.loads(done.stdout)
    offers = [
        (e["round"], e["party"], loaded.from_concord(e["package"]))
        for e in report["trace"]
        if e["action"] == "offer"
    ]
    return {
        "agreement": loaded.from_concord(report["package"]),
        "step": report["rounds"],
        "utilities": [p["utility"] for p in report["parties"]],
        "offers": offers,
        "reservations": [p["reservation"] for p in report["parties"]],
    }


def run_negmas(loaded: Loaded, pair, rounds: int, tolerance: float) -> dict:
    m = SAOMechanism(outcome_space=loaded.negmas.outcome_space, n_steps=rounds)
    agents = []
    for name, strategy, ufun in zip(loaded.parties, pair, loaded.negmas.ufuns):
        agent = negmas_agent(strategy, name, tolerance)
        agents.append(agent)
        m.add(agent, ufun=ufun)
    by_id = {a.id: k for k, a in enumerate(agents)}
    state = m.run()
    offers = [
        (e.step, loaded.parties[by_id[e.negotiator]], loaded.from_negmas(e.offer))
        for e in m.full_trace
    ]
    agreement = state.agreement
    # Without agreement each side gets its disagreement value: NegMAS's reserved value, or
    # Concord's reading of it (the larger of it and the lowest utility, docs/genius.md). The
    # comparison of utilities is about agreements, so both use Concord's reading here.
    utilities = (
        [float(u(agreement)) for u in loaded.negmas.ufuns]
        if agreement is not None
        else list(loaded.reserves)
    )
    return {
        "agreement": loaded.from_negmas(agreement),
        "step": state.step,
        "utilities": utilities,
        "offers": offers,
    }


def utility_of(loaded: Loaded, party: str, outcome) -> float:
    ufun = loaded.negmas.ufuns[loaded.parties.index(party)]
    values = tuple(
        list(issue.all)[k] for issue, k in zip(loaded.negmas.outcome_space.issues, outcome)
    )
    return float(ufun(values))


def same_utilities(a, b) -> bool:
    return all(math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) for x, y in zip(a, b))


def target(loaded: Loaded, party: str, strategy: str, step: int, rounds: int) -> float:
    """Both tools' aspiration at a step: m + (M - m)(1 - t^e), t = (step + 1)/(rounds + 1)."""
    k = loaded.parties.index(party)
    t = (step + 1) / (rounds + 1)
    m, best = loaded.reserves[k], loaded.best[k]
    return m + (best - m) * (1.0 - t ** E[strategy])


def explain(loaded: Loaded, c: dict, n: dict, tolerance: float, pair, rounds: int) -> str:
    """Where and why two runs part: the first differing offer, or an acceptance."""
    for k, (co, no) in enumerate(zip(c["offers"], n["offers"])):
        if co == no:
            continue
        step, party, concord_offer = co
        negmas_offer = no[2]
        uc = utility_of(loaded, party, concord_offer)
        un = utility_of(loaded, party, negmas_offer)
        where = f"offer {k + 1} (step {step}, {party})"
        if math.isclose(uc, un, rel_tol=1e-12, abs_tol=1e-12):
            return f"tie: {where}: two outcomes of equal utility {uc:.6g}, each tool picks another"
        strategy = pair[loaded.parties.index(party)]
        if strategy in E:
            aim = target(loaded, party, strategy, step, rounds)
            if tolerance > 0 and aim - tolerance - 1e-12 <= un < aim <= uc:
                return (f"tolerance: {where}: target {aim:.6g}; NegMAS offers {un:.6g}, inside its"
                        f" band [target - {tolerance}, target); Concord offers {uc:.6g} >= target")
            return f"unexplained: {where}: target {aim:.6g}, Concord offers {uc:.6g}, NegMAS {un:.6g}"
        return f"unexplained: {where}: Concord offers {uc:.6g}, NegMAS {un:.6g}"
    if len(c["offers"]) != len(n["offers"]):
        shorter = "Concord" if len(c["offers"]) < len(n["offers"]) else "NegMAS"
        k = min(len(c["offers"]), len(n["offers"]))
        return f"acceptance: the same {k} offers, then only {shorter} accepts"
    return "same offers, different end (acceptance of the last offer)"


def deterministic(concord: str, loaded: Loaded, rounds_list, table: list, details: list):
    for rounds in rounds_list:
        for a in STRATEGIES:
            for b in STRATEGIES:
                pair = (a, b)
                c = run_concord(concord, loaded, pair, rounds)
                for tolerance in (0.0, 0.001):
                    n = run_negmas(loaded, pair, rounds, tolerance)
                    match = {
                        "agreement": (c["agreement"] is None) == (n["agreement"] is None),
                        "outcome": c["agreement"] == n["agreement"],
                        "step": c["step"] == n["step"],
                        "utilities": same_utilities(c["utilities"], n["utilities"]),
                    }
                    row = {
                        "scenario": loaded.folder.name,
                        "rounds": rounds,
                        "pair": f"{a} vs {b}",
                        "tolerance": tolerance,
                        **match,
                        "all": all(match.values()),
                        "concord": (c["agreement"] is not None, c["step"], c["utilities"]),
                        "negmas": (n["agreement"] is not None, n["step"], n["utilities"]),
                    }
                    table.append(row)
                    if not row["all"]:
                        row["why"] = explain(loaded, c, n, tolerance, pair, rounds)
                        details.append(row)


class ConcordRandom(SAONegotiator):
    """Concord's `random` strategy written for NegMAS: each turn, one draw, uniform over the
    outcomes worth at least the reserve (the larger of the reserved value and the lowest
    utility, as Concord reads a Genius profile); the draw is the counter-offer, and an offer
    worth at least the draw is accepted."""

    def __init__(self, *args, rng: random.Random, **kwargs):
        super().__init__(*args, **kwargs)
        self._rng = rng
        self._step = None
        self._draw = None
        self._rational = None

    def _ensure(self):
        if self._rational is None:
            outcomes = list(self.nmi.outcome_space.enumerate_or_sample())
            utilities = [float(self.ufun(o)) for o in outcomes]
            self._reserve = max(float(self.ufun.reserved_value), min(utilities))
            self._rational = [o for o, u in zip(outcomes, utilities) if u >= self._reserve]

    def _turn(self, state):
        self._ensure()
        if self._step != state.step:
            self._step = state.step
            self._draw = self._rng.choice(self._rational)
        return self._draw

    def propose(self, state, dest=None):
        return self._turn(state)

    def respond(self, state, source=None):
        draw = self._turn(state)
        u = float(self.ufun(state.current_offer))
        if u >= self._reserve and u >= float(self.ufun(draw)):
            return ResponseType.ACCEPT_OFFER
        return ResponseType.REJECT_OFFER


def mean_ci(xs):
    n = len(xs)
    mean = sum(xs) / n
    var = sum((x - mean) ** 2 for x in xs) / (n - 1) if n > 1 else 0.0
    return mean, 1.96 * math.sqrt(var / n)


def statistical(concord: str, loaded: Loaded, rounds: int, runs: int, seed: int):
    rows = []
    for pair in [("random", "random"), ("random", "boulware"), ("boulware", "random"),
                 ("random", "hardliner")]:
        with tempfile.TemporaryDirectory() as tmp:
            done = subprocess.run(
                [concord, "tournament", "--scenarios", str(loaded.folder), "--normalization",
                 "raw", "--rounds", str(rounds), "--repetitions", str(runs), "--seed",
                 str(seed), "--threads", "1", "--out", tmp, "--strategies", ",".join(sorted(set(pair)))],
                capture_output=True, text=True, check=True,
            )
            import csv

            with open(Path(tmp) / "negotiations.csv") as f:
                concord_rows = [
                    r for r in csv.DictReader(f)
                    if (r["strategy_1"], r["strategy_2"]) == pair
                ]
        c_agree = [r["agreement"] == "true" for r in concord_rows]
        c_u = [[float(r["utility_1"]) for r in concord_rows], [float(r["utility_2"]) for r in concord_rows]]
        n_agree, n_u = [], [[], []]
        for k in range(runs):
            rng = random.Random(seed * 1_000_003 + k)
            m = SAOMechanism(outcome_space=loaded.negmas.outcome_space, n_steps=rounds)
            for name, strategy, ufun in zip(loaded.parties, pair, loaded.negmas.ufuns):
                agent = (
                    ConcordRandom(name=name, rng=rng)
                    if strategy == "random"
                    else negmas_agent(strategy, name, 0.0)
                )
                m.add(agent, ufun=ufun)
            state = m.run()
            n_agree.append(state.agreement is not None)
            for p, ufun in enumerate(loaded.negmas.ufuns):
                n_u[p].append(
                    float(ufun(state.agreement))
                    if state.agreement is not None
                    else loaded.reserves[p]
                )
        rows.append((loaded.folder.name, f"{' vs '.join(pair)}, {rounds}", runs, c_agree, n_agree, c_u, n_u))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("concord")
    ap.add_argument("--rounds", type=int, nargs="+", default=[20, 100])
    ap.add_argument("--random-runs", type=int, default=200)
    ap.add_argument("--random-rounds", type=int, nargs="+", default=[100, 3])
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    import negmas

    print(f"negmas {negmas.__version__}; python {sys.version.split()[0]}")
    table, details = [], []
    loaded_all = []
    for name in SCENARIOS:
        loaded = Loaded(GENIUS / name, args.concord)
        loaded_all.append(loaded)
        deterministic(args.concord, loaded, args.rounds, table, details)

    print("\n== Deterministic strategies: Concord against NegMAS, negotiation by negotiation ==")
    print(f"{len(STRATEGIES)}x{len(STRATEGIES)} ordered pairs x rounds {args.rounds} per scenario;"
          " a match needs the same agreement, outcome, step and utilities (1e-9)")
    print(f"{'scenario':30} {'outcomes':>8} {'tolerance':>9} {'runs':>5} {'agree':>6} {'outcome':>8}"
          f" {'step':>5} {'utils':>6} {'all':>5}")
    for loaded in loaded_all:
        for tolerance in (0.0, 0.001):
            rows = [r for r in table if r["scenario"] == loaded.folder.name and r["tolerance"] == tolerance]
            count = lambda key: sum(r[key] for r in rows)
            print(f"{loaded.folder.name:30} {loaded.size:>8} {tolerance:>9} {len(rows):>5} "
                  f"{count('agreement'):>6} {count('outcome'):>8} {count('step'):>5} "
                  f"{count('utilities'):>6} {count('all'):>5}")
    for tolerance in (0.0, 0.001):
        rows = [r for r in table if r["tolerance"] == tolerance]
        print(f"{'total':30} {'':>8} {tolerance:>9} {len(rows):>5} "
              f"{sum(r['agreement'] for r in rows):>6} {sum(r['outcome'] for r in rows):>8} "
              f"{sum(r['step'] for r in rows):>5} {sum(r['utilities'] for r in rows):>6} "
              f"{sum(r['all'] for r in rows):>5}")
    agreed = sum(1 for r in table if r["concord"][0] and r["tolerance"] == 0.0)
    print(f"(of the {len(table) // 2} negotiations, Concord agreed in {agreed})")

    print("\n== Every mismatch, with where the runs part ==")
    kinds = Counter()
    for r in details:
        kind = r["why"].split(":")[0]
        kinds[(r["tolerance"], kind)] += 1
        print(f"tol={r['tolerance']} {r['scenario']} rounds={r['rounds']} {r['pair']}: "
              f"concord(agree, step, u)={fmt(r['concord'])} negmas={fmt(r['negmas'])}\n    {r['why']}")
    print("\nmismatches by cause:", ", ".join(f"tol={t} {k}: {n}" for (t, k), n in sorted(kinds.items())) or "none")

    print(f"\n== Random strategy, statistically ({args.random_runs} runs per side,"
          f" rounds {args.random_rounds}; 95% CI, normal approximation) ==")
    print("p: the smallest two-sided p-value of three two-sample z-tests (agreement rate, u1, u2)")
    pvalues = []
    print(f"{'scenario':28} {'pair, rounds':26} {'agree concord':>15} {'agree negmas':>15} "
          f"{'u1 concord':>18} {'u1 negmas':>18} {'u2 concord':>18} {'u2 negmas':>18} {'p':>7}")
    for name in ["anac_y2012_LaptopC", "anac_y2010_ItexvsCypress"]:
        loaded = next(l for l in loaded_all if l.folder.name == name)
        for rounds in args.random_rounds:
            for row in statistical(args.concord, loaded, rounds, args.random_runs, args.seed):
                scen, pair, runs, ca, na, cu, nu = row
                cells = [pct(ca), pct(na)] + [ci(cu[0]), ci(nu[0]), ci(cu[1]), ci(nu[1])]
                p = min(z_test([float(x) for x in ca], [float(x) for x in na]),
                        z_test(cu[0], nu[0]), z_test(cu[1], nu[1]))
                pvalues.append(p)
                print(f"{scen:28} {pair:26} "
                      + " ".join(f"{c:>15}" if k < 2 else f"{c:>18}" for k, c in enumerate(cells))
                      + f" {p:>7.3f}")
    alpha = 0.05 / (3 * len(pvalues))
    print(f"smallest p {min(pvalues):.4f}; Bonferroni threshold for {3 * len(pvalues)} tests at 5%:"
          f" {alpha:.5f}: {'no significant difference' if min(pvalues) > alpha else 'SIGNIFICANT DIFFERENCE'}")


def z_test(a, b):
    """Two-sided p-value of a two-sample z-test of equal means (normal approximation)."""
    (ma, va), (mb, vb) = moments(a), moments(b)
    se = math.sqrt(va / len(a) + vb / len(b))
    if se == 0:
        return 1.0 if ma == mb else 0.0
    return math.erfc(abs(ma - mb) / se / math.sqrt(2))


def moments(xs):
    n = len(xs)
    mean = sum(xs) / n
    return mean, sum((x - mean) ** 2 for x in xs) / (n - 1) if n > 1 else 0.0


def pct(xs):
    p = sum(xs) / len(xs)
    half = 1.96 * math.sqrt(p * (1 - p) / len(xs))
    return f"{100 * p:.1f}±{100 * half:.1f}%"


def ci(xs):
    mean, half = mean_ci(xs)
    return f"{mean:.3f}±{half:.3f}"


def fmt(t):
    agree, step, u = t
    return f"({'yes' if agree else 'no'}, {step}, [{', '.join(f'{x:.6g}' for x in u)}])"


if __name__ == "__main__":
    main()
