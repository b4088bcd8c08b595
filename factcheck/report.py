"""The whole ledger for people, as one plain value every report format renders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from factcheck import __version__
from factcheck.errors import SEVERITIES, Problem
from factcheck.model import STATUSES, phrase
from factcheck.store import Ledger, SourceRecord
from factcheck.timeline import Series, series_data

REPORT_VERSION = 1


def build_report(ledger: Ledger, problems: Sequence[Problem], series: Sequence[Series], about_band: float,
                 today: dt.date | None = None) -> dict[str, Any]:
    """Counts by verdict, the problems, each subject's series and every claim with its linked sources."""
    by_status = dict.fromkeys(STATUSES, 0)
    for record in ledger.claims:
        by_status[record.claim.status] += 1
    problem_counts = dict.fromkeys(SEVERITIES, 0)
    for p in problems:
        problem_counts[p.severity] += 1
    settings = ledger.settings
    linked = _linked(ledger)
    return {
        "version": REPORT_VERSION,
        "generator": f"factcheck {__version__}",
        "generated_on": (today or dt.date.today()).isoformat(),
        "ledger": {
            "name": settings.name,
            "publisher": settings.publisher.model_dump(mode="json") if settings.publisher else None,
        },
        "counts": {"claims": len(ledger.claims), "sources": len(ledger.sources), "by_status": by_status},
        "problems": {
            "counts": problem_counts,
            "items": [p.as_data() for p in problems],
        },
        "about_band": about_band,
        "series": [series_data(one) for one in series],
        "claims": [_claim(record.claim, linked) for record in ledger.claims],
        "sources": [_source(source) for _, source in sorted(ledger.sources.items())],
    }


_NO_SOURCE = {"title": None, "publisher": None, "url": None, "published": None, "retrieved": None}


def _linked(ledger: Ledger) -> dict[str, dict[str, Any]]:
    """What a quote's link shows of each source, made once per source rather than once per quote."""
    linked = {}
    for source_id, source in ledger.sources.items():
        meta = source.meta
        if meta is not None:
            linked[source_id] = {
                "title": meta.title, "publisher": meta.publisher, "url": meta.url,
                "published": meta.published.isoformat() if meta.published else None,
                "retrieved": meta.retrieved.isoformat() if meta.retrieved else None,
            }
    return linked


def _claim(claim: Any, linked: dict[str, dict[str, Any]]) -> dict[str, Any]:
    links = []
    for kind, quotes in (("appearance", claim.appearances), ("evidence", claim.evidence)):
        for quote in quotes:
            links.append({"kind": kind, "stance": getattr(quote, "stance", None), "source": quote.source,
                          "text": quote.text, **linked.get(quote.source, _NO_SOURCE)})
    verdict_date = next((e.date.isoformat() for e in reversed(claim.history) if e.status == claim.status), None)
    return {
        "id": claim.id, "text": claim.text, "status": claim.status, "verdict_date": verdict_date,
        "claimant": claim.claimant, "date": claim.date.isoformat(), "subject": claim.subject,
        "figure": phrase(claim.quantity) if claim.quantity else None, "measure": claim.measure,
        "note": claim.note, "tags": list(claim.tags), "quotes": links,
    }


def _source(source: SourceRecord) -> dict[str, Any]:
    meta = source.meta
    fields: dict[str, Any] = dict.fromkeys(("title", "publisher", "authors", "url", "archive_url", "published",
                                            "retrieved", "sha256"))
    fields["id"] = source.id
    if meta is not None:
        fields.update({
            "title": meta.title, "publisher": meta.publisher, "authors": list(meta.authors), "url": meta.url,
            "archive_url": meta.archive_url,
            "published": meta.published.isoformat() if meta.published else None,
            "retrieved": meta.retrieved.isoformat() if meta.retrieved else None,
            "sha256": meta.sha256,
        })
    return fields
