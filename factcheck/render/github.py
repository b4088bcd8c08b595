"""GitHub Actions workflow commands: one annotation per problem, escaped as the runner expects."""

from __future__ import annotations

from collections.abc import Sequence

from factcheck.errors import Problem
from factcheck.render.escape import without_controls

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """A command's message: %, CR and LF percent-encoded; '##[' broken so no legacy command can start."""
    text = without_controls(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace("##[", "##\u200b[")


def escape_property(text: str) -> str:
    """A command's property value: the message rules, and ':' and ',' as well."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


# What GitHub shows of a step's annotations: at most 10 errors and 10 warnings (notices likewise), and 50
# annotations in all per job; the rest are in the log only.
SHOWN_PER_STEP = 10
SHOWN_PER_JOB = 50
_ORDER = {"error": 0, "warning": 1, "info": 2}


def workflow_commands(found: Sequence[Problem]) -> str:
    """`::error file=...,line=...,col=...,title=...::message`, one line a problem, the most severe first (the
    ones GitHub shows), then a notice saying how many there are and how many GitHub shows."""
    lines = []
    for p in sorted(found, key=lambda p: _ORDER[p.severity]):  # stable: in file order within a severity
        loc = p.location
        props = ",".join((f"file={escape_property(loc.path)}", f"line={loc.line}", f"col={loc.column}",
                          f"title={escape_property(p.code)}"))
        lines.append(f"::{LEVELS[p.severity]} {props}::{escape_data(p.message)}")
    counts = {severity: sum(1 for p in found if p.severity == severity) for severity in _ORDER}
    hidden = {severity: max(0, n - SHOWN_PER_STEP) for severity, n in counts.items()}
    if any(hidden.values()):  # every one shown: nothing to say
        shown = sum(counts.values()) - sum(hidden.values())
        lines.append(
            f"::notice title=factcheck::{len(found)} problems in all ({counts['error']} errors, {counts['warning']} "
            f"warnings, {counts['info']} info); GitHub shows at most {SHOWN_PER_STEP} of each kind per step "
            f"({min(shown, SHOWN_PER_JOB)} here) and {SHOWN_PER_JOB} per job: every one is in this log, and in the "
            "SARIF upload")
    return "\n".join(lines) + ("\n" if lines else "")
