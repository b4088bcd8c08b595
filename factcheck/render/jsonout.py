"""JSON for programs: stable keys, UTF-8, one document per run."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from factcheck.errors import SEVERITIES, Problem


def dumps(value: Any) -> str:
    """Indented JSON with non-ASCII text kept readable."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def problem(p: Problem) -> dict[str, Any]:
    """One problem as SPEC.md's JSON object."""
    return {
        "code": p.code, "severity": p.severity, "message": p.message, "path": p.location.path,
        "line": p.location.line, "column": p.location.column, "claim": p.claim, "source": p.source,
    }


def counts(found: Sequence[Problem]) -> dict[str, int]:
    """How many problems of each severity."""
    tally = dict.fromkeys(SEVERITIES, 0)
    for p in found:
        tally[p.severity] += 1
    return tally


def verify_report(found: Sequence[Problem], ok: bool) -> str:
    """`{"ok", "counts", "problems"}` as SPEC.md defines it."""
    return dumps({"ok": ok, "counts": counts(found), "problems": [problem(p) for p in found]})
