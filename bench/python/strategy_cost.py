"""What a strategy written in Python costs per round: the same negotiation played by a built-in
strategy and by Python strategies, long enough that set-up does not count.

Each Python strategy plays against the built-in hardliner, and so does its built-in twin (a
hardliner, and Boulware): the twins play the same rounds to the same end (checked), the Python
side answering one respond and one propose call per round. The cost per round is (time with
Python − time with the built-in) / rounds played. `simulate` runs one negotiation;
`tournament` runs the same negotiation as a one-scenario tournament of repetitions (on
rayon's threads).

Usage: python bench/python/strategy_cost.py [ROUNDS] [RUNS]   (the package installed in the
running interpreter, built in release mode; run from the repository root)
"""

import itertools
import os
import statistics
import sys
import time

import concord


class PyHardliner:
    """Always its best package; never accepts: the cheapest Python strategy, so its cost is
    that of the calls."""

    name = "py-hardliner"

    def __init__(self):
        self.best = None

    def propose(self, state):
        if self.best is None:
            ids = [i for i, _ in state.issues]
            every = (dict(zip(ids, c)) for c in itertools.product(*[o for _, o in state.issues]))
            self.best = max(every, key=state.utility)
        return self.best

    def respond(self, state, offer):
        return False


class PyBoulware:
    """Boulware with AC_next from its definition (python/tests/test_simulate.py's): a scan of
    its own packages each call."""

    name = "py-boulware"

    def __init__(self):
        self.packages = None

    def ask(self, state):
        if self.packages is None:
            ids = [i for i, _ in state.issues]
            every = (dict(zip(ids, c)) for c in itertools.product(*[o for _, o in state.issues]))
            self.packages = [(state.utility(p), k, p) for k, p in enumerate(every) if state.allows(p)]
            self.best = max(u for u, _, _ in self.packages)
        r, t = state.reservation, state.time
        target = r + (self.best - r) * (1 - (t * t) * (t * t))
        fit = [x for x in self.packages if x[0] >= target]
        return min(fit)[2] if fit else None

    def propose(self, state):
        return self.ask(state)

    def respond(self, state, offer):
        u = state.utility(offer)
        if u < state.reservation or not state.allows(offer):
            return False
        planned = self.ask(state)
        return planned is None or u >= state.utility(planned)


def timed(scenario, strategies, rounds, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        trace = scenario.simulate(strategies, rounds=rounds)
        times.append(time.perf_counter() - t)
    return statistics.median(times), trace


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    cases = [
        ("water-sharing (12 packages)", concord.load(os.path.join(root, "examples", "water-sharing.toml"))),
        ("ItexvsCypress (180 packages)", concord.load(os.path.join(root, "..", "shared", "genius", "anac_y2010_ItexvsCypress"))),
    ]
    print(f"rounds: {rounds}; runs: {runs} (median); cpus: {os.cpu_count()}; load: {os.getloadavg()[0]:.2f}")
    print(f"{'scenario':30} {'strategy':14} {'rounds':>7} {'built-in s':>11} {'python s':>9} {'added µs/round':>15}")
    for label, s in cases:
        a, b = s.parties[:2]
        for builtin, python in (("hardliner", PyHardliner), ("boulware", PyBoulware)):
            tb, rb = timed(s, {a: builtin, b: "hardliner"}, rounds, runs)
            tp, rp = timed(s, {a: python, b: "hardliner"}, rounds, runs)
            assert (rb.end, rb.rounds) == (rp.end, rp.rounds), (builtin, rb.end, rb.rounds, rp.end, rp.rounds)
            n = rp.rounds
            print(f"{label:30} {python.name:14} {n:7} {tb:11.4f} {tp:9.4f} {(tp - tb) / n * 1e6:15.2f}")
        # The same in a tournament: 20 repetitions of the negotiation, on rayon's threads.
        reps = 20
        t = time.perf_counter()
        concord.tournament([s], ["hardliner"], rounds=rounds // 10, repetitions=reps)
        tb = time.perf_counter() - t
        t = time.perf_counter()
        r = concord.tournament([s], [PyHardliner], rounds=rounds // 10, repetitions=reps)
        tp = time.perf_counter() - t
        n = int(r.negotiations["rounds"].sum())
        print(f"{label:30} {'tournament':14} {n:7} {tb:11.4f} {tp:9.4f} {(tp - tb) / n * 1e6:15.2f}")


if __name__ == "__main__":
    main()
