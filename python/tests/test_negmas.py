"""Concord and NegMAS 0.16 on the same scenarios: converted both ways, the same frontier and the
same Nash, Kalai-Smorodinsky (NegMAS's variant where it matches) and welfare points."""

import math
from pathlib import Path

import pytest

import concord
from conftest import shared

negmas = pytest.importorskip("negmas")
from negmas.inout import Scenario as NegmasScenario  # noqa: E402
from negmas.preferences import (  # noqa: E402
    max_welfare_points,
    nash_points,
    pareto_frontier,
)


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


def test_from_negmas_gives_negmas_frontier_and_solutions():
    checked = 0
    for folder, s in linear_scenarios():
        ufuns = s.ufuns
        frontier, _ = pareto_frontier(ufuns, issues=s.outcome_space.issues, sort_by_welfare=True)
        reserves = [u.reserved_value if u.reserved_value is not None else -math.inf for u in ufuns]
        # NegMAS's frontier over every outcome; Concord's is that of the agreement zone (outcomes
        # every party prefers to its reserve), as docs/genius.md says.
        nm = [tuple(map(float, p)) for p in frontier if all(x >= r for x, r in zip(p, reserves))]
        c = concord.from_negmas(s, name=folder.name).analyze()
        d = c.to_dict()
        if not d["zone"]["exists"]:
            assert not nm, folder.name
            continue
        parties = d["consenting"]
        ours = [tuple(p["utilities"][q] for q in parties) for p in c.frontier()]
        assert _frontier_set(ours) == _frontier_set(nm), folder.name
        nash = [tuple(map(float, p)) for p, _ in nash_points(ufuns, frontier, outcome_space=s.outcome_space)]
        ours_nash = [tuple(p["utilities"][q] for q in parties) for p in c.solutions["nash"]["points"]]
        assert any(close(a, b) for a in ours_nash for b in nash), folder.name
        welfare = [tuple(map(float, p)) for p, _ in max_welfare_points(ufuns, frontier, outcome_space=s.outcome_space)]
        ours_w = [tuple(p["utilities"][q] for q in parties) for p in c.solutions["utilitarian"]["points"]]
        if welfare:
            assert math.isclose(sum(ours_w[0]), sum(welfare[0]), abs_tol=1e-9), folder.name
        checked += 1
    assert checked >= 3, f"only {checked} scenarios compared"


def test_to_negmas_keeps_every_utility():
    for folder, s in linear_scenarios()[:4]:
        c = concord.load(folder, normalization="raw")
        n = c.to_negmas()
        assert [str(i.name) for i in n.outcome_space.issues] == [i for i, _ in c.issues] or len(
            n.outcome_space.issues
        ) == len(c.issues)
        prefs = c.preferences
        for party, u in zip(prefs, n.ufuns):
            p = prefs[party]
            for outcome in list(n.outcome_space.enumerate_or_sample(max_cardinality=200)):
                ours = sum(
                    p["issues"][issue]["weight"] * p["issues"][issue]["values"][str(v)]
                    for (issue, _), v in zip(c.issues, outcome)
                )
                assert math.isclose(float(u(outcome)), ours, abs_tol=1e-9), (folder.name, party, outcome)
