"""YAML bytes -> plain data plus the position of every node, with YAML's traps turned into problems."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from factcheck.errors import Location, Problem

try:  # libyaml's parser when present: the same events, several times faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

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
    """One parsed YAML file: its data, where each node is, and what went wrong."""

    path: str
    data: Any = None
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def locate(self, path: Path_, *, key: bool = False) -> Location:
        """The location of the node at `path`, or of its nearest ancestor that exists."""
        if key and path in self.key_positions:
            return Location(self.path, *self.key_positions[path])
        while path:
            if path in self.positions:
                return Location(self.path, *self.positions[path])
            path = path[:-1]
        return Location(self.path, *self.positions.get((), (1, 1)))


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text of a file (a leading BOM dropped), or a problem at the first bad byte."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        return None, Problem(
            "yaml-syntax",
            "error",
            f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start} cannot be decoded",
            Location(path, line, column),
        )
    return text, None


def parse(raw: bytes, path: str) -> Document:
    """Parse one YAML file into plain data, recording node positions and every problem found."""
    doc = Document(path)
    text, problem = decode(raw, path)
    if problem is not None:
        doc.problems.append(problem)
        return doc
    assert text is not None
    if "\x00" in text:
        before = text[: text.index("\x00")]
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        doc.problems.append(
            Problem("yaml-syntax", "error", "a NUL character is not allowed in YAML", Location(path, line, column))
        )
        return doc
    try:
        node = yaml.compose(text, Loader=_Loader)  # noqa: S506 - compose builds nodes only, never objects
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        doc.problems.append(Problem("yaml-syntax", "error", message or "cannot parse", Location(path, line, column)))
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(Problem("yaml-syntax", "error", str(exc), Location(path, 1, 1)))
        return doc
    if node is None:
        return doc
    _Builder(doc).build(node)
    return doc


class _Builder:
    """Turns a composed node tree into plain data without PyYAML's constructor and its silences."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[int] = set()

    def build(self, node: yaml.Node) -> None:
        self.doc.data = self._value(node, ())

    def _problem(self, code: str, message: str, node: yaml.Node) -> None:
        mark = node.start_mark
        self.doc.problems.append(Problem(code, "error", message, Location(self.doc.path, mark.line + 1, mark.column + 1)))

    def _value(self, node: yaml.Node, path: Path_) -> Any:
        mark = node.start_mark
        self.doc.positions[path] = (mark.line + 1, mark.column + 1)
        if id(node) in self.seen:
            self._problem("schema", "anchors and aliases are not allowed in a ledger: write the value out", node)
            return None
        self.seen.add(id(node))
        if len(path) > MAX_DEPTH:
            self._problem("schema", f"nested deeper than {MAX_DEPTH} levels", node)
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                self._problem("schema", f"the tag {node.tag!r} is not allowed", node)
            return [self._value(item, (*path, index)) for index, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        if node.tag != _TAG + "map":
            self._problem("schema", f"the tag {node.tag!r} is not allowed", node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem("schema", "a key must be a plain word, not a list or mapping", key_node)
                continue
            key = key_node.value
            if key == "<<" and key_node.tag == _TAG + "merge":
                self._problem("schema", "merge keys (<<) are not allowed in a ledger: write the fields out", key_node)
                continue
            key_mark = key_node.start_mark
            if key in result:
                first_line, first_column = self.doc.key_positions[(*path, key)]
                self._problem(
                    "duplicate-key",
                    f"key {key!r} appears twice in this mapping (first at line {first_line}, column "
                    f"{first_column}); YAML loaders keep only one of them",
                    key_node,
                )
                continue
            self.doc.key_positions[(*path, key)] = (key_mark.line + 1, key_mark.column + 1)
            result[key] = self._value(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag, raw = node.tag, node.value
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
            try:
                real = Float(raw.replace("_", "").replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf")
                             .replace(".nan", "nan").replace(".NaN", "nan").replace(".NAN", "nan"))
            except ValueError:
                return raw
            real.raw = raw
            return real
        if tag == _TAG + "timestamp":
            return self._timestamp(node)
        self._problem("schema", f"the tag {tag!r} is not allowed", node)
        return raw

    def _timestamp(self, node: yaml.ScalarNode) -> Any:
        raw = node.value
        match = _DATE_RE.match(raw)
        try:
            if match:
                day = Date(*(int(part) for part in match.groups()))
                day.raw = raw
                return day
            moment = dt.datetime.fromisoformat(raw.replace(" ", "T", 1) if "T" not in raw and "t" not in raw else raw)
        except ValueError as exc:
            return BadDate(raw, str(exc))
        stamp = DateTime(
            moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
            moment.microsecond, moment.tzinfo,
        )
        stamp.raw = raw
        return stamp
