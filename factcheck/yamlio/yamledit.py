"""Edit YAML text in place: splice new lines or values where the parser's marks say, touching nothing else.

Every byte outside the splice stays as it was (comments, quoting, blank lines, key order), and the cost
is that of one parse, whatever the size of the file. Callers re-read the result and compare it with what
they meant to write before anything reaches the disk.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from typing import Any

import yaml

from factcheck.errors import FactcheckError

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class Flow(dict[str, Any]):
    """A mapping to be written on one line: `{value: 800, bound: more-than}`."""


class FlowList(list[Any]):
    """A list to be written on one line: `tags: [adex, exhibitions]`."""


class _Emitter(yaml.SafeDumper):
    """Block lists indented under their key, as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_Emitter.add_representer(Flow, lambda dumper, data: dumper.represent_mapping(
    "tag:yaml.org,2002:map", data.items(), flow_style=True))
_Emitter.add_representer(FlowList, lambda dumper, data: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", data, flow_style=True))


try:
    class _CEmitter(yaml.CSafeDumper):
        """libyaml's emitter, with lists indentless under their key (see _indent) and no anchors."""

        def ignore_aliases(self, data: Any) -> bool:
            return True

    _CEmitter.add_representer(Flow, lambda dumper, data: dumper.represent_mapping(
        "tag:yaml.org,2002:map", data.items(), flow_style=True))
    _CEmitter.add_representer(FlowList, lambda dumper, data: dumper.represent_sequence(
        "tag:yaml.org,2002:seq", data, flow_style=True))
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _CEmitter = None  # type: ignore[assignment,misc]


def _libyaml_writes_alike(value: Any) -> bool:
    """Whether libyaml writes the value as the Python emitter does but for list indentation (which `_indent`
    adds): every text one line of printable characters below U+D800, and no list directly in a list."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            if any(isinstance(inner, list) for inner in item):
                return False  # a list item that is itself a list: libyaml lays it out on the dash's line
            stack.extend(item)
        elif isinstance(item, str) and not (item.isprintable() and (item.isascii() or max(item) < "\ud800")):
            return False  # libyaml escapes characters past U+FFFF, which the Python emitter writes as they are
    return True


def _indent(text: str) -> str:
    """libyaml's block lists, written at their key's indentation, moved two spaces in as people write them."""
    out: list[str] = []
    shifts: list[tuple[int, int]] = []  # (indentation of the list's dashes as written, spaces added)
    after_key = -1  # indentation of the key just above that has no value on its line
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        at = len(line) - len(stripped)
        while shifts and (at < shifts[-1][0] or (at == shifts[-1][0] and not stripped.startswith("- "))):
            shifts.pop()
        if stripped.startswith("- ") and at == after_key and (not shifts or shifts[-1][0] != at):
            shifts.append((at, (shifts[-1][1] if shifts else 0) + 2))
        added = shifts[-1][1] if shifts else 0
        out.append(" " * added + line if stripped else line)
        after_key = at + (2 if stripped.startswith("- ") else 0) if stripped.endswith(":") and ": " not in stripped \
            and not stripped.startswith(("'", '"')) else -1
    return "\n".join(out)


def block(value: Any, indent: int) -> list[str]:
    """`value` as block-style YAML lines, each indented by `indent` spaces (no trailing newlines)."""
    if _CEmitter is not None and isinstance(value, dict) and _libyaml_writes_alike(value):
        text = _indent(yaml.dump(value, Dumper=_CEmitter, sort_keys=False, allow_unicode=True,
                                 default_flow_style=False, width=1_000_000))
    else:
        text = yaml.dump(value, Dumper=_Emitter, sort_keys=False, allow_unicode=True, default_flow_style=False,
                         width=1_000_000)
    if text.endswith("...\n"):  # a lone scalar carries a document end marker
        text = text[: -len("...\n")]
    return [" " * indent + line if line else line for line in text.rstrip("\n").split("\n")]


def inline(value: Any) -> str:
    """`value` on one line as people write it: a text plain where YAML allows, `{value: 800, bound: about}`,
    `[a, b]`."""
    if isinstance(value, dict | list):
        text = yaml.dump(value, Dumper=_Emitter, sort_keys=False, allow_unicode=True, default_flow_style=True,
                         width=1_000_000)
        return text.rstrip("\n")
    return block(value, 0)[0]


def flow(value: Any) -> str:
    """`value` in flow style: JSON, which is valid YAML wherever flow style is; dates as ISO text."""
    return json.dumps(value, ensure_ascii=False, default=lambda v: v.isoformat() if isinstance(v, dt.date) else v)


class YamlText:
    """One YAML file's text with its node tree, for splicing."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self._pending: list[tuple[int, int, str]] | None = None  # splices recorded by `collect`
        self._root: yaml.MappingNode | None = None
        self._starts: list[int] | bool | None = False  # the claims' offsets, once found (None: not a block list)

    @property
    def root(self) -> yaml.MappingNode:
        """The file's node tree, composed when an edit first needs more than one claim's."""
        if self._root is None:
            try:
                root = yaml.compose(self.text, Loader=_Loader)  # nodes only: nothing is constructed
            except yaml.YAMLError as exc:
                raise FactcheckError(f"{self.path} does not parse; fix it first ({exc})") from None
            if not isinstance(root, yaml.MappingNode):
                raise FactcheckError(f"{self.path}: the top of the file is not a mapping")
            self._root = root
        return self._root

    # -- finding nodes -------------------------------------------------------------------------------

    def top_value(self, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        return _entry(self.root, key)

    def claim(self, claim_id: str) -> yaml.MappingNode:
        """The mapping node of the claim with this id: found by composing the claim's own lines alone when
        the claims are a block list, else the whole file's."""
        alone = self._claim_alone(claim_id)
        if alone is not None:
            return alone
        entry = self.top_value("claims")
        if entry is not None and isinstance(entry[1], yaml.SequenceNode):
            for item in entry[1].value:
                found = _entry(item, "id") if isinstance(item, yaml.MappingNode) else None
                if found is not None and isinstance(found[1], yaml.ScalarNode) and found[1].value == claim_id:
                    assert isinstance(item, yaml.MappingNode)
                    return item
        raise FactcheckError(f"{self.path}: no claim with id {claim_id!r}")

    def _item_starts(self) -> list[int] | None:
        """The offsets where each item of the top-level block list `claims:` starts, then its end (None when
        the claims are not a block list that runs to the end of the file)."""
        if self._starts is False:
            self._starts = block_items(self.text)
        return self._starts  # type: ignore[return-value]

    def _claim_alone(self, claim_id: str) -> yaml.MappingNode | None:
        starts = self._item_starts()
        if starts is None or self._root is not None:
            return None
        pattern = re.compile(rf"^[ ]*(?:- )?id:[ \t]*['\"]?{re.escape(claim_id)}['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)
        for match in pattern.finditer(self.text, starts[0]):
            at = bisect.bisect_right(starts, match.start()) - 1
            if at >= len(starts) - 1:
                break
            item = self._compose_item(starts[at], starts[at + 1])
            key = _entry(item, "id") if item is not None else None
            if key is not None and isinstance(key[1], yaml.ScalarNode) and key[1].value == claim_id:
                return item
        return None

    def _compose_item(self, start: int, end: int) -> yaml.MappingNode | None:
        """One claim's lines composed alone, its marks moved to where they stand in the whole text."""
        try:
            piece = yaml.compose(self.text[start:end], Loader=_Loader)
        except yaml.YAMLError:
            return None
        if not isinstance(piece, yaml.SequenceNode) or len(piece.value) != 1 \
                or not isinstance(piece.value[0], yaml.MappingNode):
            return None
        lines = self.text.count("\n", 0, start)

        def moved(mark: Any) -> yaml.Mark:
            return yaml.Mark(self.path, mark.index + start, mark.line + lines, mark.column, None, 0)

        todo: list[yaml.Node] = [piece.value[0]]
        while todo:
            node = todo.pop()
            node.start_mark, node.end_mark = moved(node.start_mark), moved(node.end_mark)
            if isinstance(node, yaml.MappingNode):
                todo += [part for pair in node.value for part in pair]
            elif isinstance(node, yaml.SequenceNode):
                todo += node.value
        return piece.value[0]

    # -- edits: each returns the new text ------------------------------------------------------------

    def collect(self, edits: Any) -> str:
        """Make several edits of this text at once: `edits(self)` calls the edit methods, each of which then
        records its splice (at the marks of this same text) instead of making it; the splices are made
        together, from the end, in one pass. Two that would overlap are refused."""
        self._pending = []
        try:
            edits(self)
            pending = self._pending
        finally:
            self._pending = None
        ordered = sorted(enumerate(pending), key=lambda item: (item[1][0], item[0]), reverse=True)
        text, floor = self.text, len(self.text) + 1
        for _order, (start, end, new) in ordered:
            if end > floor:
                raise FactcheckError(f"{self.path}: two edits of one place at offset {start}")
            text = text[:start] + new + text[min(end, len(text)):]
            floor = start
        return text

    def set_item_value(self, claim_id: str, key: str, index: int, field: str, value: Any) -> str:
        """Set one field of the item at `index` of the list under `key` of a claim (a quote's `source`)."""
        mapping = self.claim(claim_id)
        entry = _entry(mapping, key)
        if entry is None or not isinstance(entry[1], yaml.SequenceNode) or not 0 <= index < len(entry[1].value):
            raise FactcheckError(f"{self.path}: claim {claim_id!r} has no item {index + 1} under {key!r}")
        item = entry[1].value[index]
        found = _entry(item, field)
        if found is None or not isinstance(found[1], yaml.ScalarNode) or found[1].style in ("|", ">"):
            raise FactcheckError(f"{self.path}: item {index + 1} under {key!r} of {claim_id!r} has no one-line {field!r}")
        node = found[1]
        return self._splice(node.start_mark.index, node.end_mark.index, inline(value))

    def append_claim(self, claim: dict[str, Any]) -> str:
        """Append a claim to the top-level `claims:` list."""
        return self.append_claims([claim])

    def append_claims(self, claims: list[dict[str, Any]]) -> str:
        """Append claims to the top-level `claims:` list, in one splice whatever their number (after the last
        claim, composed alone, when the claims are a block list)."""
        starts = self._item_starts()
        last = self._compose_item(starts[-2], starts[-1]) if starts is not None and self._root is None else None
        if last is not None:
            lines = [line for item in claims for line in self._item_lines(item, self._dash_column(last))]
            return self._insert_lines(self._after_node(last), lines)
        entry = self.top_value("claims")
        if entry is None:
            return self._append_top_key("claims", claims)
        key, value = entry
        return self._append_items(key, value, claims)

    def append_to_claim_list(self, claim_id: str, key: str, *items: dict[str, Any]) -> str:
        """Append items to the list under `key` of a claim, creating the key when it is missing."""
        mapping = self.claim(claim_id)
        entry = _entry(mapping, key)
        if entry is None:
            return self._add_key(mapping, key, list(items))
        return self._append_items(entry[0], entry[1], list(items))

    def set_claim_value(self, claim_id: str, key: str, value: Any) -> str:
        """Set a scalar field of a claim, replacing its value or adding the key."""
        mapping = self.claim(claim_id)
        entry = _entry(mapping, key)
        if entry is None:
            return self._add_key(mapping, key, value)
        node = entry[1]
        if not isinstance(node, yaml.ScalarNode) or node.style in ("|", ">"):
            raise FactcheckError(f"{self.path}: {key!r} of claim {claim_id!r} is not a one-line value")
        new = flow(value) if mapping.flow_style else block(value, 0)[0]
        return self._splice(node.start_mark.index, node.end_mark.index, new)

    def replace_claim_value(self, claim_id: str, key: str, value: Any) -> str:
        """Set any field of a claim (a text, a mapping such as `quantity`, a list such as `tags`), replacing
        its value where it stands, in the style it was written in, or adding the key."""
        mapping = self.claim(claim_id)
        entry = _entry(mapping, key)
        if entry is None:
            return self._add_key(mapping, key, value)
        key_node, node = entry
        one_line = mapping.flow_style or getattr(node, "flow_style", False) or (
            isinstance(node, yaml.ScalarNode) and node.style not in ("|", ">") and not isinstance(value, list | dict))
        if one_line and not (isinstance(value, list) and value and not getattr(node, "flow_style", False)
                             and not mapping.flow_style):
            return self._splice(node.start_mark.index, node.end_mark.index, inline(value))
        start = self.text.rfind("\n", 0, key_node.start_mark.index) + 1
        lead = self.text[start:key_node.start_mark.index]  # the indentation, or "  - " when the key opens an item
        return self._replace_lines(start, self._after_node(node, floor=key_node),
                                   self._key_lines(key, value, key_node.start_mark.column, lead))

    def remove_claim_key(self, claim_id: str, key: str) -> str:
        """Remove a field of a claim, with everything written under it."""
        mapping = self.claim(claim_id)
        entry = _entry(mapping, key)
        if entry is None:
            return self.text
        key_node, node = entry
        if mapping.flow_style:
            pairs = mapping.value
            at = next(i for i, (k, _v) in enumerate(pairs) if k is key_node)
            if len(pairs) == 1:
                return self._splice(key_node.start_mark.index, node.end_mark.index, "")
            if at + 1 < len(pairs):  # up to the next key
                return self._splice(key_node.start_mark.index, pairs[at + 1][0].start_mark.index, "")
            return self._splice(pairs[at - 1][1].end_mark.index, node.end_mark.index, "")
        start = self.text.rfind("\n", 0, key_node.start_mark.index) + 1
        if self.text[start:key_node.start_mark.index].strip():
            raise FactcheckError(f"{self.path}:{key_node.start_mark.line + 1}: {key!r} opens the claim's item and "
                                 "cannot be removed")
        return self._replace_lines(start, self._after_node(node, floor=key_node), [])

    def remove_claim(self, claim_id: str) -> str:
        """Remove a claim from the `claims:` list, with its lines (comments after it stay)."""
        item = self.claim(claim_id)
        listed = _entry(self._root, "claims") if self._root is not None else None  # None: a block list, by _claim_alone
        in_flow = listed is not None and getattr(listed[1], "flow_style", False)
        if in_flow or item.flow_style:
            raise FactcheckError(f"{self.path}:{item.start_mark.line + 1}: the claim is written in flow style; "
                                 "run factcheck fmt first, or remove it by hand")
        start = self.text.rfind("\n", 0, item.start_mark.index) + 1
        return self._replace_lines(start, self._after_node(item), [])

    def remove_list_item(self, claim_id: str, key: str, index: int) -> str:
        """Remove the item at `index` of the list under `key` of a claim (and the key, when it was the last)."""
        mapping = self.claim(claim_id)
        entry = _entry(mapping, key)
        if entry is None or not isinstance(entry[1], yaml.SequenceNode) or not 0 <= index < len(entry[1].value):
            raise FactcheckError(f"{self.path}: claim {claim_id!r} has no item {index + 1} under {key!r}")
        sequence = entry[1]
        if len(sequence.value) == 1:
            return self.remove_claim_key(claim_id, key)
        if sequence.flow_style or mapping.flow_style:
            items = list(sequence.value)
            at = items[index]
            if index + 1 < len(items):
                return self._splice(at.start_mark.index, items[index + 1].start_mark.index, "")
            return self._splice(items[index - 1].end_mark.index, at.end_mark.index, "")
        item = sequence.value[index]
        start = self.text.rfind("\n", 0, item.start_mark.index) + 1
        return self._replace_lines(start, self._after_node(item), [])

    def replace_list_item(self, claim_id: str, key: str, index: int, value: dict[str, Any]) -> str:
        """Replace the item at `index` of the list under `key` of a claim, in the style it was written in."""
        mapping = self.claim(claim_id)
        entry = _entry(mapping, key)
        if entry is None or not isinstance(entry[1], yaml.SequenceNode) or not 0 <= index < len(entry[1].value):
            raise FactcheckError(f"{self.path}: claim {claim_id!r} has no item {index + 1} under {key!r}")
        item = entry[1].value[index]
        if entry[1].flow_style or mapping.flow_style or getattr(item, "flow_style", False):
            return self._splice(item.start_mark.index, item.end_mark.index, inline(Flow(value)))
        start = self.text.rfind("\n", 0, item.start_mark.index) + 1
        return self._replace_lines(start, self._after_node(item), self._item_lines(value, self._dash_column(item)))

    # -- splicing ------------------------------------------------------------------------------------

    def _key_lines(self, key: str, value: Any, indent: int, lead: str) -> list[str]:
        """`key: value` as block lines at `indent`, the first line opening with `lead`."""
        if isinstance(value, list) and value:
            lines = [f"{key}:"] + [line[indent:] for item in value for line in self._item_lines(item, indent + 2)]
        elif isinstance(value, dict) and value and not isinstance(value, Flow):
            lines = [f"{key}:"] + [line[indent:] for line in block(value, indent + 2)]
        else:
            lines = [f"{key}: {inline(value)}"]
        return [lead + lines[0]] + [" " * indent + line for line in lines[1:]]

    def _replace_lines(self, start: int, end: int, lines: list[str]) -> str:
        new = "\n".join(lines) + "\n" if lines else ""
        if end > len(self.text):  # the last line had no newline
            end = len(self.text)
            new = new.rstrip("\n")
        return self._splice(start, end, new)

    def _splice(self, start: int, end: int, new: str) -> str:
        if self._pending is not None:
            self._pending.append((start, end, new))
            return self.text
        return self.text[:start] + new + self.text[end:]

    def _append_item(self, key: yaml.Node, sequence: yaml.Node, item: Any) -> str:
        return self._append_items(key, sequence, [item])

    def _append_items(self, key: yaml.Node, sequence: yaml.Node, items: list[Any]) -> str:
        def lines_at(dash: int) -> list[str]:
            return [line for item in items for line in self._item_lines(item, dash)]

        if isinstance(sequence, yaml.ScalarNode) and sequence.tag.endswith(":null"):
            start, end = sequence.start_mark.index, sequence.end_mark.index
            if start == end:  # `claims:` with nothing after it
                return self._insert_lines(self._line_end(key.end_mark.index), lines_at(key.start_mark.column + 2))
            return self._splice(start, end, "\n" + "\n".join(lines_at(key.start_mark.column + 2)))
        if not isinstance(sequence, yaml.SequenceNode):
            raise FactcheckError(f"{self.path}:{key.start_mark.line + 1}: the value of this key is not a list")
        if sequence.flow_style and not sequence.value:  # `claims: []` becomes a block list
            return self._splice(key.end_mark.index + 1, sequence.end_mark.index,
                                "\n" + "\n".join(lines_at(key.start_mark.column + 2)))
        if sequence.flow_style:
            close = sequence.end_mark.index - 1
            return self._splice(close, close, "".join(", " + flow(item) for item in items))
        last = sequence.value[-1]
        return self._insert_lines(self._after_node(last), lines_at(self._dash_column(last)))

    def _add_key(self, mapping: yaml.MappingNode, key: str, value: Any) -> str:
        if mapping.flow_style:
            close = mapping.end_mark.index - 1
            separator = ", " if mapping.value else ""
            return self._splice(close, close, f"{separator}{key}: {flow(value)}")
        last_key, last_value = mapping.value[-1]
        indent = last_key.start_mark.column
        if isinstance(value, list) and not any(isinstance(item, dict | list) for item in value):
            lines = [" " * indent + f"{key}: {inline(value)}"]  # a list of words on one line: tags: [a, b]
        elif isinstance(value, list):
            lines = [" " * indent + f"{key}:"]
            for item in value:
                lines += self._item_lines(item, indent + 2)
        else:
            lines = [" " * indent + f"{key}: {block(value, 0)[0]}"]
        return self._insert_lines(self._after_node(last_value, floor=last_key), lines)

    def _append_top_key(self, key: str, value: Any) -> str:
        newline = "" if self.text.endswith("\n") or not self.text else "\n"
        lines = [f"{key}:"] + [line for item in value for line in self._item_lines(item, 2)]
        return self._splice(len(self.text), len(self.text), newline + "\n".join(lines) + "\n")

    def _item_lines(self, item: Any, dash: int) -> list[str]:
        lines = block(item, dash + 2)
        first = lines[0]
        lines[0] = " " * dash + "- " + first[dash + 2:]
        return lines

    def _dash_column(self, item: yaml.Node) -> int:
        line_start = self.text.rfind("\n", 0, item.start_mark.index) + 1
        dash = self.text.rfind("-", line_start, item.start_mark.index)
        return dash - line_start if dash >= 0 else item.start_mark.column

    def _after_node(self, node: yaml.Node, floor: yaml.Node | None = None) -> int:
        """The offset just after the last line that holds `node`'s content (trailing comments excluded)."""
        lowest = (floor or node).start_mark.line
        leaf = node
        while isinstance(leaf, yaml.SequenceNode | yaml.MappingNode) and leaf.value and not leaf.flow_style:
            last = leaf.value[-1]
            leaf = last[1] if isinstance(leaf, yaml.MappingNode) else last
        text, line, end = self.text, leaf.end_mark.line, leaf.end_mark.index
        if leaf.end_mark.column == 0 and line > lowest:  # the content ended with the line before
            line -= 1
            line_start = text.rfind("\n", 0, end - 1) + 1
        else:
            line_start = end - leaf.end_mark.column
        while line > lowest:
            line_end = text.find("\n", line_start)
            content = text[line_start:len(text) if line_end < 0 else line_end].strip()
            if content and not content.startswith("#"):
                break
            line -= 1
            line_start = text.rfind("\n", 0, line_start - 1) + 1
        line_end = text.find("\n", line_start)
        return len(text) + 1 if line_end < 0 else line_end + 1

    def _line_end(self, index: int) -> int:
        end = self.text.find("\n", index)
        return len(self.text) if end < 0 else end + 1

    def _insert_lines(self, at: int, lines: list[str]) -> str:
        if at > len(self.text):  # the last line had no newline
            return self._splice(len(self.text), len(self.text), "\n" + "\n".join(lines) + "\n")
        return self._splice(at, at, "\n".join(lines) + "\n")


_CLAIMS_KEY = re.compile(r"^claims[ \t]*:[ \t]*(?:#.*)?$", re.MULTILINE)
_FIRST_ITEM = re.compile(r"\n([ ]*)- ")
_TOP_LEVEL = re.compile(r"\n[^\s#-]")


def block_items(text: str) -> list[int] | None:
    """As spans.claim_starts, in a text's characters; None unless the list runs to the end of the text."""
    key = _CLAIMS_KEY.search(text)
    if key is None or "\t" in text or "\r" in text:
        return None
    first = _FIRST_ITEM.search(text, key.end())
    if first is None or _TOP_LEVEL.search(text, key.end(), first.start()) or _TOP_LEVEL.search(text, first.start()):
        return None
    marker = "\n" + first.group(1) + "- "
    starts = [first.start() + 1]
    at = text.find(marker, first.end())
    while at >= 0:
        starts.append(at + 1)
        at = text.find(marker, at + len(marker))
    return [*starts, len(text)]


def _entry(mapping: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None
