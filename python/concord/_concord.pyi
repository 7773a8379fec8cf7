"""Type stubs of the extension module (crates/concord-py)."""

from typing import Any, Callable, Optional

__version__: str

class ConcordError(Exception): ...

class ScenarioError(ConcordError):
    problems: list[dict[str, Any]]

class LimitError(ConcordError):
    problems: list[dict[str, Any]]

class InternalError(ConcordError):
    problems: list[dict[str, Any]]

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
        progress: Optional[Callable[[str, int, int], Any]] = ...,
    ) -> Analysis: ...
    def sequence(
        self,
        *,
        max_conflicts: Optional[int] = ...,
        max_nodes: Optional[int] = ...,
        max_way_out_nodes: Optional[int] = ...,
        drop_demand: list[str] = ...,
    ) -> Report: ...
    def commitments(self) -> Report: ...

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
    threshold: float = ...,
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
