"""One claim whole, as plain values for `show`: each quote resolved in its source with the words around it."""

from __future__ import annotations

import bisect
from typing import Any

from factcheck.checking.anchor import Found, Missing, Snapshot
from factcheck.ledger.model import Quote, as_data, phrase
from factcheck.pipeline.store import ClaimRecord, Ledger


def claim_view(ledger: Ledger, record: ClaimRecord) -> dict[str, Any]:
    """The claim's fields and, for every quote, where it is in its snapshot."""
    claim = record.claim
    snapshots: dict[str, Snapshot] = {}
    view: dict[str, Any] = as_data(claim, leave_out="none")
    view["location"] = str(record.locate())
    if claim.quantity is not None:
        view["figure"] = phrase(claim.quantity)
    view["appearances"] = [_quote_view(ledger, snapshots, q) for q in claim.appearances]
    view["evidence"] = [_quote_view(ledger, snapshots, q) for q in claim.evidence]
    return view


def _quote_view(ledger: Ledger, snapshots: dict[str, Snapshot], quote: Quote) -> dict[str, Any]:
    view: dict[str, Any] = as_data(quote, leave_out="none")
    source = ledger.sources.get(quote.source)
    if source is not None and source.meta is not None:
        meta = source.meta
        view["source_meta"] = {
            key: value for key, value in (
                ("title", meta.title), ("publisher", meta.publisher), ("url", meta.url),
                ("published", meta.published.isoformat() if meta.published else None),
                ("retrieved", meta.retrieved.isoformat() if meta.retrieved else None),
            ) if value is not None
        }
    if source is None or source.text is None:
        view["match"] = {"kind": "unknown-source"}
        return view
    snapshot = snapshots.setdefault(quote.source, Snapshot(source.text))
    result = snapshot.find(quote.text, quote.prefix, quote.suffix)
    if isinstance(result, Missing):
        view["match"] = {"kind": "not-found", "reason": result.reason, "closest": result.closest,
                         "score": result.score}
        return view
    assert isinstance(result, Found)
    before, exact, after = snapshot.context(result.start, result.end)
    view["match"] = {
        "kind": result.kind, "start": result.start, "end": result.end, "occurrences": result.occurrences,
        "before": before, "exact": exact, "after": after,
    }
    pages = source.meta.original.pages if source.meta is not None and source.meta.original is not None else None
    if pages:  # a PDF's: the page the quote begins on
        view["match"]["page"] = bisect.bisect_right(pages, result.start)
    if result.omitted:  # the words quoted, never the words left out between them
        view["match"]["omissions"] = True
        view["match"]["exact"] = " \u2026 ".join(snapshot.context(s, e)[1] for s, e in result.spans)
    return view
