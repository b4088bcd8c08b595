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


def workflow_commands(found: Sequence[Problem], prefix: str = "") -> str:
    """`::error file=...,line=...,col=...,title=...::message`, one line a problem."""
    lines = []
    for p in found:
        loc = p.location
        props = ",".join((f"file={escape_property(prefix + loc.path)}", f"line={loc.line}", f"col={loc.column}",
                          f"title={escape_property(p.code)}"))
        lines.append(f"::{LEVELS[p.severity]} {props}::{escape_data(p.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
