"""Plots with matplotlib (the optional extra ``concord-negotiation[plot]``): the utility space
of an analysis, and a negotiation's offers over time."""

from __future__ import annotations

import itertools
import math
import random
from typing import Any, Optional

# The four bargaining solutions, as the analysis names them, with their legend label and marker.
CONCEPTS = [
    ("nash", "Nash", "*"),
    ("kalai-smorodinsky", "Kalai-Smorodinsky", "D"),
    ("egalitarian", "egalitarian", "^"),
    ("utilitarian", "utilitarian", "s"),
]


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(7, 6))
    return ax


def package_utilities(scenario, parties: tuple[str, str], max_packages: int, seed: int):
    """The two parties' utilities of every package (summed in issue order from 0, as Concord
    sums them), or of ``max_packages`` packages drawn at random when the space is larger;
    returns (xs, ys, total, sampled)."""
    prefs = scenario.preferences
    issues = scenario.issues
    a, b = (prefs[p]["issues"] for p in parties)
    tables = [
        [(a[i]["weight"] * a[i]["values"][o], b[i]["weight"] * b[i]["values"][o]) for o in options]
        for i, options in issues
    ]
    total = math.prod(len(t) for t in tables)
    sampled = total > max_packages
    if sampled:
        rng = random.Random(seed)
        packages = ([t[rng.randrange(len(t))] for t in tables] for _ in range(max_packages))
    else:
        packages = itertools.product(*tables)
    xs, ys = [], []
    for package in packages:
        x = y = 0.0
        for ua, ub in package:
            x += ua
            y += ub
        xs.append(x)
        ys.append(y)
    return xs, ys, total, sampled


def plot_analysis(analysis, scenario, parties: Optional[tuple[str, str]], *, ax=None, max_packages: int = 20000, seed: int = 0):
    doc = analysis._doc()
    consenting = [p["id"] for p in doc["parties"] if p["consent"] and p["reservation"] is not None]
    if parties is None:
        if len(consenting) < 2:
            raise ValueError("the scenario has fewer than two negotiating parties to draw")
        parties = (consenting[0], consenting[1])
    pa, pb = parties
    known = {p["id"]: p for p in doc["parties"]}
    for p in parties:
        if p not in known or known[p]["reservation"] is None:
            raise ValueError(f"party {p!r} has no preferences to draw; parties with some: {', '.join(consenting)}")
    ax = _axes(ax)
    xs, ys, total, sampled = package_utilities(scenario, (pa, pb), max_packages, seed)
    label = f"a random sample of {len(xs)} of {total} packages" if sampled else f"every package ({total})"
    ax.scatter(xs, ys, s=6, c="0.75", label=label, zorder=1)
    ra, rb = known[pa]["reservation"], known[pb]["reservation"]
    ax.axvline(ra, color="tab:red", linestyle="--", linewidth=1, label=f"reservation of {pa}")
    ax.axhline(rb, color="tab:purple", linestyle="--", linewidth=1, label=f"reservation of {pb}")
    top = max([1.0, *xs, *ys])
    ax.fill_between([ra, top], [rb, rb], [top, top], color="tab:green", alpha=0.08, label="above both reservations")
    if doc["frontier"]["materialised"]:
        points = sorted(
            ((p["utilities"][pa], p["utilities"][pb]) for p in analysis.frontier()),
            key=lambda u: (u[0], -u[1]),
        )
        more = len(consenting) > 2
        ax.plot(
            [u[0] for u in points],
            [u[1] for u in points],
            "-o",
            color="tab:blue",
            markersize=3,
            linewidth=1,
            label="frontier (projected)" if more else "frontier",
            zorder=3,
        )
    for concept, name, marker in CONCEPTS:
        sol = analysis.solutions.get(concept)
        if not sol or not sol["points"]:
            continue
        us = [(pt["utilities"][pa], pt["utilities"][pb]) for pt in sol["points"]]
        ax.scatter([u[0] for u in us], [u[1] for u in us], marker=marker, s=90, label=name, zorder=4, edgecolors="black")
    ax.set_xlabel(f"utility of {pa}")
    ax.set_ylabel(f"utility of {pb}")
    ax.set_title(f"{doc['scenario']['id']}: {pa} and {pb}")
    ax.legend(loc="lower left", fontsize="small")
    return ax


def plot_trace(trace, *, ax=None):
    ax = _axes(ax)
    parties = trace.parties
    offers = trace.offers()
    for k, proposer in enumerate(parties):
        mine = [o for o in offers if o["proposer"] == proposer]
        for party in parties:
            ax.plot(
                [o["round"] for o in mine],
                [o["utilities"][party] for o in mine],
                "-" if party == proposer else ":",
                marker="o" if party == proposer else None,
                markersize=3,
                color=f"C{k % 10}",
                label=f"{proposer}'s offers, to {party}",
            )
    doc = trace._doc()
    if doc["agreement"]:
        agreed = doc["rounds"] - 1
        ax.scatter(
            [agreed] * len(parties),
            [p["utility"] for p in doc["parties"]],
            marker="*",
            s=200,
            color="gold",
            edgecolors="black",
            zorder=5,
            label="agreement",
        )
    ax.set_xlabel("round")
    ax.set_ylabel("utility")
    ax.set_title(f"{doc['scenario']}: {doc['end']} after {doc['rounds']} rounds")
    ax.legend(loc="best", fontsize="small")
    return ax
