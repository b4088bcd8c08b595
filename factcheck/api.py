"""factcheck from Python: a ledger opened, verified, listed and one claim shown, as the command line does
each (its commands call these). Every function takes the ledger's folder; what is wrong with the ledger
comes back as located problems, never as an exception, and a FactcheckError is raised only when there is
no ledger to read (or no such claim, for `show_claim` and `verify` of some claims)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from factcheck.checking.verification import Verification
    from factcheck.ledger.rows import Row
    from factcheck.pipeline.store import Ledger
    from factcheck.views.listing import Listing

Folder = str | os.PathLike[str]


def open_ledger(root: Folder) -> Ledger:
    """The ledger at `root`: its claims (`.claims`, each with the document it came from), its sources by id
    (`.sources`) and the problems met reading them (`.problems`); through the cache when nothing changed."""
    from factcheck.pipeline.store import load_ledger

    return load_ledger(Path(root))


def verify(root: Folder, *, stale_after_days: int | None = None, claim_ids: Sequence[str] = (),
           progress: Callable[[int, int, str], None] | None = None) -> Verification:
    """Every check on the ledger at `root`: `.problems`, each with its code, severity, message and location
    (file, line, column), and the claims and sources looked at. Without `stale_after_days`, the ledger's own
    setting applies. With `claim_ids`, only the problems of those claims, of the sources they quote and of the
    ledger as a whole (an id not in the ledger is a FactcheckError). `progress` is called with (done, total,
    what) as the ledger is read."""
    from factcheck.checking.options import Options
    from factcheck.checking.verification import verify_claims, verify_ledger

    options = Options(stale_after_days=stale_after_days)
    if claim_ids:
        return verify_claims(Path(root), options, claim_ids, progress)
    return verify_ledger(Path(root), options, progress)


def list_claims(root: Folder, *, statuses: Sequence[str] = (), subjects: Sequence[str] = (), tags: Sequence[str] = (),
                sources: Sequence[str] = (), claimant: str | None = None, since: dt.date | None = None,
                until: dt.date | None = None, latest: bool = False) -> tuple[list[Row], Listing]:
    """The claims of the ledger at `root` as rows (id, date, status, claimant, subject, figure, measure,
    sources, tags, text, review), filtered as `factcheck list` filters them, with what was read (its
    `.problems` among it). A filter naming a subject, tag or source no claim has is a FactcheckError."""
    from factcheck.ledger.rows import Row
    from factcheck.views import listing

    found = listing.load_rows(Path(root))
    filters = listing.Filters(tuple(statuses), tuple(subjects), tuple(tags), tuple(sources), claimant, since, until, latest)
    return [v if isinstance(v, Row) else Row._make(v) for v in listing.select(found.rows, filters, found.sources)], found


def show_claim(root: Folder, claim_id: str) -> dict[str, Any]:
    """One claim whole, as `factcheck show --format json` gives it: its fields, and each quote resolved in its
    source (its match, the words around it, the page of a PDF) or the reason it is not found."""
    from factcheck.views.claim import claim_view

    ledger = open_ledger(root)
    return claim_view(ledger, ledger.require(claim_id))
