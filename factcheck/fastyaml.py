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

import re
from typing import Any

from factcheck.yamlsrc import Document, Path_, decode, parse

try:  # pragma: no cover - depends on the platform's wheels
    import yaml_rs
except ImportError:  # pragma: no cover
    yaml_rs = None  # type: ignore[assignment]

# Anything the native parser would read differently from YAML 1.1, or that the exact reader refuses
# with a located problem. A false alarm only costs speed.
_NOT_PLAIN = re.compile(
    r"""(?:^|[\s\[{,])[&*!]\S                                   # anchors, aliases, tags
      | <<                                                       # merge keys
      | (?:[:\[{,]|-[ \t])[ \t]*(?:y|n|yes|no|on|off)[ \t]*(?:[,\]}\#\r\n]|$)   # YAML 1.1 booleans
      | (?:[:\[{,]|-[ \t])[ \t]*[-+]?0[0-9_]+[ \t]*(?:[,\]}\#\r\n]|$)           # YAML 1.1 octal
      | [0-9][eE][-+]?[0-9]                                      # exponents without a point
      | ^(?:---|\.\.\.|%)                                        # documents and directives
      | \t | \x00 | [\[{]{8}                                     # tabs, NUL, deep flow nesting
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)


def fast_parse(raw: bytes, path: str) -> Document | None:
    """The file's data without positions, or None when the exact reader must read it."""
    if yaml_rs is None:
        return None
    text, problem = decode(raw, path)
    if problem is not None or text is None or _NOT_PLAIN.search(text):
        return None
    try:
        data = yaml_rs.loads(text)
    except Exception:  # any refusal of the native parser: the exact reader will say what is wrong
        return None
    return Document(path, data, text=text)


_CLAIMS_KEY = re.compile(r"^claims[ \t]*:[ \t]*(?:#.*)?$", re.MULTILINE)


def find_positions(doc: Document, path: Path_) -> None:
    """Fill in the positions needed to locate `path` in a fast-read document."""
    assert doc.text is not None
    if len(path) >= 2 and path[0] == "claims" and isinstance(path[1], int) and _locate_claim(doc, path[1]):
        return
    exact = parse(doc.text.encode("utf-8"), doc.path)
    doc.positions.update(exact.positions)
    doc.key_positions.update(exact.key_positions)
    doc.text = None  # every position is known now


def _locate_claim(doc: Document, index: int) -> bool:
    """Read only the claim at `index` exactly, and shift its positions to where it sits in the file."""
    starts = _claim_starts(doc)
    if starts is None or index >= len(starts) - 1:
        return False
    text = doc.text
    assert text is not None
    begin, end = starts[index], starts[index + 1]
    first_line = text.count("\n", 0, begin)
    block = parse(text[begin:end].encode("utf-8"), doc.path)
    claim = block.data[0] if isinstance(block.data, list) and block.data else None
    expected = doc.data["claims"][index] if isinstance(doc.data, dict) else None
    if block.problems or not isinstance(claim, dict) or not isinstance(expected, dict) \
            or claim.get("id") != expected.get("id"):
        return False
    for table, found in ((doc.positions, block.positions), (doc.key_positions, block.key_positions)):
        for sub, (line, column) in found.items():
            if sub and sub[0] == 0:
                table[("claims", index, *sub[1:])] = (line + first_line, column)
    return True


def _claim_starts(doc: Document) -> list[int] | None:
    """The offsets where each item of the block list under `claims:` starts, and where the list ends."""
    cached: list[int] | None = getattr(doc, "_claim_starts", None)
    if cached is not None:
        return cached
    text = doc.text
    assert text is not None
    key = _CLAIMS_KEY.search(text)
    if key is None:
        return None
    first = re.compile(r"^([ ]*)- ", re.MULTILINE).search(text, key.end())
    if first is None:
        return None
    indent = first.group(1)
    after = re.compile(r"^[^\s#-]", re.MULTILINE).search(text, key.end())
    stop = after.start() if after else len(text)
    item = re.compile(rf"^{indent}- ", re.MULTILINE)
    starts = [m.start() for m in item.finditer(text, first.start(), stop)]
    expected = doc.data.get("claims") if isinstance(doc.data, dict) else None
    if not isinstance(expected, list) or len(starts) != len(expected):
        return None
    starts.append(stop)
    doc._claim_starts = starts  # type: ignore[attr-defined]
    return starts


