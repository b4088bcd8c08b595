"""The whole ledger for people, as one plain value every report format renders, its claims rendered apart.

A report shows every claim, and a ledger may hold a hundred thousand: the claims are rendered a chunk at a
time as the ledger is read and checked (see `read_report`), so their models never all live at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from factcheck import __version__
from factcheck.checking.anchor import Found, Missing, Snapshot
from factcheck.checking.options import Options, Progress
from factcheck.checking.verification import ChunkWork
from factcheck.errors import SEVERITIES, Problem
from factcheck.ledger.model import STATUSES, Claim, Settings, as_data, phrase
from factcheck.ledger.sources import SourceRecord
from factcheck.overtime.timeline import DEFAULT_ABOUT_BAND, build_series, series_data
from factcheck.pipeline import collecting
from factcheck.pipeline.spool import Span, Spool
from factcheck.pipeline.store import ClaimRecord, Ledger

REPORT_VERSION = 1

# What a quote's link shows of its source: title, publisher, url, published and retrieved (ISO dates).
Linked = tuple[str | None, str | None, str | None, str | None, str | None]

class QuoteMatch(NamedTuple):
    """How a quote was found in its source, for a reader: `exact`, `normalized` (after folding),
    `omissions` (an ellipsis quote, words left out), `not-found` (with the reason and the closest passage),
    or `no-snapshot` (its source cannot be read)."""

    kind: str
    reason: str | None = None
    closest: str | None = None


# What each quote of a claim's appearances then evidence matched, in order.
Matches = Sequence[QuoteMatch]

# How a format renders a chunk of claims, given what each source's links show and each claim's matches
# (see `claim_data`).
RenderClaims = Callable[[list[Claim], Mapping[str, Linked], Sequence[Matches]], str]


@dataclass
class Report:
    """A report: its value (`claims` left empty), its claims rendered in ledger order (UTF-8, a chunk a
    piece, read back from where they were set aside as they were made), and the problems verify found."""

    data: dict[str, Any]
    claims: Iterable[bytes]
    problems: list[Problem]
    kept: Any = field(default=None, repr=False)  # see verification.Verification.kept


def read_report(root: Path, options: Options, render: RenderClaims, progress: Progress | None = None,
                today: dt.date | None = None, subjects_read: Callable[[Ledger, float], None] | None = None) -> Report:
    """The report of the ledger at `root`, read and checked once, its claims rendered by `render`.

    `subjects_read` is given the ledger (its claims with a subject) and the about band as soon as they are
    read, before the series are made: a format can start drawing some of them meanwhile.
    """
    from factcheck.checking.verification import verify_ledger

    outcome = verify_ledger(root, options, progress, work=lambda: ClaimParts(render))
    ledger, parts = outcome.ledger, outcome.work
    assert ledger is not None and isinstance(parts, ClaimParts)  # read for the work, always
    band = ledger.settings.about_band or DEFAULT_ABOUT_BAND
    if subjects_read is not None:
        subjects_read(ledger, band)
    with collecting.paused():  # many objects, no cycles, all kept to the end
        series = [series_data(one) for one in build_series(ledger, about_band=band)]
        data = build_report(ledger.settings, ledger.sources, parts.statuses(), outcome.problems, series, band, today)
    return Report(data, parts.texts(), outcome.problems, kept=(outcome, parts))


class ClaimParts(ChunkWork):
    """The report's work on each chunk of claims as the ledger is read (a verification.ChunkWork): each
    chunk rendered, its verdicts counted, and only its claims with a subject kept, for the series."""

    uses_snapshots = True  # each quote's match is shown

    def __init__(self, render: RenderClaims) -> None:
        self.render = render
        self.spool = Spool()  # the rendered chunks, as UTF-8, set aside on disk
        self.parts: dict[str, list[tuple[int, Span]]] = {}  # by claims file: a chunk's first index, its text
        self.counts: dict[str, dict[str, int]] = {}  # by claims file: claims by status
        self._linked: dict[str, Linked] | None = None
        self._snapshots: dict[str, Snapshot | None] = {}  # each source folded once, for every chunk

    def chunk(self, ledger: Ledger, records: list[ClaimRecord], settings: Settings,
              resolved: Sequence[Found | Missing | None] | None = None) -> list[ClaimRecord]:
        if not records:
            return []
        if self._linked is None:  # the sources are read before any claim
            self._linked = _linked(ledger)
        path = records[0].doc.path
        linked = self._linked
        claims = [r.claim for r in records]
        if resolved is None:  # the checks did not run (their result came from the cache): find the quotes here
            matches = [match_quotes(ledger, self._snapshots, claim) for claim in claims]
        else:  # as the checks found them, in the same order: each claim's appearances, then its evidence
            each = iter(resolved)
            matches = [[as_match(next(each), q.source) for q in (*c.appearances, *c.evidence)] for c in claims]
        self.parts.setdefault(path, []).append(
            (int(records[0].path[1]), self.spool.add(self.render(claims, linked, matches).encode("utf-8"))))
        counts = self.counts.setdefault(path, dict.fromkeys(STATUSES, 0))
        for record in records:
            counts[record.claim.status] += 1
        return [record for record in records if record.claim.subject is not None]

    def again(self, path: str) -> None:
        self.parts.pop(path, None)
        self.counts.pop(path, None)

    def result(self) -> Any:
        return {"parts": self.parts, "counts": self.counts}

    def merge(self, theirs: Any) -> None:
        for path, parts in theirs["parts"].items():
            self.parts.setdefault(path, []).extend(parts)
        for path, counts in theirs["counts"].items():
            mine = self.counts.setdefault(path, dict.fromkeys(STATUSES, 0))
            for status, n in counts.items():
                mine[status] += n

    def statuses(self) -> dict[str, int]:
        """How many claims of each status the ledger holds."""
        total = dict.fromkeys(STATUSES, 0)
        for counts in self.counts.values():
            for status, n in counts.items():
                total[status] += n
        return total

    def texts(self) -> Iterator[bytes]:
        """The rendered chunks, in ledger order, read back one at a time."""
        return self.spool.read(span for _, parts in sorted(self.parts.items()) for _, span in sorted(parts))


def build_report(settings: Settings, sources: Mapping[str, SourceRecord], by_status: dict[str, int],
                 problems: Sequence[Problem], series: list[dict[str, Any]], about_band: float,
                 today: dt.date | None = None) -> dict[str, Any]:
    """Counts by verdict, the problems, each subject's series (made plain by timeline.series_data) and every
    source; the claims are rendered apart (see `claim_data`), and `claims` is left empty for a format to
    put them in."""
    problem_counts = dict.fromkeys(SEVERITIES, 0)
    for p in problems:
        problem_counts[p.severity] += 1
    return {
        "version": REPORT_VERSION,
        "generator": f"factcheck {__version__}",
        "generated_on": (today or dt.date.today()).isoformat(),
        "ledger": {
            "name": settings.name,
            "publisher": as_data(settings.publisher, leave_out="nothing") if settings.publisher else None,
        },
        "counts": {"claims": sum(by_status.values()), "sources": len(sources), "by_status": by_status},
        "problems": {
            "counts": problem_counts,
            "items": [p.as_data() for p in problems],
        },
        "about_band": about_band,
        "series": series,
        "claims": [],
        "sources": [_source(source) for _, source in sorted(sources.items())],
    }


_NO_SOURCE: Linked = (None, None, None, None, None)
_LINK_FIELDS = ("title", "publisher", "url", "published", "retrieved")


def _linked(ledger: Ledger) -> dict[str, Linked]:
    """What a quote's link shows of each source, made once per source rather than once per quote."""
    linked = {}
    for source_id, source in ledger.sources.items():
        meta = source.meta
        if meta is not None:
            linked[source_id] = (meta.title, meta.publisher, meta.url,
                                 meta.published.isoformat() if meta.published else None,
                                 meta.retrieved.isoformat() if meta.retrieved else None)
    return linked


def verdict_date(claim: Claim) -> str | None:
    """When the claim got its present status, from its history (ISO date); None when no entry says."""
    return next((e.date.isoformat() for e in reversed(claim.history) if e.status == claim.status), None)


def match_quotes(ledger: Ledger, snapshots: dict[str, Snapshot | None], claim: Claim) -> list[QuoteMatch]:
    """How each quote of the claim (appearances, then evidence) is found in its source."""
    found: list[QuoteMatch] = []
    for quote in [*claim.appearances, *claim.evidence]:
        if quote.source not in snapshots:
            source = ledger.sources.get(quote.source)
            snapshots[quote.source] = Snapshot(source.text) if source is not None and source.text is not None else None
        snapshot = snapshots[quote.source]
        found.append(as_match(None if snapshot is None else snapshot.find(quote.text, quote.prefix, quote.suffix),
                              quote.source))
    return found


def as_match(result: Found | Missing | None, source_id: str) -> QuoteMatch:
    """A quote's match for a reader, from where the search found it (None: its source has no snapshot)."""
    if result is None:
        return QuoteMatch("no-snapshot", f"the source {source_id!r} has no readable snapshot")
    if isinstance(result, Found):
        return QuoteMatch("omissions" if result.omitted else result.kind)
    return QuoteMatch("not-found", result.reason, result.closest)


def verdict(claim: Claim) -> dict[str, Any] | None:
    """Who gave the claim its present verdict, when and why: the last history entry (its note, its `by`,
    forced or not), or the imported review when the desk has given none; None for an unverified claim with
    no history."""
    entry = claim.history[-1] if claim.history else None
    if entry is not None:
        return {"status": entry.status, "date": entry.date.isoformat(), "by": entry.by, "reason": entry.note,
                "forced": bool(entry.forced), "imported": None}
    review = claim.review
    if review is not None:
        rated = f"rated {review.label!r}" if review.label else "rated with no words"
        return {"status": claim.status, "date": review.date.isoformat() if review.date else None, "by": review.by,
                "reason": f"imported: {rated} by {review.by}", "forced": False,
                "imported": as_data(review, leave_out="none")}
    if claim.status != "unverified":
        return {"status": claim.status, "date": None, "by": None, "reason": claim.note, "forced": False,
                "imported": None}
    return None


def claim_data(claim: Claim, linked: Mapping[str, Linked], matches: Matches = ()) -> dict[str, Any]:
    """One claim for the report as a plain value, with what each quote's link shows of its source, how each
    quote was found, and who gave its verdict, when and why."""
    links: list[dict[str, Any]] = []
    for quote in claim.appearances:
        links.append({"kind": "appearance", "stance": None, "source": quote.source, "text": quote.text,
                      **dict(zip(_LINK_FIELDS, linked.get(quote.source, _NO_SOURCE), strict=True))})
    for evidence in claim.evidence:
        links.append({"kind": "evidence", "stance": evidence.stance, "source": evidence.source, "text": evidence.text,
                      **dict(zip(_LINK_FIELDS, linked.get(evidence.source, _NO_SOURCE), strict=True))})
    for link, match in zip(links, matches, strict=False):
        link["match"] = match.kind
        if match.kind in ("not-found", "no-snapshot"):
            link["match_reason"], link["closest"] = match.reason, match.closest
    return {
        "id": claim.id, "text": claim.text, "status": claim.status, "verdict_date": verdict_date(claim),
        "verdict": verdict(claim),
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
