"""The benchmark's runner: a command that fails gives no figure; the package measured is compiled as installed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import factcheck
from bench.run import _importable, compiled, median_of


def test_a_command_that_fails_stops_the_bench_and_is_named() -> None:
    with pytest.raises(SystemExit, match=r"exited with 3"):
        median_of(1, [sys.executable, "-c", "raise SystemExit(3)"])
    assert median_of(1, [sys.executable, "-c", "raise SystemExit(1)"], ok=(0, 1))["runs"] == 1


def test_a_baseline_whose_tool_is_missing_is_told_apart() -> None:
    assert _importable("json")
    assert not _importable("no_module_of_this_name")


def test_the_package_measured_is_compiled_to_bytecode_first() -> None:
    # as pip leaves an installed package: a run of the bench pays no compiling the baseline does not pay
    module = Path(factcheck.__path__[0]) / "pipeline" / "store.py"
    cached = Path(importlib.util.cache_from_source(str(module)))
    cached.unlink(missing_ok=True)
    assert compiled() == "compiled"
    assert cached.is_file()
