"""YAML bytes -> plain data plus the position of every node, with YAML's traps turned into problems."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import importlib.util
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from factcheck.errors import Location, Problem
from factcheck.yamlio.positions import block_positions
from factcheck.yamlio.spans import claim_starts, flow_claims


def _lazily(name: str) -> ModuleType:
    """The module `name`, loaded when first used (importlib's LazyLoader): PyYAML is needed only by the exact
    reader, and a ledger the fast reader takes whole never loads it."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None, f"{name} is not installed"
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if TYPE_CHECKING:
    import yaml
else:
    yaml = _lazily("yaml")


@functools.cache
def _loader() -> Any:
    """libyaml's parser when present: the same events, several times faster."""
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]

MAX_DEPTH = 64

_TAG = "tag:yaml.org,2002:"
_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_YAML11_OCTAL_RE = re.compile(r"^[-+]?0[0-9_]+$")


class Int(int):
    """An integer read from a plain scalar, remembering how it was written."""

    raw: str


class Float(float):
    """A float read from a plain scalar, remembering how it was written."""

    raw: str


class Date(dt.date):
    """A date read from a plain scalar, remembering how it was written."""

    raw: str


class DateTime(dt.datetime):
    """A date-time read from a plain scalar, remembering how it was written."""

    raw: str


@dataclass(frozen=True)
class YamlBool:
    """A plain `yes`/`no`/`on`/`off`/`true`/`false`: YAML 1.1 reads it as a boolean.

    The ledger has no boolean fields, so it is kept as a marker that every field refuses
    with a message naming the word, instead of silently becoming True or False.
    """

    raw: str


@dataclass(frozen=True)
class BadDate:
    """A plain scalar shaped like a date that is no real date (`2023-13-45`)."""

    raw: str
    reason: str


@dataclass
class Document:
    """One parsed YAML file: its data, where each node is, and what went wrong.

    A document read by the fast path has no positions yet: its bytes are kept in `raw` (the file's own,
    shared with the file map, less a BOM), and the first `locate` finds them (see fastyaml), so the cost
    of exact locations is paid only for files with problems.
    """

    path: str
    data: Any = None
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    raw: bytes | None = None
    claim_ids: list[Any] = field(default_factory=list)  # with `raw`: the id of each claim, in order

    def locate(self, path: Path_, *, key: bool = False) -> Location:
        """The location of the node at `path`, or of its nearest ancestor that exists."""
        if self.raw is not None and path not in self.positions:
            found = _in_claim(self, path, key)
            if found is not None:
                return found
            find_positions(self, path)
        if key and path in self.key_positions:
            return Location(self.path, *self.key_positions[path])
        while path:
            if path in self.positions:
                return Location(self.path, *self.positions[path])
            path = path[:-1]
        return Location(self.path, *self.positions.get((), (1, 1)))


def without_bom(raw: bytes) -> bytes:
    """The bytes of a file less a leading UTF-8 byte order mark."""
    return raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text of a file (a leading BOM dropped), or a problem at the first bad byte."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", errors="replace")
        return None, Problem(
            "yaml-syntax", "error", f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start} cannot be decoded",
            _text_location(path, before, len(before)),
        )
    return text, None


# What YAML does not allow in a file, as libyaml and PyYAML refuse it: C0 controls but tab, line feed and
# carriage return, DEL, C1 controls but NEL, surrogates and the noncharacters U+FFFE and U+FFFF. Both readers
# refuse them here, at their line and column, before any parser sees the text.
# (Written as the characters refused, not as the complement of those allowed: the same set, and a class of a
# few small ranges compiles in a fraction of a millisecond where the complement took 14 ms.)
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROL_NAMES = {0x07: "BEL", 0x08: "BACKSPACE", 0x0B: "VERTICAL TAB", 0x0C: "FORM FEED", 0x1B: "ESC", 0x7F: "DEL"}


def unprintable(text: str) -> int | None:
    """The index of the first character YAML does not allow in a file, or None."""
    found = _UNPRINTABLE.search(text)
    return found.start() if found else None


def _name_of(char: str) -> str:
    name = _CONTROL_NAMES.get(ord(char))
    return f" ({name})" if name else ""


def parse(raw: bytes, path: str, *, typed: bool = True) -> Document:
    """Parse one YAML file into plain data, recording node positions and every problem found.

    With `typed=False` every scalar is left as the text it holds (no numbers, dates or markers): enough to
    find where things are, in less time.
    """
    doc = Document(path)
    text, problem = decode(raw, path)
    if problem is not None:
        doc.problems.append(problem)
        return doc
    assert text is not None
    if "\x00" in text:
        doc.problems.append(Problem(
            "yaml-syntax", "error", "a NUL character is not allowed in YAML", _text_location(path, text, text.index("\x00")),
        ))
        return doc
    odd = unprintable(text)
    if odd is not None:
        char = text[odd]
        doc.problems.append(Problem(
            "yaml-syntax", "error", f"the {'control ' if unicodedata.category(char) == 'Cc' else ''}character "
            f"U+{ord(char):04X}{_name_of(char)} is not allowed in YAML; "
            "remove it, or write it as an escape in a double-quoted string", _text_location(path, text, odd),
        ))
        return doc
    lines = _Lines(text) if _UNUSUAL_BREAK.search(text) else None
    builder = _Builder(doc, typed, lines)
    try:
        # The event stream, not PyYAML's composer: aliases keep their own position, nesting costs no
        # recursion, and no constructor ever runs.
        for event in yaml.parse(text, Loader=_loader()):
            if not builder.feed(event):
                break
    except yaml.MarkedYAMLError as exc:
        if _past_parser_limit(exc, text, builder):
            return doc
        mark = exc.problem_mark or exc.context_mark
        line, column = (1, 1) if not mark else lines(mark.line, mark.column) if lines else (mark.line + 1, mark.column + 1)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part) or "cannot parse"
        if lines is not None:  # the text holds NEL, LS or PS: say so, since the error may well come from one
            message += ("; the file holds U+0085, U+2028 or U+2029, which YAML 1.1 reads as a line break "
                        "(inside double quotes they stay text)")
        doc.problems.append(Problem("yaml-syntax", "error", message, Location(path, line, column)))
        doc.data = None
    except yaml.YAMLError as exc:
        doc.problems.append(Problem("yaml-syntax", "error", str(exc), Location(path, 1, 1)))
        doc.data = None
    return doc


def _past_parser_limit(exc: yaml.MarkedYAMLError, text: str, builder: _Builder) -> bool:
    """True when libyaml refused the text for its own nesting limit and our depth check, run on the text
    before that point, has recorded the problem in the builder's document.

    libyaml (bundled with PyYAML from 6.0.2 on) scans flow collections ahead of its events and refuses more
    than a thousand levels before the events reach MAX_DEPTH. PyYAML's pure-Python parser has no such limit
    and no recursion, so the text up to libyaml's mark is read with it, on the same builder's state, and
    the problem is the one every PyYAML version gives: `yaml-depth`, where the nesting passed MAX_DEPTH.
    """
    mark = exc.problem_mark
    if mark is None or "nesting depth" not in str(exc.problem):
        return False
    doc = builder.doc
    replay = _Builder(Document(doc.path), builder.typed, builder.lines)
    try:
        for event in yaml.parse(text[: mark.index], Loader=yaml.SafeLoader):
            if not replay.feed(event):
                break
    except yaml.YAMLError:
        pass
    depth = [problem for problem in replay.doc.problems if problem.code == "yaml-depth"]
    if not depth:
        return False
    doc.problems[:] = replay.doc.problems
    doc.positions, doc.key_positions, doc.data = replay.doc.positions, replay.doc.key_positions, None
    return True


# PyYAML also breaks lines at NEL, LS and PS; factcheck counts lines as editors and its fast reader do (at
# "\n", "\r\n" and a lone "\r"), so that a location is the same however the file was read.
_UNUSUAL_BREAK = re.compile("[\x85\u2028\u2029]")
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_BREAK = re.compile("\r\n|[\r\n]")


class _Lines:
    """Turns PyYAML's line and column (from 0, lines broken as YAML 1.1 breaks them) into the line and
    column (from 1) that an editor shows, for a text with NEL, LS or PS in it."""

    def __init__(self, text: str) -> None:
        self.yaml_starts = [0, *(m.end() for m in _YAML_BREAK.finditer(text))]  # where each PyYAML line starts
        self.starts = [0, *(m.end() for m in _BREAK.finditer(text))]  # where each line starts
        self.size = len(text)

    def __call__(self, line: int, column: int) -> tuple[int, int]:
        at = min(self.yaml_starts[line] + column, self.size) if line < len(self.yaml_starts) else self.size
        index = bisect.bisect_right(self.starts, at) - 1  # the line this character is on
        return index + 1, at - self.starts[index] + 1


def node_positions(raw: bytes, value_at: Path_) -> tuple[Any, dict[Path_, tuple[int, int]],
                                                       dict[Path_, tuple[int, int]]] | None:
    """The text of the scalar at `value_at` (None if there is none), and the positions and key positions
    `parse` would give, of plain YAML (no anchors, tags or duplicate keys; lines broken at "\n" alone),
    from libyaml's composer: in a third less time, for finding where things are in what the fast reader
    has read. None when the text does not parse.
    """
    try:
        root = yaml.compose(raw, Loader=_loader())
    except yaml.YAMLError:
        return None
    if root is None:
        return None
    value = None
    positions: dict[Path_, tuple[int, int]] = {}
    keys: dict[Path_, tuple[int, int]] = {}
    todo: list[tuple[yaml.Node, Path_]] = [(root, ())]
    while todo:
        node, path = todo.pop()
        positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, item in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    return None
                keys[(*path, key.value)] = (key.start_mark.line + 1, key.start_mark.column + 1)
                todo.append((item, (*path, key.value)))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend((item, (*path, i)) for i, item in enumerate(node.value))
        elif path == value_at:
            value = node.value
    return value, positions, keys


def _text_location(path: str, text: str, index: int) -> Location:
    before = text[:index]
    return Location(path, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)


@functools.cache
def _resolver() -> Any:
    return yaml.resolver.Resolver()

_STANDARD_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass
class _Frame:
    path: Path_
    data: dict[str, Any] | list[Any]
    key: str | None = None
    key_is_next: bool = True
    discard: bool = False


class _Builder:
    """Builds plain data from parser events, without PyYAML's constructor and its silences."""

    def __init__(self, doc: Document, typed: bool = True, lines: _Lines | None = None) -> None:
        self.doc = doc
        self.typed = typed
        self.lines = lines
        self.stack: list[_Frame] = []
        self.documents = 0

    def feed(self, event: yaml.Event) -> bool:
        """Take one event; False once the rest of the stream is to be ignored."""
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self._problem("yaml-syntax", "a second YAML document ('---'): a ledger file holds one", event)
                return False
        elif isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if len(self.stack) >= MAX_DEPTH:
                self._problem("yaml-depth", f"nested deeper than {MAX_DEPTH} levels; the rest of the file is not read",
                              event)
                self.doc.data = None
                return False
            self._start(event)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            frame = self.stack.pop()
            self._emit(frame.data, None)
        elif isinstance(event, yaml.AliasEvent):
            self._problem("yaml-alias", f"the alias *{event.anchor} is not allowed in a ledger: write the value out",
                          event)
            path = self._child_path()
            if path is not None:
                self.doc.positions[path] = self._position(event)
            self._emit(None, event)
        return True

    def _position(self, event: yaml.Event) -> tuple[int, int]:
        mark = event.start_mark
        if mark is None:
            return 1, 1
        return self.lines(mark.line, mark.column) if self.lines else (mark.line + 1, mark.column + 1)

    def _problem(self, code: str, message: str, event: yaml.Event) -> None:
        self.doc.problems.append(Problem(code, "error", message, Location(self.doc.path, *self._position(event))))

    def _child_path(self) -> Path_ | None:
        """The path of the value that starts now, or None when it starts in a key's place."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.data, list):
            return (*frame.path, len(frame.data))
        if frame.key_is_next:
            return None
        return (*frame.path, frame.key) if frame.key is not None else None

    def _check_node(self, event: yaml.NodeEvent, expected_tag: str) -> None:
        if event.anchor is not None:
            self._problem("yaml-alias", f"the anchor &{event.anchor} is not allowed in a ledger: write values out",
                          event)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!", expected_tag) and not (expected_tag == "scalar" and tag in _STANDARD_TAGS):
            self._problem("yaml-tag", f"the tag {tag!r} is not allowed in a ledger", event)

    def _start(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> None:
        is_map = isinstance(event, yaml.MappingStartEvent)
        self._check_node(event, _TAG + ("map" if is_map else "seq"))
        path = self._child_path()
        if path is not None:
            self.doc.positions[path] = self._position(event)
        self.stack.append(_Frame(path if path is not None else ("?",), {} if is_map else []))

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        self._check_node(event, "scalar")
        path = self._child_path()
        if path is not None:
            self.doc.positions[path] = self._position(event)
        if not self.typed:
            self._emit(event.value, event)
            return
        tag = event.tag
        if tag in (None, "!"):
            tag = _resolver().resolve(yaml.ScalarNode, event.value, event.implicit)
        self._emit(self._value(tag, event.value, event), event)

    def _emit(self, value: Any, event: yaml.Event | None) -> None:
        if not self.stack:
            self.doc.data = value
            return
        frame = self.stack[-1]
        if isinstance(frame.data, list):
            frame.data.append(value)
            return
        if frame.key_is_next:
            frame.key_is_next = False
            frame.discard = False
            if not isinstance(event, yaml.ScalarEvent):
                self._problem_at_end("a key must be a plain word, not a list or mapping")
                frame.key, frame.discard = None, True
                return
            key = event.value
            mark = self._position(event)
            if key == "<<" and event.implicit[0]:
                self._problem("yaml-alias", "merge keys (<<) are not allowed in a ledger: write the fields out", event)
                frame.key, frame.discard = None, True
            elif key in frame.data:
                first = self.doc.key_positions[(*frame.path, key)]
                self._problem(
                    "duplicate-key",
                    f"key {key!r} appears twice in this mapping (first at line {first[0]}, column {first[1]}); "
                    "YAML loaders keep only one of them",
                    event,
                )
                frame.key, frame.discard = None, True
            else:
                frame.key = key
                self.doc.key_positions[(*frame.path, key)] = mark
            return
        frame.key_is_next = True
        if not frame.discard and frame.key is not None:
            frame.data[frame.key] = value

    def _problem_at_end(self, message: str) -> None:
        frame = self.stack[-1]
        line, column = self.doc.positions.get(frame.path, (1, 1))
        self.doc.problems.append(Problem("schema", "error", message, Location(self.doc.path, line, column)))

    def _value(self, tag: str, raw: str, event: yaml.ScalarEvent) -> Any:
        if tag == _TAG + "str":
            return raw
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return YamlBool(raw)
        if tag == _TAG + "int":
            # YAML 1.1 reads 1:30 as 90 (base 60) and 017 as 15 (octal): keep such words as written.
            if ":" in raw or _YAML11_OCTAL_RE.match(raw):
                return raw
            try:
                number = Int(int(raw.replace("_", ""), 0))
            except ValueError:
                return raw
            number.raw = raw
            return number
        if tag == _TAG + "float":
            if ":" in raw:
                return raw
            lowered = raw.replace("_", "").lower()
            try:
                real = Float(lowered.replace(".inf", "inf").replace(".nan", "nan"))
            except ValueError:
                return raw
            real.raw = raw
            return real
        if tag == _TAG + "timestamp":
            return _timestamp(raw)
        return raw


def _timestamp(raw: str) -> Any:
    match = _DATE_RE.match(raw)
    try:
        if match:
            day = Date(*(int(part) for part in match.groups()))
            day.raw = raw
            return day
        moment = dt.datetime.fromisoformat(raw if "t" in raw.lower() else raw.replace(" ", "T", 1))
    except ValueError as exc:
        return BadDate(raw, str(exc))
    stamp = DateTime(
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
        moment.microsecond, moment.tzinfo,
    )
    stamp.raw = raw
    return stamp


# --- positions found on demand, for a document the fast reader read (see fastyaml) ---------------------

def find_positions(doc: Document, path: Path_) -> None:
    """Fill in every position of a fast-read document, read again whole (when `path` is not in a claim that
    can be located alone)."""
    assert doc.raw is not None
    exact = parse(doc.raw, doc.path)
    doc.positions.update(exact.positions)
    doc.key_positions.update(exact.key_positions)
    doc.raw = None  # every position is known now


def _in_claim(doc: Document, path: Path_, key: bool) -> Location | None:
    """The location of `path` (or of its nearest ancestor) in the claim it is in, that claim located alone;
    None for a path in no claim, or in one that cannot be located alone."""
    if len(path) < 2 or path[0] != "claims" or not isinstance(path[1], int):
        return None
    located: dict[int, _Places] | None = getattr(doc, "_located", None)
    if located is None:
        located = doc._located = {}  # type: ignore[attr-defined]
    index = path[1]
    places = located.get(index)
    if places is None:
        places = _locate_claim(doc, index) or _locate_flow_claim(doc, index)
        if places is None:
            return None
        located[index] = places
        if len(located) > KEEP_CLAIMS_LOCATED:
            del located[next(iter(located))]
    positions, keys = places
    if key and path in keys:
        return Location(doc.path, *keys[path])
    while len(path) > 2 and path not in positions:
        path = path[:-1]
    return Location(doc.path, *positions[path]) if path in positions else None


KEEP_CLAIMS_LOCATED = 4000  # claims of a fast-read file whose positions are kept once found (two chunks)
# A ledger of 100,000 claims with a problem each never holds every node's place: the checks locate a chunk
# of claims at a time, and a claim forgotten is located again if asked.

_Places = tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]  # a claim's positions and key positions


def _locate_claim(doc: Document, index: int) -> _Places | None:
    """Read only the claim at `index` exactly, and shift its positions to where it sits in the file."""
    starts = _claim_starts(doc)
    if starts is None or index >= len(starts) - 1:
        return None
    raw = doc.raw
    assert raw is not None
    begin, end = starts[index], starts[index + 1]
    first_line = _lines_before(doc, starts)[index]
    piece = raw[begin:end]
    try:  # its id as text, and its positions: from its lines when it is of the usual shape, else composed
        lines = block_positions(piece.decode("utf-8"), ("claims", index), first_line)
    except UnicodeDecodeError:
        lines = None
    if lines is not None and lines[0] == doc.claim_ids[index]:
        return lines[1], lines[2]
    block = node_positions(piece, (0, "id"))
    if block is None or block[0] != doc.claim_ids[index]:
        return None
    positions, keys = ({("claims", index, *sub[1:]): (line + first_line, column)
                        for sub, (line, column) in found.items() if sub and sub[0] == 0} for found in block[1:])
    return positions, keys


def _locate_flow_claim(doc: Document, index: int) -> _Places | None:
    """`_locate_claim` for a claims list written in flow style (`claims: [{id: a, ...}, ...]`, often on one
    line): the claim's mapping is found by libyaml's events, read exactly alone, and shifted into place by
    its line and column. No position of any other claim is ever held."""
    spans = _flow_spans(doc)
    if spans is None or index >= len(spans):
        return None
    begin, end, line0, column0 = spans[index]
    assert doc.raw is not None
    block = node_positions(b"- " + doc.raw[begin:end], (0, "id"))
    if block is None or block[0] != doc.claim_ids[index]:
        return None
    positions, keys = ({("claims", index, *sub[1:]): (line0 + 1, column - 2 + column0) if line == 1 else
                        (line + line0, column) for sub, (line, column) in found.items() if sub and sub[0] == 0}
                       for found in block[1:])
    return positions, keys


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
