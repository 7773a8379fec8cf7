"""Negotiations and tournaments (``Scenario.simulate``, ``concord.tournament``), strategies
written in Python, and tournaments split into Ray tasks.

Every negotiation is played by Concord's simulator (the application layer's ``simulate`` and
``tournament``); this module turns Python's arguments into the extension's and its answers into
dicts and pandas tables.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence, Union

from . import _concord

StrategyLike = Any


def _strategy_name(strategy: Any) -> str:
    name = getattr(strategy, "name", None)
    if isinstance(name, str) and name:
        return name
    return strategy.__name__ if isinstance(strategy, type) else type(strategy).__name__


def _strategy_arg(strategy: StrategyLike) -> Union[str, tuple[str, Callable[[], Any]]]:
    """A built-in's name as it is; a Python strategy as ``(name, factory)``: a class is its own
    factory, an object is copied afresh for each negotiation (so no state leaks between them)."""
    if isinstance(strategy, str):
        return strategy
    if isinstance(strategy, type):
        if not (hasattr(strategy, "propose") and hasattr(strategy, "respond")):
            raise TypeError(f"strategy class {strategy.__name__} needs propose(state) and respond(state, offer)")
        return (_strategy_name(strategy), strategy)
    if hasattr(strategy, "propose") and hasattr(strategy, "respond"):
        return (_strategy_name(strategy), functools.partial(copy.deepcopy, strategy))
    raise TypeError(
        f"a strategy is a built-in's name (such as 'boulware') or an object with propose(state) and "
        f"respond(state, offer), not {strategy!r}"
    )


def _package_text(package: Optional[dict[str, str]]) -> Optional[str]:
    if package is None:
        return None
    return ";".join(f"{i}={o}" for i, o in package.items())


class Trace:
    """One negotiation (:meth:`Scenario.simulate`): its agreement, each party's utility, and
    every action taken."""

    def __init__(self, inner: "_concord.Trace") -> None:
        self._inner = inner
        self._dict: Optional[dict[str, Any]] = None

    def _doc(self) -> dict[str, Any]:
        if self._dict is None:
            self._dict = json.loads(self._inner.to_json())
        return self._dict

    def to_dict(self) -> dict[str, Any]:
        """The document ``concord simulate --trace --json`` prints (schema
        ``concord.simulate/1``); a fresh copy."""
        return copy.deepcopy(self._doc())

    @property
    def text(self) -> str:
        """The report as ``concord simulate --trace`` prints it."""
        return self._inner.text()

    @property
    def parties(self) -> list[str]:
        """The negotiating parties, in turn order."""
        return [p["id"] for p in self._doc()["parties"]]

    @property
    def agreement(self) -> Optional[dict[str, str]]:
        """The package agreed, ``{issue: option}``, or None."""
        return copy.deepcopy(self._doc()["package"])

    @property
    def end(self) -> str:
        """How it ended: agreement, deadline, time-limit, walked-away, vetoed."""
        return self._doc()["end"]

    @property
    def rounds(self) -> int:
        """The rounds started."""
        return self._doc()["rounds"]

    @property
    def utilities(self) -> dict[str, float]:
        """Each party's utility: of the agreement, or its reservation value (discounted when
        discounting is on)."""
        return {p["id"]: p["discounted_utility"] for p in self._doc()["parties"]}

    @property
    def strategies(self) -> dict[str, str]:
        """Each party's strategy, by name."""
        return {p["id"]: p["strategy"] for p in self._doc()["parties"]}

    def offers(self) -> list[dict[str, Any]]:
        """Every offer, oldest first: ``{round, time, proposer, package, utilities}`` with
        ``utilities`` by party."""
        parties = self.parties
        return [
            {
                "round": e["round"],
                "time": e["time"],
                "proposer": e["party"],
                "package": dict(e["package"]),
                "utilities": dict(zip(parties, e["utilities"])),
            }
            for e in self._doc()["trace"]
            if e["action"] == "offer"
        ]

    def df(self):
        """The offers as a pandas DataFrame: ``round`` (from 0), ``time``, ``proposer``,
        ``package`` (``issue=option;…``) and one column per party with its utility."""
        import pandas as pd  # optional dependency

        parties = self.parties
        rows = []
        for o in self.offers():
            row: dict[str, Any] = {
                "round": o["round"],
                "time": o["time"],
                "proposer": o["proposer"],
                "package": _package_text(o["package"]),
            }
            row.update(o["utilities"])
            rows.append(row)
        return pd.DataFrame(rows, columns=["round", "time", "proposer", "package", *parties])

    def plot(self, ax=None):
        """Each party's offers over the rounds (their utility to every party) with the agreement
        marked; returns the matplotlib Axes (``pip install "concord-negotiation[plot]"``)."""
        from .plot import plot_trace

        return plot_trace(self, ax=ax)

    def __repr__(self) -> str:
        d = self._doc()
        return f"<concord.Trace of {d['scenario']!r}: {d['end']} after {d['rounds']} rounds>"


def simulate(
    scenario: Any,
    strategies: dict[str, StrategyLike],
    *,
    protocol: str = "sao",
    rounds: Optional[int] = None,
    seed: int = 0,
    time_limit: Optional[float] = None,
    discounting: str = "off",
    default: Optional[str] = None,
) -> Trace:
    named: list[str] = []
    external: list[tuple[str, str, Callable[[], Any]]] = []
    for party, strategy in strategies.items():
        arg = _strategy_arg(strategy)
        if isinstance(arg, str):
            named.append(f"{party}={arg}")
        else:
            external.append((party, arg[0], arg[1]))
    return Trace(
        scenario._inner.simulate(
            named=named,
            external=external,
            protocol=protocol,
            rounds=rounds,
            seed=seed,
            time_limit=time_limit,
            discounting=discounting,
            default_strategy=default,
        )
    )


class TournamentResult:
    """A tournament's results: ``negotiations`` (one row per negotiation) and ``summary`` (one
    row per strategy), as pandas DataFrames."""

    def __init__(self, inner: "_concord.TournamentReport") -> None:
        self._inner = inner
        self._cache: Optional[dict[str, dict[str, list]]] = None

    @property
    def _tables(self) -> dict[str, dict[str, list]]:
        # Converted on first use: a caller who only writes the files pays nothing for it.
        if self._cache is None:
            self._cache = self._inner.tables()
        return self._cache

    def tables(self) -> dict[str, dict[str, list]]:
        """``{"negotiations": {column: [cells]}, "summary": {…}}``: the CLI's two tables, as
        plain lists (None for a null)."""
        return copy.deepcopy(self._tables)

    @property
    def negotiations(self):
        """One row per negotiation, the columns of the CLI's ``negotiations.csv``."""
        import pandas as pd

        return pd.DataFrame(self._tables["negotiations"])

    @property
    def summary(self):
        """One row per strategy, the columns of the CLI's ``summary.csv``."""
        import pandas as pd

        return pd.DataFrame(self._tables["summary"])

    @property
    def text(self) -> str:
        """The headline and summary, as ``concord tournament`` prints them."""
        return self._inner.text()

    @property
    def elapsed(self) -> float:
        """Seconds the negotiations took."""
        return self._inner.elapsed

    def write(self, folder: Union[str, "os.PathLike[str]"]) -> list[Path]:
        """Writes ``negotiations`` and ``summary`` as CSV and Parquet into ``folder`` (created),
        the files ``concord tournament --out`` writes; returns their paths."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in self._inner.files():
            (out / name).write_bytes(data)
            written.append(out / name)
        return written

    def __repr__(self) -> str:
        n = len(next(iter(self._tables["negotiations"].values()), []))
        return f"<concord.TournamentResult: {n} negotiations, {len(self._tables['summary']['strategy'])} strategies>"


def _from_source(source: tuple) -> "_concord.Scenario":
    kind, name, payload, option = source
    if kind == "toml":
        return _concord.Scenario.from_toml(payload, name, option)
    return _concord.Scenario.from_genius([tuple(f) for f in payload], name, option)


def _ray_part(sources: list[tuple], strategies: list, options: dict[str, Any], start: int, end: int) -> bytes:
    """A Ray task: reads the scenarios again, plans the same tournament, and plays the
    negotiations numbered ``start..end`` (each on its own stream of the seed)."""
    scenarios = [_from_source(s) for s in sources]
    return _concord.Tournament(scenarios, strategies, **options).run_part(start, end)


def _split(n: int, parts: int) -> list[tuple[int, int]]:
    parts = max(1, min(parts, n)) if n else 1
    bounds = [round(k * n / parts) for k in range(parts + 1)]
    return [(bounds[k], bounds[k + 1]) for k in range(parts)]


def tournament(
    scenarios: Iterable[Any],
    strategies: Sequence[StrategyLike],
    *,
    rounds: Optional[int] = None,
    repetitions: int = 1,
    seed: int = 0,
    protocol: str = "sao",
    time_limit: Optional[float] = None,
    discounting: str = "off",
    threads: Optional[int] = None,
    max_negotiations: Optional[int] = None,
    parquet_dir: Union[str, "os.PathLike[str]", None] = None,
    backend: str = "local",
    tasks: Optional[int] = None,
    progress: Union[bool, Callable[[str, int, int], Any], None] = None,
) -> TournamentResult:
    from . import Scenario, _progress_bar, load

    scens = [s if isinstance(s, Scenario) else load(s) for s in scenarios]
    strats = [_strategy_arg(s) for s in strategies]
    if threads is None and any(not isinstance(s, str) for s in strats):
        # Python strategies run one call at a time (the GIL); on the calling thread, which
        # keeps Python's thread state, each call costs a few µs instead of tens.
        threads = 1
    options = dict(
        rounds=rounds,
        repetitions=repetitions,
        seed=seed,
        protocol=protocol,
        time_limit=time_limit,
        discounting=discounting,
        threads=threads,
        max_negotiations=max_negotiations,
    )
    planned = _concord.Tournament([s._inner for s in scens], strats, **options)
    if backend == "local":
        callback, close = _progress_bar(progress)
        try:
            report = planned.run(progress=callback)
        except _concord.TournamentInterrupted as stopped:
            # Ctrl-C: the negotiations finished are kept on the exception (and written, when
            # asked, as the CLI writes them), then the interrupt goes on.
            stopped.partial = TournamentResult(stopped.partial)
            if parquet_dir is not None:
                stopped.partial.write(parquet_dir)
            raise
        finally:
            close()
    elif backend == "ray":
        report = _run_on_ray(planned, scens, strats, options, tasks)
    else:
        raise ValueError(f'backend={backend!r}: expected "local" or "ray"')
    result = TournamentResult(report)
    if parquet_dir is not None:
        result.write(parquet_dir)
    return result


def _run_on_ray(planned, scens, strats, options, tasks) -> "_concord.TournamentReport":
    import ray  # optional dependency: pip install "concord-negotiation[ray]"

    if not ray.is_initialized():
        ray.init()
    if tasks is None:
        tasks = max(1, int(ray.cluster_resources().get("CPU", 1)))
    # One CPU per task: each plays its stretch on one thread unless told otherwise.
    task_options = dict(options)
    if task_options["threads"] is None:
        task_options["threads"] = 1
    sources = [s._inner.source() for s in scens]
    remote = ray.remote(_ray_part)
    started = time.perf_counter()
    refs = [remote.remote(sources, strats, task_options, a, b) for a, b in _split(planned.planned, tasks)]
    try:
        parts = ray.get(refs)
    except KeyboardInterrupt:
        for r in refs:
            ray.cancel(r, force=True)
        raise
    return planned.finish(parts, time.perf_counter() - started)
