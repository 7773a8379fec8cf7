"""Sensitivity sweeps: the same answer here and split into Ray tasks, and the CLI's."""

import pytest

import concord
from conftest import example
from test_concord import cli_json


def test_a_local_sweep_is_analyze_with_draws_and_the_cli():
    s = concord.load(example("kyiv-2026.toml"))
    swept = s.sensitivity(30, seed=5, red_lines="stated")
    d = swept.to_dict()
    assert d == s.analyze(sensitivity=30, seed=5, red_lines="stated").to_dict()
    assert d == cli_json("analyze", "examples/kyiv-2026.toml", "--sensitivity", "30", "--seed", "5", "--red-lines", "stated")
    assert d["sensitivity"]["samples"] == 30
    what_if = s.sensitivity(30, seed=5, set_reservation={"russia": 0.3})
    assert what_if.to_dict() == cli_json(
        "analyze", "examples/kyiv-2026.toml", "--sensitivity", "30", "--seed", "5", "--set-reservation", "russia=0.3"
    )


def test_a_sweep_refuses_what_analyze_does_not_take():
    s = concord.load(example("water-sharing.toml"))
    with pytest.raises(TypeError, match="sample"):
        s.sensitivity(10, sample=3)
    with pytest.raises(ValueError, match="backend"):
        s.sensitivity(10, backend="dask")


def test_a_sweep_on_ray_is_the_local_one_whatever_the_number_of_tasks(ray_local):
    s = concord.load(example("kyiv-2026.toml"))
    # With the stated red lines only, the draws differ in what they show: some have a zone, some
    # not, and the concepts' choices hold in some (with all red lines, no draw has a zone).
    for options in [{"red_lines": "stated"}, {"set_reservation": {"russia": 0.3}, "red_lines": "stated"}]:
        local = s.sensitivity(30, seed=5, **options)
        drawn = local.to_dict()["sensitivity"]
        assert drawn["ranged_numbers"] > 0 and 0 < drawn["zone_exists"] < 30, drawn
        for tasks in [1, 2, 3]:
            on_ray = s.sensitivity(30, seed=5, backend="ray", tasks=tasks, **options)
            assert on_ray.to_dict() == local.to_dict(), (tasks, options)
            assert on_ray.text() == local.text(), (tasks, options)
    # More tasks than draws: the empty stretches change nothing.
    few = dict(seed=5, red_lines="stated")
    assert s.sensitivity(2, backend="ray", tasks=3, **few).to_dict() == s.sensitivity(2, **few).to_dict()
    # The draws depend on the seed: another seed gives other counts.
    other = s.sensitivity(30, seed=6, backend="ray", tasks=2, red_lines="stated").to_dict()["sensitivity"]
    assert other != s.sensitivity(30, seed=5, red_lines="stated").to_dict()["sensitivity"]


def test_a_grid_of_variants_on_ray_is_the_local_one(ray_local):
    s = concord.load(example("kyiv-2026.toml"))
    variants = [
        {},
        {"set_reservation": {"russia": 0.3}},
        {"set_reservation": {"russia": 0.3, "ukraine": 0.3}, "red_lines": "stated"},
        {"sensitivity": 12, "seed": 2},
    ]
    local = s.grid(variants, red_lines="cited")
    assert local[0] == s.analyze(red_lines="cited").to_dict()
    assert local[2] == s.analyze(red_lines="stated", set_reservation={"russia": 0.3, "ukraine": 0.3}).to_dict()
    assert local[3]["sensitivity"]["samples"] == 12
    assert s.grid(variants, red_lines="cited", backend="ray") == local


def test_a_grid_names_itself_in_a_wrong_keyword():
    s = concord.load(example("water-sharing.toml"))
    with pytest.raises(TypeError, match=r"grid\(\).*sample"):
        s.grid([{"sample": 3}])
