"""`verify` as a whole: the cached result when nothing changed, else the ledger read and checked, a large
one a chunk of claims at a time in two shares at once (the second in a forked process). The checks
themselves are in checks."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from factcheck.checking.options import Options, Progress
from factcheck.errors import Problem
from factcheck.ledger.ledgerfiles import CLAIMS_DIR, CLAIMS_FILE, Deferred, Refused, find_files
from factcheck.pipeline import cache, collecting, forked, shares
from factcheck.pipeline.shares import claims_size, is_claims_file

if TYPE_CHECKING:  # a cached result is served without the checks, the models or the store
    from factcheck.checking.anchor import Found, Missing
    from factcheck.checking.checks import Check, Context
    from factcheck.ledger.model import Settings
    from factcheck.pipeline.store import ClaimRecord, Ledger
    from factcheck.yamlio.yamlsrc import Document, Path_


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


class ChunkWork(Protocol):
    """What a command does with each chunk of claims besides checking them (see store.EachChunk).

    Read in two shares, the forked process's work sends back `result()` (marshallable) and this process's
    work takes it in with `merge`, given this process's ledger.
    """

    def chunk(self, ledger: Ledger, records: list[ClaimRecord], settings: Settings,
              resolved: Sequence[Found | Missing | None] | None = None) -> list[ClaimRecord]:
        """`resolved`: where each quote of the chunk is (see checks.Context.resolved), when the checks found
        it; None when they did not run."""
        ...

    def again(self, path: str) -> None: ...

    def result(self) -> Any: ...

    def merge(self, theirs: Any, ledger: Ledger, documents: Mapping[str, Document]) -> None: ...


def verify_ledger(root: Path, options: Options, progress: Progress | None = None, *,
                  whole: bool = False, work: ChunkWork | None = None) -> Verification:
    """Every problem of the ledger at `root`; from the cache when no file changed since the same run today.

    Without `stale_after_days` in the options, the ledger's own setting applies. A large ledger is read
    and checked in two shares, one in a forked process (see `_in_shares`), unless `whole` is asked.
    With `work`, the claims are read even when the problems come from the cache, and `work` sees each
    chunk of them as it is read (see ChunkWork).
    """
    files = find_files(root)
    large = not whole and claims_size(files) >= shares.SHARE_FROM_BYTES
    entry = None
    known: Verification | None = None
    sources: Ledger | None = None
    if cache.enabled():
        extra = f"{options.stale_after_days}|{options.today.isoformat()}"
        digests = None
        if large and work is not None:  # read for the work whatever the cache holds: hashed as they are read
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
    if progress is not None:
        progress(0, 1, "reading the ledger")
    check = known is None
    with collecting.paused():  # the checks make many objects too, and no cycles
        result = None
        if large:
            result = _in_shares(files, options, progress, check, work, sources)
        if result is None and (large or work is not None):  # in one process, still a chunk at a time
            if work is not None:
                _forget(work, files)
            result = _in_chunks(root, files, options, check, work)
        if result is None:
            from factcheck.checking.checks import run_checks
            from factcheck.pipeline.store import load_files

            ledger = load_files(root, files)
            found = run_checks(ledger, _with_settings(options, ledger.settings), progress=progress) if check else []
            result = Verification(found, [r.claim.id for r in ledger.claims], len(ledger.sources), ledger,
                                  claim_files=[r.doc.path for r in ledger.claims])
            if work is not None:  # the work of each file's claims as one chunk
                _forget(work, files)
                by_file: dict[str, list[ClaimRecord]] = {}
                for record in ledger.claims:
                    by_file.setdefault(record.doc.path, []).append(record)
                ledger.claims = [kept for records in by_file.values()
                                 for kept in work.chunk(ledger, records, ledger.settings)]
    if known is not None:
        return Verification(known.problems, known.claim_ids, known.sources, result.ledger, result.kept,
                            known.claim_files)
    if entry is not None:
        cache.write(root, entry, {
            "problems": [p.as_row() for p in result.problems],
            "claims": result.claim_ids, "files": result.claim_files, "sources": result.sources})
    return result


def _forget(work: ChunkWork, files: Mapping[str, Any]) -> None:
    """Make `work` forget every claims file it may have seen, before they are read again."""
    for name in files:
        if name == CLAIMS_FILE or name.startswith(CLAIMS_DIR + "/"):
            work.again(name)


def _with_settings(options: Options, settings: Settings) -> Options:
    """The options, with the ledger's own stale-after setting when none was asked for."""
    if options.stale_after_days is None and settings.stale_after_days is not None:
        return Options(settings.stale_after_days, options.today)
    return options


@functools.cache
def _runs() -> list[Check]:
    from factcheck.checking.checks import REGISTRY

    return [check for check in REGISTRY.values() if check.run is not None]


class _Checking:
    """The checks of single claims, run on each chunk of claims as it is read (see store.EachChunk).

    It keeps what they find and which sources the chunk quotes, and none of the claims: only what `work`
    keeps, if any. The checks of the ledger as a whole then run on `context()`.
    """

    def __init__(self, options: Options, check: bool, work: ChunkWork | None) -> None:
        self.options, self.check, self.work = options, check, work
        self.snapshots: dict[str, Any] = {}  # each snapshot folded once, for every chunk
        self.found: dict[str, list[Problem]] = {}  # by claims file
        self.used: dict[str, set[str]] = {}
        self.ids: dict[str, list[tuple[str, Document, Path_]]] = {}
        self.stale_after: set[int | None] = set()  # the settings each chunk was checked with

    def chunk(self, ledger: Ledger, records: list[ClaimRecord], settings: Settings) -> list[ClaimRecord]:
        if not records:
            return []
        path = records[0].doc.path
        self.ids.setdefault(path, []).extend((r.claim.id, r.doc, r.path) for r in records)
        resolved = None
        if self.check:
            options = _with_settings(self.options, settings)
            self.stale_after.add(options.stale_after_days)
            from factcheck.checking.checks import Context, claim_checks

            ctx = Context(ledger, options, records, self.snapshots)
            self.found.setdefault(path, []).extend(claim_checks(ctx, _runs()))
            self.used.setdefault(path, set()).update(ref.quote.source for ref in ctx.quotes)
            resolved = ctx.resolved
        return [] if self.work is None else self.work.chunk(ledger, records, settings, resolved)

    def again(self, path: str) -> None:
        for kept in (self.found, self.used, self.ids):
            kept.pop(path, None)
        if self.work is not None:
            self.work.again(path)

    def problems(self) -> list[Problem]:
        return [p for _, found in sorted(self.found.items()) for p in found]

    def context(self, ledger: Ledger, options: Options) -> Context | None:
        """A context for the checks of the ledger as a whole; None when a chunk was checked with settings
        other than the ledger's (its settings were in a claims file read after that chunk's)."""
        if self.stale_after - {options.stale_after_days}:
            return None
        from factcheck.checking.checks import Context

        ctx = Context(ledger, options, [], self.snapshots)
        ctx.ids = [one for _, ids in sorted(self.ids.items()) for one in ids]
        ctx.used_sources = set().union(*self.used.values())
        return ctx


def _whole_checks(ctx: Context, scopes: tuple[str, ...]) -> list[Problem]:
    found: list[Problem] = []
    for check in _runs():
        if check.scope in scopes:
            assert check.run is not None
            found.extend(check.run(ctx))
    return found


def _in_chunks(root: Path, files: Mapping[str, bytes | Deferred | Refused], options: Options, check: bool,
               work: ChunkWork | None) -> Verification | None:
    """Verify in this process, a chunk of claims at a time, with `work` (if any) done on each chunk; None
    when the chunks were checked with other settings than the ledger's (the caller reads the ledger whole)."""
    from factcheck.pipeline.store import load_files

    checking = _Checking(options, check, work)
    ledger = load_files(root, files, each=checking)
    ctx = checking.context(ledger, _with_settings(options, ledger.settings))
    if ctx is None:
        return None
    found = [*ledger.problems, *checking.problems(), *_whole_checks(ctx, ("sources", "ledger"))] if check else []
    return Verification(sorted(found, key=Problem.sort_key), [claim_id for claim_id, _, _ in ctx.ids],
                        len(ledger.sources), ledger, kept=(ctx, checking), claim_files=[doc.path for _, doc, _ in ctx.ids])


def _in_shares(files: Mapping[str, bytes | Deferred | Refused], options: Options, progress: Progress | None,
               check: bool, work: ChunkWork | None, sources: Ledger | None = None) -> Verification | None:
    """Verify with the claims read and checked in two shares, the second in a forked process.

    Reading the claims (parsing and validating) is most of a cold run, and it splits cleanly: each process
    reads every other chunk of claims (see store.build_share) and checks each chunk as it comes, keeping
    none of its claims (only what `work` keeps); this one then runs the checks of the ledger as a whole on
    both shares' ids and quoted sources. The ledger's own cache entry is left to the commands that read it
    whole (here it would cost half a second). Problems met on reading can only be the sources' (both
    shares read them all): this share reports them. None when the ledger cannot be read in shares (a file
    that needs the exact reader, no fork, the fork failed, settings read after the claims they govern):
    the caller then reads it in one process.
    """
    from factcheck.pipeline.store import build_share, read_sources

    def other_share() -> dict[str, Any] | None:  # what the forked process does
        checking = _Checking(options, check, work)
        ledger = build_share(files, (1, 2), each=checking, sources=sources)
        if ledger is None or checking.context(ledger, _with_settings(options, ledger.settings)) is None:
            return None
        ids = {path: [(place[1], claim_id) for claim_id, _, place in ids] for path, ids in checking.ids.items()}
        read = [p for p in ledger.problems if is_claims_file(p.location.path)]  # the sources' are this one's too
        return {"problems": [p.as_row() for p in [*read, *checking.problems()]],
                "used": sorted(set().union(*checking.used.values())), "ids": ids,
                "work": None if work is None else work.result()}

    if sources is None:
        sources = read_sources(files)  # once, for both processes to share
    helper = forked.start(other_share)
    if helper is None:
        return None
    checking = _Checking(options, check, work)
    ledger = build_share(files, (0, 2), each=checking, sources=sources)
    ctx = None if ledger is None else checking.context(ledger, _with_settings(options, ledger.settings))
    if ledger is None or ctx is None:
        helper()  # reap it; the caller reads the ledger whole
        return None
    if progress is not None:
        progress(1, 3, "checking the claims")
    found = [*ledger.problems, *checking.problems(), *_whole_checks(ctx, ("sources",))] if check else []
    theirs = helper()
    if theirs is forked.FAILED or theirs is None:
        return None
    documents = {doc.path: doc for ids in checking.ids.values() for _, doc, _ in ids[:1]}
    if set(theirs["ids"]) - set(documents):
        return None  # a file only the other share read: its claims cannot be located here
    for path, doc in documents.items():  # the other share's ids go in the places this one left empty
        for index, claim_id in theirs["ids"].get(path, ()):
            if doc.claim_ids[index] is not None:
                return None
            doc.claim_ids[index] = claim_id
    # (a place left empty is a claim that failed validation: it has no id)
    ctx.ids = [(claim_id, doc, ("claims", index)) for _, doc in sorted(documents.items())
               for index, claim_id in enumerate(doc.claim_ids) if claim_id is not None]
    ctx.used_sources |= set(theirs["used"])
    if work is not None:
        work.merge(theirs["work"], ledger, documents)
    if progress is not None:
        progress(2, 3, "checking the ledger")
    if check:
        found.extend(_whole_checks(ctx, ("ledger",)))
        found.extend(Problem.from_row(p) for p in theirs["problems"])
    if progress is not None:
        progress(3, 3, "done")
    return Verification(sorted(found, key=Problem.sort_key), [claim_id for claim_id, _, _ in ctx.ids],
                        len(ledger.sources), ledger, kept=(ctx, checking), claim_files=[doc.path for _, doc, _ in ctx.ids])

