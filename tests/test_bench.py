"""The benchmark's runner: a command that fails gives no figure."""

from __future__ import annotations

import sys

import pytest

from bench.run import _importable, median_of


def test_a_command_that_fails_stops_the_bench_and_is_named() -> None:
    with pytest.raises(SystemExit, match=r"exited with 3"):
        median_of(1, [sys.executable, "-c", "raise SystemExit(3)"])
    assert median_of(1, [sys.executable, "-c", "raise SystemExit(1)"], ok=(0, 1))["runs"] == 1


def test_a_baseline_whose_tool_is_missing_is_told_apart() -> None:
    assert _importable("json")
    assert not _importable("no_module_of_this_name")
