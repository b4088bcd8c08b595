"""Find and load a ledger (claims.yaml or claims/, and sources/) into one Ledger value."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import marshal
import pickle
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import TypeAdapter, ValidationError

from factcheck.errors import FactcheckError, Location, Problem, did_you_mean
from factcheck.ledger.ledgerfiles import (
    CLAIMS_DIR,
    CLAIMS_FILE,
    SOURCES_DIR,
    Deferred,
    Refused,
    as_bytes,
    find_files,
)
from factcheck.ledger.model import SLUG_RE, Claim, ClaimsFileTop, Settings
from factcheck.ledger.sources import SourceRecord, load_sources, parse_metadata, read_snapshots
from factcheck.ledger.validation import schema_problems, validate_read
from factcheck.pipeline import collecting, forked
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
    validated: dict[str, list[bytes]] = field(default_factory=dict, repr=False)  # claims data for the cache

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


def load_ledger(root: Path, *, fill_cache: bool = True) -> Ledger:
    """Load the whole ledger at `root` from disk, through the cache of validated data when it can.

    Commands that are about to change the ledger pass `fill_cache=False`: they read the cache but
    never add an entry that their own write is about to make useless.
    """
    return load_files(root, find_files(root), fill_cache=fill_cache)


def load_files(root: Path, files: Mapping[str, bytes | Deferred | Refused], *, fill_cache: bool = True,
               each: EachChunk | None = None, sources: Ledger | None = None, settings: Settings | None = None) -> Ledger:
    """The ledger made of files already found at `root`, through the cache when it can.

    With `each`, the ledger keeps only the claims it returns for each chunk (see EachChunk). `sources`: the
    ledger's sources already read (see read_sources). `settings`: the ledger's settings, known from an
    earlier read, for every chunk (else each chunk has those read so far).
    """
    from factcheck.pipeline import cache

    key = "ledger-" + cache.key(files) if cache.enabled() else None
    cached = cache.read(root, key) if key is not None else None
    ledger = None
    if cached is not None:
        with contextlib.suppress(ValidationError, KeyError, TypeError, ValueError, EOFError):
            ledger = build_ledger(files, cached, each=each)  # an entry of another shape fails: the files are read
        if ledger is None and each is not None:
            for name in cached.get("claims", ()) if isinstance(cached, dict) else ():
                each.again(name)
    if ledger is None:
        filling = key is not None and fill_cache
        with collecting.paused():
            ledger = _build_ledger(files, filling, each=each, sources=sources, settings=settings)
        assert ledger is not None
        if filling and not ledger.problems:
            assert key is not None
            cache.write(root, key, _cache_value(ledger))
        ledger.validated = {}  # written: the marshalled claims would only take memory now
    return ledger


def _cache_value(ledger: Ledger) -> dict[str, Any]:
    claims = ledger.validated  # every claims file's, whichever reader read it
    settings = ledger.settings.model_dump(mode="json", exclude_defaults=True)
    metas = {source.id: source.meta.model_dump(mode="json", exclude_defaults=True)
             for source in ledger.sources.values() if source.meta is not None}
    return {"claims": claims, "settings": settings, "sources": metas}


def build_ledger(files: Mapping[str, bytes | Deferred | Refused], cached: dict[str, Any] | None = None, *,
                 for_cache: bool = False, each: EachChunk | None = None) -> Ledger:
    """Build a ledger from its files' bytes, keyed by path relative to the ledger root.

    With `cached` (validated data from the cache for exactly these files), the YAML is not parsed again:
    positions are found from the text only when a problem needs one. With `for_cache`, the claims' data is
    kept marshalled in `validated`, for the cache. With `each`, see EachChunk.
    """
    with collecting.paused():
        if cached is not None:
            return _from_cache(files, cached, each)
        ledger = _build_ledger(files, for_cache, each=each)
        assert ledger is not None
        return ledger


def read_sources(files: Mapping[str, bytes | Deferred | Refused]) -> Ledger:
    """A ledger of the sources alone, their snapshots read and decoded: for processes about to share out
    the claims, which then hold one copy of them between them (see build_share)."""
    with collecting.paused():
        ledger = Ledger()
        # Many sources: a forked process parses their metadata (the slower half) while this one reads and
        # decodes their snapshots.
        many = sum(1 for name in files if name.startswith(SOURCES_DIR + "/")) >= FORK_SOURCES_FROM
        helper = forked.start(lambda: pickle.dumps(parse_metadata(files))) if many else None
        contents = read_snapshots(files)
        parsed = None
        if helper is not None:
            made = helper()
            parsed = None if made is forked.FAILED else pickle.loads(made)  # from this very program's fork
        found, problems = load_sources(files, parsed=parsed, contents=contents)
        ledger.sources.update(found)
        ledger.problems.extend(problems)
        return ledger


FORK_SOURCES_FROM = 2000  # source files from which read_sources parses their metadata in a forked process


def build_share(files: Mapping[str, bytes | Deferred | Refused], share: tuple[int, int], *,
                each: EachChunk | None = None, sources: Ledger | None = None) -> Ledger | None:
    """The ledger with only share `k` of `n` of its claims (every n-th chunk of each claims file, from the
    k-th), for work split between processes (see read); None unless every claims file reads cleanly by the
    fast path.

    The claims keep their place in their file (`("claims", index)`); each file's `claim_ids` has None for
    the claims of other shares. Sources are all read, before the claims, unless they come already read
    (`sources`, from read_sources).
    """
    with collecting.paused():
        return _build_ledger(files, False, share, each, sources)


def _from_cache(files: Mapping[str, bytes | Deferred | Refused], cached: dict[str, Any],
                each: EachChunk | None = None) -> Ledger:
    ledger = Ledger(settings=Settings.model_validate(cached["settings"]))
    _load_sources(files, ledger, cached["sources"])
    for name, chunks in sorted(cached["claims"].items()):
        raw = files[name]
        assert not isinstance(raw, Refused)
        doc = Document(name, raw=without_bom(as_bytes(raw)))
        ids: list[str | None] = []
        for chunk in chunks:
            base = len(ids)  # the index in its file of the chunk's first claim
            records = [ClaimRecord(claim, doc, ("claims", base + i))
                       for i, claim in enumerate(_claim_list().validate_python(marshal.loads(chunk)))]
            ids.extend(record.claim.id for record in records)
            doc.claim_ids = ids
            ledger.claims.extend(records if each is None else each.chunk(ledger, records, ledger.settings))
    return ledger


def _build_ledger(files: Mapping[str, bytes | Deferred | Refused], for_cache: bool,
                  share: tuple[int, int] | None = None, each: EachChunk | None = None,
                  sources: Ledger | None = None, settings: Settings | None = None) -> Ledger | None:
    ledger = Ledger()
    if sources is None:
        sources = Ledger()
        _load_sources(files, sources)  # first: a command may check or render each chunk of claims as it comes
    ledger.sources, source_problems = sources.sources, list(sources.problems)
    claim_files = sorted(name for name in files if name == CLAIMS_FILE or name.startswith(CLAIMS_DIR + "/"))
    forced, settings_doc = settings, None
    for name in claim_files:
        raw = files[name]
        if isinstance(raw, Refused):
            if share is not None:
                return None
            ledger.problems.append(Problem(raw.code, "error", raw.reason, Location(name)))
            continue
        raw = as_bytes(raw)
        fast = _claims_fast(raw, name, for_cache, share, _kept(ledger, each, forced))
        if fast is None and share is not None:
            return None
        if fast is None and each is not None:
            each.again(name)
        if fast is not None:
            doc, settings = fast.doc, fast.settings
            ledger.problems.extend(fast.problems)
            ledger.claims.extend(fast.records)
            if for_cache:
                ledger.validated[name] = fast.chunks
        else:
            doc = parse(raw, name)
            ledger.problems.extend(doc.problems)
            first = len(ledger.claims)
            settings = _load_claims_file(doc, ledger)
            doc.data = None  # the models hold it all now: the native tree would only take memory
            read = ledger.claims[first:]
            if for_cache:
                dumped = [record.claim.model_dump(mode="json", exclude_defaults=True) for record in read]
                ledger.validated[name] = [marshal.dumps(dumped, MARSHAL_VERSION)]
            if each is not None:
                ledger.claims[first:] = each.chunk(ledger, read, forced or settings or ledger.settings)
        if settings is not None:
            if settings_doc is not None:
                ledger.problems.append(Problem(
                    "schema", "error",
                    f"a second 'ledger:' settings mapping; the first is in {settings_doc.locate(('ledger',), key=True)}",
                    doc.locate(("ledger",), key=True),
                ))
            else:
                ledger.settings, settings_doc = settings, doc
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
                 keep: _Keep | None = None) -> _FastRead | None:
    """A claims file read by the fast path, or None at the first sign that it needs the exact reader.

    A block list of claims is read a chunk of claims at a time: the chunks are decoded, scanned for what
    would need the exact reader and parsed on a second thread, while this one validates each chunk as it
    comes, so only a few chunks' native trees are alive at once (in a share, with the other share's
    process on the other core, each chunk is parsed on this thread).
    """
    if not fastyaml.available():
        return None
    body = without_bom(raw)
    starts = claim_starts(body)
    flow = flow_claims(body) if starts is None else None
    if flow is not None and flow[2]:
        return _flow_claims_fast(body, name, flow, for_cache, share, keep)
    if starts is None:  # not a block list of the usual shape: read the file whole
        text, problem = decode(raw, name)
        if problem is not None or text is None or not is_plain(text) or share is not None:
            return None
        top = fastyaml.read_native(text)
        if not isinstance(top, dict) or not isinstance(top.get("claims"), list):
            return None
        doc = Document(name, raw=body)
        doc.claim_ids = [None] * len(top["claims"])
        return _validate_fast(doc, top, [(top["claims"], 0, None)], for_cache, keep)
    every = [(i, min(i + CHUNK, len(starts) - 1)) for i in range(0, len(starts) - 1, CHUNK)]
    bounds = [b for n, b in enumerate(every) if share is None or n % share[1] == share[0]]
    # Each chunk is decoded and scanned on the reading thread as it is read (the scan looks within lines,
    # and chunks are whole lines), so the file's text is never held whole; a share reads only its own.
    parsed = fastyaml.read_ahead((body[starts[i]:starts[j]] for i, j in bounds), window=0 if share else 2)
    try:
        top = fastyaml.read_plain(body[:starts[0]] + body[starts[-1]:])
        if not isinstance(top, dict) or "claims" not in top or top["claims"] is not None:
            return None
        doc = Document(name, raw=body)
        doc._claim_starts = starts  # type: ignore[attr-defined]
        doc.claim_ids = [None] * (len(starts) - 1)
        chunks = ((chunk, i, j - i) for chunk, (i, j) in zip(parsed, bounds, strict=True))
        return _validate_fast(doc, top, chunks, for_cache, keep,
                              exactly=lambda i, j: _chunk_exactly(doc, body, starts, i, j))
    finally:
        parsed.close()  # stop reading ahead when the file is refused halfway


def _flow_claims_fast(body: bytes, name: str, flow: tuple[int, int, list[FlowSpan]],
                      for_cache: bool, share: tuple[int, int] | None, keep: _Keep | None) -> _FastRead | None:
    """A claims list in flow style read a chunk of claims at a time, as a block list is: each chunk is the
    text of its claims' mappings inside `[ ]`, so a file written on one line is never held as one tree."""
    begin, end, spans = flow
    every = [(i, min(i + CHUNK, len(spans))) for i in range(0, len(spans), CHUNK)]
    bounds = [b for n, b in enumerate(every) if share is None or n % share[1] == share[0]]
    parsed = fastyaml.read_ahead((b"[" + body[spans[i][0]:spans[j - 1][1]] + b"]" for i, j in bounds),
                                 window=0 if share else 2)
    try:
        top = fastyaml.read_plain(body[:begin] + b"null" + body[end:])
        if not isinstance(top, dict) or "claims" not in top or top["claims"] is not None:
            return None
        doc = Document(name, raw=body)
        doc._flow_spans = spans  # type: ignore[attr-defined]
        doc.claim_ids = [None] * len(spans)
        chunks = ((chunk, i, j - i) for chunk, (i, j) in zip(parsed, bounds, strict=True))
        return _validate_fast(doc, top, chunks, for_cache, keep)
    finally:
        parsed.close()


def _validate_fast(doc: Document, top: dict[str, Any], chunks: Iterable[tuple[Any, int, int | None]],
                   for_cache: bool, keep: _Keep | None = None,
                   exactly: Callable[[int, int], _Exact | None] | None = None) -> _FastRead | None:
    """Validate natively read claims, a chunk at a time; None when the file must be read whole by the exact
    reader (which says why).

    Each chunk comes with the index of its first claim in the file and how many claims it must hold. A
    chunk the fast path cannot take (refused by the scan or the native parser, or a claim that fails
    validation) is read again by `exactly`, when given: the exact reader's data for just that chunk, so
    one mistake in a large file costs one chunk, and its problems are located as the whole file's would
    be. With `keep`, only the records it returns for each chunk are kept; it is given a chunk once the
    chunk is read.
    """
    try:
        settings = ClaimsFileTop.model_validate({**{k: v for k, v in top.items() if k != "claims"}, "claims": []}).ledger
    except ValidationError:
        return None
    read = _FastRead(doc, settings)
    for chunk, first, expected in chunks:
        claims = _validated(chunk, first, expected)
        exact = None
        if claims is None:  # the fast path cannot take this chunk
            exact = None if exactly is None or expected is None else exactly(first, first + expected)
            if exact is None:
                return None
            items, problems = exact
            read.problems.extend(problems)
            claims = []
            for index, raw_claim in items:
                try:
                    claims.append((index, validate_read(Claim, raw_claim)))
                except ValidationError as exc:
                    read.problems.extend(schema_problems(exc, doc, ("claims", index), Claim, claim_id=_raw_id(raw_claim)))
        records = []
        for index, claim in claims:
            doc.claim_ids[index] = claim.id
            records.append(ClaimRecord(claim, doc, ("claims", index)))
        read.records.extend(records if keep is None else keep(records, settings))
        if for_cache:  # (a chunk with problems is never cached: the ledger's entry is written only without any)
            data = [_json_dates(raw_claim) for raw_claim in chunk] if exact is None else \
                [claim.model_dump(mode="json", exclude_defaults=True) for _, claim in claims]
            read.chunks.append(marshal.dumps(data, MARSHAL_VERSION))
    return read


def _validated(chunk: Any, first: int, expected: int | None) -> list[tuple[int, Claim]] | None:
    """The chunk's claims validated, each with its index in the file; None when the fast path cannot take it
    (refused by the native parser, items that were not where their indentation said, an invalid claim)."""
    if not isinstance(chunk, list) or (expected is not None and len(chunk) != expected):
        return None
    try:
        return list(enumerate(_claim_list().validate_python(chunk), first))  # in one call: a fifth quicker
    except ValidationError:
        return None


@functools.cache
def _claim_list() -> TypeAdapter[list[Claim]]:
    return TypeAdapter(list[Claim])


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
    top = {key: value for key, value in data.items() if key != "claims"}
    top["claims"] = []
    settings: Settings | None = None
    try:
        settings = validate_read(ClaimsFileTop, top).ledger
    except ValidationError as exc:
        ledger.problems.extend(schema_problems(exc, doc, (), ClaimsFileTop))
    if "claims" not in data:
        ledger.problems.append(Problem("schema", "error", "the file has no 'claims:' list", doc.locate(())))
        return settings
    claims = data["claims"]
    if claims is None:
        return settings
    if not isinstance(claims, list):
        ledger.problems.append(Problem("schema", "error", "'claims' must be a list of claims", doc.locate(("claims",))))
        return settings
    for index, raw in enumerate(claims):
        path: Path_ = ("claims", index)
        try:
            claim = validate_read(Claim, raw)
        except ValidationError as exc:
            ledger.problems.extend(schema_problems(exc, doc, path, Claim, claim_id=_raw_id(raw)))
            continue
        ledger.claims.append(ClaimRecord(claim, doc, path))
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
