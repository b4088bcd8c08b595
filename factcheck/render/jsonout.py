"""JSON for programs: stable keys, UTF-8, one document per run."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from factcheck.errors import SEVERITIES, Problem
from factcheck.history import LedgerDiff
from factcheck.timeline import Series


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
    tally: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for p in found:
        tally[p.severity] += 1
    return tally


def verify_report(found: Sequence[Problem], ok: bool) -> str:
    """`{"ok", "counts", "problems"}` as SPEC.md defines it."""
    return dumps({"ok": ok, "counts": counts(found), "problems": [problem(p) for p in found]})


def series(all_series: Sequence[Series], about_band: float) -> str:
    """Every subject's series for programs, infinite interval ends as null."""
    from dataclasses import asdict

    from factcheck.render.numbers import bound

    subjects = []
    for one in all_series:
        steps = []
        for step in one.steps:
            steps.append({
                "from": step.before.claim, "to": step.after.claim, "days": step.days,
                "stated_change": {"absolute": step.stated_change, "relative": step.relative,
                                  "per_year": step.per_year},
                "allowed_change": {"low": bound(step.allowed.low), "high": bound(step.allowed.high),
                                   "low_open": step.allowed.low_open, "high_open": step.allowed.high_open,
                                   "words": step.allowed_words},
                "comparable": step.comparable,
                "warnings": [asdict(w) for w in step.warnings],
            })
        subjects.append({
            "subject": one.subject, "verdict": one.verdict,
            "claims": [{**asdict(p), "sources": list(p.sources)} for p in one.points],
            "steps": steps,
            "trend": asdict(one.trend) if one.trend else None,
            "without_figure": list(one.without_figure),
        })
    return dumps({"version": 1, "about_band": about_band, "subjects": subjects})


def ledger_diff(diff: LedgerDiff, summary: bool = False) -> str:
    """The diff between two revisions for programs; with `summary`, only the counts."""
    from dataclasses import asdict

    body: dict[str, Any] = {"version": 1, "before": diff.before, "after": diff.after, "counts": diff.counts()}
    if not summary:
        body.update({
            "claims_added": list(diff.added), "claims_removed": list(diff.removed),
            "claims_changed": [{"claim": c.claim, "changes": [asdict(f) for f in c.changes]} for c in diff.changed],
            "sources_added": list(diff.sources_added), "sources_removed": list(diff.sources_removed),
            "sources_changed": [asdict(s) for s in diff.sources_changed],
        })
    return dumps(body)
