"""Select claims by the `list` filters, over the rows of the ledger (see rows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import FactcheckError, Problem, did_you_mean
from factcheck.ledger.rows import Row, row_values
from factcheck.pipeline.read import ChunkWork

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
    neither YAML nor models; otherwise read through the read path, and the rows entry written."""
    from factcheck.ledger.ledgerfiles import find_files
    from factcheck.pipeline import cache

    files = find_files(root)
    key = "rows-" + cache.key(files) if cache.enabled() else None
    cached = cache.read(root, key) if key is not None else None
    if isinstance(cached, dict) and isinstance(cached.get("rows"), list) and isinstance(cached.get("sources"), list) \
            and all(isinstance(values, tuple) and len(values) == len(COLUMNS) for values in cached["rows"]):
        return Listing(cached["rows"], set(cached["sources"]), [])
    from factcheck.pipeline import read

    done = read.read(root, files, _Rows)
    found = Listing(done.work.ordered(), set(done.ledger.sources), sorted(done.ledger.problems, key=Problem.sort_key))
    if key is not None and not found.problems:
        cache.write(root, key, {"rows": found.rows, "sources": sorted(found.sources)})
    return found


class _Rows(ChunkWork):
    """Each claim's row, by claims file and place, as the ledger is read (a read.ChunkWork)."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[int, tuple[Any, ...]]]] = {}

    def chunk(self, ledger: Ledger, records: list[ClaimRecord], settings: Any) -> list[ClaimRecord]:
        if records:
            self.rows.setdefault(records[0].doc.path, []).extend(
                (int(r.path[1]), tuple(row_values(r.claim))) for r in records)
        return []

    def again(self, path: str) -> None:
        self.rows.pop(path, None)

    def result(self) -> Any:
        return self.rows

    def merge(self, theirs: Any) -> None:
        for path, rows in theirs.items():
            self.rows.setdefault(path, []).extend(rows)

    def ordered(self) -> list[tuple[Any, ...]]:
        """The rows in ledger order: by file, then place in the file."""
        return [row for _, rows in sorted(self.rows.items()) for _, row in sorted(rows, key=lambda r: r[0])]


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
