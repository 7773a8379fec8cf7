"""Type stubs of the extension module (crates/concord-py)."""

import os
from typing import Any, Callable, Optional, Union

__version__: str

class ConcordError(Exception): ...

class ScenarioError(ConcordError):
    problems: list[dict[str, Any]]
    remedy: Optional[str]

class LimitError(ConcordError):
    problems: list[dict[str, Any]]
    remedy: Optional[str]

class InternalError(ConcordError):
    problems: list[dict[str, Any]]
    remedy: Optional[str]

class TournamentInterrupted(KeyboardInterrupt):
    # The negotiations finished before Ctrl-C: a TournamentReport here, a
    # concord.TournamentResult once concord.tournament() re-raises it.
    partial: Any

class Scenario:
    @staticmethod
    def from_toml(text: str, name: str = ..., normalize_weights: bool = ...) -> Scenario: ...
    @staticmethod
    def from_genius(files: list[tuple[str, str]], name: str = ..., normalization: str = ...) -> Scenario: ...
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def parties(self) -> list[str]: ...
    @property
    def issues(self) -> list[tuple[str, list[str]]]: ...
    def analyze(
        self,
        request: AnalyzeRequest,
        *,
        progress: Optional[Callable[[str, int, int], Any]] = ...,
        sensitivity_parts: Optional[list[bytes]] = ...,
    ) -> Analysis: ...
    def sensitivity_part(
        self,
        request: AnalyzeRequest,
        start: int,
        end: int,
        *,
        progress: Optional[Callable[[str, int, int], Any]] = ...,
    ) -> bytes: ...
    def sequence(
        self,
        *,
        max_conflicts: Optional[int] = ...,
        max_nodes: Optional[int] = ...,
        max_way_out_nodes: Optional[int] = ...,
        drop_demand: list[str] = ...,
    ) -> Report: ...
    def commitments(self) -> Report: ...
    def source(self) -> tuple[Any, ...]: ...
    def simulate(
        self,
        *,
        named: list[str] = ...,
        external: list[tuple[str, str, Callable[[], Any]]] = ...,
        protocol: str = ...,
        rounds: Optional[int] = ...,
        seed: int = ...,
        time_limit: Optional[float] = ...,
        discounting: str = ...,
        default_strategy: Optional[str] = ...,
    ) -> Trace: ...

class NegotiationState:
    @property
    def me(self) -> str: ...
    @property
    def parties(self) -> list[str]: ...
    @property
    def issues(self) -> list[tuple[str, list[str]]]: ...
    @property
    def round(self) -> int: ...
    @property
    def rounds(self) -> int: ...
    @property
    def time(self) -> float: ...
    @property
    def offers(self) -> list[tuple[int, str, dict[str, str]]]: ...
    @property
    def reservation(self) -> float: ...
    @property
    def max_utility(self) -> float: ...
    def utility(self, package: dict[str, str]) -> float: ...
    def allows(self, package: dict[str, str]) -> bool: ...

class Trace:
    def to_json(self) -> str: ...
    def text(self) -> str: ...

class Tournament:
    def __init__(
        self,
        scenarios: list[Scenario],
        strategies: list[Union[str, tuple[str, Callable[[], Any]]]],
        *,
        rounds: Optional[int] = ...,
        repetitions: int = ...,
        seed: int = ...,
        protocol: str = ...,
        time_limit: Optional[float] = ...,
        discounting: str = ...,
        threads: Optional[int] = ...,
        max_negotiations: Optional[int] = ...,
    ) -> None: ...
    @property
    def planned(self) -> int: ...
    def run(self, *, progress: Optional[Callable[[str, int, int], Any]] = ...) -> TournamentReport: ...
    def run_part(self, start: int, end: int) -> bytes: ...
    def finish(self, parts: list[bytes], elapsed: float) -> TournamentReport: ...

class TournamentReport:
    def text(self) -> str: ...
    def tables(self) -> dict[str, dict[str, list[Any]]]: ...
    def files(self) -> list[tuple[str, bytes]]: ...
    @property
    def elapsed(self) -> float: ...

class AnalyzeRequest:
    def __init__(
        self,
        *,
        method: str = ...,
        red_lines: str = ...,
        count_limit: Optional[int] = ...,
        max_partial_sums: Optional[int] = ...,
        max_merge_work: Optional[int] = ...,
        max_nodes: Optional[int] = ...,
        list_ties: Optional[int] = ...,
        exact: bool = ...,
        normalize_weights: bool = ...,
        drop_red_line: list[str] = ...,
        set_reservation: list[str] = ...,
        fix: list[str] = ...,
        set_weight: list[str] = ...,
        sensitivity: Optional[int] = ...,
        seed: int = ...,
        negmas: bool = ...,
        count_halves: bool = ...,
    ) -> None: ...

class Analysis:
    @property
    def zone_exists(self) -> bool: ...
    @property
    def zone_size(self) -> Optional[int]: ...
    def to_json(self) -> str: ...
    def text(self, *, width: int = ..., frontier: bool = ...) -> str: ...
    def frontier_lines(self) -> str: ...

class Report:
    text: str
    json: str
    positive: bool

def diff(
    old: Scenario,
    new: Optional[Scenario] = ...,
    *,
    from_version: Optional[str] = ...,
    to_version: Optional[str] = ...,
    threshold: Optional[float] = ...,
) -> Report: ...
def evidence(
    reports: list[tuple[str, str]],
    *,
    conflicts: bool = ...,
    scenario: Optional[Scenario] = ...,
    published: list[str] = ...,
    undated_window: bool = ...,
) -> Report: ...
def analysis_schema() -> str: ...

MAX_REPORT_BYTES: int

def read_text(path: Union[str, "os.PathLike[str]"], what: str) -> str: ...
def read_genius_folder(path: Union[str, "os.PathLike[str]"]) -> list[tuple[str, str]]: ...
def read_reports(path: Union[str, "os.PathLike[str]"], max_bytes: int) -> list[tuple[str, str]]: ...
