"""Where each node of one claim is, read from its lines: the positions libyaml's composer gives (see
yamlsrc.node_positions), for a claim in the plain block layout ledgers are written in, found about ten
times quicker than composing it.

A problem found in a claim the fast reader read is located by cutting the claim out of the file and
finding its nodes. Most claims are written as block mappings and sequences of one-line scalars, with the
odd one-line flow collection (`tags: [a, b]`, `quantity: {value: 1, unit: units}`): their positions are
known from indentation and a few characters alone. Anything else (a scalar over several lines, a block
scalar, an empty value, an anchor, a tag, a tab, a comment after a value, a key in quotes, a key given twice)
makes `block_positions` answer None, and the claim is composed as before. Tests compare both on every
claim of several ledgers.
"""

from __future__ import annotations

import re

Path_ = tuple[str | int, ...]
Places = dict[Path_, tuple[int, int]]

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +|$)")
_NOT_PLAIN_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_ITEM_BAD = frozenset(",[]{}#'\"&*!|>%@`")


class _GiveUp(Exception):
    """The claim is not of the shape read here."""


def block_positions(text: str, item: Path_ = (0,), first_line: int = 0) -> tuple[str, Places, Places] | None:
    """The id of the one claim in `text` (a block sequence of one item, as cut out of a claims file), with
    the positions and key positions of its nodes that node_positions gives, from the lines alone; None for a
    claim of another shape. The claim's path is `item` (its sub-paths below it), its lines counted after
    `first_line` lines."""
    if "\t" in text or "\r" in text:
        return None
    lines, comments = [], {}
    for number, line in enumerate(text.split("\n"), first_line):
        content = line.lstrip(" ")
        if content.startswith("#"):
            comments[number] = len(line) - len(content)
        elif content:
            lines.append((number, len(line) - len(content), line.rstrip(" ")))
    if not lines:
        return None
    reader = _Reader(lines, comments)
    number, indent, line = lines[0]
    if not line.startswith("- ", indent):
        return None
    try:
        rest = line[indent + 1:]
        reader.inline(0, indent + 1 + len(rest) - len(rest.lstrip(" ")), item, indent)
    except (_GiveUp, IndexError):
        return None
    claim_id = reader.texts.get((*item, "id"))
    if claim_id is None or reader.at != len(lines):
        return None  # not one claim, or one without a plain id
    return claim_id, reader.positions, reader.keys


class _Reader:
    """A recursive reading of indented lines: `at` is the next line to read."""

    def __init__(self, lines: list[tuple[int, int, str]], comments: dict[int, int]) -> None:
        self.lines, self.at = lines, 0
        self.comments = comments  # the lines that look like comments: their indentation, by number
        self.positions: Places = {}
        self.keys: Places = {}
        self.texts: dict[Path_, str] = {}  # each one-line scalar's text

    def block(self, index: int, path: Path_, parent: int) -> None:
        """The block node whose first line is `index` (its indentation above `parent`'s, or equal for a
        sequence under a key)."""
        number, indent, line = self.lines[index]
        if line[indent:indent + 2] in ("- ", "-") and (len(line) == indent + 1 or line[indent + 1] == " "):
            if indent < parent:
                raise _GiveUp
            self.sequence(index, path, indent)
        else:
            if indent <= parent:
                raise _GiveUp
            self.mapping(index, indent, path, number, indent)

    def sequence(self, index: int, path: Path_, indent: int) -> None:
        self.positions[path] = (self.lines[index][0] + 1, indent + 1)
        item = 0
        self.at = index
        while self.at < len(self.lines):
            _number, at_indent, line = self.lines[self.at]
            if at_indent != indent or line[indent] != "-" or (len(line) > indent + 1 and line[indent + 1] != " "):
                if at_indent >= indent:
                    raise _GiveUp  # something at the sequence's indentation that is not an item
                return
            rest = line[indent + 1:]
            column = indent + 1 + len(rest) - len(rest.lstrip(" "))
            self.inline(self.at, column, (*path, item), indent)
            item += 1

    def mapping(self, index: int, indent: int, path: Path_, number: int, column: int) -> None:
        """A block mapping whose first key is on line `index` at `column`; the others at `indent`."""
        self.positions[path] = (number + 1, column + 1)
        seen: set[str] = set()
        self.at = index
        first = True
        while self.at < len(self.lines):
            number, at_indent, line = self.lines[self.at]
            key_column = column if first else at_indent
            if not first and at_indent != indent:
                if at_indent > indent:
                    raise _GiveUp
                return
            first = False
            found = _KEY.match(line, key_column)
            if found is None or found.group(1) in seen:
                raise _GiveUp
            key = found.group(1)
            seen.add(key)
            self.keys[(*path, key)] = (number + 1, key_column + 1)
            if found.end() == len(line):  # the value is a block node on the lines below
                if self.at + 1 >= len(self.lines) or self.lines[self.at + 1][1] < indent:
                    raise _GiveUp  # an empty value
                self.block(self.at + 1, (*path, key), indent)
            else:
                self.value(self.at, found.end(), (*path, key), indent)

    def inline(self, index: int, column: int, path: Path_, indent: int) -> None:
        """The node after a sequence item's `- ` on line `index`, starting at `column`."""
        number, _, line = self.lines[index]
        if column >= len(line):  # `-` alone: the item is a block node on the lines below
            if index + 1 >= len(self.lines):
                raise _GiveUp
            self.block(index + 1, path, indent)
            return
        if line.startswith("- ", column) or (line.endswith("-") and column == len(line) - 1):
            raise _GiveUp  # a sequence in a sequence
        if _KEY.match(line, column):
            self.mapping(index, column, path, number, column)
            return
        self.value(index, column, path, indent)

    def value(self, index: int, column: int, path: Path_, indent: int) -> None:
        """A value that starts on line `index` at `column` and takes the rest of the line: a scalar, a
        one-line flow collection, or a block scalar (`|`, `>-`, ...) whose lines are those below indented
        more than `indent`."""
        number, _, line = self.lines[index]
        rest = line[column:]
        self.positions[path] = (number + 1, column + 1)
        self.at = index + 1
        first = rest[0]
        if first in "|>":
            if rest[1:] not in ("", "-", "+"):
                raise _GiveUp  # an indentation indicator, or a comment after the header
            content = self.lines[self.at][1] if self.at < len(self.lines) else indent + 1
            while self.at < len(self.lines) and self.lines[self.at][1] > indent:
                if self.lines[self.at][1] < content:
                    raise _GiveUp  # a line less indented than the first: not the scalar's
                self.at += 1
            last = self.lines[self.at - 1][0]
            if any(number < at < last and less < content for at, less in self.comments.items()):
                raise _GiveUp  # a comment less indented than the text ends the scalar
            return
        if self.at < len(self.lines) and self.lines[self.at][1] > indent:
            raise _GiveUp  # a scalar continued on the next line
        if first == '"':
            self.texts[path] = _double_quoted(rest)
        elif first == "'":
            self.texts[path] = _single_quoted(rest)
        elif first in "[{":
            self.flow(number, column, rest, path)
        elif first in _NOT_PLAIN_FIRST or " #" in rest or ": " in rest or rest.endswith(":"):
            raise _GiveUp
        else:
            self.texts[path] = rest

    def flow(self, number: int, column: int, rest: str, path: Path_) -> None:
        """`[a, "b"]` or `{k: v, k2: "v 2"}`, of plain scalars and double-quoted ones without escapes, on one
        line."""
        close = "]" if rest[0] == "[" else "}"
        at, index = 1, 0
        while True:
            at = _skip_spaces(rest, at)
            if rest.startswith(close, at):
                if index and rest[at - 1] == ",":
                    raise _GiveUp  # a trailing comma
                break
            if close == "}":
                key_end = rest.find(":", at)
                key = rest[at:key_end]
                if key_end < 0 or not _KEY.fullmatch(key + ":") or rest[key_end + 1:key_end + 2] != " " \
                        or (*path, key) in self.keys:
                    raise _GiveUp
                self.keys[(*path, key)] = (number + 1, column + at + 1)
                at = _skip_spaces(rest, key_end + 1)
                sub: Path_ = (*path, key)
            else:
                sub = (*path, index)
            self.positions[sub] = (number + 1, column + at + 1)
            at = _flow_scalar_end(rest, at, close)
            at = _skip_spaces(rest, at)
            if rest.startswith(",", at):
                at += 1
            elif not rest.startswith(close, at):
                raise _GiveUp
            index += 1
        if at != len(rest) - 1:
            raise _GiveUp  # more after the collection


def _skip_spaces(text: str, at: int) -> int:
    while at < len(text) and text[at] == " ":
        at += 1
    return at


def _flow_scalar_end(text: str, at: int, close: str) -> int:
    """Where a scalar item of a flow collection that starts at `at` ends."""
    if text.startswith('"', at):
        end = text.find('"', at + 1)
        if end < 0 or "\\" in text[at:end]:
            raise _GiveUp
        return end + 1
    end = at
    while end < len(text) and text[end] not in "," + close:
        end += 1
    item = text[at:end].rstrip(" ")
    if not item or set(item) & _FLOW_ITEM_BAD or item[0] in _NOT_PLAIN_FIRST or ":" in item:
        raise _GiveUp
    return at + len(item)


def _double_quoted(rest: str) -> str:
    """The text of a double-quoted scalar that ends the line, without escapes; else give up."""
    if len(rest) < 2 or not rest.endswith('"') or "\\" in rest or '"' in rest[1:-1]:
        raise _GiveUp
    return rest[1:-1]


def _single_quoted(rest: str) -> str:
    """The text of a single-quoted scalar that ends the line."""
    if len(rest) < 2 or not rest.endswith("'"):
        raise _GiveUp
    inner = rest[1:-1]
    if "'" in inner.replace("''", ""):
        raise _GiveUp
    return inner.replace("''", "'")
