"""Concord from Python: exact analysis of multi-party, multi-issue negotiations.

Every answer comes from Concord's application layer (the Rust crate ``concord-api``), the same
code the ``concord`` command runs; this package reads files and shapes results for Python.

>>> import concord
>>> s = concord.load("examples/water-sharing.toml")
>>> a = s.analyze()
>>> a.zone_exists
True
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Union

from . import _concord
from .simulation import Trace, TournamentResult, _from_source, tournament
from .simulation import simulate as _simulate
from ._concord import (
    ConcordError,
    InternalError,
    LimitError,
    ScenarioError,
    TournamentInterrupted,
    __version__,
)

__all__ = [
    "Analysis",
    "Trace",
    "TournamentResult",
    "tournament",
    "ConcordError",
    "InternalError",
    "LimitError",
    "Scenario",
    "ScenarioError",
    "TournamentInterrupted",
    "Report",
    "analysis_schema",
    "diff",
    "evidence",
    "from_negmas",
    "load",
    "loads",
    "__version__",
]

PathLike = Union[str, "os.PathLike[str]"]


def _genius_files(folder: Path) -> list[tuple[str, str]]:
    # The command line's reader: every .xml/.json entry must be a regular file, UTF-8, at most
    # 64 MiB; a folder with none says what it should hold.
    return _concord.read_genius_folder(folder)


def load(path: PathLike, *, normalize_weights: bool = False, normalization: str = "genius") -> "Scenario":
    """Reads a scenario: a TOML scenario file, or a Genius (XML) or GeniusWeb (JSON) folder.

    Errors are :class:`ScenarioError` with ``.problems``: one dict per located problem (file,
    line, column, field, found, expected).
    """
    p = Path(path)
    if p.is_dir():
        files = _genius_files(p)
        return Scenario(_concord.Scenario.from_genius(files, str(p), normalization))
    text = _concord.read_text(p, "scenario file")
    return Scenario(_concord.Scenario.from_toml(text, str(p), normalize_weights))


def from_negmas(scenario: Any, *, name: str = "<negmas scenario>") -> "Scenario":
    """A NegMAS ``Scenario`` (linear additive utility functions, reserved values) as a Concord
    scenario, through the Genius XML files NegMAS writes, read with NegMAS's evaluation
    convention (``normalization="raw"``: values as NegMAS has them)."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        scenario.to_genius_folder(Path(d))
        files = _genius_files(Path(d))
    return Scenario(_concord.Scenario.from_genius(files, name, "raw"))


def loads(text: str, *, name: str = "<string>", normalize_weights: bool = False) -> "Scenario":
    """Reads a scenario from the text of a scenario file; ``name`` names it in errors."""
    return Scenario(_concord.Scenario.from_toml(text, name, normalize_weights))


def _progress_bar(progress: Union[bool, Callable[[str, int, int], Any], None]):
    """A (callback, close) pair: a tqdm bar when ``progress`` is True and tqdm is installed."""
    if progress is None or progress is False:
        return None, lambda: None
    if callable(progress):
        return progress, lambda: None
    try:
        from tqdm.auto import tqdm  # type: ignore
    except ImportError:
        return None, lambda: None
    bars: dict[str, Any] = {}

    def update(task: str, done: int, total: int) -> None:
        bar = bars.get(task)
        if bar is None:
            bar = bars[task] = tqdm(total=total, desc=task)
        bar.total = total
        bar.n = done
        bar.refresh()

    def close() -> None:
        for bar in bars.values():
            bar.close()

    return update, close


def _request_options(
    *,
    drop_red_line: Iterable[str] = (),
    set_reservation: Optional[dict[str, float]] = None,
    fix: Optional[dict[str, str]] = None,
    set_weight: Optional[dict[str, float]] = None,
    **options: Any,
) -> dict[str, Any]:
    """:meth:`Scenario.analyze`'s keywords as ``_concord.AnalyzeRequest``'s: what-ifs as the
    command's ``KEY=VALUE`` strings. Plain values, so that they travel to Ray tasks."""
    return dict(
        options,
        drop_red_line=list(drop_red_line),
        set_reservation=[f"{k}={v}" for k, v in (set_reservation or {}).items()],
        fix=[f"{k}={v}" for k, v in (fix or {}).items()],
        set_weight=[f"{k}={v}" for k, v in (set_weight or {}).items()],
    )


class Scenario:
    """A scenario, read and checked (every table of the file, as every command checks it)."""

    def __init__(self, inner: "_concord.Scenario") -> None:
        self._inner = inner

    @property
    def id(self) -> str:
        return self._inner.id

    @property
    def title(self) -> str:
        return self._inner.title

    @property
    def parties(self) -> list[str]:
        """Party ids, in file order."""
        return self._inner.parties

    @property
    def issues(self) -> list[tuple[str, list[str]]]:
        """``[(issue id, [option ids])]``, in file order."""
        return self._inner.issues

    def analyze(
        self,
        *,
        method: str = "auto",
        red_lines: str = "all",
        count_limit: Optional[int] = None,
        max_partial_sums: Optional[int] = None,
        max_merge_work: Optional[int] = None,
        max_nodes: Optional[int] = None,
        list_ties: Optional[int] = None,
        exact: bool = True,
        normalize_weights: bool = False,
        drop_red_line: Iterable[str] = (),
        set_reservation: Optional[dict[str, float]] = None,
        fix: Optional[dict[str, str]] = None,
        set_weight: Optional[dict[str, float]] = None,
        sensitivity: Optional[int] = None,
        seed: int = 0,
        negmas: bool = False,
        count_halves: bool = True,
        progress: Union[bool, Callable[[str, int, int], Any], None] = None,
    ) -> "Analysis":
        """Is there a zone of agreement; its frontier, bargaining solutions, what blocks.

        The keywords are ``concord analyze``'s options; ``None`` means the command's default.
        What-ifs: ``drop_red_line=["id"]``, ``set_reservation={"party": 0.3}``,
        ``fix={"issue": "option"}``, ``set_weight={"party.issue": 0.5}``. ``negmas=True`` adds
        NegMAS's two Kalai-Smorodinsky variants; ``count_halves=False`` counts packages by
        enumeration only (by default, by meet in the middle where it applies; the same counts). ``progress=True``
        shows a tqdm bar when tqdm is installed; a callable gets ``(task, done, total)``.
        The GIL is released while Concord works, and Ctrl-C cancels it (KeyboardInterrupt).
        """
        request = _concord.AnalyzeRequest(
            **_request_options(
                method=method,
                red_lines=red_lines,
                count_limit=count_limit,
                max_partial_sums=max_partial_sums,
                max_merge_work=max_merge_work,
                max_nodes=max_nodes,
                list_ties=list_ties,
                exact=exact,
                normalize_weights=normalize_weights,
                drop_red_line=drop_red_line,
                set_reservation=set_reservation,
                fix=fix,
                set_weight=set_weight,
                sensitivity=sensitivity,
                seed=seed,
                negmas=negmas,
                count_halves=count_halves,
            )
        )
        callback, close = _progress_bar(progress)
        try:
            inner = self._inner.analyze(request, progress=callback)
        finally:
            close()
        return Analysis(inner, self)

    def sensitivity(
        self,
        samples: int,
        *,
        seed: int = 0,
        backend: str = "local",
        tasks: Optional[int] = None,
        progress: Union[bool, Callable[[str, int, int], Any], None] = None,
        **options: Any,
    ) -> "Analysis":
        """``samples`` sensitivity draws from ``seed``: ``analyze(sensitivity=samples,
        seed=seed, **options)``, the draws made here (``backend="local"``) or split into
        ``tasks`` Ray tasks (``backend="ray"``; one per CPU of the cluster by default). Draw
        ``i`` uses stream ``i`` of the seed wherever it is made, so the answer is the same
        whatever the backend and the number of tasks. ``options`` are :meth:`analyze`'s
        keywords. The draws are in ``to_dict()["sensitivity"]`` and the text's sensitivity
        table."""
        from .sweep import sensitivity

        return sensitivity(self, samples, seed=seed, backend=backend, tasks=tasks, progress=progress, options=options)

    def grid(self, variants: Iterable[dict[str, Any]], *, backend: str = "local", **options: Any) -> list[dict[str, Any]]:
        """``analyze(**options, **variant).to_dict()`` for each variant, in order (what-ifs,
        options, sensitivity draws); with ``backend="ray"`` each variant is one Ray task, the
        documents the same as the local ones."""
        from .sweep import grid

        return grid(self, variants, backend=backend, **options)

    def simulate(
        self,
        strategies: dict[str, Any],
        *,
        protocol: str = "sao",
        rounds: Optional[int] = None,
        seed: int = 0,
        time_limit: Optional[float] = None,
        discounting: str = "off",
        default: Optional[str] = None,
    ) -> "Trace":
        """One negotiation (``concord simulate --trace``): ``strategies`` maps each negotiating
        party to a built-in strategy's name (``"boulware"``, ``"linear/const:0.8"``, …) or to a
        Python strategy (a class, or an object, with ``propose(state)`` and ``respond(state,
        offer)``; docs/python.md). ``default`` plays every party not named. ``protocol`` is
        ``"sao"``, ``"single-text"`` or ``"single-text/hill-climbing"``; ``rounds`` defaults to
        100; ``discounting`` is ``"off"``, ``"per-round"`` or ``"relative-time"``. The GIL is
        released while built-in strategies play, and Ctrl-C stops the negotiation."""
        return _simulate(
            self,
            strategies,
            protocol=protocol,
            rounds=rounds,
            seed=seed,
            time_limit=time_limit,
            discounting=discounting,
            default=default,
        )

    def __reduce__(self):
        # Read again from its source (for pickling, and so for Ray tasks).
        return (_scenario_from_source, (self._inner.source(),))

    def sequence(
        self,
        *,
        max_conflicts: Optional[int] = None,
        max_nodes: Optional[int] = None,
        max_way_out_nodes: Optional[int] = None,
        drop_demand: Iterable[str] = (),
    ) -> "Report":
        """A phased plan of the joint steps that meets every demand, or the demands that deadlock
        (``report.positive`` is True with a plan)."""
        return Report(
            self._inner.sequence(
                max_conflicts=max_conflicts,
                max_nodes=max_nodes,
                max_way_out_nodes=max_way_out_nodes,
                drop_demand=list(drop_demand),
            )
        )

    def commitments(self) -> "Report":
        """The pledges and guarantees behind each layer (``report.positive``: every trigger
        covered)."""
        return Report(self._inner.commitments())

    @property
    def preferences(self) -> dict[str, Any]:
        """Each party's preferences: ``{party: {"reservation": r, "issues": {issue: {"weight":
        w, "values": {option: v}}}}}``."""
        return self._inner.preferences

    def to_toml(self) -> str:
        """The scenario as a scenario file's text (as ``concord import genius`` writes it)."""
        text, _notes = self._inner.to_toml()
        return text

    def to_negmas(self):
        """The scenario as a NegMAS ``Scenario`` (linear additive utility functions with reserved
        values), through the Genius XML files both read and write. Genius has no red lines or
        framework points: they are not carried over, and a ``UserWarning`` says how many."""
        import tempfile

        from negmas.inout import Scenario as NegmasScenario  # optional dependency

        with tempfile.TemporaryDirectory() as d:
            for name, text in self._inner.to_genius():
                (Path(d) / name).write_text(text, encoding="utf-8")
            return NegmasScenario.load(Path(d))

    def __repr__(self) -> str:
        return repr(self._inner)


class Report:
    """A report: ``text`` as the command prints it, ``to_dict()`` as its ``--json``."""

    def __init__(self, inner: "_concord.Report") -> None:
        self._inner = inner

    @property
    def text(self) -> str:
        return self._inner.text

    @property
    def positive(self) -> bool:
        """The command's exit status 0: a plan exists, every trigger is covered, …"""
        return self._inner.positive

    def to_dict(self) -> dict[str, Any]:
        return json.loads(self._inner.json)

    def __str__(self) -> str:
        return self.text


class Analysis:
    """The answer of :meth:`Scenario.analyze`."""

    def __init__(self, inner: "_concord.Analysis", scenario: Optional["Scenario"] = None) -> None:
        self._inner = inner
        self._scenario = scenario
        self._dict: Optional[dict[str, Any]] = None

    @property
    def zone_exists(self) -> bool:
        return self._inner.zone_exists

    @property
    def zone_size(self) -> Optional[int]:
        """Packages in the zone, when counted."""
        return self._inner.zone_size

    def _doc(self) -> dict[str, Any]:
        """The report, parsed once (read-only: callers get copies)."""
        if self._dict is None:
            self._dict = json.loads(self._inner.to_json())
        return self._dict

    def to_dict(self) -> dict[str, Any]:
        """The document ``concord analyze --json`` prints (schema ``concord.analysis/1``); a
        fresh copy, the caller's to change."""
        return copy.deepcopy(self._doc())

    @property
    def solutions(self) -> dict[str, dict[str, Any]]:
        """The four bargaining solutions by concept: value, ties, proof, points."""
        return {s["concept"]: copy.deepcopy(s) for s in self._doc()["solutions"]}

    @property
    def issues(self) -> list[dict[str, Any]]:
        """The issue map, by rank: what blocks."""
        return copy.deepcopy(self._doc()["issues"])

    @property
    def no_zone(self) -> Optional[dict[str, Any]]:
        """Why the zone is empty: conflicts, smallest corrections, relaxations."""
        return copy.deepcopy(self._doc()["no_zone"])

    def frontier(self) -> list[dict[str, Any]]:
        """Every point of the Pareto frontier, whatever its size (a LimitError when branch and
        bound computed only the solutions)."""
        return [json.loads(line) for line in self._inner.frontier_lines().splitlines()]

    def frontier_df(self, *, polars: bool = False):
        """The frontier as a pandas DataFrame (a polars one with ``polars=True``): one row per
        point, a column per consenting party's utility, the number of tied packages and the
        first package's options."""
        rows = []
        for p in self.frontier():
            row: dict[str, Any] = dict(p["utilities"])
            row["package_count"] = p["package_count"]
            first = p["packages"][0] if p["packages"] else None
            if first is not None:
                row["index"] = first["index"]
                for issue, option in first["options"].items():
                    row[f"option:{issue}"] = option
            rows.append(row)
        if polars:
            import polars as pl  # optional dependency

            return pl.DataFrame(rows)
        import pandas as pd  # optional dependency

        return pd.DataFrame(rows)

    def text(self, *, width: int = 100, frontier: bool = False) -> str:
        """The report as ``concord analyze`` prints it, fitted to ``width`` columns."""
        return self._inner.text(width=width, frontier=frontier)

    def plot(self, parties: Optional[tuple[str, str]] = None, *, ax=None, max_packages: int = 20000, seed: int = 0):
        """The utility space of two parties (the first two negotiating ones unless ``parties``
        names a pair): every package, or a random sample of ``max_packages`` when there are more
        (the legend says so), the frontier, the Nash, Kalai-Smorodinsky, egalitarian and
        utilitarian points, the reservation values and the region above both shaded. Returns the
        matplotlib Axes (``pip install "concord-negotiation[plot]"``)."""
        from .plot import plot_analysis

        if self._scenario is None:
            raise ValueError("this Analysis was not made by Scenario.analyze: it has no scenario to draw")
        return plot_analysis(self, self._scenario, parties, ax=ax, max_packages=max_packages, seed=seed)

    def __repr__(self) -> str:
        d = self._doc()
        zone = "a zone" if d["zone"]["exists"] else "no zone"
        return f"<concord.Analysis of {d['scenario']['id']!r}: {zone}, {d['method']}>"


def diff(
    old: Scenario,
    new: Optional[Scenario] = None,
    *,
    from_version: Optional[str] = None,
    to_version: Optional[str] = None,
    threshold: Optional[float] = None,
) -> Report:
    """Compares versions of the framework document (``concord diff``). ``threshold``, the least
    similarity from 0 to 1 for two points to count as the same point, defaults to the command's
    (0.5)."""
    return Report(
        _concord.diff(
            old._inner,
            new._inner if new is not None else None,
            from_version=from_version,
            to_version=to_version,
            threshold=threshold,
        )
    )


def evidence(
    reports: Union[PathLike, dict[str, str], Iterable[tuple[str, str]]],
    *,
    conflicts: bool = False,
    scenario: Optional[Scenario] = None,
    published: Optional[dict[str, str]] = None,
    undated_window: bool = True,
    max_report_bytes: int = _concord.MAX_REPORT_BYTES,
) -> Report:
    """Candidate claims of plain-text reports (``concord evidence extract``), or with
    ``conflicts=True`` where they conflict. ``reports`` is a folder of ``.txt`` files (read as
    the command line reads them: at most ``max_report_bytes`` in all, else a ``LimitError``), a
    dict of file name to text, or ``(file name, text)`` pairs."""
    if isinstance(reports, (str, os.PathLike)):
        # The command line's reader: .txt files by name, UTF-8, at most max_report_bytes in all
        # (a LimitError past it).
        pairs = _concord.read_reports(Path(reports), max_report_bytes)
    elif isinstance(reports, dict):
        pairs = sorted(reports.items())
    else:
        pairs = sorted(reports)
    return Report(
        _concord.evidence(
            pairs,
            conflicts=conflicts,
            scenario=scenario._inner if scenario is not None else None,
            published=[f"{k}={v}" for k, v in (published or {}).items()],
            undated_window=undated_window,
        )
    )


def _scenario_from_source(source: tuple) -> Scenario:
    return Scenario(_from_source(source))


def analysis_schema() -> dict[str, Any]:
    """The JSON Schema of :meth:`Analysis.to_dict` (``schemas/analysis.schema.json``)."""
    return json.loads(_concord.analysis_schema())
