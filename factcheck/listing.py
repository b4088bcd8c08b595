"""Select claims by the `list` filters, and turn a claim into the one row every format shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from factcheck.errors import FactcheckError, did_you_mean
from factcheck.model import Claim, phrase_of
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


def rows_of(ledger: Ledger) -> list[dict[str, Any]]:
    """Every claim as a row (from the cache when the ledger came from it)."""
    if ledger.rows is not None:
        return [dict(zip(COLUMNS, values, strict=True)) for values in ledger.rows]
    return [row(record) for record in ledger.claims]


def select(rows: list[dict[str, Any]], filters: Filters, sources: set[str]) -> list[dict[str, Any]]:
    """The rows that pass every filter, in ledger order; unknown subjects, tags or sources are an error."""
    _require_known("subject", filters.subjects, {r["subject"] for r in rows if r["subject"]})
    _require_known("tag", filters.tags, {t for r in rows for t in r["tags"]})
    _require_known("source", filters.sources, sources)
    claimant = filters.claimant.casefold() if filters.claimant else None
    since = filters.since.isoformat() if filters.since else None
    until = filters.until.isoformat() if filters.until else None
    chosen = []
    for candidate in rows:
        if filters.statuses and candidate["status"] not in filters.statuses:
            continue
        if filters.subjects and candidate["subject"] not in filters.subjects:
            continue
        if filters.tags and not set(filters.tags) & set(candidate["tags"]):
            continue
        if filters.sources and not set(filters.sources) & set(candidate["sources"]):
            continue
        if claimant and claimant not in candidate["claimant"].casefold():
            continue
        if since and candidate["date"] < since:
            continue
        if until and candidate["date"] > until:
            continue
        chosen.append(candidate)
    if filters.latest:
        chosen = latest_of_subjects(chosen)
    return chosen


def latest_of_subjects(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only the newest claim of each subject (the later one in the ledger on a tie); claims without one stay."""
    newest: dict[str, dict[str, Any]] = {}
    for candidate in rows:
        subject = candidate["subject"]
        if subject is not None and (subject not in newest or candidate["date"] >= newest[subject]["date"]):
            newest[subject] = candidate
    return [r for r in rows if r["subject"] is None or newest[r["subject"]] is r]


def row(record: ClaimRecord) -> dict[str, Any]:
    """A claim as one row: the same keys and values for table, JSON, CSV and YAML."""
    return dict(zip(COLUMNS, row_values(record.claim), strict=True))


def row_values(claim: Claim) -> tuple[Any, ...]:
    """The values of a claim's row, in the order of COLUMNS (the form the cache keeps)."""
    quantity = claim.quantity
    sources = {quote.source for quote in claim.appearances}
    sources.update(quote.source for quote in claim.evidence)
    return (claim.id, claim.date.isoformat(), claim.status, claim.claimant, claim.subject,
            phrase_of(quantity.value, quantity.bound, quantity.unit) if quantity else None,
            claim.measure, sorted(sources), list(claim.tags), claim.text)


def _require_known(kind: str, wanted: Sequence[str], known: set[str]) -> None:
    for name in wanted:
        if name not in known:
            raise FactcheckError(f"unknown {kind} {name!r}: no claim in the ledger has it{did_you_mean(name, known)}")
