"""Select claims by the `list` filters, and turn a claim into the one row every format shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from factcheck.errors import FactcheckError, did_you_mean
from factcheck.model import phrase
from factcheck.store import ClaimRecord, Ledger

COLUMNS = ("id", "date", "status", "claimant", "subject", "figure", "measure", "sources", "tags", "text")


@dataclass(frozen=True)
class Filters:
    """The `list` filters; empty means no filter."""

    statuses: Sequence[str] = ()
    subjects: Sequence[str] = ()
    tags: Sequence[str] = ()
    sources: Sequence[str] = ()
    claimant: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    latest: bool = False


def select(ledger: Ledger, filters: Filters) -> list[ClaimRecord]:
    """The claims that pass every filter, in ledger order; unknown subjects, tags or sources are an error."""
    _require_known("subject", filters.subjects, {r.claim.subject for r in ledger.claims if r.claim.subject})
    _require_known("tag", filters.tags, {t for r in ledger.claims for t in r.claim.tags})
    _require_known("source", filters.sources, set(ledger.sources))
    claimant = filters.claimant.casefold() if filters.claimant else None
    chosen = []
    for record in ledger.claims:
        claim = record.claim
        if filters.statuses and claim.status not in filters.statuses:
            continue
        if filters.subjects and claim.subject not in filters.subjects:
            continue
        if filters.tags and not set(filters.tags) & set(claim.tags):
            continue
        if filters.sources and not set(filters.sources) & sources_of(record):
            continue
        if claimant and claimant not in claim.claimant.casefold():
            continue
        if filters.since and claim.date < filters.since:
            continue
        if filters.until and claim.date > filters.until:
            continue
        chosen.append(record)
    if filters.latest:
        chosen = latest_of_subjects(chosen)
    return chosen


def latest_of_subjects(records: list[ClaimRecord]) -> list[ClaimRecord]:
    """Only the newest claim of each subject (the later one in the ledger on a tie); claims without one stay."""
    newest: dict[str, ClaimRecord] = {}
    for record in records:
        subject = record.claim.subject
        if subject is not None and (subject not in newest or record.claim.date >= newest[subject].claim.date):
            newest[subject] = record
    return [r for r in records if r.claim.subject is None or newest[r.claim.subject] is r]


def sources_of(record: ClaimRecord) -> set[str]:
    """The ids of every source a claim quotes."""
    return {quote.source for quote in (*record.claim.appearances, *record.claim.evidence)}


def row(record: ClaimRecord) -> dict[str, Any]:
    """A claim as one row: the same keys and values for table, JSON, CSV and YAML."""
    claim = record.claim
    return {
        "id": claim.id,
        "date": claim.date.isoformat(),
        "status": claim.status,
        "claimant": claim.claimant,
        "subject": claim.subject,
        "figure": phrase(claim.quantity) if claim.quantity else None,
        "measure": claim.measure,
        "sources": sorted(sources_of(record)),
        "tags": list(claim.tags),
        "text": claim.text,
    }


def _require_known(kind: str, wanted: Sequence[str], known: set[str]) -> None:
    for name in wanted:
        if name not in known:
            raise FactcheckError(f"unknown {kind} {name!r}: no claim in the ledger has it{did_you_mean(name, known)}")
