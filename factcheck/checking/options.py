"""What a run of the checks is asked to do, and what its problems mean for the exit status: all that a
cached `verify` needs, without the checks themselves (or the models they read)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from factcheck.errors import Problem

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Options:
    """What a run of the checks is asked to do."""

    stale_after_days: int | None = None
    today: dt.date = field(default_factory=dt.date.today)


def exit_status(problems: Iterable[Problem], strict: bool = False) -> int:
    """1 when an error (or, with strict, a warning) is among the problems; else 0."""
    failing = {"error", "warning"} if strict else {"error"}
    return 1 if any(p.severity in failing for p in problems) else 0
