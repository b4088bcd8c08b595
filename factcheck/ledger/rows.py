"""A claim as the one row every listing format shows (table, JSON, CSV, YAML): made from the models when a
ledger is read, kept in the cache as a plain tuple, so that a cached listing needs no models."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from factcheck.ledger.figures import phrase_of

if TYPE_CHECKING:
    from factcheck.ledger.model import Claim


class Row(NamedTuple):
    """A claim as one row: the same values for table, JSON, CSV and YAML."""

    id: str
    date: str
    status: str
    claimant: str
    subject: str | None
    figure: str | None
    measure: str | None
    sources: list[str]
    tags: list[str]
    text: str
    review: dict[str, Any] | None  # an imported claim's review as its reviewer gave it (see model.Review)


def row_values(claim: Claim) -> Row:
    """A claim's row (the cache keeps it as a plain tuple)."""
    quantity = claim.quantity
    sources = {quote.source for quote in claim.appearances}
    sources.update(quote.source for quote in claim.evidence)
    return Row(claim.id, claim.date.isoformat(), claim.status, claim.claimant, claim.subject,
               phrase_of(quantity.value, quantity.bound, quantity.unit, bool(quantity.ordinal)) if quantity else None,
               claim.measure, sorted(sources), list(claim.tags), claim.text,
               _review(claim) if claim.review is not None else None)


def _review(claim: Claim) -> dict[str, Any]:
    from factcheck.ledger.model import as_data  # (a listing from the cache needs no models)

    return as_data(claim.review, leave_out="none")  # type: ignore[no-any-return]
