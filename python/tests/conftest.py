"""Paths the tests share (the repository root, its examples, and ../shared beside it), and one
local Ray instance for every test that needs it."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def example(name: str) -> Path:
    return ROOT / "examples" / name


def shared(path: str) -> Path:
    """`../shared/<path>`: skipped on a machine without it, a failure in CI (CI always has it)."""
    p = ROOT.parent / "shared" / path
    if not p.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{p} is absent, and CI always has ../shared")
        pytest.skip(f"{p} is absent")
    return p


def concord_binary() -> Path:
    """The workspace's `concord` binary (python/test.sh builds it, under $CARGO_TARGET_DIR when
    set): skipped on a machine where it is not built, a failure in CI (CI always builds it)."""
    target = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
    if not target.is_absolute():
        target = ROOT / target
    binary = target / "debug" / "concord"
    if not binary.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{binary} is absent, and CI builds it (python/test.sh)")
        pytest.skip("the concord binary is not built (cargo build -p concord-cli)")
    return binary


@pytest.fixture(scope="session")
def ray_local():
    """A local Ray instance of two CPUs, started once for the whole session (5 s to start)."""
    if os.environ.get("CI"):
        ray = __import__("ray")  # python/test.sh installs it: its absence in CI is a failure
    else:
        ray = pytest.importorskip("ray")
    # The workers import the tests' modules to unpickle their strategies (PyBoulware), as they
    # would a user's package.
    tests = str(ROOT / "python" / "tests")
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={"env_vars": {"PYTHONPATH": tests}},
    )
    yield ray
    ray.shutdown()
