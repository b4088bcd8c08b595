"""`fmt`: one canonical layout for the ledger's YAML (key order, indentation, quoting), keeping every comment."""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factcheck.errors import FactcheckError
from factcheck.ledger.files import LedgerLock, write_atomic
from factcheck.ledger.folder import SOURCES_DIR
from factcheck.ledger.ledgerfiles import Refused, as_bytes, find_files
from factcheck.yamlio.canonical import in_layout
from factcheck.yamlio.yamlsrc import parse

INDENT = {"mapping": 2, "sequence": 4, "offset": 2}

# The order of keys in each kind of record: the order of the model's fields (a test holds them to the
# models, which are not imported here: pydantic would double the time of `fmt --check`).
_QUOTE = ["source", "text", "prefix", "suffix", "stance"]
_CLAIM_PARTS: dict[str, list[str]] = {
    "quantity": ["value", "bound", "unit", "ordinal"],
    "appearances": _QUOTE,
    "evidence": _QUOTE,
    "history": ["date", "status", "note", "by", "forced"],
}
CLAIM_FIELDS = ["id", "text", "claimant", "date", "subject", "quantity", "measure", "status", "appearances", "evidence",
                "tags", "note", "history", "appearance_urls", "review"]
SETTINGS_FIELDS = ["name", "publisher", "review_base_url", "rating_scale", "stale_after_days", "about_band"]
PUBLISHER_FIELDS = ["name", "url"]
SOURCE_FIELDS = ["title", "publisher", "authors", "url", "archive_url", "published", "retrieved", "language", "sha256",
                 "note", "original"]
ORIGINAL_FIELDS = ["format", "sha256", "extractor", "pages", "fetched_from", "fetched_at"]


@dataclass(frozen=True)
class Formatted:
    """One file's text before and after formatting."""

    path: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def first_difference(self) -> int:
        """The number of the first line that formatting changes (from 1)."""
        for number, (old, new) in enumerate(zip(self.before.split("\n"), self.after.split("\n"), strict=False), 1):
            if old != new:
                return number
        return min(self.before.count("\n"), self.after.count("\n")) + 1

    def diff(self, shown: str) -> str:
        """What formatting changes, as a unified diff with three lines of context; `shown` names the file."""
        import difflib

        return "".join(difflib.unified_diff(self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
                                            shown, f"{shown} (formatted)"))


def format_text(text: str, kind: str, name: str = "<text>") -> str:
    """The canonical layout of one file's text; `kind` is 'claims' or 'source'."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML()
    yaml.version = (1, 1)  # quote exactly what factcheck's YAML 1.1 reading needs quoted ('no', '2023-09-29')
    yaml.indent(**INDENT)
    yaml.width = 4096
    try:
        with warnings.catch_warnings():  # ruamel.yaml warns, on stderr, of a YAML 1.1 float such as 1e3: read as text here
            warnings.simplefilter("ignore")
            data = yaml.load(text)
    except (YAMLError, ValueError, TypeError, OverflowError) as exc:  # ruamel.yaml's date parsing raises ValueError
        raise FactcheckError(f"{name}: cannot be formatted: {exc}; fix it first (factcheck verify)") from None
    if kind == "claims":
        _order(data, ["ledger", "claims"])
        settings: Any = data.get("ledger") if hasattr(data, "get") else None
        _order(settings, SETTINGS_FIELDS)
        _order(settings.get("publisher") if hasattr(settings, "get") else None, PUBLISHER_FIELDS)
        for claim in (data.get("claims") or []) if hasattr(data, "get") else []:
            _order(claim, CLAIM_FIELDS)
            for key, order in _CLAIM_PARTS.items():
                part = claim.get(key) if hasattr(claim, "get") else None
                for item in part if isinstance(part, list) else [part]:
                    _order(item, order)
    else:
        _order(data, SOURCE_FIELDS)
        _order(data.get("original") if hasattr(data, "get") else None, ORIGINAL_FIELDS)
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue()
    header = "%YAML 1.1\n---\n"
    return result[len(header):] if result.startswith(header) else result


def _order(mapping: Any, order: list[str]) -> None:
    """Put known keys first in `order`, then any others as they were (comments travel with their keys)."""
    if not hasattr(mapping, "move_to_end"):
        return
    present = list(mapping)
    wanted = [k for k in order if k in mapping] + [k for k in present if k not in order]
    if wanted != present:
        for key in wanted:
            mapping.move_to_end(key)


def format_ledger(root: Path, check: bool) -> list[Formatted]:
    """Every claims and source-metadata file in canonical layout; written unless `check`."""
    def run() -> list[Formatted]:
        files = find_files(root)
        results = []
        for name, raw in sorted(files.items()):
            if not name.endswith(".yaml") or isinstance(raw, Refused):
                continue
            kind = "source" if name.startswith(SOURCES_DIR + "/") else "claims"
            results.append(_format_file(name, as_bytes(raw), kind))
        if not check:
            for result in results:
                if result.changed:
                    write_atomic(root / result.path, result.after.encode("utf-8"))
        return results

    if check:
        return run()
    with LedgerLock(root):
        return run()


ORDERS: dict[str, list[str]] = {"claim": CLAIM_FIELDS, "ledger": SETTINGS_FIELDS, "publisher": PUBLISHER_FIELDS,
                                 **_CLAIM_PARTS}
_SOURCE_ORDERS: dict[str, list[str]] = {"": SOURCE_FIELDS, "original": ORIGINAL_FIELDS}
_TOP_COMMENT = re.compile(r"(?:#[^\n]*[^\s\n]|#|)")  # a comment line at the top (no trailing space), or a blank one


def _format_file(name: str, raw: bytes, kind: str) -> Formatted:
    fast = _fast_layout(raw, kind)
    if fast is not None:
        return Formatted(name, raw.decode("utf-8"), fast)
    return _format_whole(name, raw, kind)


def _fast_layout(raw: bytes, kind: str) -> str | None:
    """The canonical layout of a file, found without ruamel.yaml for the parts already in it (see canonical):
    the file's own text when every part is, else with only the claims that are not laid out again; None
    when the file is not of the plain shape this needs, and the whole file is laid out as before."""
    from factcheck.pipeline import forked
    from factcheck.yamlio import fastyaml, spans

    if not fastyaml.available() or raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw or not raw.endswith(b"\n"):
        return None
    if kind == "source":
        data = fastyaml.read_plain(raw)
        return raw.decode("utf-8") if isinstance(data, dict) and in_layout(
            raw[:-1].decode("utf-8").split("\n"), data, 0, _SOURCE_ORDERS, "") else None
    starts = spans.claim_starts(raw)
    if starts is None or starts[-1] != len(raw):
        return None
    top = fastyaml.read_plain(raw[:starts[0]])
    if not isinstance(top, dict) or list(top) not in (["claims"], ["ledger", "claims"]) or top["claims"] is not None:
        return None
    count = len(starts) - 1
    bounds = [(i, min(i + fastyaml.CHUNK, count)) for i in range(0, count, fastyaml.CHUNK)]
    # a large file is checked in two shares, the second by a fork on the other core
    theirs = bounds[len(bounds) // 2:] if len(bounds) >= SHARE_FROM_CHUNKS else []
    helper = forked.start(lambda: _out_of_layout(raw, starts, theirs)) if theirs else None
    found = _out_of_layout(raw, starts, bounds[:len(bounds) - len(theirs)] if helper else bounds)
    if helper is not None:
        shared = helper()
        more = _out_of_layout(raw, starts, theirs) if shared is forked.FAILED else shared
        found = None if found is None or more is None else found + more
    if found is None:
        return None
    if not _header_in_layout(raw[:starts[0]].decode("utf-8"), top):
        found = [-1, *(i for i in found if i != 0)]  # -1: the header, laid out with the first claim
    if not found:
        return raw.decode("utf-8")
    out, done = [], 0
    for index in found:
        begin, end = (0, starts[1]) if index < 0 else (starts[index], starts[index + 1])
        again = _laid_out(raw[begin:end].decode("utf-8"), "" if index < 0 else "claims:\n", kind)
        if again is None:
            return None
        out += [raw[done:begin].decode("utf-8"), again]
        done = end
    out.append(raw[done:].decode("utf-8"))
    return "".join(out)


SHARE_FROM_CHUNKS = 3  # from this many chunks of claims (6,000 claims), a fork checks half of them


def _out_of_layout(raw: bytes, starts: list[int], bounds: list[tuple[int, int]]) -> list[int] | None:
    """The indexes of the claims in the chunks `bounds` that are not in layout, or None when the native
    parser refuses a chunk. Each chunk is parsed on a second thread while this one checks the one before."""
    from factcheck.yamlio import fastyaml

    found: list[int] = []
    parsed = fastyaml.read_ahead(raw[starts[i]:starts[j]] for i, j in bounds)
    try:
        for chunk, (i, j) in zip(parsed, bounds, strict=True):
            if not isinstance(chunk, list) or len(chunk) != j - i:
                return None
            lines = raw[starts[i]:starts[j]].decode("utf-8").split("\n")
            line = 0
            for index, claim in enumerate(chunk, i):
                end = line + raw.count(b"\n", starts[index], starts[index + 1])
                if not in_layout(lines[line:end], claim, 4, ORDERS, "claim", first="  - "):
                    found.append(index)
                line = end
    finally:
        parsed.close()
    return found


def _header_in_layout(header: str, top: dict[str, Any]) -> bool:
    """Whether the text before the first claim is as `fmt` lays it out: comment or blank lines at the top,
    the `ledger:` mapping, then `claims:`."""
    settings, has_settings = top.get("ledger"), "ledger" in top
    lines = header[:-1].split("\n") if header.endswith("\n") else []
    at = 0
    while at < len(lines) and _TOP_COMMENT.fullmatch(lines[at]) and not lines[at].startswith(("ledger:", "claims:")):
        at += 1
    if lines[at:] == ["claims:"]:
        return not has_settings
    if not has_settings or at >= len(lines) or lines[at] != "ledger:" or lines[-1] != "claims:":
        return False
    return in_layout(lines[at + 1:-1], settings, 2, ORDERS, "ledger")


def _laid_out(piece: str, before: str, kind: str) -> str | None:
    """A piece of a claims file laid out by ruamel.yaml on its own (`before` makes it a whole document), or
    None when it does not read cleanly or would read otherwise once laid out."""
    whole = before + piece
    doc = parse(whole.encode("utf-8"), "<piece>")
    if any(p.code in ("yaml-syntax", "duplicate-key") for p in doc.problems):
        return None
    try:
        after = format_text(whole, kind)
    except FactcheckError:
        return None
    if not after.startswith(before):
        return None
    again = parse(after.encode("utf-8"), "<piece>")
    if again.data != doc.data or len(again.problems) != len(doc.problems):
        return None
    return after[len(before):]


def _format_whole(name: str, raw: bytes, kind: str) -> Formatted:
    before_doc = parse(raw, name)
    blocking = [p for p in before_doc.problems if p.code in ("yaml-syntax", "duplicate-key")]
    if blocking:
        first = blocking[0]
        raise FactcheckError(f"{first.location}: {first.code}: {first.message}; fix it before formatting")
    text = raw.decode("utf-8-sig")
    after = format_text(text, kind, name)
    after_doc = parse(after.encode("utf-8"), name)
    if after_doc.data != before_doc.data or len(after_doc.problems) != len(before_doc.problems):
        raise FactcheckError(f"{name}: formatting would change what the file says; it was left as it is "
                             "(please report this with the file)")
    return Formatted(name, text, after)

