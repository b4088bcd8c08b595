"""The read path every command takes, in one place.

1. The ledger's files are found (ledgerfiles.find_files; a command that keys a result on them finds them
   first and passes them in).
2. Its sources are read, then each claims file a chunk of claims at a time: from the cache when the file is
   unchanged, else parsed and validated (store).
3. The command's work (a ChunkWork) is given each chunk as it comes: rows for `list`, checks for `verify`,
   rendered parts for `report`, the claims with a subject for `diff`, the claims an edit changes. A work
   that keeps only a few claims (an edit) has the others passed over unvalidated, their ids and texts
   alone given to it (store.Skim): an edit checks the claims it changes, not the whole ledger.
4. One merge.

A ledger whose claims files reach the size rule (shares.SHARE_FROM_BYTES) is read in two shares, every
other chunk, the second in a forked process. That is decided here and nowhere else: a work never knows
which happened. It is given chunks in either process; in the fork its `result()` is sent back and given to
this process's work to `merge`, and the claims it kept come back with it. Whatever stops the shares (no
fork, a file that needs the exact reader, the fork failing) reads the ledger in this process instead, with
a new work, so a result never depends on how it was read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from factcheck.errors import Problem
from factcheck.ledger.ledgerfiles import Deferred, Refused
from factcheck.pipeline import collecting, forked, shares

if TYPE_CHECKING:
    from factcheck.ledger.model import Settings
    from factcheck.pipeline.store import ClaimRecord, Ledger, Skim
    from factcheck.yamlio.yamlsrc import Document, Path_


class ChunkWork:
    """What a command does with each chunk of claims as the ledger is read; this one keeps them all.

    `chunk` returns the claims of the chunk the ledger is to keep. A work with a result of its own (counts,
    rows, problems) gives it, marshallable, as `result()` in a forked share, and takes the other share's in
    with `merge`.
    """

    uses_snapshots = False  # True for a work that reads every snapshot: read once, before a fork, for both

    def chunk(self, ledger: Ledger, records: list[ClaimRecord], settings: Settings) -> list[ClaimRecord]:
        """The claims of `records` to keep; `settings` are the ledger's."""
        return records

    def again(self, path: str) -> None:
        """The claims file at `path` is read again from its start: forget what its chunks gave."""

    def skim(self) -> Skim | None:
        """For a work that keeps only a few claims and needs no more than the ids and texts of the others: how
        they are passed over without being validated (see store.Skim). None: every claim is validated."""
        return None

    def result(self) -> Any:
        return None

    def merge(self, theirs: Any) -> None:
        """Take in the `result()` of the same work done on the other share."""


W = TypeVar("W", bound=ChunkWork)
Files = Mapping[str, bytes | Deferred | Refused]


@dataclass
class Read(Generic[W]):
    """A ledger read through a work: the ledger (with the claims the work kept, in ledger order), the work,
    and every claim read, as (id, document, path) in ledger order, kept or not."""

    ledger: Ledger
    work: W
    ids: list[tuple[str, Document, Path_]] = field(default_factory=list)

    @property
    def documents(self) -> dict[str, Document]:
        """Each claims file's document, by path."""
        return {doc.path: doc for _, doc, _ in self.ids}


def read(root: Path, files: Files, make: Callable[[], W], *, fill_cache: bool = True,
         sources: Ledger | None = None) -> Read[W]:
    """The ledger made of `files` (found at `root`), each chunk of its claims given to a work made by `make`.

    `sources`: the ledger's sources, when the caller has read them already (see store.read_sources).
    Commands about to change the ledger pass `fill_cache=False` (see store.load_files).
    """
    with collecting.paused():
        work = make()
        if shares.claims_size(files) >= shares.SHARE_FROM_BYTES:
            done = _in_shares(root, files, work, sources, fill_cache)
            if done is not None:
                return done
            work = make()  # the first may have seen some chunks
        return _in_one(root, files, work, fill_cache, sources)


class _Tracked(Generic[W]):
    """A work's chunks, noted as they pass: every claim's id and place, and the settings each chunk had."""

    def __init__(self, work: W) -> None:
        self.work = work
        self.ids: dict[str, list[tuple[str, Document, Path_]]] = {}
        self.settings: list[Settings] = []
        self.skimmed = False  # claims were passed over: the ids of a chunk did not come in the file's order

    def chunk(self, ledger: Ledger, records: list[ClaimRecord], settings: Settings) -> list[ClaimRecord]:
        if records:
            self.ids.setdefault(records[0].doc.path, []).extend((r.claim.id, r.doc, r.path) for r in records)
        if not any(settings is seen for seen in self.settings):
            self.settings.append(settings)
        return self.work.chunk(ledger, records, settings)

    def again(self, path: str) -> None:
        self.ids.pop(path, None)
        self.work.again(path)

    def skim(self) -> Skim | None:
        skim = self.work.skim()
        if skim is None:
            return None
        from factcheck.pipeline.store import Skim

        def passed(doc: Document, items: list[tuple[int, str, str]]) -> None:
            self.ids.setdefault(doc.path, []).extend((claim_id, doc, ("claims", index)) for index, claim_id, _ in items)
            self.skimmed = True
            skim.passed(doc, items)

        return Skim(skim.wants, passed)

    def ordered(self) -> list[tuple[str, Document, Path_]]:
        if self.skimmed:
            return [one for _, ids in sorted(self.ids.items()) for one in sorted(ids, key=lambda one: one[2][1])]
        return [one for _, ids in sorted(self.ids.items()) for one in ids]

    def settled(self, ledger: Ledger) -> bool:
        """True when every chunk had the ledger's settings (not those known before a later file gave them)."""
        return all(seen == ledger.settings for seen in self.settings)


def _in_one(root: Path, files: Files, work: W, fill_cache: bool, sources: Ledger | None) -> Read[W]:
    from factcheck.pipeline.store import load_files

    tracked = _Tracked(work)
    ledger = load_files(root, files, fill_cache=fill_cache, each=tracked, sources=sources)
    if not tracked.settled(ledger):
        # a chunk was read before the claims file that holds the ledger's settings: read again with them
        for name in files:
            if shares.is_claims_file(name):
                tracked.again(name)
        tracked.settings = []
        ledger = load_files(root, files, fill_cache=fill_cache, each=tracked, sources=sources,
                            settings=ledger.settings)
    return Read(ledger, work, tracked.ordered())


def _in_shares(root: Path, files: Files, work: W, sources: Ledger | None, fill_cache: bool = True) -> Read[W] | None:
    """The ledger read in two shares, every other chunk of each claims file, the second in a forked process
    (see store.build_share), `work` doing each one's (made before the fork, so a work can hold what both
    processes share, such as a spool); None when it cannot be read so.

    The claims files are shared out by shares.plan: small files whole to one share or the other (through
    their own cache entries), large ones every other chunk. The ledger's settings are read first, so both
    shares check every chunk with them. Both processes read all the sources (once, before the fork, when
    they are not given). Problems met reading them are this share's to report; the fork sends back those of
    its claims, every claim's id by place, the claims its work kept (as data) and its work's result.
    """
    from factcheck.ledger.ledgerfiles import as_bytes
    from factcheck.ledger.model import Claim, as_data
    from factcheck.ledger.validation import valid
    from factcheck.pipeline.store import ClaimRecord, Share, build_share, file_settings, read_sources
    from factcheck.yamlio.yamlsrc import Document, without_bom

    known, settings = file_settings(files)
    if not known:
        return None
    plan = shares.plan(files)

    def share(which: int) -> tuple[Ledger, _Tracked[W]] | None:
        tracked = _Tracked(work)  # in the fork, its copy: made before it, so they can share what it holds
        ledger = build_share(files, Share(which, plan), each=tracked, sources=sources, settings=settings, root=root)
        if ledger is None or not tracked.settled(ledger):
            return None
        return ledger, tracked

    def other() -> dict[str, Any] | None:  # what the forked process does
        read = share(1)
        if read is None:
            return None
        ledger, tracked = read
        documents = {doc.path: doc for ids in tracked.ids.values() for _, doc, _ in ids[:1]}
        return {"ids": {path: doc.claim_ids for path, doc in documents.items()},
                "problems": [p.as_row() for p in ledger.problems if shares.is_claims_file(p.location.path)],
                "kept": [(r.doc.path, r.path[1], as_data(r.claim))
                         for r in ledger.claims],
                "work": tracked.work.result()}

    if sources is None:
        sources = read_sources(files, snapshots=work.uses_snapshots, root=root, fill=fill_cache)  # once, for both
    helper = forked.start(other)
    if helper is None:
        return None
    mine = share(0)
    theirs = helper()
    if mine is None or theirs is forked.FAILED or theirs is None:
        return None
    ledger, tracked = mine
    documents = {doc.path: doc for ids in tracked.ids.values() for _, doc, _ in ids[:1]}
    for path, ids_there in theirs["ids"].items():  # the other share's ids go in the places this one left empty
        doc = documents.get(path)
        raw = files[path]
        if doc is None and not isinstance(raw, Refused):
            # a file the other share read whole: located here from its bytes, when a problem asks
            doc = documents[path] = Document(path, raw=without_bom(as_bytes(raw)))
            doc.claim_ids = [None] * len(ids_there)
        if doc is None or len(doc.claim_ids) != len(ids_there):
            return None
        for index, claim_id in enumerate(ids_there):
            if claim_id is not None:
                if doc.claim_ids[index] is not None:
                    return None
                doc.claim_ids[index] = claim_id
    # (a place left empty is a claim that failed validation: it has no id)
    ids: list[tuple[str, Document, Path_]] = [(claim_id, doc, ("claims", index)) for _, doc in sorted(documents.items())
           for index, claim_id in enumerate(doc.claim_ids) if claim_id is not None]
    ledger.problems.extend(Problem.from_row(p) for p in theirs["problems"])
    for path, index, data in theirs["kept"]:
        claim = valid(Claim, data)
        if claim is None:  # (it was valid in the other process)
            return None
        ledger.claims.append(ClaimRecord(claim, documents[path], ("claims", index)))
    ledger.claims.sort(key=lambda record: (record.doc.path, record.path[1]))
    tracked.work.merge(theirs["work"])
    return Read(ledger, tracked.work, ids)
