"""Locations, findings about the data, and the one error for a command that cannot run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """A place in a ledger file: path relative to the ledger root, 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)  # slots: a ledger right after a new check holds half a million
class Problem:
    """One finding about the data, located where an editor can jump to it."""

    code: str
    severity: Severity
    message: str
    location: Location
    claim: str | None = None
    source: str | None = None

    def as_data(self) -> dict[str, str | int | None]:
        """The problem as SPEC.md's JSON object."""
        loc = self.location
        return {"code": self.code, "severity": self.severity, "message": self.message, "path": loc.path,
                "line": loc.line, "column": loc.column, "claim": self.claim, "source": self.source}

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.message)

    def as_row(self) -> tuple[str, str, str, str, int | None, int | None, str | None, str | None]:
        """The problem as a tuple of plain values (for the cache, or another process); see `from_row`."""
        loc = self.location
        return self.code, self.severity, self.message, loc.path, loc.line, loc.column, self.claim, self.source

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Problem:
        return cls(row[0], row[1], row[2], Location(row[3], row[4], row[5]), row[6], row[7])


class FactcheckError(Exception):
    """The command could not do its job (no ledger, unreadable file, git failed): exit 2."""

    exit_code = 2


class RefusedError(FactcheckError):
    """The data does not allow what was asked (a verdict without its evidence, a quote not found): exit 1."""

    exit_code = 1


def did_you_mean(name: str, known: list[str] | set[str]) -> str:
    """A hint naming the known names closest to a mistyped one, or ''."""
    import difflib

    names = sorted(known)
    close = [n for n in names if n.startswith(name)][:3] or difflib.get_close_matches(name, names, n=3)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
