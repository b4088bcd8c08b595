"""JSON for programs: stable keys, UTF-8, one document per run."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from factcheck.errors import SEVERITIES, Problem

if TYPE_CHECKING:
    from factcheck.ledger.model import Claim
    from factcheck.overtime.history import LedgerDiff
    from factcheck.overtime.timeline import Series
    from factcheck.views.report import Linked, Matches


def dumps(value: Any) -> str:
    """Indented JSON with non-ASCII text kept readable."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


_EMBEDDED = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def dumps_embeddable(value: Any) -> str:
    """`dumps`, safe to paste into an HTML `<script type="application/ld+json">` element: `<`, `>` and `&`
    (and U+2028, U+2029) written as JSON escapes, so no text can close the element or open a comment. Those
    characters occur only inside strings in JSON, so the value is the same."""
    return dumps(value).translate(_EMBEDDED)


def report(data: dict[str, Any], claims: Iterable[bytes]) -> Iterator[bytes]:
    """The report value (see factcheck.views.report) with its claims, rendered by `claims_part` (UTF-8), in their
    place; as pieces of UTF-8 to write one after the other."""
    marker = '\n  "claims": []'  # the report's own key: nested ones are indented deeper, text has no newline
    head, tail = (piece.encode("utf-8") for piece in dumps({**data, "claims": []}).split(marker))
    yield head
    started = False
    for part in claims:
        if part:
            yield b",\n" if started else b'\n  "claims": [\n'
            yield part
            started = True
    yield b"\n  ]" if started else marker.encode("utf-8")
    yield tail


def claims_part(claims: Sequence[Claim], linked: Mapping[str, Linked], matches: Sequence[Matches] = ()) -> str:
    """A chunk of the report's claims as items of its `claims` list (indented as `report` places them)."""
    from factcheck.views.report import claim_data

    return ",\n".join("    " + json.dumps(claim_data(claim, linked, matches[i] if i < len(matches) else ()),
                                          ensure_ascii=False, indent=2).replace("\n", "\n    ")
                       for i, claim in enumerate(claims))


def counts(found: Sequence[Problem]) -> dict[str, int]:
    """How many problems of each severity."""
    tally: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for p in found:
        tally[p.severity] += 1
    return tally


def verify_report(found: Sequence[Problem], ok: bool) -> str:
    """`{"ok", "counts", "problems"}` as SPEC.md defines it."""
    return dumps({"ok": ok, "counts": counts(found), "problems": [p.as_data() for p in found]})


def series(all_series: Sequence[Series], about_band: float) -> str:
    """Every subject's series for programs, infinite interval ends as null."""
    from factcheck.overtime.timeline import series_data

    return dumps({"version": 1, "about_band": about_band, "subjects": [series_data(one) for one in all_series]})


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
