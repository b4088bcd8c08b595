"""`fmt`: one canonical layout for the ledger's YAML (key order, indentation, quoting), keeping every comment."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factcheck.errors import FactcheckError
from factcheck.files import LedgerLock, write_atomic
from factcheck.ledgerfiles import SOURCES_DIR, Refused, as_bytes, find_files
from factcheck.model import Claim, Evidence, HistoryEntry, Publisher, Quantity, Settings, SourceMeta
from factcheck.yamlsrc import parse

INDENT = {"mapping": 2, "sequence": 4, "offset": 2}

# The order of keys in each kind of record: the order of the model's fields.
_CLAIM_PARTS: dict[str, list[str]] = {
    "quantity": list(Quantity.model_fields),
    "appearances": list(Evidence.model_fields),
    "evidence": list(Evidence.model_fields),
    "history": list(HistoryEntry.model_fields),
}


@dataclass(frozen=True)
class Formatted:
    """One file's text before and after formatting."""

    path: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def format_text(text: str, kind: str, name: str = "<text>") -> str:
    """The canonical layout of one file's text; `kind` is 'claims' or 'source'."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML()
    yaml.version = (1, 1)  # quote exactly what factcheck's YAML 1.1 reading needs quoted ('no', '2023-09-29')
    yaml.indent(**INDENT)
    yaml.width = 4096
    try:
        data = yaml.load(text)
    except (YAMLError, ValueError, TypeError, OverflowError) as exc:  # ruamel.yaml's date parsing raises ValueError
        raise FactcheckError(f"{name}: cannot be formatted: {exc}; fix it first (factcheck verify)") from None
    if kind == "claims":
        _order(data, ["ledger", "claims"])
        settings: Any = data.get("ledger") if hasattr(data, "get") else None
        _order(settings, list(Settings.model_fields))
        _order(settings.get("publisher") if hasattr(settings, "get") else None, list(Publisher.model_fields))
        for claim in (data.get("claims") or []) if hasattr(data, "get") else []:
            _order(claim, list(Claim.model_fields))
            for key, order in _CLAIM_PARTS.items():
                part = claim.get(key) if hasattr(claim, "get") else None
                for item in part if isinstance(part, list) else [part]:
                    _order(item, order)
    else:
        _order(data, list(SourceMeta.model_fields))
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
            if name.endswith(".txt") or isinstance(raw, Refused):
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


def _format_file(name: str, raw: bytes, kind: str) -> Formatted:
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

