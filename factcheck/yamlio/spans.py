"""Where each claim of a claims file begins and ends, found in its bytes without building anything: the
block list's items by their indentation, a flow list's mappings by libyaml's events. The fast reader
reads a file a chunk of claims at a time by them, and the exact reader locates one claim by them."""

from __future__ import annotations

import re
from typing import Any

_CLAIMS_KEY = re.compile(rb"^claims[ \t]*:[ \t]*(?:#.*)?$", re.MULTILINE)


def claim_starts(text: bytes) -> list[int] | None:
    """The byte offsets where each item of the block list under a top-level `claims:` starts, then its end
    (a list the caller must not change).

    None when the list is not a block list of the usual shape. The items are found by their indentation
    alone, so a caller must check that reading the pieces gives exactly one claim per start. Those of a large
    file are found once for the same bytes (the settings, each share of a read and an edit all ask, an edit
    of the file's bytes read again).
    """
    known = _FOUND.get(id(text))
    if known is not None and known[0] is text:
        return known[1]
    if len(text) >= _REMEMBER_FROM:  # the same bytes in another object: comparing costs far less than a scan
        for seen, found in _FOUND.values():
            if len(seen) == len(text) and seen == text:
                return found
    starts = _claim_starts(text)
    if len(text) >= _REMEMBER_FROM:
        if len(_FOUND) >= 64:
            _FOUND.pop(next(iter(_FOUND)))
        _FOUND[id(text)] = (text, starts)  # holding the bytes, so that their id is not reused
    return starts


_FOUND: dict[int, tuple[bytes, list[int] | None]] = {}
_REMEMBER_FROM = 1 << 20  # bytes


def _claim_starts(text: bytes) -> list[int] | None:
    key = _CLAIMS_KEY.search(text)
    if key is None:
        return None
    first = _FIRST_ITEM.search(text, key.end())
    if first is None or _TOP_LEVEL.search(text, key.end(), first.start()):  # no item, or one of another key
        return None
    after = _TOP_LEVEL.search(text, first.start())
    stop = after.start() + 1 if after else len(text)
    marker = re.compile(re.escape(b"\n" + first.group(1) + b"- "))  # (a regex finds them all twice as fast as find)
    starts = [first.start() + 1]
    starts += [found.start() + 1 for found in marker.finditer(text, first.end(), stop)]
    starts.append(stop)
    return starts


_FIRST_ITEM = re.compile(rb"\n([ ]*)- ")
_TOP_LEVEL = re.compile(rb"\n[^\s#-]")  # the next top-level key, after the claims


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
