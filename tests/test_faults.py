"""Faults while writing: the Nth write, fsync, rename (or any call of the write path) failing, for every N,
leaves the ledger as it was and says so."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run

COMMANDS = {
    "status": ["status", "az-kaan-cooperation-2023", "unverifiable", "--note", "no record", "--by", "x"],
    "claim add": ["claim", "add", "--id", "new", "--text", "t", "--claimant", "c", "--date", "2024-01-01"],
    "quote": ["quote", "securex-caspian-14th-2024", "newsaz-2024-09-24", "Armed Forces of Azerbaijan"],
}


class Faults:
    """Counts the write path's system calls and makes the Nth one fail."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail_at: int | None) -> None:
        self.calls: list[str] = []
        self.fail_at = fail_at
        for module, name in ((os, "fsync"), (os, "replace"), (os, "fchmod"), (os, "ftruncate"), (os, "pwrite"),
                             (tempfile, "mkstemp")):
            monkeypatch.setattr(module, name, self._wrap(name, getattr(module, name)))
        real_fdopen = os.fdopen

        def fdopen(*args: Any, **kwargs: Any) -> Any:
            stream = real_fdopen(*args, **kwargs)
            real_write = stream.write

            def write(data: Any) -> Any:
                self._tick("write")
                return real_write(data)

            stream.write = write
            return stream

        monkeypatch.setattr(os, "fdopen", fdopen)

    def _tick(self, name: str) -> None:
        self.calls.append(name)
        if self.fail_at is not None and len(self.calls) == self.fail_at:
            raise OSError(5, f"Input/output error (injected into {name})")

    def _wrap(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            self._tick(name)
            return real(*args, **kwargs)

        return wrapped


def snapshot_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".factcheck.lock" and ".factcheck-cache" not in p.parts}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_fault_leaves_the_ledger_as_it_was(example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  command: str) -> None:
    pristine = tmp_path / "pristine"
    shutil.copytree(example, pristine)
    shutil.copytree(example, tmp_path / "warm")  # a first command makes the cache's signing key, once a machine
    assert run("-C", tmp_path / "warm", *COMMANDS[command]).exit_code == 0
    with monkeypatch.context() as patch:
        counter = Faults(patch, None)
        assert run("-C", example, *COMMANDS[command]).exit_code == 0
    calls = list(counter.calls)
    expected_new = snapshot_of(example)
    renamed_at = [i for i, name in enumerate(calls, 1) if name == "replace"][-1]
    assert {"write", "fsync", "replace", "mkstemp"} <= set(calls)
    for n in range(1, len(calls) + 1):
        ledger = tmp_path / f"run-{n}"
        shutil.copytree(pristine, ledger)
        before = snapshot_of(ledger)
        with monkeypatch.context() as patch:
            Faults(patch, n)
            result = run("-C", ledger, *COMMANDS[command])
        after = snapshot_of(ledger)
        if n <= renamed_at:
            assert result.exit_code == 2, (n, calls[n - 1], result.stderr)
            assert "Input/output error" in result.stderr, (n, calls[n - 1])
            assert after == before, (n, calls[n - 1])
        else:  # the new file is in place; only the folder's sync is left, and it is best effort
            assert result.exit_code == 0 and after == expected_new
        assert not [p for p in ledger.rglob("*.tmp")], (n, calls[n - 1])


@pytest.mark.parametrize("saved", ["page.txt", "page.html"])
def test_a_fault_while_adding_a_source_leaves_no_half_source(example: Path, tmp_path: Path, saved: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / saved
    if saved.endswith(".html"):  # kept as the original beside the text derived from it: three files or none
        shutil.copy(Path(__file__).resolve().parent / "capture" / "newsaz-2024-09-24.html", page)
    else:
        page.write_text("A new page.\n")
    with monkeypatch.context() as patch:
        counter = Faults(patch, None)
        assert run("-C", example, "source", "add", page, "--id", "page").exit_code == 0
    total = len(counter.calls)
    shutil.rmtree(example / "sources")
    shutil.copytree(Path(__file__).resolve().parent.parent / "sources", example / "sources")
    for n in range(1, total + 1):
        for leftover in ("page.txt", "page.yaml", "page.html"):
            (example / "sources" / leftover).unlink(missing_ok=True)
        with monkeypatch.context() as patch:
            Faults(patch, n)
            result = run("-C", example, "source", "add", page, "--id", "page")
        names = {p.name for p in (example / "sources").iterdir()}
        assert ({"page.txt", "page.yaml"} <= names) == (result.exit_code == 0), (n, names)
        assert ("page.txt" in names) == ("page.yaml" in names), (n, counter.calls[n - 1], names)
        assert ("page.html" in names) == (saved.endswith(".html") and "page.yaml" in names), (n, names)
