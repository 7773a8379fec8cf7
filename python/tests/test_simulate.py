"""simulate and tournament against the CLI; strategies written in Python against the built-in
ones; Ctrl-C, the GIL, errors raised by a strategy; Ray against the local run."""

import _thread
import itertools
import json
import os
import subprocess
import threading
import time

import pytest

import concord
from conftest import ROOT, concord_binary, example, shared

pd = pytest.importorskip("pandas") if not os.environ.get("CI") else __import__("pandas")


def cli(*args: str) -> subprocess.CompletedProcess:
    binary = concord_binary()
    return subprocess.run([str(binary), *args], capture_output=True, text=True, cwd=ROOT)


def without_elapsed(d: dict) -> dict:
    d = dict(d)
    d.pop("elapsed_seconds")
    return d


class PyBoulware:
    """Boulware (target r + (max − r)(1 − t^4)) with AC_next, written from its definition in
    docs/simulation.md: the offer is the package worth least among those worth at least the
    target (the first in Concord's numbering among ties), from its own utilities only."""

    name = "py-boulware"

    def __init__(self):
        self._allowed = None

    def _offer(self, state):
        if self._allowed is None:
            ids = [i for i, _ in state.issues]
            packages = (dict(zip(ids, c)) for c in itertools.product(*[o for _, o in state.issues]))
            # itertools.product's order is Concord's numbering (issue 0 most significant).
            self._allowed = [(state.utility(p), k, p) for k, p in enumerate(packages) if state.allows(p)]
            self._max = max(u for u, _, _ in self._allowed)
        r, t = state.reservation, state.time
        t2 = t * t
        target = r + (self._max - r) * (1.0 - t2 * t2)
        best = min(((u, k, p) for u, k, p in self._allowed if u >= target), default=None)
        return None if best is None else best[2]

    def propose(self, state):
        return self._offer(state)

    def respond(self, state, offer):
        u = state.utility(offer)
        if not state.allows(offer) or u < state.reservation:
            return False
        planned = self._offer(state)
        return planned is None or u >= state.utility(planned)


def test_simulate_gives_the_document_the_cli_prints():
    s = concord.load(example("water-sharing.toml"))
    for a, b, seed in [("boulware", "conceder", 0), ("random", "tit-for-tat", 7)]:
        t = s.simulate({"upstream": a, "downstream": b}, seed=seed, rounds=40)
        out = cli(
            "simulate", "examples/water-sharing.toml", "--strategy", f"upstream={a}", "--strategy",
            f"downstream={b}", "--seed", str(seed), "--rounds", "40", "--trace", "--json",
        )
        assert without_elapsed(t.to_dict()) == without_elapsed(json.loads(out.stdout))
        assert t.to_dict()["schema"] == "concord.simulate/1"


def test_protocol_and_discounting_take_the_command_lines_words():
    s = concord.load(example("water-sharing.toml"))
    parties = {"upstream": "boulware", "downstream": "conceder"}
    for protocol, flags in [
        ("single-text", ["--protocol", "single-text"]),
        ("single-text/hill-climbing", ["--protocol", "single-text", "--mediator", "hill-climbing"]),
    ]:
        t = s.simulate(parties, protocol=protocol, discounting="per-round", rounds=30)
        out = cli(
            "simulate", "examples/water-sharing.toml", "--strategy", "upstream=boulware",
            "--strategy", "downstream=conceder", "--rounds", "30", "--discount", "per-round",
            *flags, "--trace", "--json",
        )
        assert without_elapsed(t.to_dict()) == without_elapsed(json.loads(out.stdout))
    for bad in ["sao/veto", "single-text/sideways", "alternating"]:
        with pytest.raises(ValueError, match="protocol="):
            s.simulate(parties, protocol=bad)
    with pytest.raises(ValueError, match="discounting=.*off, per-round or relative-time"):
        s.simulate(parties, discounting="hourly")


def test_the_trace_is_a_table_of_offers():
    s = concord.load(example("water-sharing.toml"))
    t = s.simulate({"upstream": "boulware", "downstream": "conceder"})
    df = t.df()
    offers = [e for e in t.to_dict()["trace"] if e["action"] == "offer"]
    assert list(df.columns) == ["round", "time", "proposer", "package", "upstream", "downstream"]
    assert len(df) == len(offers) > 0
    assert df["proposer"].iloc[0] == "upstream"
    assert list(df["downstream"]) == [e["utilities"][1] for e in offers]
    assert t.end == "agreement" and t.agreement is not None
    # The agreement is the last offer, accepted.
    last = df.iloc[-1]
    assert last["package"] == ";".join(f"{i}={o}" for i, o in t.agreement.items())
    assert t.utilities == {"upstream": last["upstream"], "downstream": last["downstream"]}
    assert t.strategies == {"upstream": "boulware", "downstream": "conceder"}


def test_a_python_boulware_gives_the_built_in_boulwares_agreements():
    s = concord.load(shared("genius/anac_y2010_ItexvsCypress"))
    a, b = s.parties
    checked = 0
    for opponent in ["boulware", "conceder"]:
        for rounds in [10, 100, 1000]:
            for seat in [0, 1]:
                py = {a: PyBoulware, b: opponent} if seat == 0 else {a: opponent, b: PyBoulware}
                rust = {p: ("boulware" if v is PyBoulware else v) for p, v in py.items()}
                tp = s.simulate(py, rounds=rounds)
                tr = s.simulate(rust, rounds=rounds)
                assert tp.agreement == tr.agreement, (opponent, rounds, seat)
                assert (tp.end, tp.rounds, tp.utilities) == (tr.end, tr.rounds, tr.utilities)
                assert tp.df().equals(tr.df()), "every offer is the same"
                checked += tp.agreement is not None
    assert checked >= 6, "most of these negotiations agree"
    # In a tournament beside the built-ins: the same rows, strategy names aside.
    py = concord.tournament([s], [PyBoulware, "conceder"], rounds=100, repetitions=2)
    rust = concord.tournament([s], ["boulware", "conceder"], rounds=100, repetitions=2)
    names = py.negotiations.replace("py-boulware", "boulware")
    assert names.equals(rust.negotiations)
    assert list(py.summary["strategy"]) == ["py-boulware", "conceder"]
    assert py.summary.drop(columns="strategy").equals(rust.summary.drop(columns="strategy"))


class Spy:
    """Records what it is shown; concedes nothing, accepts its own best."""

    seen: list = []

    def propose(self, state):
        Spy.seen.append(state)
        ids = [i for i, _ in state.issues]
        best = max(
            (dict(zip(ids, c)) for c in itertools.product(*[o for _, o in state.issues])),
            key=state.utility,
        )
        return best

    def respond(self, state, offer):
        return "accept" if state.utility(offer) >= 0.7 else "reject"


def test_a_python_strategy_sees_only_its_own_utilities_and_the_offers():
    Spy.seen = []
    s = concord.load(example("water-sharing.toml"))
    t = s.simulate({"upstream": Spy(), "downstream": "conceder"}, rounds=20)
    state = Spy.seen[-1]
    public = {n for n in dir(state) if not n.startswith("_")}
    assert public == {
        "me", "parties", "issues", "round", "rounds", "time", "offers", "reservation",
        "max_utility", "utility", "allows",
    }
    assert state.me == "upstream" and state.parties == ["upstream", "downstream"]
    # Its utility is its own: the trace's first column.
    for e in t.to_dict()["trace"]:
        if e["action"] == "offer":
            assert state.utility(e["package"]) == e["utilities"][0]
    offers = [(e["round"], e["party"], e["package"]) for e in t.to_dict()["trace"] if e["action"] == "offer"]
    assert state.offers == offers[: len(state.offers)] and len(state.offers) >= len(offers) - 1
    with pytest.raises(ValueError):
        state.utility({"share": "20"})
    with pytest.raises(ValueError):
        state.utility({"share": "nope", "monitor": "province"})


class Raises:
    def propose(self, state):
        if state.round == 3:
            raise RuntimeError("my strategy is broken")
        return {i: o[0] for i, o in state.issues}

    def respond(self, state, offer):
        return False


class BadAnswer(Raises):
    def respond(self, state, offer):
        return "maybe"


def test_an_exception_in_a_python_strategy_is_raised_to_the_caller():
    s = concord.load(example("water-sharing.toml"))
    with pytest.raises(RuntimeError, match="my strategy is broken"):
        s.simulate({"upstream": Raises, "downstream": "boulware"})
    with pytest.raises(RuntimeError, match="my strategy is broken"):
        concord.tournament([s], [Raises, "boulware"], repetitions=3)
    with pytest.raises(TypeError, match="maybe"):
        s.simulate({"upstream": "boulware", "downstream": BadAnswer})
    with pytest.raises(TypeError):
        s.simulate({"upstream": object(), "downstream": "boulware"})
    with pytest.raises(concord.ScenarioError, match="greedy"):
        s.simulate({"upstream": "greedy", "downstream": "boulware"})
    with pytest.raises(concord.ScenarioError, match="two strategies|no strategy"):
        s.simulate({"upstream": "boulware"})


def test_the_tournament_gives_the_clis_tables(tmp_path):
    out = tmp_path / "cli"
    r = cli(
        "tournament", "--scenarios", "examples/water-sharing.toml", "--strategies",
        "boulware,conceder,random", "--repetitions", "3", "--seed", "5", "--rounds", "50", "--out", str(out),
    )
    assert r.returncode == 0, r.stderr
    t = concord.tournament(
        [example("water-sharing.toml")], ["boulware", "conceder", "random"], repetitions=3, seed=5, rounds=50,
        parquet_dir=tmp_path / "py",
    )
    for name in ["negotiations", "summary"]:
        assert (tmp_path / "py" / f"{name}.csv").read_text() == (out / f"{name}.csv").read_text()
        assert (tmp_path / "py" / f"{name}.parquet").read_bytes() == (out / f"{name}.parquet").read_bytes()
    assert len(t.negotiations) == 3**2 * 3
    assert list(t.summary["strategy"]) == ["boulware", "conceder", "random"]
    back = pd.read_parquet(tmp_path / "py" / "negotiations.parquet")
    assert back["welfare"].tolist() == t.negotiations["welfare"].tolist()
    assert "negotiation" in t.text


def test_ctrl_c_stops_a_long_tournament_within_a_second():
    s = concord.load(example("water-sharing.toml"))
    timer = threading.Timer(0.3, _thread.interrupt_main)
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt) as stopped:
        concord.tournament([s], ["random", "boulware", "tit-for-tat"], rounds=100000, repetitions=2000)
    elapsed = time.monotonic() - started
    assert elapsed < 1.3, f"took {elapsed:.2f} s to stop"
    # What was finished is kept: the CLI's partial report, as a result like any other.
    assert isinstance(stopped.value, concord.TournamentInterrupted)
    partial = stopped.value.partial
    assert isinstance(partial, concord.TournamentResult)
    assert 0 < len(partial.negotiations) < 3**2 * 2000
    assert f"{len(partial.negotiations):,} of 18,000 planned negotiations finished" in str(stopped.value)


def test_ctrl_c_stops_a_negotiation_of_python_strategies():
    s = concord.load(example("water-sharing.toml"))
    timer = threading.Timer(0.3, _thread.interrupt_main)
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        s.simulate({"upstream": Spy, "downstream": "hardliner"}, rounds=1_000_000)
    assert time.monotonic() - started < 1.3


def test_the_gil_is_released_while_built_in_strategies_play():
    s = concord.load(example("water-sharing.toml"))
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    th = threading.Thread(target=tick)
    th.start()
    started = time.monotonic()
    concord.tournament([s], ["random", "boulware", "tit-for-tat"], rounds=2000, repetitions=300)
    took = time.monotonic() - started
    stop.set()
    th.join()
    during = [x for x in ticks if started < x < started + took]
    assert took < 0.05 or len(during) >= 0.5 * took / 0.01


def test_ray_gives_the_local_results_whatever_the_number_of_tasks(ray_local):
    scenarios = [concord.load(example("water-sharing.toml")), concord.load(shared("genius/anac_y2010_ItexvsCypress"))]
    strategies = ["random", PyBoulware, "tit-for-tat/time:0.9"]
    local = concord.tournament(scenarios, strategies, repetitions=4, seed=3, rounds=60)
    for tasks in [1, 2, 7]:
        on_ray = concord.tournament(scenarios, strategies, repetitions=4, seed=3, rounds=60, backend="ray", tasks=tasks)
        assert on_ray.negotiations.equals(local.negotiations), tasks
        assert on_ray.summary.equals(local.summary), tasks
    # The random strategy's draws depend on the seed: another seed gives other rows.
    other = concord.tournament(scenarios, strategies, repetitions=4, seed=4, rounds=60, backend="ray", tasks=2)
    assert not other.negotiations.equals(local.negotiations)


class Counter:
    """Counts its own calls: a fresh copy per negotiation starts from zero."""

    def __init__(self):
        self.calls = 0
        self.proposals = 0

    def propose(self, state):
        self.calls += 1
        self.proposals += 1
        assert self.proposals == len([o for o in state.offers if o[1] == state.me]) + 1, "state leaked"
        return {i: o[0] for i, o in state.issues}

    def respond(self, state, offer):
        self.calls += 1
        return state.round > 2


def test_an_object_is_copied_for_each_negotiation_and_named_by_its_class():
    s = concord.load(example("water-sharing.toml"))
    c = Counter()
    r = concord.tournament([s], [c, "linear"], repetitions=3, rounds=30)
    assert c.calls == 0, "the object given is never played itself"
    assert list(r.summary["strategy"]) == ["Counter", "linear"]
    # 4 assignments of 2 strategies to 2 seats, 3 times: each strategy takes 4 seats a time.
    assert r.summary["seats"].tolist() == [12, 12]
    t = s.simulate({"upstream": c, "downstream": "linear"})
    assert c.calls == 0 and t.strategies["upstream"] == "Counter"
