"""Plots render to PNG (Agg) and draw the data they claim: checked through the Axes' artists."""

import os
import subprocess
import sys

import pytest

import concord
from conftest import ROOT, example

# python/test.sh installs matplotlib (the test extra): in CI its absence is a failure.
matplotlib = __import__("matplotlib") if os.environ.get("CI") else pytest.importorskip("matplotlib")
matplotlib.use("Agg")

PNG = b"\x89PNG\r\n\x1a\n"


def by_label(ax):
    return {a.get_label(): a for a in [*ax.collections, *ax.lines]}


def saved(ax, path):
    ax.figure.savefig(path, dpi=80)
    data = path.read_bytes()
    assert data.startswith(PNG) and len(data) > 10_000, len(data)
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_the_utility_space_of_an_analysis(tmp_path):
    s = concord.load(example("water-sharing.toml"))
    a = s.analyze()
    ax = a.plot()
    saved(ax, tmp_path / "analysis.png")
    art = by_label(ax)
    d = a.to_dict()
    packages = art[f"every package ({d['space_size']})"]
    assert len(packages.get_offsets()) == d["space_size"]
    frontier = art["frontier"]
    points = sorted((p["utilities"]["upstream"], p["utilities"]["downstream"]) for p in a.frontier())
    assert sorted(zip(frontier.get_xdata(), frontier.get_ydata())) == points
    for concept, label in [("nash", "Nash"), ("kalai-smorodinsky", "Kalai-Smorodinsky"),
                           ("egalitarian", "egalitarian"), ("utilitarian", "utilitarian")]:
        want = sorted((p["utilities"]["upstream"], p["utilities"]["downstream"]) for p in a.solutions[concept]["points"])
        assert sorted(map(tuple, art[label].get_offsets().tolist())) == want, concept
    assert list(art["reservation of upstream"].get_xdata()) == [0.3, 0.3]
    assert list(art["reservation of downstream"].get_ydata()) == [0.3, 0.3]
    zone = art["above both reservations"].get_paths()[0].vertices
    assert zone[:, 0].min() == pytest.approx(0.3) and zone[:, 1].min() == pytest.approx(0.3)
    # Each package's utilities are Concord's: the frontier points are among them.
    drawn = set(map(tuple, packages.get_offsets().tolist()))
    assert all(p in drawn for p in points)


def test_a_large_space_is_sampled_and_says_so(tmp_path):
    t = '[scenario]\nid = "big"\ntitle = "Big"\n'
    for p in ("a", "b", "c"):
        t += f'[[parties]]\nid = "{p}"\nname = "{p}"\nrole = "party"\n'
    for i in range(12):
        t += f'[[issues]]\nid = "i{i}"\nname = "I{i}"\noptions = ["x", "y", "z"]\n'
    for p, vals in (("a", (0, 0.4, 1)), ("b", (1, 0.6, 0)), ("c", (0.5, 1, 0))):
        t += f"[preferences.{p}]\nreservation = 0.2\n"
        for i in range(12):
            t += f"[preferences.{p}.issues.i{i}]\nweight = {1/12!r}\nvalues = {{ x = {vals[0]}, y = {vals[1]}, z = {vals[2]} }}\n"
    s = concord.loads(t, name="big.toml", normalize_weights=True)
    a = s.analyze()
    ax = a.plot(parties=("c", "b"), max_packages=5000)
    saved(ax, tmp_path / "big.png")
    art = by_label(ax)
    assert len(art[f"a random sample of 5000 of {3**12} packages"].get_offsets()) == 5000
    assert "frontier (projected)" in art
    assert ax.get_xlabel() == "utility of c" and ax.get_ylabel() == "utility of b"
    with pytest.raises(ValueError):
        a.plot(parties=("a", "nobody"))


def test_a_negotiations_offers_over_time(tmp_path):
    s = concord.load(example("water-sharing.toml"))
    tr = s.simulate({"upstream": "boulware", "downstream": "conceder"})
    ax = tr.plot()
    saved(ax, tmp_path / "trace.png")
    art = by_label(ax)
    df = tr.df()
    for proposer in tr.parties:
        mine = df[df["proposer"] == proposer]
        for party in tr.parties:
            line = art[f"{proposer}'s offers, to {party}"]
            assert list(line.get_xdata()) == list(mine["round"])
            assert list(line.get_ydata()) == list(mine[party])
    star = art["agreement"].get_offsets().tolist()
    assert star == [[tr.rounds - 1, u] for u in tr.utilities.values()]


def test_the_notebook_example_runs(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg", CONCORD_EXAMPLE_OUT=str(tmp_path))
    r = subprocess.run([sys.executable, str(ROOT / "examples" / "python" / "notebook.py")], cwd=tmp_path,
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]
    for name in ["frontier.png", "negotiation.png"]:
        assert (tmp_path / name).read_bytes().startswith(PNG)
    assert "py-boulware" in r.stdout
