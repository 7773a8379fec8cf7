"""Sensitivity sweeps, here or split into Ray tasks.

A run of N draws is cut into contiguous stretches of draw numbers; each Ray task reads the
scenario again from its source (a ``Scenario`` pickles as its text), makes its stretch's draws
and sends back what each showed, as bytes. The driver puts the stretches together in the
application layer (``concord_api::analyze_parts``), which counts them exactly as a local run
does: draw ``i`` uses stream ``i`` of the seed wherever it is made.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional, Union

from . import _concord
from .simulation import _from_source, _split

if TYPE_CHECKING:
    from . import Analysis, Scenario

# Keywords of Scenario.analyze that a sweep sets itself.
_OWN = ("sensitivity", "seed", "progress")


def _check_options(options: dict[str, Any], caller: str = "sensitivity") -> None:
    from . import Scenario

    known = set(inspect.signature(Scenario.analyze).parameters) - {"self", *_OWN}
    unknown = sorted(set(options) - known)
    if unknown:
        raise TypeError(f"{caller}() got unexpected keyword(s) {', '.join(unknown)}: expected analyze()'s ({', '.join(sorted(known))})")


def _ray_part(source: tuple, options: dict[str, Any], start: int, end: int) -> bytes:
    """A Ray task: reads the scenario again and makes the draws numbered ``start..end``."""
    request = _concord.AnalyzeRequest(**options)
    return _from_source(source).sensitivity_part(request, start, end)


def sensitivity(
    scenario: "Scenario",
    samples: int,
    *,
    seed: int,
    backend: str,
    tasks: Optional[int],
    progress: Union[bool, Callable[[str, int, int], Any], None],
    options: dict[str, Any],
) -> "Analysis":
    from . import Analysis, _progress_bar, _request_options

    _check_options(options)
    if backend == "local":
        return scenario.analyze(sensitivity=samples, seed=seed, progress=progress, **options)
    if backend != "ray":
        raise ValueError(f'backend={backend!r}: expected "local" or "ray"')
    import ray  # optional dependency: pip install "concord-negotiation[ray]"

    plain = _request_options(sensitivity=samples, seed=seed, **options)
    request = _concord.AnalyzeRequest(**plain)  # bad options fail here, before any task
    if not ray.is_initialized():
        ray.init()
    if tasks is None:
        tasks = max(1, int(ray.cluster_resources().get("CPU", 1)))
    source = scenario._inner.source()
    remote = ray.remote(_ray_part)
    refs = [remote.remote(source, plain, a, b) for a, b in _split(samples, tasks)]
    try:
        parts = ray.get(refs)
    except KeyboardInterrupt:
        for r in refs:
            ray.cancel(r, force=True)
        raise
    callback, close = _progress_bar(progress)
    try:
        inner = scenario._inner.analyze(request, progress=callback, sensitivity_parts=parts)
    finally:
        close()
    return Analysis(inner, scenario)


def _ray_variant(source: tuple, options: dict[str, Any]) -> str:
    """A Ray task: reads the scenario again and analyses one variant; its report as JSON."""
    request = _concord.AnalyzeRequest(**options)
    return _from_source(source).analyze(request).to_json()


def grid(
    scenario: "Scenario",
    variants: Iterable[dict[str, Any]],
    *,
    backend: str = "local",
    **options: Any,
) -> list[dict[str, Any]]:
    """``scenario.analyze(**options, **variant).to_dict()`` for each variant, in order: a sweep
    over what-ifs (``{"set_reservation": {"russia": 0.3}}``), options or sensitivity draws
    (``{"sensitivity": 100, "seed": 2}``); a variant's keyword replaces the same one in
    ``options``. With ``backend="ray"`` each variant is one Ray task (its scenario read again from
    its text), the documents the same as the local ones."""
    import json

    from . import _request_options

    every = [{**options, **v} for v in variants]
    for o in every:
        _check_options({k: v for k, v in o.items() if k not in ("sensitivity", "seed")}, "grid")
    if backend == "local":
        return [scenario.analyze(**o).to_dict() for o in every]
    if backend != "ray":
        raise ValueError(f'backend={backend!r}: expected "local" or "ray"')
    import ray  # optional dependency: pip install "concord-negotiation[ray]"

    plain = [_request_options(**o) for o in every]
    for p in plain:
        _concord.AnalyzeRequest(**p)  # bad options fail here, before any task
    if not ray.is_initialized():
        ray.init()
    source = scenario._inner.source()
    remote = ray.remote(_ray_variant)
    refs = [remote.remote(source, p) for p in plain]
    try:
        docs = ray.get(refs)
    except KeyboardInterrupt:
        for r in refs:
            ray.cancel(r, force=True)
        raise
    return [json.loads(d) for d in docs]
