"""`verify` as a whole: the cached result when nothing changed, else the ledger read through the read path
(see read), each chunk of claims checked as it comes, then the checks of the ledger as a whole. The checks
themselves are in checks."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.checking.options import Options, Progress
from factcheck.errors import Problem
from factcheck.ledger.ledgerfiles import Deferred, Refused, find_files
from factcheck.pipeline import cache, collecting, read

if TYPE_CHECKING:  # a cached result is served without the checks, the models or the store
    from factcheck.checking.anchor import Found, Missing
    from factcheck.checking.checks import Check, Context
    from factcheck.ledger.model import Settings
    from factcheck.pipeline.store import ClaimRecord, Ledger


@dataclass(frozen=True)
class Verification:
    """What verify found, with the claims and sources it looked at."""

    problems: list[Problem]
    claim_ids: list[str]
    sources: int
    # the ledger, when it had to be read (not when the result came from the cache); read for a ChunkWork,
    # it holds only the claims the work kept
    ledger: Ledger | None = None
    # what was read, kept only so that its objects are not freed one by one before the process exits
    # (which takes a noticeable time for a hundred thousand claims)
    kept: Any = field(default=None, repr=False, compare=False)
    claim_files: list[str] = field(default_factory=list)  # the file that holds each claim of `claim_ids`
    work: Any = None  # the work the claims were read for, when one was asked


class ChunkWork(read.ChunkWork):
    """What a command does with each chunk of claims besides checking them (see read.ChunkWork), told also
    where the checks found each quote of the chunk."""

    def chunk(self, ledger: Ledger, records: list[ClaimRecord], settings: Settings,
              resolved: Sequence[Found | Missing | None] | None = None) -> list[ClaimRecord]:
        """`resolved`: where each quote of the chunk is (see checks.Context.resolved), when the checks found
        it; None when they did not run."""
        return []


def verify_claims(root: Path, options: Options, claim_ids: Sequence[str], progress: Progress | None = None) -> Verification:
    """What verify finds of the claims `claim_ids` (each must be in the ledger) and of the sources they quote,
    with the problems of the ledger as a whole; the claims in the order given."""
    from factcheck.checking.checks import narrow

    outcome = verify_ledger(root, options, progress, work=lambda: _Wanted(set(claim_ids)))
    assert outcome.ledger is not None
    records = [outcome.ledger.require(claim_id, outcome.claim_ids) for claim_id in claim_ids]
    return Verification(narrow(outcome.problems, records, set(claim_ids)), list(claim_ids), outcome.sources,
                        outcome.ledger, outcome.kept, [r.doc.path for r in records])


class _Wanted(ChunkWork):
    """Keeps the claims asked for."""

    def __init__(self, wanted: set[str]) -> None:
        self.wanted = wanted

    def chunk(self, ledger: Ledger, records: list[ClaimRecord], settings: Settings,
              resolved: Sequence[Found | Missing | None] | None = None) -> list[ClaimRecord]:
        return [record for record in records if record.claim.id in self.wanted]


def verify_ledger(root: Path, options: Options, progress: Progress | None = None, *,
                  work: Callable[[], ChunkWork] | None = None) -> Verification:
    """Every problem of the ledger at `root`; from the cache when no file changed since the same run today.

    Without `stale_after_days` in the options, the ledger's own setting applies. The ledger is read and
    checked a chunk of claims at a time, through the read path (see read). With `work` (what makes one),
    the claims are read even when the problems come from the cache, and the work sees each chunk of them
    as it is read; it is the result's `work`.
    """
    files = find_files(root)
    entry = None
    known: Verification | None = None
    sources: Ledger | None = None
    if cache.enabled():
        extra = f"{options.stale_after_days}|{options.today.isoformat()}"
        digests = None
        if work is not None:  # read for the work whatever the cache holds: hashed as they are read
            from factcheck.pipeline.store import read_sources

            sources = read_sources(files)
            digests = {s.snapshot_path: s.digest for s in sources.sources.values() if s.snapshot_path and s.digest}
        entry = "verify-" + cache.key(files, snapshots=True, extra=extra, digests=digests)
        hit = cache.read(root, entry)
        if isinstance(hit, dict):
            try:
                found = [Problem.from_row(p) for p in hit["problems"]]
                known = Verification(found, list(hit["claims"]), int(hit["sources"]), claim_files=list(hit["files"]))
            except (KeyError, IndexError, TypeError, ValueError):
                pass
    if known is not None and work is None:
        return known
    with collecting.paused():  # the checks make many objects too, and no cycles
        result = check_files(root, files, options, known is None, work, sources, progress)
    if known is not None:
        return Verification(known.problems, known.claim_ids, known.sources, result.ledger, result.kept,
                            known.claim_files, result.work)
    if entry is not None:
        cache.write(root, entry, {
            "problems": [p.as_row() for p in result.problems],
            "claims": result.claim_ids, "files": result.claim_files, "sources": result.sources})
    return result


def _with_settings(options: Options, settings: Settings) -> Options:
    """The options, with the ledger's own stale-after setting when none was asked for."""
    if options.stale_after_days is None and settings.stale_after_days is not None:
        return Options(settings.stale_after_days, options.today)
    return options


@functools.cache
def _runs() -> list[Check]:
    from factcheck.checking.checks import REGISTRY

    return [check for check in REGISTRY.values() if check.run is not None]


class _Checking(read.ChunkWork):
    """The checks of single claims, run on each chunk of claims as it is read (a read.ChunkWork).

    It keeps what they find and which sources the chunk quotes, and none of the claims: only what `work`
    keeps, if any. The checks of the ledger as a whole then run on `context()`.
    """

    def __init__(self, options: Options, check: bool, work: ChunkWork | None,
                 progress: tuple[Progress | None, int] = (None, 1)) -> None:
        self.options, self.check, self.work = options, check, work
        self.uses_snapshots = check or (work is not None and work.uses_snapshots)
        self.progress, self.steps = progress  # told of each chunk as step 0 of `steps`
        self.read = 0
        self.snapshots: dict[str, Any] = {}  # each snapshot folded once, for every chunk
        self.found: dict[str, list[Problem]] = {}  # by claims file
        self.used: dict[str, set[str]] = {}

    def chunk(self, ledger: Ledger, records: list[ClaimRecord], settings: Settings) -> list[ClaimRecord]:
        if not records:
            return []
        path = records[0].doc.path
        self.read += len(records)
        if self.progress is not None:
            self.progress(0, self.steps, f"{self.read:,} claims read")
        resolved = None
        if self.check:
            from factcheck.checking.checks import Context, claim_checks

            ctx = Context(ledger, _with_settings(self.options, settings), records, self.snapshots)
            self.found.setdefault(path, []).extend(claim_checks(ctx, _runs()))
            self.used.setdefault(path, set()).update(ref.quote.source for ref in ctx.quotes)
            resolved = ctx.resolved
        return [] if self.work is None else self.work.chunk(ledger, records, settings, resolved)

    def again(self, path: str) -> None:
        for kept in (self.found, self.used):
            kept.pop(path, None)
        if self.work is not None:
            self.work.again(path)

    def result(self) -> Any:
        return {"found": {path: [p.as_row() for p in found] for path, found in self.found.items()},
                "used": {path: sorted(used) for path, used in self.used.items()},
                "work": None if self.work is None else self.work.result()}

    def merge(self, theirs: Any) -> None:
        for path, rows in theirs["found"].items():
            self.found.setdefault(path, []).extend(map(Problem.from_row, rows))
        for path, used in theirs["used"].items():
            self.used.setdefault(path, set()).update(used)
        if self.work is not None:
            self.work.merge(theirs["work"])

    def problems(self) -> list[Problem]:
        return [p for _, found in sorted(self.found.items()) for p in found]

    def context(self, done: read.Read[_Checking], options: Options) -> Context:
        """A context for the checks of the ledger as a whole."""
        from factcheck.checking.checks import Context

        ctx = Context(done.ledger, options, [], self.snapshots)
        ctx.ids = done.ids
        ctx.used_sources = set().union(*self.used.values())
        return ctx


def check_files(root: Path, files: Mapping[str, bytes | Deferred | Refused], options: Options, check: bool,
             work: Callable[[], ChunkWork] | None, sources: Ledger | None = None,
             progress: Progress | None = None) -> Verification:
    """The ledger of `files` (found at `root`) read through the read path, each chunk checked as it comes
    (and given to a `work`, if any), then the checks of the ledger as a whole; no cached result is used."""
    whole = [one for one in _runs() if one.scope in ("sources", "ledger")]
    steps = 1 + len(whole) if check else 1  # the claims, then each check of the ledger as a whole
    here = os.getpid()

    def shown(done: int, total: int, what: str) -> None:  # by this process only, not a forked share
        if progress is not None and os.getpid() == here:
            progress(done, total, what)

    done = read.read(root, files, lambda: _Checking(options, check, None if work is None else work(), (shown, steps)),
                     sources=sources)
    checking, ledger = done.work, done.ledger
    if progress is not None:
        progress(1, steps, f"{len(done.ids):,} claims read")
    found: list[Problem] = []
    if check:
        ctx = checking.context(done, _with_settings(options, ledger.settings))
        found = [*ledger.problems, *checking.problems()]
        for step, one in enumerate(whole, 2):
            assert one.run is not None
            found.extend(one.run(ctx))
            if progress is not None:
                progress(step, steps, one.code)
        found.sort(key=Problem.sort_key)
    return Verification(found, [claim_id for claim_id, _, _ in done.ids], len(ledger.sources), ledger,
                        kept=done, claim_files=[doc.path for _, doc, _ in done.ids], work=checking.work)
