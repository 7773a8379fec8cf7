"""Paths the tests share: the repository root, its examples, and ../shared beside it."""

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
