"""Find and load a ledger (claims.yaml or claims/, and sources/) into one Ledger value."""

from __future__ import annotations

import datetime as dt
import marshal
import pickle
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import msgspec

from factcheck.errors import FactcheckError, Location, Problem, did_you_mean
from factcheck.ledger.folder import SOURCES_DIR
from factcheck.ledger.ledgerfiles import Deferred, Refused, as_bytes, find_files
from factcheck.ledger.model import SLUG_RE, Claim, Settings, as_data
from factcheck.ledger.sources import SourceRecord, load_sources, parse_metadata, read_snapshots
from factcheck.ledger.validation import valid, valid_each
from factcheck.pipeline import cache, collecting, forked
from factcheck.pipeline.shares import is_claims_file
from factcheck.yamlio import fastyaml
from factcheck.yamlio.fastyaml import CHUNK, is_plain
from factcheck.yamlio.spans import FlowSpan, claim_starts, flow_claims
from factcheck.yamlio.yamlsrc import Document, Path_, decode, parse, without_bom


@dataclass(frozen=True)
class ClaimRecord:
    """A validated claim with the document and path it was read from."""

    claim: Claim
    doc: Document
    path: Path_

    def locate(self, *sub: str | int, key: bool = False) -> Location:
        return self.doc.locate((*self.path, *sub), key=key)


@dataclass
class Ledger:
    """Everything read from a ledger, with the problems met while reading it."""

    settings: Settings = field(default_factory=Settings)
    claims: list[ClaimRecord] = field(default_factory=list)
    sources: dict[str, SourceRecord] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def find(self, claim_id: str) -> ClaimRecord | None:
        for record in self.claims:
            if record.claim.id == claim_id:
                return record
        return None

    def require(self, claim_id: str, known: Iterable[str] | None = None) -> ClaimRecord:
        """The claim with this id, or an error that suggests the closest ids (of `known`, when the ledger
        was read keeping only some claims)."""
        record = self.find(claim_id)
        if record is None:
            unreadable = [p for p in self.problems if p.code in UNREADABLE_CODES]
            if unreadable:  # the claim may be in the part that cannot be read: name where, not "no claim"
                first = unreadable[0]
                raise FactcheckError(f"{first.location}: {first.code}: {first.message}; fix the file first "
                                     f"(claim {claim_id!r} may be in what cannot be read)")
            broken = " (or it failed to load: run 'factcheck verify')" if self.problems else ""
            hint = did_you_mean(claim_id, set(known) if known is not None else {r.claim.id for r in self.claims})
            raise FactcheckError(f"no claim with id {claim_id!r}{broken}{hint}")
        return record


# Codes that stop a claims file being read at all, or read whole.
UNREADABLE_CODES = frozenset({"yaml-syntax", "yaml-depth", "yaml-alias", "yaml-tag", "file-too-large"})

MARSHAL_VERSION = 2  # without shared references: much quicker to write and read for data like a ledger's
_MSGPACK = msgspec.msgpack.Encoder()


def _chunk_bytes(data: list[Any]) -> bytes:
    """A chunk of claims' plain data as its cache entry keeps it: MessagePack, written in C (dates as ISO
    text: a quarter of the time of making them text in Python and marshalling), or marshal for what
    MessagePack cannot hold (an integer beyond 64 bits); the first byte says which."""
    try:
        return b"m" + _MSGPACK.encode(data)
    except (msgspec.EncodeError, OverflowError, TypeError):
        return b"M" + marshal.dumps([_json_dates(claim) if isinstance(claim, dict) else claim for claim in data],
                                    MARSHAL_VERSION)


def _chunk_data(chunk: bytes) -> Any:
    """The plain data of a chunk kept by `_chunk_bytes` (ValueError for bytes it did not write)."""
    if chunk[:1] == b"m":
        try:
            return msgspec.msgpack.decode(chunk[1:])
        except msgspec.DecodeError as exc:
            raise ValueError("not a chunk") from exc
    if chunk[:1] == b"M":
        return marshal.loads(chunk[1:])
    raise ValueError("not a chunk")


class EachChunk(Protocol):
    """What a command does with each chunk of claims as it is read (the ledger's sources are read first).

    A command that needs only some claims, or only what it makes of them, keeps its memory from growing
    with the ledger: the ledger keeps only the claims `chunk` returns.
    """

    def chunk(self, ledger: Ledger, records: list[ClaimRecord], settings: Settings) -> list[ClaimRecord]:
        """The claims of `records` to keep; `settings` are the ledger's as far as they are read yet."""

    def again(self, path: str) -> None:
        """The claims file at `path` is read again from its start (the fast reader gave up on it halfway):
        forget what its chunks gave."""

    def skim(self) -> Skim | None:
        """How the claims it will not keep are passed over without being validated (see Skim); None: every
        claim is validated and given to `chunk`."""


@dataclass(frozen=True)
class Skim:
    """How a work that keeps only a few claims passes over the others (an edit, which changes one claim and
    needs only the ids and texts of the rest).

    `wants` is given each claim's data as the fast reader read it, before validation: True for a claim the
    work may keep, which is validated and given to `chunk` as ever. Each other claim is given to `passed`,
    with the other claims of its chunk the work did not want, as (its index in the file, its id, its text),
    and is never validated. Only a claim read as a mapping with a well-formed id and a text can be passed
    over: any other is validated, and a chunk with one that fails is read exactly, with its problems. A
    claims file with a merge key (`<<`), which only validation finds, is validated whole, and a chunk with
    claims passed over is never cached.
    """

    wants: Callable[[Mapping[str, Any]], bool]
    passed: Callable[[Document, list[tuple[int, str, str]]], None]


def load_ledger(root: Path, *, fill_cache: bool = True) -> Ledger:
    """Load the whole ledger at `root` from disk, through the cache of validated data when it can.

    Commands that are about to change the ledger pass `fill_cache=False`: they read the cache but
    never add an entry that their own write is about to make useless.
    """
    return load_files(root, find_files(root), fill_cache=fill_cache)


def load_files(root: Path, files: Mapping[str, bytes | Deferred | Refused], *, fill_cache: bool = True,
               each: EachChunk | None = None, sources: Ledger | None = None, settings: Settings | None = None) -> Ledger:
    """The ledger made of files already found at `root`, each claims file (and the sources' metadata) through
    its own cache entry when it can: an edit to one claims file of a `claims/` ledger reads only that file.

    With `each`, the ledger keeps only the claims it returns for each chunk (see EachChunk). `sources`: the
    ledger's sources already read (see read_sources). `settings`: the ledger's settings, known from an
    earlier read, for every chunk (else each chunk has those read so far). Commands about to change the
    ledger pass `fill_cache=False`: they read the cache but add no entry their own write makes useless.
    """
    entries = _Entries(root, fill_cache) if cache.enabled() else None
    with collecting.paused():
        ledger = _build_ledger(files, None, each, sources, settings, entries)
    assert ledger is not None
    return ledger


def build_ledger(files: Mapping[str, bytes | Deferred | Refused], *, each: EachChunk | None = None) -> Ledger:
    """Build a ledger from its files' bytes, keyed by path relative to the ledger root (no cache). With
    `each`, see EachChunk."""
    with collecting.paused():
        ledger = _build_ledger(files, each=each)
        assert ledger is not None
        return ledger


def read_sources(files: Mapping[str, bytes | Deferred | Refused], *, snapshots: bool = True,
                 root: Path | None = None, fill: bool = True) -> Ledger:
    """A ledger of the sources alone, their snapshots read and decoded: for processes about to share out
    the claims, which then hold one copy of them between them (see build_share). Without `snapshots`, for
    work that does not look into them, they are left to be read when first needed. With `root`, the
    metadata comes through its cache entry (written when it is missing, unless not to `fill`)."""
    return _read_sources(files, snapshots, _Entries(root, fill) if root is not None and cache.enabled() else None)


def _read_sources(files: Mapping[str, bytes | Deferred | Refused], snapshots: bool, entries: _Entries | None) -> Ledger:
    """read_sources, through `entries` when given."""
    with collecting.paused():
        cached = entries.sources(files) if entries is not None else None
        names = sorted(name for name in files if name.startswith(SOURCES_DIR + "/") and name.endswith(".yaml"))
        # Many sources: a forked process parses half their metadata while this one parses the other half and
        # reads and decodes the snapshots.
        many = cached is None and len(names) >= FORK_SOURCES_FROM
        theirs = {name: files[name] for name in names[1::2]} if many else {}
        helper = forked.start(lambda: pickle.dumps(parse_metadata(theirs))) if many else None
        contents = read_snapshots(files) if snapshots else None
        parsed = None
        if helper is not None:
            parsed = parse_metadata({name: files[name] for name in names[0::2]})
            made = helper()
            parsed = None if made is forked.FAILED else {**parsed, **pickle.loads(made)}  # from this program's fork
        if parsed is None and cached is None:
            parsed = parse_metadata(files)  # (together, when they can be: see parse_metadata)
        ledger = Ledger()
        found, problems = load_sources(files, cached, parsed=parsed, contents=contents)
        ledger.sources.update(found)
        ledger.problems.extend(problems)
        if entries is not None and cached is None and not problems:
            entries.keep_sources(files, ledger)
        return ledger


FORK_SOURCES_FROM = 2000  # source files from which read_sources parses their metadata in a forked process


def build_share(files: Mapping[str, bytes | Deferred | Refused], share: Share, *, each: EachChunk | None = None,
                sources: Ledger | None = None, settings: Settings | None = None, root: Path | None = None) -> Ledger | None:
    """The ledger with only one share of its claims (see Share), for work split between processes (see read);
    None unless every claims file of the share reads cleanly (a file split between shares, by the fast path).

    The claims keep their place in their file (`("claims", index)`); each file's `claim_ids` has None for
    the claims of the other share. Sources are all read, before the claims, unless they come already read
    (`sources`, from read_sources). `settings`: the ledger's, read before the shares (see file_settings).
    With `root`, the files the share reads whole go through their cache entries.
    """
    entries = _Entries(root, True) if root is not None and cache.enabled() else None
    with collecting.paused():
        return _build_ledger(files, share, each, sources, settings, entries)


@dataclass(frozen=True)
class Share:
    """Which claims one of two processes reads: the claims files `plan` gives it (see shares.plan) whole,
    and every other chunk of the files it gives to neither."""

    which: int
    plan: Mapping[str, int | None]

    def part(self, name: str) -> str:
        """`whole`, `split` or `none`: what of the claims file at `name` this share reads."""
        owner = self.plan.get(name)
        return "split" if owner is None else "whole" if owner == self.which else "none"


def file_settings(files: Mapping[str, bytes | Deferred | Refused]) -> tuple[bool, Settings | None]:
    """The ledger's settings, read before its claims are shared out: (True, the settings, or None when no
    claims file gives any), or (False, None) when they cannot be known so (a file that gives them which the
    fast path cannot read, or two files that give them: read in one process, the problem is named)."""
    found: list[Settings | None] = []
    for name in sorted(files):
        raw = files[name]
        if not is_claims_file(name) or not isinstance(raw, bytes) or not (raw.startswith(b"ledger") or b"\nledger" in raw):
            continue
        top = _top(without_bom(raw))
        settings = None if top is None else _settings_of(top)
        if settings is None:
            return False, None
        found.append(settings[0])
    if len(found) > 1:
        return False, None
    return True, found[0] if found else None


def _top(body: bytes) -> dict[str, Any] | None:
    """A claims file's top-level mapping, its claims left out, read by the fast path; None if it cannot be."""
    if not fastyaml.available():
        return None
    starts = claim_starts(body)
    if starts is not None:
        return _top_of(body[:starts[0]] + body[starts[-1]:])
    flow = flow_claims(body)
    if flow is None or not flow[2]:
        return None
    return _top_of(body[:flow[0]] + b"null" + body[flow[1]:])


def _settings_of(top: dict[str, Any]) -> tuple[Settings | None] | None:
    """The settings (`ledger:`) of a claims file's top-level mapping read by the fast path, in a tuple (the
    settings, or None when it gives none); None when the mapping is not valid (read it exactly)."""
    if not set(top) <= {"ledger", "claims"}:
        return None
    given = top.get("ledger")
    if given is None:
        return (None,)
    settings = valid(Settings, given)
    return None if settings is None else (settings,)


def _top_of(rest: bytes) -> dict[str, Any] | None:
    """A claims file's text with its claims cut out, read by the fast path: its top-level mapping, whose
    `claims` is then null; None for text of another shape."""
    top = fastyaml.read_plain(rest)
    return top if isinstance(top, dict) and "claims" in top and top["claims"] is None else None


class _Entries:
    """The cache entries of a ledger: one for each claims file, one for its sources' metadata."""

    def __init__(self, root: Path, fill: bool) -> None:
        self.root, self.fill = root, fill

    def claims(self, name: str, raw: bytes) -> Any:
        return cache.read(self.root, cache.file_entry(name, raw))

    def keep_claims(self, name: str, raw: bytes, settings: Settings | None, chunks: list[bytes]) -> None:
        if self.fill:
            dumped = None if settings is None else as_data(settings)
            cache.write(self.root, cache.file_entry(name, raw), {"settings": dumped, "chunks": chunks})

    def _sources_entry(self, files: Mapping[str, bytes | Deferred | Refused]) -> str:
        return "sources-" + cache.key({name: data for name, data in files.items() if name.startswith(SOURCES_DIR + "/")})

    def sources(self, files: Mapping[str, bytes | Deferred | Refused]) -> dict[str, Any] | None:
        found = cache.read(self.root, self._sources_entry(files))
        return found if isinstance(found, dict) else None

    def keep_sources(self, files: Mapping[str, bytes | Deferred | Refused], ledger: Ledger) -> None:
        if self.fill:
            metas = {source.id: as_data(source.meta)
                     for source in ledger.sources.values() if source.meta is not None}
            cache.write(self.root, self._sources_entry(files), metas)


def _cached_file(raw: bytes, name: str, value: Any, keep: _Keep | None, skim: Skim | None = None) -> _FastRead | None:
    """A claims file read from its cache entry; None for an entry of another shape. With `skim`, only the
    claims it wants are validated again (see Skim)."""
    if not isinstance(value, dict) or not isinstance(value.get("chunks"), list):
        return None
    try:
        given = value.get("settings")
        settings = None if given is None else valid(Settings, given)
        if given is not None and settings is None:
            return None
        doc = Document(name, raw=without_bom(raw))
        read = _FastRead(doc, settings)
        chunks, base = [], 0
        for chunk in value["chunks"]:
            data = _chunk_data(chunk)
            validated = _validated(data, base, len(data) if isinstance(data, list) else None, skim)
            if validated is None:
                return None
            chunks.append((validated, len(data)))
            base += len(data)
    except (KeyError, TypeError, ValueError, EOFError):
        return None
    for (claims, passed), size in chunks:  # (validated first: a work is given no chunk of an entry that then fails)
        doc.claim_ids.extend([None] * size)
        _give(read, doc, claims, passed, keep, skim, settings)
    return read


def _give(read: _FastRead, doc: Document, claims: list[tuple[int, Claim]], passed: list[tuple[int, str, str]],
          keep: _Keep | None, skim: Skim | None, settings: Settings | None) -> None:
    """One chunk's claims, validated (each with its index in the file), to the work; those passed over
    unvalidated, to the skim's `passed`."""
    for index, claim_id, _text in passed:
        doc.claim_ids[index] = claim_id
    if passed:
        assert skim is not None
        skim.passed(doc, passed)
    records = []
    for index, claim in claims:
        doc.claim_ids[index] = claim.id
        records.append(ClaimRecord(claim, doc, ("claims", index)))
    read.records.extend(records if keep is None else keep(records, settings))


def _build_ledger(files: Mapping[str, bytes | Deferred | Refused], share: Share | None = None,
                  each: EachChunk | None = None, sources: Ledger | None = None, settings: Settings | None = None,
                  entries: _Entries | None = None) -> Ledger | None:
    ledger = Ledger()
    if settings is not None:
        ledger.settings = settings
    if sources is None:  # first: a command may check or render each chunk of claims as it comes
        sources = _read_sources(files, False, entries)  # the snapshots read when first needed
    ledger.sources, source_problems = sources.sources, list(sources.problems)
    claim_files = sorted(name for name in files if is_claims_file(name))
    forced, settings_doc = settings, None
    skim = each.skim() if each is not None else None
    for name in claim_files:
        part = "whole" if share is None else share.part(name)
        if part == "none":
            continue
        raw = files[name]
        if isinstance(raw, Refused):
            if share is not None:
                return None
            ledger.problems.append(Problem(raw.code, "error", raw.reason, Location(name)))
            continue
        raw = as_bytes(raw)
        keep = _kept(ledger, each, forced)
        entry = entries is not None and part == "whole"
        fast = None
        if entry:
            assert entries is not None
            hit = entries.claims(name, raw)
            fast = None if hit is None else _cached_file(raw, name, hit, keep, skim)
            entry = fast is None and skim is None  # read: its entry is written once it is known to have no problem
        if fast is None:
            fast = _claims_fast(raw, name, entry, (share.which, 2) if part == "split" and share else None, keep,
                                skim if skim is not None and b"<<" not in raw else None, ahead=share is None)
        if fast is None and part == "split":
            return None
        if fast is None and each is not None:
            each.again(name)
        chunks: list[bytes] = []
        if fast is not None:
            doc, declared = fast.doc, fast.settings
            ledger.problems.extend(fast.problems)
            ledger.claims.extend(fast.records)
            chunks = fast.chunks
        else:
            doc = parse(raw, name)
            ledger.problems.extend(doc.problems)
            first = len(ledger.claims)
            declared = _load_claims_file(doc, ledger)
            doc.data = None  # the models hold it all now: the native tree would only take memory
            read = ledger.claims[first:]
            if entry:
                chunks = [_chunk_bytes([as_data(record.claim) for record in read])]
            if each is not None:
                ledger.claims[first:] = each.chunk(ledger, read, forced or declared or ledger.settings)
        if entry and not any(p.location.path == name for p in ledger.problems):
            assert entries is not None
            entries.keep_claims(name, raw, declared, chunks)
        if declared is not None:
            if settings_doc is not None:
                ledger.problems.append(Problem(
                    "schema", "error",
                    f"a second 'ledger:' settings mapping; the first is in {settings_doc.locate(('ledger',), key=True)}",
                    doc.locate(("ledger",), key=True),
                ))
            else:
                ledger.settings, settings_doc = declared, doc
    ledger.problems.extend(source_problems)
    return ledger


def _kept(ledger: Ledger, each: EachChunk | None, forced: Settings | None) -> _Keep | None:
    if each is None:
        return None
    return lambda records, settings: each.chunk(ledger, records, forced or settings or ledger.settings)


_Keep = Callable[[list[ClaimRecord], Settings | None], list[ClaimRecord]]  # EachChunk.chunk for one ledger


@dataclass
class _FastRead:
    """A claims file read by the fast path: its claims' models, and their data for the cache."""

    doc: Document
    settings: Settings | None
    problems: list[Problem] = field(default_factory=list)  # of the chunks read again exactly
    records: list[ClaimRecord] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)


def _claims_fast(raw: bytes, name: str, for_cache: bool, share: tuple[int, int] | None = None,
                 keep: _Keep | None = None, skim: Skim | None = None, ahead: bool = True) -> _FastRead | None:
    """A claims file read by the fast path, or None at the first sign that it needs the exact reader.

    A block list of claims is read a chunk of claims at a time: the chunks are decoded, scanned for what
    would need the exact reader and parsed on a second thread, while this one validates each chunk as it
    comes, so only a few chunks' native trees are alive at once. Not `ahead` (in a share, with the other
    share's process on the other core), each chunk is parsed on this thread. `share`: the share of a file
    split between two (see Share), which reads every other chunk.
    """
    if not fastyaml.available():
        return None
    body = without_bom(raw)
    starts = claim_starts(body)
    flow = flow_claims(body) if starts is None else None
    if flow is not None and flow[2]:
        return _flow_claims_fast(body, name, flow, for_cache, share, keep, skim, ahead)
    if starts is None:  # not a block list of the usual shape: read the file whole
        text, problem = decode(raw, name)
        if problem is not None or text is None or not is_plain(text) or share is not None:
            return None
        top = fastyaml.read_native(text)
        if not isinstance(top, dict) or not isinstance(top.get("claims"), list):
            return None
        doc = Document(name, raw=body)
        doc.claim_ids = [None] * len(top["claims"])
        return _validate_fast(doc, top, [(top["claims"], 0, None)], for_cache, keep, skim=skim)
    every = _chunks(len(starts) - 1, share)
    bounds = [b for n, b in enumerate(every) if share is None or n % share[1] == share[0]]
    # Each chunk is decoded and scanned on the reading thread as it is read (the scan looks within lines,
    # and chunks are whole lines), so the file's text is never held whole; a share reads only its own.
    parsed = fastyaml.read_ahead((body[starts[i]:starts[j]] for i, j in bounds), window=2 if ahead else 0)
    try:
        top = _top_of(body[:starts[0]] + body[starts[-1]:])
        if top is None:
            return None
        doc = Document(name, raw=body)
        doc._claim_starts = starts  # type: ignore[attr-defined]
        doc.claim_ids = [None] * (len(starts) - 1)
        chunks = ((chunk, i, j - i) for chunk, (i, j) in zip(parsed, bounds, strict=True))
        return _validate_fast(doc, top, chunks, for_cache, keep, skim=skim,
                              exactly=lambda i, j: _chunk_exactly(doc, body, starts, i, j))
    finally:
        parsed.close()  # stop reading ahead when the file is refused halfway


def _chunks(claims: int, share: tuple[int, int] | None) -> list[tuple[int, int]]:
    """The chunks a file of `claims` claims is read in: of CHUNK claims, or, for a file split between
    shares, as many chunks of CHUNK or fewer as make a multiple of the shares, about equal, so that each
    share has as many claims as the other (3,000 claims are read in two chunks of 1,500, not 2,000 and
    1,000; 10,000 in six of 1,667, not five of 2,000, three of them for one share)."""
    if share is None:
        return [(i, min(i + CHUNK, claims)) for i in range(0, claims, CHUNK)]
    count = min(claims, -(-max(1, -(-claims // CHUNK)) // share[1]) * share[1])
    return [(claims * n // count, claims * (n + 1) // count) for n in range(count)]


def _flow_claims_fast(body: bytes, name: str, flow: tuple[int, int, list[FlowSpan]],
                      for_cache: bool, share: tuple[int, int] | None, keep: _Keep | None,
                      skim: Skim | None = None, ahead: bool = True) -> _FastRead | None:
    """A claims list in flow style read a chunk of claims at a time, as a block list is: each chunk is the
    text of its claims' mappings inside `[ ]`, so a file written on one line is never held as one tree."""
    begin, end, spans = flow
    every = _chunks(len(spans), share)
    bounds = [b for n, b in enumerate(every) if share is None or n % share[1] == share[0]]
    parsed = fastyaml.read_ahead((b"[" + body[spans[i][0]:spans[j - 1][1]] + b"]" for i, j in bounds),
                                 window=2 if ahead else 0)
    try:
        top = _top_of(body[:begin] + b"null" + body[end:])
        if top is None:
            return None
        doc = Document(name, raw=body)
        doc._flow_spans = spans  # type: ignore[attr-defined]
        doc.claim_ids = [None] * len(spans)
        chunks = ((chunk, i, j - i) for chunk, (i, j) in zip(parsed, bounds, strict=True))
        return _validate_fast(doc, top, chunks, for_cache, keep, skim=skim)
    finally:
        parsed.close()


def _validate_fast(doc: Document, top: dict[str, Any], chunks: Iterable[tuple[Any, int, int | None]],
                   for_cache: bool, keep: _Keep | None = None,
                   exactly: Callable[[int, int], _Exact | None] | None = None, skim: Skim | None = None) -> _FastRead | None:
    """Validate natively read claims, a chunk at a time; None when the file must be read whole by the exact
    reader (which says why).

    Each chunk comes with the index of its first claim in the file and how many claims it must hold. A
    chunk the fast path cannot take (refused by the scan or the native parser, or a claim that fails
    validation) is read again by `exactly`, when given: the exact reader's data for just that chunk, so
    one mistake in a large file costs one chunk, and its problems are located as the whole file's would
    be. With `keep`, only the records it returns for each chunk are kept; it is given a chunk once the
    chunk is read. With `skim`, only the claims it wants are validated (see Skim).
    """
    found = _settings_of(top)
    if found is None:
        return None
    settings = found[0]
    read = _FastRead(doc, settings)
    for chunk, first, expected in chunks:
        validated = _validated(chunk, first, expected, skim)
        passed: list[tuple[int, str, str]] = []
        exact = None
        if validated is not None:
            claims, passed = validated
        else:  # the fast path cannot take this chunk
            exact = None if exactly is None or expected is None else exactly(first, first + expected)
            if exact is None:
                return None
            items, problems = exact
            read.problems.extend(problems)
            claims, found_problems = _claims_exactly(doc, items)
            read.problems.extend(found_problems)
        _give(read, doc, claims, passed, keep, skim, settings)
        if for_cache and not passed:  # (a chunk with problems is never cached: the ledger's entry is written only without any)
            read.chunks.append(_chunk_bytes(chunk if exact is None else [as_data(claim) for _, claim in claims]))
    return read


def _validated(chunk: Any, first: int, expected: int | None,
               skim: Skim | None = None) -> tuple[list[tuple[int, Claim]], list[tuple[int, str, str]]] | None:
    """The chunk's claims validated, each with its index in the file, and (with `skim`) those passed over
    unvalidated, as (index, id, text); None when the fast path cannot take the chunk (refused by the native
    parser, items that were not where their indentation said, an invalid claim among those validated)."""
    if not isinstance(chunk, list) or (expected is not None and len(chunk) != expected):
        return None
    wanted, passed = list(enumerate(chunk, first)), []
    if skim is not None:
        wanted, wants, slug = [], skim.wants, SLUG_RE.fullmatch
        for index, data in enumerate(chunk, first):
            if type(data) is dict:  # passed over: a mapping with a well-formed id and a text, not wanted
                claim_id, text = data.get("id"), data.get("text")
                if type(claim_id) is str and type(text) is str and slug(claim_id) and not wants(data):
                    passed.append((index, claim_id, text))
                    continue
            wanted.append((index, data))
    claims = valid_each(Claim, chunk if not passed else [data for _, data in wanted])
    if claims is None:
        return None
    return [(index, claim) for (index, _), claim in zip(wanted, claims, strict=True)], passed


def _claims_exactly(doc: Document, items: list[tuple[int, Any]]) -> tuple[list[tuple[int, Claim]], list[Problem]]:
    """Claims read by the exact reader, each with its index in the file, validated by the rules: those they
    take, and the located problems of those they refuse."""
    from pydantic import ValidationError

    from factcheck.ledger import rules
    from factcheck.ledger.validation import schema_problems, validate_read

    claims: list[tuple[int, Claim]] = []
    problems: list[Problem] = []
    for index, raw_claim in items:
        try:
            claims.append((index, rules.to_record(validate_read(rules.Claim, raw_claim))))
        except ValidationError as exc:
            problems.extend(schema_problems(exc, doc, ("claims", index), rules.Claim, claim_id=_raw_id(raw_claim)))
    return claims, problems


_Exact = tuple[list[tuple[int, Any]], list[Problem]]  # claims read exactly, each with its index; the problems met


def _chunk_exactly(doc: Document, body: bytes, starts: list[int], i: int, j: int) -> _Exact | None:
    """Claims `i` to `j` of a fast-read file, read by the exact reader: each claim's data with its index in
    the file, and the problems met reading them; None when that piece does not read as exactly those
    claims (then the whole file is read).

    The piece is read after as many empty lines as come before it in the file, so every position and every
    message that names one is the file's own; the positions are kept for locating the chunk's problems.
    """
    block = parse(b"\n" * body.count(b"\n", 0, starts[i]) + body[starts[i]:starts[j]], doc.path)
    if not isinstance(block.data, list) or len(block.data) != j - i:
        return None
    for table, found in ((doc.positions, block.positions), (doc.key_positions, block.key_positions)):
        for sub, position in found.items():
            if sub and isinstance(sub[0], int):
                table[("claims", i + sub[0], *sub[1:])] = position
    return list(enumerate(block.data, i)), block.problems


def _json_dates(claim: dict[str, Any]) -> dict[str, Any]:
    """A validated claim as the native parser gave it, its dates as ISO text (the only non-JSON values)."""
    if isinstance(claim.get("date"), dt.date):
        claim["date"] = claim["date"].isoformat()
    for entry in claim.get("history") or ():
        if isinstance(entry, dict) and isinstance(entry.get("date"), dt.date):
            entry["date"] = entry["date"].isoformat()
    review = claim.get("review")
    if isinstance(review, dict) and isinstance(review.get("date"), dt.date):
        review["date"] = review["date"].isoformat()
    return claim


def _load_claims_file(doc: Document, ledger: Ledger) -> Settings | None:
    data = doc.data
    if doc.problems and data is None:
        return None
    if not isinstance(data, dict):
        shown = "empty" if data is None else f"a {'list' if isinstance(data, list) else 'single value'}"
        ledger.problems.append(Problem(
            "schema", "error", f"the file is {shown}; a claims file is a mapping with a 'claims:' list", doc.locate(()),
        ))
        return None
    from pydantic import ValidationError

    from factcheck.ledger import rules
    from factcheck.ledger.validation import schema_problems, validate_read

    top = {key: value for key, value in data.items() if key != "claims"}
    top["claims"] = []
    settings: Settings | None = None
    try:
        settings = rules.to_record(validate_read(rules.ClaimsFileTop, top).ledger)
    except ValidationError as exc:
        ledger.problems.extend(schema_problems(exc, doc, (), rules.ClaimsFileTop))
    if "claims" not in data:
        ledger.problems.append(Problem("schema", "error", "the file has no 'claims:' list", doc.locate(())))
        return settings
    claims = data["claims"]
    if claims is None:
        return settings
    if not isinstance(claims, list):
        ledger.problems.append(Problem("schema", "error", "'claims' must be a list of claims", doc.locate(("claims",))))
        return settings
    found, problems = _claims_exactly(doc, list(enumerate(claims)))
    ledger.problems.extend(problems)
    ledger.claims.extend(ClaimRecord(claim, doc, ("claims", index)) for index, claim in found)
    return settings


def _raw_id(raw: Any) -> str | None:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and SLUG_RE.fullmatch(raw["id"]):
        return str(raw["id"])
    return None


def _load_sources(files: Mapping[str, bytes | Deferred | Refused], ledger: Ledger,
                  cached: dict[str, Any] | None = None) -> None:
    found, problems = load_sources(files, cached)
    ledger.sources.update(found)
    ledger.problems.extend(problems)
