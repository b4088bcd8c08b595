"""Select claims by the `list` filters, over the rows of the ledger (see rows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import FactcheckError, Problem, did_you_mean
from factcheck.ledger.rows import Row, row_values

if TYPE_CHECKING:  # listing a cached ledger needs neither the models nor pydantic
    from factcheck.pipeline.store import ClaimRecord, Ledger


COLUMNS: tuple[str, ...] = Row._fields


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


@dataclass(frozen=True)
class Listing:
    """What `list` needs of a ledger: a row per claim, the source ids and the problems met reading it."""

    rows: list[tuple[Any, ...]]  # each a Row, or a plain tuple of the same values (as the cache keeps them)
    sources: set[str]
    problems: list[Problem]


def load_rows(root: Path) -> Listing:
    """The rows of the ledger at `root`: from the cache's rows entry when there is one, which needs
    neither YAML nor models; otherwise read through the store, and the rows entry written."""
    from factcheck.ledger.ledgerfiles import find_files
    from factcheck.pipeline import cache

    files = find_files(root)
    key = "rows-" + cache.key(files) if cache.enabled() else None
    cached = cache.read(root, key) if key is not None else None
    if isinstance(cached, dict) and isinstance(cached.get("rows"), list) and isinstance(cached.get("sources"), list) \
            and all(isinstance(values, tuple) and len(values) == len(COLUMNS) for values in cached["rows"]):
        return Listing(cached["rows"], set(cached["sources"]), [])
    from factcheck.pipeline import shares
    from factcheck.pipeline.store import load_files

    found = _rows_in_shares(files) if shares.claims_size(files) >= shares.SHARE_FROM_BYTES else None
    if found is None:
        ledger = load_files(root, files, rows_only=True)
        found = Listing(rows_of(ledger), set(ledger.sources), sorted(ledger.problems, key=Problem.sort_key))
    if key is not None and not found.problems:
        cache.write(root, key, {"rows": list(map(tuple, found.rows)), "sources": sorted(found.sources)})
    return found


def _rows_in_shares(files: Mapping[str, Any]) -> Listing | None:
    """The rows of a large ledger read in two shares (see store.build_share), the second in a forked process;
    None when it cannot be read so (the caller reads it whole)."""
    from factcheck.pipeline import collecting, forked
    from factcheck.pipeline.shares import is_claims_file
    from factcheck.pipeline.store import build_share

    def share(which: int) -> tuple[list[tuple[str, int, tuple[Any, ...]]], Ledger] | None:
        ledger = build_share(files, (which, 2), rows_only=True)
        if ledger is None or ledger.rows is None or ledger.row_places is None:
            return None
        return [(path, index, tuple(row)) for (path, index), row in zip(ledger.row_places, ledger.rows,
                                                                        strict=True)], ledger

    def other() -> tuple[list[tuple[str, int, tuple[Any, ...]]], list[tuple[Any, ...]]] | None:
        read = share(1)  # its rows, and the problems of its claims (both shares read all the sources)
        return (read[0], [p.as_row() for p in read[1].problems if is_claims_file(p.location.path)]) \
            if read is not None else None

    helper = forked.start(other)
    if helper is None:
        return None
    with collecting.paused():
        mine = share(0)
        theirs = helper()
    if mine is None or theirs is None or theirs is forked.FAILED:
        return None
    placed, ledger = mine
    placed += theirs[0]
    placed.sort(key=lambda place: (place[0], place[1]))  # ledger order: by file, then place in the file
    problems = sorted([*ledger.problems, *map(Problem.from_row, theirs[1])], key=Problem.sort_key)
    return Listing([row for _, _, row in placed], set(ledger.sources), problems)


def rows_of(ledger: Ledger) -> list[tuple[Any, ...]]:
    """Every claim as a row (from the cache when the ledger came from it)."""
    if ledger.rows is not None:
        return ledger.rows
    return [row_values(record.claim) for record in ledger.claims]


def as_mapping(row: tuple[Any, ...]) -> dict[str, Any]:
    """A row as a mapping of its columns (for JSON, CSV and YAML)."""
    return dict(zip(COLUMNS, row, strict=True))


def columns_of(rows: Sequence[tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    """The rows a column at a time, by column name (a table is laid out a column at a time)."""
    transposed = list(zip(*rows, strict=True)) if rows else [() for _ in COLUMNS]
    return dict(zip(COLUMNS, transposed, strict=True))


def select(values: list[tuple[Any, ...]], filters: Filters, sources: set[str]) -> list[tuple[Any, ...]]:
    """The rows that pass every filter, in ledger order; unknown subjects, tags or sources are an error."""
    _require_known("source", filters.sources, sources)
    if filters == Filters():
        return values
    rows = list(map(Row._make, values))
    if filters.subjects:
        _require_known("subject", filters.subjects, {r.subject for r in rows if r.subject})
    if filters.tags:
        _require_known("tag", filters.tags, {t for r in rows for t in r.tags})
    claimant = filters.claimant.casefold() if filters.claimant else None
    since = filters.since.isoformat() if filters.since else None
    until = filters.until.isoformat() if filters.until else None
    chosen: list[Row] = []
    for candidate in rows:
        if filters.statuses and candidate.status not in filters.statuses:
            continue
        if filters.subjects and candidate.subject not in filters.subjects:
            continue
        if filters.tags and not set(filters.tags) & set(candidate.tags):
            continue
        if filters.sources and not set(filters.sources) & set(candidate.sources):
            continue
        if claimant and claimant not in candidate.claimant.casefold():
            continue
        if since and candidate.date < since:
            continue
        if until and candidate.date > until:
            continue
        chosen.append(candidate)
    if filters.latest:
        chosen = latest_of_subjects(chosen)
    return list(chosen)


def latest_of_subjects(rows: list[Row]) -> list[Row]:
    """Only the newest claim of each subject (the later one in the ledger on a tie); claims without one stay."""
    newest: dict[str, Row] = {}
    for candidate in rows:
        subject = candidate.subject
        if subject is not None and (subject not in newest or candidate.date >= newest[subject].date):
            newest[subject] = candidate
    return [r for r in rows if r.subject is None or newest[r.subject] is r]


def row(record: ClaimRecord) -> dict[str, Any]:
    """A claim's row as a mapping of its columns."""
    return row_values(record.claim)._asdict()


def _require_known(kind: str, wanted: Sequence[str], known: set[str]) -> None:
    for name in wanted:
        if name not in known:
            raise FactcheckError(f"unknown {kind} {name!r}: no claim in the ledger has it{did_you_mean(name, known)}")
