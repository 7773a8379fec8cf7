"""Concord and NegMAS 0.16 on the same scenarios: converted both ways, the same frontier and the
same Nash, Kalai-Smorodinsky (NegMAS's variant where it matches) and welfare points."""

import math
import os

import pytest

import concord
from conftest import example, shared

# python/test.sh installs NegMAS; in CI its absence is a failure, not a skip.
negmas = __import__("negmas") if os.environ.get("CI") else pytest.importorskip("negmas")
from negmas.inout import Scenario as NegmasScenario  # noqa: E402
from negmas.preferences import (  # noqa: E402
    max_welfare_points,
    nash_points,
    pareto_frontier,
)
from negmas.preferences.ops import kalai_points, ks_points  # noqa: E402


def linear_scenarios():
    """The ANAC scenarios of ../shared/genius that NegMAS loads as linear additive ones and can
    enumerate (up to 10^5 outcomes, as bench/negmas does)."""
    root = shared("genius")
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        try:
            s = NegmasScenario.load(folder)
        except Exception:
            continue
        if s is None or not all(type(u).__name__ == "LinearAdditiveUtilityFunction" for u in s.ufuns):
            continue
        if s.outcome_space.cardinality > 100_000:
            continue
        out.append((folder, s))
    assert out, "no linear scenario in ../shared/genius"
    return out


def close(a, b, tol=1e-9):
    return all(math.isclose(x, y, rel_tol=0, abs_tol=tol) for x, y in zip(a, b))


def _frontier_set(points):
    return sorted(tuple(round(x, 9) for x in p) for p in points)


def brute_frontier(ufuns, outcome_space):
    """The Pareto frontier of every outcome, by brute force on NegMAS's own utilities."""
    points = sorted(
        {tuple(round(float(u(o)), 9) for u in ufuns) for o in outcome_space.enumerate_or_sample(max_cardinality=10**6)},
        reverse=True,
    )
    front = []
    for p in points:
        if not any(all(q[k] >= p[k] for k in range(len(p))) for q in front):
            front.append(p)
    return sorted(front)


def test_from_negmas_gives_the_exact_frontier_and_negmas_solutions():
    checked = 0
    for folder, s in linear_scenarios():
        ufuns = s.ufuns
        reserves = [u.reserved_value if u.reserved_value is not None else -math.inf for u in ufuns]
        c = concord.from_negmas(s, name=folder.name).analyze(negmas=True)
        d = c.to_dict()
        # Concord's frontier is that of the agreement zone (outcomes at or above every reserve).
        truth = [p for p in brute_frontier(ufuns, s.outcome_space) if all(x >= r for x, r in zip(p, reserves))]
        if not d["zone"]["exists"]:
            assert not truth, folder.name
            continue
        parties = d["consenting"]
        ours = _frontier_set(tuple(p["utilities"][q] for q in parties) for p in c.frontier())
        assert ours == truth, folder.name
        # NegMAS's pareto_frontier holds every exact frontier point; on some scenarios
        # (anac_y2011_Car) it also lists points another point dominates, which Concord does not.
        frontier, _ = pareto_frontier(ufuns, issues=s.outcome_space.issues, sort_by_welfare=True)
        nm = _frontier_set(p for p in frontier if all(x >= r for x, r in zip(p, reserves)))
        assert set(ours) <= set(nm), folder.name
        for extra in set(nm) - set(ours):
            assert any(all(a >= b for a, b in zip(q, extra)) for q in ours), (folder.name, extra)
        nash = [tuple(map(float, p)) for p, _ in nash_points(ufuns, frontier, outcome_space=s.outcome_space)]
        ours_nash = [tuple(p["utilities"][q] for q in parties) for p in c.solutions["nash"]["points"]]
        assert any(close(a, b) for a in ours_nash for b in nash), folder.name
        welfare = [tuple(map(float, p)) for p, _ in max_welfare_points(ufuns, frontier, outcome_space=s.outcome_space)]
        ours_w = [tuple(p["utilities"][q] for q in parties) for p in c.solutions["utilitarian"]["points"]]
        if welfare:
            assert math.isclose(sum(ours_w[0]), sum(welfare[0]), abs_tol=1e-9), folder.name
        # NegMAS's two Kalai-Smorodinsky variants (`negmas=True`): ks_points and kalai_points.
        picked = {sol["negmas_function"]: sol for sol in d["negmas"]["solutions"]}
        for name, function in (("ks_points", ks_points), ("kalai_points", kalai_points)):
            theirs = [tuple(map(float, p)) for p, _ in function(ufuns, frontier, outcome_space=s.outcome_space)]
            mine = [tuple(p["utilities"][q] for q in parties) for p in picked[name]["points"]]
            assert theirs and mine, (folder.name, name)
            assert any(close(a, b) for a in mine for b in theirs), (folder.name, name, mine, theirs)
        checked += 1
    assert checked >= 3, f"only {checked} scenarios compared"


def test_to_negmas_keeps_every_utility():
    for folder, s in linear_scenarios()[:4]:
        c = concord.load(folder, normalization="raw")
        n = c.to_negmas()
        assert len(n.outcome_space.issues) == len(c.issues)
        prefs = c.preferences
        for party, u in zip(prefs, n.ufuns):
            p = prefs[party]
            for outcome in list(n.outcome_space.enumerate_or_sample(max_cardinality=200)):
                # Options by position: NegMAS keeps Genius's values, Concord turns them into ids.
                ours = sum(
                    p["issues"][issue]["weight"] * p["issues"][issue]["values"][options[list(ni.all).index(v)]]
                    for (issue, options), ni, v in zip(c.issues, n.outcome_space.issues, outcome)
                )
                assert math.isclose(float(u(outcome)), ours, abs_tol=1e-9), (folder.name, party, outcome)


def test_what_genius_cannot_hold_is_said_to_be_left_out():
    # Red lines and framework points are not Genius's (nor NegMAS's): a UserWarning says how many
    # were left out, and the preferences still arrive.
    kyiv = concord.load(example("kyiv-2026.toml"))
    with pytest.warns(UserWarning, match=r"11 red lines and \d+ points were not exported"):
        n = kyiv.to_negmas()
    assert len(n.outcome_space.issues) == len(kyiv.issues)
    # Nothing left out: no warning.
    import warnings

    folder, _ = linear_scenarios()[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        concord.load(folder, normalization="raw").to_negmas()
