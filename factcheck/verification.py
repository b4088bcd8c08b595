"""`verify` as a whole: the cached result when nothing changed, else the ledger read and checked, a large
one in two shares at once (the second in a forked process). The checks themselves are in checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factcheck import cache, collecting, forked
from factcheck.checks import REGISTRY, Context, Options, Progress, claim_checks, run_checks
from factcheck.errors import Problem
from factcheck.ledgerfiles import find_files
from factcheck.store import SHARE_FROM_BYTES, Ledger, build_share, claims_size, load_files


@dataclass(frozen=True)
class Verification:
    """What verify found, with the claims and sources it looked at."""

    problems: list[Problem]
    claim_ids: list[str]
    sources: int
    ledger: Ledger | None = None  # the ledger, when it had to be read (not when the result came from the cache)
    # a share of the ledger that was read, kept only so that its objects are not freed one by one before the
    # process exits (which takes a noticeable time for a hundred thousand claims)
    kept: Any = field(default=None, repr=False, compare=False)


def verify_ledger(root: Path, options: Options, progress: Progress | None = None, *,
                  whole: bool = False) -> Verification:
    """Every problem of the ledger at `root`; from the cache when no file changed since the same run today.

    Without `stale_after_days` in the options, the ledger's own setting applies. A large ledger is read
    and checked in two shares, one in a forked process (see `_verify_in_shares`); with `whole`, the
    result keeps the whole ledger it read, for a caller that needs it next.
    """
    files = find_files(root)
    entry = None
    if cache.enabled():
        extra = f"{options.stale_after_days}|{options.today.isoformat()}"
        entry = "verify-" + cache.key(files, snapshots=True, extra=extra)
        hit = cache.read(root, entry)
        if isinstance(hit, dict):
            try:
                found = [Problem.from_row(p) for p in hit["problems"]]
                return Verification(found, list(hit["claims"]), int(hit["sources"]))
            except (KeyError, IndexError, TypeError, ValueError):
                pass
    if progress is not None:
        progress(0, 1, "reading the ledger")
    with collecting.paused():  # the checks make many objects too, and no cycles
        shared = None if whole or claims_size(files) < SHARE_FROM_BYTES else \
            _verify_in_shares(files, options, progress)
        if shared is not None:
            result = shared
        else:
            ledger = load_files(root, files)
            found = run_checks(ledger, _with_settings(options, ledger), progress=progress)
            result = Verification(found, [r.claim.id for r in ledger.claims], len(ledger.sources), ledger)
    found = result.problems
    if entry is not None:
        cache.write(root, entry, {
            "problems": [p.as_row() for p in found],
            "claims": result.claim_ids, "sources": result.sources})
    return result


def _with_settings(options: Options, ledger: Ledger) -> Options:
    """The options, with the ledger's own stale-after setting when none was asked for."""
    if options.stale_after_days is None and ledger.settings.stale_after_days is not None:
        return Options(ledger.settings.stale_after_days, options.today)
    return options


def _verify_in_shares(files: Mapping[str, Any], options: Options,
                      progress: Progress | None = None) -> Verification | None:
    """Verify with the claims read and checked in two shares, the second in a forked process.

    Reading the claims (parsing and validating) is most of a cold run, and it splits cleanly: each process
    reads every other chunk of claims (see store.build_share) and checks its own claims; this one then
    runs the checks of the ledger as a whole on both shares' ids and quoted sources. The ledger's own
    cache entry is left to the commands that read it whole (here it would cost half a second). Problems met on
    reading can only be the sources' (both shares read them all): this share reports them. None when the
    ledger cannot be read in shares (a file that needs the exact reader, no fork, the fork failed): the
    caller then reads it whole.
    """
    runs = [check for check in REGISTRY.values() if check.run is not None]

    def other_share() -> dict[str, Any] | None:  # what the forked process does
        ledger = build_share(files, (1, 2))
        if ledger is None:
            return None
        ctx = Context(ledger, _with_settings(options, ledger))
        found = claim_checks(ctx, runs)
        ids: dict[str, list[str]] = {}
        for record in ledger.claims:  # each file's in order
            ids.setdefault(record.doc.path, []).append(record.claim.id)
        return {"problems": [p.as_row() for p in found], "used": sorted({ref.quote.source for ref in ctx.quotes}),
                "ids": ids}

    helper = forked.start(other_share)
    if helper is None:
        return None
    ledger = build_share(files, (0, 2))
    if ledger is None:
        helper()  # reap it; the caller reads the ledger whole
        return None
    if progress is not None:
        progress(1, 3, "checking the claims")
    ctx = Context(ledger, _with_settings(options, ledger))
    found = [*ledger.problems, *claim_checks(ctx, runs)]
    for check in runs:  # meanwhile, the checks of the sources alone
        if check.scope == "sources":
            assert check.run is not None
            found.extend(check.run(ctx))
    theirs = helper()
    if theirs is forked.FAILED or theirs is None:
        return None
    documents = {record.doc.path: record.doc for record in ledger.claims}
    if set(theirs["ids"]) - set(documents):
        return None  # a file only the other share read: its claims cannot be located here
    for path, doc in documents.items():  # the other share's ids fill the places this one left empty, in order
        given = iter(theirs["ids"].get(path, ()))
        doc.claim_ids = [claim_id if claim_id is not None else next(given, None) for claim_id in doc.claim_ids]
        if None in doc.claim_ids or next(given, None) is not None:
            return None
    ctx.ids = [(claim_id, doc, ("claims", index)) for _, doc in sorted(documents.items())
               for index, claim_id in enumerate(doc.claim_ids)]
    ctx.used_sources = {ref.quote.source for ref in ctx.quotes} | set(theirs["used"])
    if progress is not None:
        progress(2, 3, "checking the ledger")
    for check in runs:
        if check.scope == "ledger":
            assert check.run is not None
            found.extend(check.run(ctx))
    found.extend(Problem.from_row(p) for p in theirs["problems"])
    if progress is not None:
        progress(3, 3, "done")
    return Verification(sorted(found, key=Problem.sort_key), [claim_id for claim_id, _, _ in ctx.ids],
                        len(ledger.sources), kept=(ledger, ctx))
