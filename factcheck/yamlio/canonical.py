"""Whether a piece of YAML text is already in `fmt`'s canonical layout, decided line by line from its data.

`layout.format_text` lays a file out with ruamel.yaml's round trip, which takes some 3 ms a claim. Most
files are already in layout, and for those the answer can come from the text and the data the native
parser gives, at the speed of reading: walk the lines alongside the data and check that each line is the
one ruamel.yaml would write for it (the key order of the models, two spaces a mapping, list dashes two
spaces in, each value in the style ruamel.yaml chooses). The check is conservative: `True` only when every
line is one it is sure of, in the one style it is sure of. A value written in any other way, a comment, a
blank line or any other doubt answers `False`, and the caller lays that piece out with ruamel.yaml, which
may well find it in layout already. A property test holds this to ruamel.yaml's own output.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

# A text ruamel.yaml writes plain in block context (YAML 1.1, unicode allowed): no indicator first, no
# ": " or " #" inside, no ":" last, no space at either end, printable characters of the basic plane
# only. Narrower than ruamel.yaml's own test (a "-" or "?" first is left to it), never wider.
# not printable, a line break, or outside the basic plane (which ruamel.yaml may escape)
_OUTSIDE = "\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff\\ufeff\\ufffe\\uffff\\U00010000-\\U0010ffff"
_BLOCK_PLAIN = re.compile(
    rf"(?!---|\.\.\.)[^\s\-?:,\[\]{{}}#&*!|>'\"%@`{_OUTSIDE}]"
    rf"(?:[^{_OUTSIDE}:#]|:(?=\S)|(?<=[^ ])#)*"
    r"(?<![ :])"
)
# In a flow collection, besides: no ",", "?", brackets or braces anywhere, and no ":" at all.
_FLOW_PLAIN = re.compile(rf"[^\s\-?:,\[\]{{}}#&*!|>'\"%@`{_OUTSIDE}](?:[^{_OUTSIDE}:#,?\[\]{{}}]|(?<=[^ ])#)*(?<! )")
# A text that YAML 1.1 could read as something else when plain (a number, a date, a boolean, null, a merge
# key): anything that starts with a digit, a sign, a point, "~", "=" or "<", and the short words. Only
# these are put to ruamel.yaml's resolver.
_MAYBE_OTHER = re.compile(r"[-+.0-9~=<]|(?i:y|n|yes|no|on|off|true|false|null)\Z")
_KEY = re.compile(r"(?!(?i:y|n|yes|no|on|off|true|false|null)\Z)[A-Za-z_][A-Za-z0-9_]*\Z")
MAX_LINE = 2000  # ruamel.yaml folds lines past its width (4096): far longer ones are left to it


_SIMPLE = re.compile(rf"[^\s\-?:,\[\]{{}}#&*!|>'\"%@`{_OUTSIDE}][^{_OUTSIDE}:#]*(?<! )")  # most texts: no ":" or "#"


def scalar(value: Any, flow: bool) -> str | None:
    """The text ruamel.yaml writes for a scalar value, or None when this module is not sure of it."""
    kind = type(value)
    if kind is str:
        plain = _FLOW_PLAIN.fullmatch(value) if flow else (_SIMPLE.fullmatch(value) or _BLOCK_PLAIN.fullmatch(value))
        if plain and not (_MAYBE_OTHER.match(value) and _read_otherwise(value)) and not value.startswith(("---", "...")):
            return value  # type: ignore[no-any-return]
        return None
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        shown = repr(value)
        return shown if re.fullmatch(r"-?[0-9]+\.[0-9]+", shown) else None
    if kind is dt.date:
        return value.isoformat()  # type: ignore[no-any-return]
    return None  # None, date-times and anything else: left to ruamel.yaml


@functools.cache
def _resolver() -> Any:
    from ruamel.yaml.resolver import VersionedResolver

    return VersionedResolver(version=(1, 1))


def _read_otherwise(text: str) -> bool:
    """Whether YAML 1.1 reads the text, written plain, as anything but a string (ruamel.yaml's own resolver,
    asked only of the texts that could be)."""
    from ruamel.yaml.nodes import ScalarNode

    return bool(_resolver().resolve(ScalarNode, text, (True, False)) != "tag:yaml.org,2002:str")


def flow_text(value: Any) -> str | None:
    """A flow mapping or list as ruamel.yaml writes it on one line: {a: 1, b: x}, [a, b]."""
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            shown = scalar(item, flow=True)
            if shown is None or not isinstance(key, str) or not _KEY.match(key):
                return None
            parts.append(f"{key}: {shown}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        shown_items = [scalar(item, flow=True) for item in value]
        if any(shown is None for shown in shown_items):
            return None
        return "[" + ", ".join(shown_items) + "]"  # type: ignore[arg-type]
    return None


class Walk:
    """Lines of text checked one after another against the data they hold."""

    def __init__(self, lines: Sequence[str], orders: Mapping[str, Sequence[str]]) -> None:
        self.lines = lines
        self.at = 0
        self.orders = orders  # the key order of each kind of mapping, by the key it sits under ("" the top)
        self.in_order: dict[tuple[str, tuple[str, ...]], bool] = {}

    def ordered(self, mapping: dict[str, Any], under: str) -> bool:
        keys = (under, tuple(mapping))
        known = self.in_order.get(keys)
        if known is None:
            known = self.in_order[keys] = _in_order(mapping, self.orders.get(under))
        return known

    def mapping(self, value: Any, indent: int, under: str, first: str | None = None) -> bool:
        """A block mapping at `indent`; `first` is what stands before its first key on its line ("- ")."""
        if type(value) is not dict or not value or not self.ordered(value, under):
            return False
        lead = first if first is not None else " " * indent
        lines = self.lines
        for key, item in value.items():
            if type(key) is not str or not _KEY.match(key):
                return False
            head = lead + key
            lead = " " * indent
            kind = type(item)
            if kind is dict or kind is list:
                if not self.collection(head, item, indent, key):
                    return False
                continue
            shown = scalar(item, flow=False)
            at = self.at
            if shown is None or at >= len(lines) or lines[at] != f"{head}: {shown}" or len(lines[at]) > MAX_LINE:
                return False
            self.at = at + 1
        return True

    def collection(self, head: str, item: Any, indent: int, key: str) -> bool:
        """A mapping or list under `head` (the line up to the key's colon), in flow style or block style."""
        at, lines = self.at, self.lines
        line = lines[at] if at < len(lines) else ""
        if line.startswith(head + ": "):  # written in flow style: kept so, and all on one line
            shown = flow_text(item)
            if shown is None or (type(item) is dict and not self.ordered(item, key)) or line != f"{head}: {shown}" \
                    or len(line) > MAX_LINE:
                return False
            self.at = at + 1
            return True
        if not item or line != head + ":":
            return False  # an empty collection is written in flow style ({} or [])
        self.at = at + 1
        if type(item) is dict:
            return self.mapping(item, indent + 2, key)
        return self.sequence(item, indent + 2, key)

    def sequence(self, items: list[Any], indent: int, under: str) -> bool:
        """A block list whose dashes are at `indent`, each item's content two spaces further in."""
        dash = " " * indent + "- "
        lines = self.lines
        for item in items:
            at = self.at
            kind = type(item)
            if kind is dict:
                line = lines[at] if at < len(lines) else ""
                if line.startswith(dash + "{"):
                    shown = flow_text(item)
                    if shown is None or not self.ordered(item, under) or line != dash + shown or len(line) > MAX_LINE:
                        return False
                    self.at = at + 1
                elif not self.mapping(item, indent + 2, under, first=dash):
                    return False
            elif kind is list:
                return False  # a list in a list: left to ruamel.yaml
            else:
                shown = scalar(item, flow=False)
                if shown is None or at >= len(lines) or lines[at] != dash + shown:
                    return False
                self.at = at + 1
        return True


def _in_order(mapping: dict[str, Any], order: Sequence[str] | None) -> bool:
    """Whether the keys stand as `layout._order` puts them: the known ones first, in order, then the others."""
    if order is None:
        return True
    keys = list(mapping)
    known = [k for k in keys if k in order]
    rank = {k: i for i, k in enumerate(order)}
    if known != sorted(known, key=rank.__getitem__):
        return False
    return keys[:len(known)] == known


def in_layout(lines: Sequence[str], data: Any, indent: int, orders: Mapping[str, Sequence[str]], under: str,
              first: str | None = None) -> bool:
    """Whether `lines` are exactly the block mapping `data` as `fmt` lays it out, and nothing more."""
    walk = Walk(lines, orders)
    return walk.mapping(data, indent, under, first) and walk.at == len(lines)
