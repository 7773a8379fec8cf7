"""The Python package against the CLI: same answers, located errors, cancellation."""

import json
import os
import subprocess
import threading
import time
import _thread

import pytest

import concord
from conftest import ROOT, concord_binary, example, shared


def cli_json(*args: str) -> dict:
    """`concord ARGS --json` from the workspace's binary (built by cargo test)."""
    binary = concord_binary()
    out = subprocess.run([str(binary), *args, "--json"], capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout)


def test_analyze_gives_the_document_the_cli_prints():
    for name in ["water-sharing.toml", "kyiv-2026.toml"]:
        a = concord.load(example(name)).analyze()
        d = a.to_dict()
        assert d["schema"] == "concord.analysis/1"
        assert d == cli_json("analyze", f"examples/{name}")


def test_what_ifs_and_options_are_keywords():
    s = concord.load(example("kyiv-2026.toml"))
    stated = s.analyze(red_lines="stated")
    assert stated.to_dict() == cli_json("analyze", "examples/kyiv-2026.toml", "--red-lines", "stated")
    w = concord.load(example("water-sharing.toml"))
    a = w.analyze(set_reservation={"downstream": 0.2}, method="merge")
    assert a.to_dict() == cli_json(
        "analyze", "examples/water-sharing.toml", "--set-reservation", "downstream=0.2", "--method", "merge"
    )
    assert a.to_dict()["what_if"], "the what-if is stated in the report"


def test_results_are_typed_and_the_frontier_is_a_table():
    a = concord.load(example("water-sharing.toml")).analyze()
    assert a.zone_exists is True
    assert isinstance(a.zone_size, int) and a.zone_size > 0
    assert set(a.solutions) == {"nash", "kalai-smorodinsky", "egalitarian", "utilitarian"}
    frontier = a.frontier()
    assert len(frontier) == a.to_dict()["frontier"]["size"]
    pd = pytest.importorskip("pandas")
    df = a.frontier_df()
    assert isinstance(df, pd.DataFrame)
    assert len(df) == len(frontier)
    assert {"upstream", "downstream", "package_count"} <= set(df.columns)
    # polars is a test dependency: in CI its absence is a failure, not a skip.
    pl = __import__("polars") if os.environ.get("CI") else pytest.importorskip("polars")
    pdf = a.frontier_df(polars=True)
    assert isinstance(pdf, pl.DataFrame)
    assert pdf.to_dicts() == df.to_dict("records")
    assert "AGREEMENT ZONE" in a.text()


def test_a_wrong_file_raises_scenario_error_with_located_problems():
    with pytest.raises(concord.ScenarioError) as e:
        concord.loads('[scenario]\nid = "x"\ntitle = 3\n', name="bad.toml")
    problems = e.value.problems
    assert problems, "the problems are listed"
    p = problems[0]
    assert p["file"] == "bad.toml" and p["line"] >= 1 and p["field"]
    assert set(p) == {"file", "line", "column", "field", "found", "expected"}
    assert "bad.toml" in str(e.value)
    with pytest.raises(concord.ScenarioError) as e:
        concord.loads("not toml [", name="syntax.toml")
    assert e.value.problems[0]["line"] == 1


def test_a_limit_raises_limit_error():
    s = concord.load(example("water-sharing.toml"))
    with pytest.raises(concord.LimitError, match=r"raise it with max_partial_sums=") as e:
        s.analyze(method="merge", max_partial_sums=1)
    # The keyword that gets past it, for programs; None when no keyword would.
    assert e.value.remedy == "max_partial_sums"
    with pytest.raises(concord.ScenarioError) as e:
        concord.loads("not toml [", name="syntax.toml")
    assert e.value.remedy is None
    with pytest.raises(ValueError):
        s.analyze(method="quantum")


def _slow_scenario(issues: int = 16) -> concord.Scenario:
    """Two opposed parties over 3^issues packages: counting them takes seconds."""
    t = '[scenario]\nid = "slow"\ntitle = "Slow"\n'
    for p in ("a", "b"):
        t += f'[[parties]]\nid = "{p}"\nname = "{p.upper()}"\nrole = "party"\n'
    for i in range(issues):
        t += f'[[issues]]\nid = "i{i}"\nname = "I{i}"\noptions = ["x", "y", "z"]\n'
    for p, vals in (("a", (0, 0.4, 1)), ("b", (1, 0.6, 0))):
        t += f"[preferences.{p}]\nreservation = 0.1\n"
        for i in range(issues):
            w = f"{1 - 0.001 * (issues - 1):.3f}" if i == 0 else "0.001"
            t += f"[preferences.{p}.issues.i{i}]\nweight = {w}\nvalues = {{ x = {vals[0]}, y = {vals[1]}, z = {vals[2]} }}\n"
    return concord.loads(t, name="slow.toml")


def test_ctrl_c_cancels_a_long_analysis_within_a_second():
    s = _slow_scenario()
    timer = threading.Timer(0.3, _thread.interrupt_main)
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        # Counting by enumeration (seconds); the default counts this space in milliseconds.
        s.analyze(count_halves=False)
    elapsed = time.monotonic() - started
    assert elapsed < 1.3, f"took {elapsed:.2f} s to stop"


def test_the_gil_is_released_while_concord_works():
    s = _slow_scenario(15)
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    t = threading.Thread(target=tick)
    t.start()
    started = time.monotonic()
    s.analyze(count_halves=False)
    took = time.monotonic() - started
    stop.set()
    t.join()
    # A thread holding the GIL for the whole analysis would leave no ticks during it.
    during = [x for x in ticks if started < x < started + took]
    assert took < 0.05 or len(during) >= 0.5 * took / 0.01


def test_progress_reaches_a_callback():
    seen = []
    _slow_scenario(12).analyze(count_limit=0, progress=lambda task, done, total: seen.append((task, done, total)))
    assert seen and all(done <= total for _, done, total in seen)


def test_a_merge_that_may_pass_its_budget_warns_before_it_starts():
    # The bound on the merge's work passes a budget of 10: a RuntimeWarning at once, then the
    # limit is reached (an error of kind limit).
    with pytest.warns(RuntimeWarning, match="past its budget of 10"):
        with pytest.raises(concord.ConcordError):
            _slow_scenario(12).analyze(method="merge", max_merge_work=10)
    # Within the budget: no warning.
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        concord.load(example("kyiv-2026.toml")).analyze()


def test_files_are_read_as_the_command_line_reads_them(tmp_path):
    # A byte that is not UTF-8 is located (it was a UnicodeDecodeError without a position).
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b'[scenario]\nid = "a\xffb"\n')
    with pytest.raises(concord.ScenarioError, match=r"bad.toml:2:8: found a byte that is not UTF-8"):
        concord.load(bad)
    # A missing file is Python's own FileNotFoundError, naming the file.
    with pytest.raises(FileNotFoundError, match="missing.toml"):
        concord.load(tmp_path / "missing.toml")
    # A folder of scenario files is no Genius folder, and says what it should hold.
    (tmp_path / "a.toml").write_text("")
    with pytest.raises(concord.ScenarioError, match="not a Genius folder"):
        concord.load(tmp_path)
    # Reports past their byte limit: a LimitError naming the keyword that raises it.
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "r.txt").write_text("Kyiv, Jan. 5 (Reuters) - Talks resumed. " * 10)
    with pytest.raises(concord.LimitError, match="max_report_bytes=") as e:
        concord.evidence(reports, max_report_bytes=100)
    assert e.value.remedy == "max_report_bytes"
    assert concord.evidence(reports).to_dict()["schema"]


def test_sequence_diff_commitments_and_evidence_match_the_cli():
    kyiv = concord.load(example("kyiv-2026.toml"))
    seq = kyiv.sequence()
    # The same path both ways: the report names the file as it was given.
    assert seq.to_dict() == cli_json("sequence", str(example("kyiv-2026.toml")))
    assert seq.to_dict()["file"] == str(example("kyiv-2026.toml"))
    assert isinstance(seq.positive, bool)
    minsk = concord.load(example("minsk-2015.toml"))
    assert concord.diff(minsk).to_dict() == cli_json("diff", "examples/minsk-2015.toml")
    c = kyiv.commitments()
    assert c.to_dict() == cli_json("commitments", "examples/kyiv-2026.toml")
    reports = shared("reports")
    ev = concord.evidence(reports)
    assert ev.to_dict() == cli_json("evidence", "extract", str(reports))


def test_genius_folders_load():
    folder = shared("genius/anac_y2010_ItexvsCypress")
    a = concord.load(folder).analyze()
    assert a.to_dict() == cli_json("analyze", str(folder))


def test_the_schema_is_the_repositorys():
    committed = json.loads((ROOT / "schemas" / "analysis.schema.json").read_text())
    assert concord.analysis_schema() == committed
