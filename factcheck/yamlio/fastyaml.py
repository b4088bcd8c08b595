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

from factcheck.yamlio.yamlsrc import Document, decode, unprintable, without_bom

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
    return _plain_characters(text) and _plain_tokens(text)


def _plain_characters(text: str) -> bool:
    """True when the text has no tab, no line break YAML 1.1 would see, and no character YAML refuses."""
    return not ("\t" in text or "\x00" in text or any(brk in text for brk in _YAML11_BREAKS)
                or unprintable(text) is not None)


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\n\r"


def _plain_bytes(data: bytes) -> bool:
    """`_plain_characters` of UTF-8 bytes, looking only at what is left once the printable ASCII is taken
    out (the few letters of other alphabets and marks most files have): a tenth of the time of a regex over
    the whole text. False for bytes that are not UTF-8."""
    rest = data.translate(None, _PRINTABLE_ASCII)  # (a character of several bytes keeps them all: each is >= 0x80)
    try:
        return not rest or _plain_characters(rest.decode("utf-8"))
    except UnicodeDecodeError:
        return False


def _plain_tokens(text: str) -> bool:
    """True when no token of the text needs the exact reader (see is_plain)."""
    if text.startswith(("---", "...", "%")) or _LINE_START.search(text) \
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
    if not _plain_bytes(data):
        return _REFUSED
    text = data.decode("utf-8")
    return read_native(text) if _plain_tokens(text) else _REFUSED


# What sends the files to be read one by one, because the native parser reads it differently in a file of its
# own and as an item of a list: a block scalar (`|`, `>`: an empty one is "" alone, a line break as an item),
# and any line at the left edge that is not a plain key with its colon, a comment or blank (a lone `?` is
# refused alone and read as an item).
_BLOCK_SCALAR = re.compile(r"(?:^|[ \t:-])[|>][-+0-9]*[ \t]*(?:#.*)?$", re.MULTILINE)
_NOT_A_KEY = re.compile(r"^(?![ \t]|#|$|[A-Za-z_][A-Za-z0-9_-]*:(?:[ \t]|$))", re.MULTILINE)


def read_together(pieces: list[bytes]) -> list[Any] | None:
    """The data of each of several small YAML files (a source's metadata: a few lines each), read by one
    call of the native parser as the items of one block list, each file's lines indented under its `- `;
    None unless every file is plain (scanned as they are, not indented), a mapping of plain keys at its left
    edge, and the list reads as one item a file. A thousand files take about half the time they take one
    by one."""
    if yaml_rs is None or not pieces:
        return None
    joined = b"\n".join(without_bom(piece) for piece in pieces)
    if b"\r" in joined or not _plain_bytes(joined):  # (a lone \r breaks a line the indenting would not see)
        return None
    text = joined.decode("utf-8")
    if not _plain_tokens(text) or _BLOCK_SCALAR.search(text) or _NOT_A_KEY.search(text):
        return None  # (each file starts a line of `text`: a marker or a lone `?` at its start is seen)
    listed = b"".join(b"- " + without_bom(piece).replace(b"\n", b"\n  ") + b"\n" for piece in pieces)
    items = read_native(listed.decode("utf-8"))
    if not isinstance(items, list) or len(items) != len(pieces):
        return None
    return items


def read_ahead(pieces: Iterable[bytes], window: int = 2) -> Generator[Any, None, None]:
    """`read_plain` of each piece, in order, read on a second thread a few pieces ahead of the caller.

    The native parser lets go of the interpreter while it parses, so the caller's own work on one piece
    (validating it) runs at the same time as the reading of the next ones. Pieces are taken from the
    iterable only as they are read, so a generator of slices never holds the whole file twice. With a
    `window` of 0 each piece is read here, when it is asked for: where every core is busy already (two
    processes sharing the work), a second thread only contends for the interpreter.
    """
    if window == 0:
        yield from (read_plain(piece) for piece in pieces)
        return
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

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


CHUNK = 2000  # claims read at once by the fast path: the native tree of a chunk is dropped once validated
