"""The fast way through a YAML file: a native parser, for files with nothing YAML 1.1 would read otherwise.

The exact reader (yamlsrc) walks libyaml's events in Python and records every position: about 2 MB/s.
Most ledger files are plain: no anchors, tags, YAML 1.1 words or duplicate keys. For those, yaml-rs
(a parser with a native core) gives the same data some fifteen times faster. A conservative scan decides
which files are plain; a file that is not, that the native parser refuses, or whose data then fails
validation, is read again by the exact reader, which finds and locates its problems. Positions of a
fast-read file are found only when a problem needs one: the claim at fault is cut out of the text and
read exactly, and its lines are shifted into place.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Generator, Iterable
from typing import Any

from factcheck.yamlsrc import Document, Path_, decode, node_positions, parse, unprintable, without_bom

try:  # pragma: no cover - depends on the platform's wheels
    import yaml_rs
except ImportError:  # pragma: no cover
    yaml_rs = None  # type: ignore[assignment]

# Anything the native parser would read differently from YAML 1.1, or that the exact reader refuses with
# a located problem, sends a file to the exact reader. A false alarm costs only speed. Each test is a
# substring search or a regex that starts with a literal, so a 70 MB file is scanned in well under a second.
# (The lookahead only names the characters the alternatives start with: most values fail it at once.)
_SUSPECT = (r"[ \t]*(?=[yYnNoO0-9+.-])(?:(?i:y|n|yes|no|on|off)|[-+]?0[0-9_]+|[-+]?0[oObB][0-9_]*"
            r"|[-+]?[0-9]*\.?[0-9_]*[eE][-+]?[0-9]+|[-+]\.[0-9_]+|[-+]?[0-9]+_[0-9_]*)"
            r"[ \t]*(?:[,\]}#\r\n]|$)")
# One regex per way a scalar can start, each opening with a literal so the scan skips ahead quickly:
# YAML 1.1 booleans (yes, no, on, off, y, n), octal-looking numbers (017, 0o17), binary ones, exponents
# (1e3, 1.5e3), signed fractions without a leading digit (+.5) and digits with underscores (1_000): the
# spellings YAML 1.1 and 1.2 read differently.
_NOT_PLAIN = [re.compile(re.escape(start) + _SUSPECT, re.MULTILINE) for start in (": ", "- ", ", ", "[", "{")]


# Deep block nesting crashes the native parser (it recurses), so such files go to the exact reader: an
# indentation of 128 spaces or more, or indicators chained on one line (`- - - - - -`, `? - ? - ? -`).
# Flow nesting (`[[[[`) needs no scan: the native parser refuses it beyond a fixed depth, with an error.
_YAML11_BREAKS = ("\x85", "\u2028", "\u2029")  # line breaks to YAML 1.1 (and libyaml), not to YAML 1.2
_LINE_START = re.compile(r"\n(?:---|\.\.\.|%| {128})")  # a document marker, a directive, deep indentation
_COMPACT = [re.compile(start + r"[ \t]+[-?][ \t]+[-?][ \t]+[-?][ \t]+[-?][ \t]+[-?]") for start in ("-", r"\?")]


def is_plain(text: str) -> bool:
    """True when nothing in the text needs the exact reader.

    Merge keys (`<<`) need no scan either: the native parser reads one as a plain key, which no model
    allows, so such a file fails validation and is read again by the exact reader.
    """
    if "\t" in text or "\x00" in text or any(brk in text for brk in _YAML11_BREAKS) or unprintable(text) \
            or text.startswith(("---", "...", "%")) or _LINE_START.search(text) \
            or any(pattern.search(text) for pattern in _COMPACT):
        return False
    if "&" in text or "*" in text or "!" in text:  # an anchor, alias or tag starts a token with one of these
        for mark in re.finditer(r"[&*!]", text):
            at = mark.start()
            if (at == 0 or text[at - 1] in " \n\r[{,") and at + 1 < len(text) and not text[at + 1].isspace():
                return False
    return not any(pattern.search(text) for pattern in _NOT_PLAIN)


def fast_parse(raw: bytes, path: str) -> Document | None:
    """The file's data without positions, or None when the exact reader must read it."""
    if yaml_rs is None:
        return None
    text, problem = decode(raw, path)
    if problem is not None or text is None or not is_plain(text):
        return None
    data = read_native(text)
    return None if data is _REFUSED else Document(path, data, raw=without_bom(raw))


_REFUSED = object()


def available() -> bool:
    """True when the native parser is installed."""
    return yaml_rs is not None


def read_plain(data: bytes) -> Any:
    """`read_native` of UTF-8 bytes whose text `is_plain` passes; the refusal marker for any other."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _REFUSED
    return read_native(text) if is_plain(text) else _REFUSED


def read_ahead(pieces: Iterable[bytes], window: int = 2) -> Generator[Any, None, None]:
    """`read_plain` of each piece, in order, read on a second thread a few pieces ahead of the caller.

    The native parser lets go of the interpreter while it parses, so the caller's own work on one piece
    (validating it) runs at the same time as the reading of the next ones. Pieces are taken from the
    iterable only as they are read, so a generator of slices never holds the whole file twice. With a
    `window` of 0 each piece is read here, when it is asked for: where every core is busy already (two
    processes sharing the work), a second thread only contends for the interpreter.
    """
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    if window == 0:
        yield from (read_plain(piece) for piece in pieces)
        return
    pieces = iter(pieces)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="factcheck-yaml") as pool:
        pending = deque(pool.submit(read_plain, piece) for piece in itertools.islice(pieces, window))
        for piece in pieces:
            result = pending.popleft().result()
            pending.append(pool.submit(read_plain, piece))
            yield result
        while pending:
            yield pending.popleft().result()


def read_native(text: str) -> Any:
    """The data of plain YAML text by the native parser, or a marker object when it refuses the text."""
    try:
        return yaml_rs.loads(text)
    except Exception:  # any refusal of the native parser: the exact reader will say what is wrong
        return _REFUSED


_CLAIMS_KEY = re.compile(rb"^claims[ \t]*:[ \t]*(?:#.*)?$", re.MULTILINE)
CHUNK = 2000  # claims read at once by the fast path: the native tree of a chunk is dropped once validated


def find_positions(doc: Document, path: Path_) -> None:
    """Fill in the positions needed to locate `path` in a fast-read document."""
    assert doc.raw is not None
    if len(path) >= 2 and path[0] == "claims" and isinstance(path[1], int) \
            and (_locate_claim(doc, path[1]) or _locate_flow_claim(doc, path[1])):
        return
    exact = parse(doc.raw, doc.path)
    doc.positions.update(exact.positions)
    doc.key_positions.update(exact.key_positions)
    doc.raw = None  # every position is known now


def _locate_claim(doc: Document, index: int) -> bool:
    """Read only the claim at `index` exactly, and shift its positions to where it sits in the file."""
    starts = _claim_starts(doc)
    if starts is None or index >= len(starts) - 1:
        return False
    raw = doc.raw
    assert raw is not None
    begin, end = starts[index], starts[index + 1]
    first_line = _lines_before(doc, starts)[index]
    block = node_positions(raw[begin:end], (0, "id"))  # its positions, and its id as text
    if block is None or block[0] != doc.claim_ids[index]:
        return False
    for table, found in ((doc.positions, block[1]), (doc.key_positions, block[2])):
        for sub, (line, column) in found.items():
            if sub and sub[0] == 0:
                table[("claims", index, *sub[1:])] = (line + first_line, column)
    return True


def _locate_flow_claim(doc: Document, index: int) -> bool:
    """`_locate_claim` for a claims list written in flow style (`claims: [{id: a, ...}, ...]`, often on one
    line): the claim's mapping is found by libyaml's events, read exactly alone, and shifted into place by
    its line and column. No position of any other claim is ever held."""
    spans = _flow_spans(doc)
    if spans is None or index >= len(spans):
        return False
    begin, end, line0, column0 = spans[index]
    assert doc.raw is not None
    block = node_positions(b"- " + doc.raw[begin:end], (0, "id"))
    if block is None or block[0] != doc.claim_ids[index]:
        return False
    for table, found in ((doc.positions, block[1]), (doc.key_positions, block[2])):
        for sub, (line, column) in found.items():
            if sub and sub[0] == 0:
                place = (line0 + 1, column - 2 + column0) if line == 1 else (line + line0, column)
                table[("claims", index, *sub[1:])] = place
    return True


def _flow_spans(doc: Document) -> list[tuple[int, int, int, int]] | None:
    """Each claim's mapping in a flow-style claims list: its byte span, and the line and column (from 0)
    where it starts; found once per file from libyaml's event stream, which builds nothing."""
    cached: list[tuple[int, int, int, int]] | None = getattr(doc, "_flow_spans", _UNKNOWN)
    if cached is not _UNKNOWN:
        return cached
    assert doc.raw is not None
    flow = flow_claims(doc.raw)
    spans = flow[2] if flow is not None and len(flow[2]) == len(doc.claim_ids) else None
    # None too: a file whose spans cannot be found is not looked at again
    doc._flow_spans = spans  # type: ignore[attr-defined]
    return spans


FlowSpan = tuple[int, int, int, int]  # a claim's byte span, and the line and column (from 0) where it starts


def _index(mark: Any) -> int:
    if mark is None:
        raise ValueError("an event without a place")
    return int(mark.index)


def flow_claims(raw: bytes) -> tuple[int, int, list[FlowSpan]] | None:
    """For a top-level `claims:` list written in flow style (`claims: [{id: a, ...}, ...]`, often on one
    line): the byte span of the list itself, and of each claim's mapping with where it starts. Found from
    libyaml's event stream, which builds nothing (a 32 MB file in about a second). None for any other file,
    or one libyaml refuses.
    """
    import yaml

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    found: list[FlowSpan] = []
    listed: list[int] = []
    depth, in_claims, pending_key, start = 0, False, False, None
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth == 2 and pending_key and isinstance(event, yaml.SequenceStartEvent):
                    if not event.flow_style or listed:
                        return None
                    in_claims = True
                    listed.append(_index(event.start_mark))
                elif depth == 3 and in_claims:
                    if not isinstance(event, yaml.MappingStartEvent):
                        return None
                    start = event.start_mark
                pending_key = False
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                if depth == 3 and in_claims and start is not None:
                    found.append((_index(start), _index(event.end_mark), start.line, start.column))
                    start = None
                elif depth == 2 and in_claims:
                    in_claims = False
                    listed.append(_index(event.end_mark))
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent):
                if depth == 1:
                    pending_key = not pending_key and event.value == "claims"
                elif depth == 2 and in_claims:
                    return None  # a claim that is not a mapping: the exact reader says so
            elif isinstance(event, yaml.AliasEvent):
                return None
    except (yaml.YAMLError, ValueError):
        return None
    if len(listed) != 2:
        return None
    if not text.isascii():  # character offsets to byte offsets, in one pass
        offsets, at_char, at_byte = {}, 0, 0
        for char in sorted({*listed, *(i for b, e, _, _ in found for i in (b, e))}):
            at_byte += len(text[at_char:char].encode("utf-8"))
            offsets[char], at_char = at_byte, char
        listed = [offsets[i] for i in listed]
        found = [(offsets[b], offsets[e], line, column) for b, e, line, column in found]
    return listed[0], listed[1], found


_UNKNOWN: Any = object()


def _lines_before(doc: Document, starts: list[int]) -> list[int]:
    """How many lines come before each claim: counted once for the file, not once per problem."""
    cached: list[int] | None = getattr(doc, "_lines_before", None)
    if cached is None:
        raw = doc.raw
        assert raw is not None
        cached, total, previous = [], 0, 0
        for start in starts:
            total += raw.count(b"\n", previous, start)
            cached.append(total)
            previous = start
        doc._lines_before = cached  # type: ignore[attr-defined]
    return cached


def _claim_starts(doc: Document) -> list[int] | None:
    """The offsets where each claim of a fast-read document starts, and where the list ends."""
    cached: list[int] | None = getattr(doc, "_claim_starts", _UNKNOWN)
    if cached is _UNKNOWN:
        assert doc.raw is not None
        cached = claim_starts(doc.raw)
        if cached is not None and len(cached) != len(doc.claim_ids) + 1:
            cached = None
        # None too: a file that is no block list (a flow list, say) is not scanned again
        doc._claim_starts = cached  # type: ignore[attr-defined]
    return cached


def claim_starts(text: bytes) -> list[int] | None:
    """The byte offsets where each item of the block list under a top-level `claims:` starts, then its end.

    None when the list is not a block list of the usual shape. The items are found by their indentation
    alone, so a caller must check that reading the pieces gives exactly one claim per start.
    """
    key = _CLAIMS_KEY.search(text)
    if key is None:
        return None
    first = _FIRST_ITEM.search(text, key.end())
    if first is None or _TOP_LEVEL.search(text, key.end(), first.start()):  # no item, or one of another key
        return None
    after = _TOP_LEVEL.search(text, first.start())
    stop = after.start() + 1 if after else len(text)
    marker = b"\n" + first.group(1) + b"- "
    starts = [first.start() + 1]
    at = text.find(marker, first.end(), stop)
    while at >= 0:
        starts.append(at + 1)
        at = text.find(marker, at + len(marker), stop)
    starts.append(stop)
    return starts


_FIRST_ITEM = re.compile(rb"\n([ ]*)- ")
_TOP_LEVEL = re.compile(rb"\n[^\s#-]")  # the next top-level key, after the claims
