"""Many claims, or many verdicts, from a file of rows (YAML, JSON or CSV): every row checked first, then all
written in one splice per file, or none."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from factcheck.editing.corrections import QUANTITY_FIELDS
from factcheck.editing.edits import Outcome, claim_data, load_for_edit, rewrite
from factcheck.errors import FactcheckError, RefusedError
from factcheck.ledger.files import LedgerLock
from factcheck.ledger.folder import CLAIMS_FILE
from factcheck.ledger.model import Claim, HistoryEntry, as_data, replace
from factcheck.ledger.validation import Invalid, checked
from factcheck.yamlio.yamledit import YamlText


def read_rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """The rows of a YAML, JSON or CSV file, each with where it stands ("rows.csv: row 3 (line 4)")."""
    from factcheck.yamlio.yamlsrc import parse

    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FactcheckError(f"{path}: cannot be read ({exc.strerror})") from None
    if path.suffix.lower() == ".csv":
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FactcheckError(f"{name}: not UTF-8 (byte offset {exc.start})") from None
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = []
        for number, row in enumerate(reader, 1):
            if None in row:
                raise FactcheckError(f"{name}: row {number} (line {reader.line_num}) has more cells than the header")
            rows.append((f"{name}: row {number} (line {reader.line_num})",
                         {k.strip(): v for k, v in row.items() if k and v is not None and v.strip() != ""}))
        return rows
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FactcheckError(f"{name}: not JSON ({exc})") from None
        positions: dict[Any, Any] = {}
    else:
        doc = parse(raw, name)
        blocking = [p for p in doc.problems if p.severity == "error"]
        if blocking:
            raise FactcheckError(f"{blocking[0].location}: {blocking[0].message}")
        data, positions = doc.data, doc.positions
    prefix: tuple[str, ...] = ()
    if isinstance(data, dict) and isinstance(data.get("claims"), list):
        data, prefix = data["claims"], ("claims",)
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise FactcheckError(f"{name}: give a list of rows (mappings of fields), or a mapping with a `claims:` list")
    found = []
    for number, row in enumerate(data, 1):
        where = positions.get((*prefix, number - 1))  # (line, column)
        line = f" (line {where[0]})" if where is not None else ""
        found.append((f"{name}: row {number}{line}", row))
    return found


def add_claims_from(root: Path, rows: list[tuple[str, dict[str, Any]]], dry_run: bool = False) -> Outcome:
    """Add every row as a claim, all in one write, or none: each row validated as `claim add` validates, an
    error named by its row."""
    from factcheck.editing.edits import append_target

    claims = [_row_claim(where, row) for where, row in rows]
    incoming = {claim.id for claim in claims}
    with LedgerLock(root):
        ledger, _known = load_for_edit(root, ids=incoming, sources=False)
        seen: dict[str, str] = {}
        for (where, _row), claim in zip(rows, claims, strict=True):
            if (there := ledger.find(claim.id)) is not None:
                raise FactcheckError(f"{where}: claim {claim.id!r} already exists at {there.locate('id')}; nothing "
                                     "was written")
            if claim.id in seen:
                raise FactcheckError(f"{where}: claim {claim.id!r} is also {seen[claim.id]}; nothing was written")
            seen[claim.id] = where
        path = append_target(root)
        data = [claim_data(claim) for claim in claims]
        diff = rewrite(root, path, lambda text: text.append_claims(data), lambda old: [*old, *claims], dry_run,
                       ledger=ledger, touches=())
    count = len(claims)
    return Outcome(path, f"added {count} claim{'s' if count != 1 else ''} to {path.relative_to(root).as_posix()}",
                   (), diff)


def _row_claim(where: str, row: dict[str, Any]) -> Claim:
    """A row of `claim add --from` as a claim: the claim's fields, with `value`, `bound`, `unit` and
    `ordinal` for its figure (typed as --value takes it) and tags as a list or comma-separated."""
    from factcheck.ledger.typed import read_figure

    fields = {k: v for k, v in row.items() if k not in QUANTITY_FIELDS}
    if "value" in row or "bound" in row:
        value = row.get("value")
        quantity: dict[str, Any] = {"bound": row.get("bound") or "exactly"}
        if isinstance(value, str):
            try:
                figure = read_figure(value)
            except ValueError as exc:
                raise FactcheckError(f"{where}: value: {exc}") from None
            quantity["value"] = figure.value
            if figure.unit:
                quantity["unit"] = figure.unit
            if figure.ordinal:
                quantity["ordinal"] = True
        else:
            quantity["value"] = value
        if row.get("unit"):
            quantity["unit"] = row["unit"]
        if str(row.get("ordinal", "")).lower() in ("true", "yes", "1"):
            quantity["ordinal"] = True
        fields["quantity"] = quantity
    if isinstance(fields.get("tags"), str):
        fields["tags"] = [tag.strip() for tag in fields["tags"].split(",") if tag.strip()]
    try:
        return checked(Claim, fields)
    except Invalid as exc:
        raise FactcheckError(f"{where}: {exc}; nothing was written") from None


def set_statuses_from(root: Path, rows: list[tuple[str, dict[str, Any]]], by: str | None, force: bool,
                      dry_run: bool = False) -> Outcome:
    """Give many verdicts in one write per claims file, each row checked as `status` checks one (`id`,
    `status`, `note`, and `by`, `date` when given), all or none."""
    from factcheck.checking.checks import missing_support
    from factcheck.ledger.typed import parse_date

    wanted_ids = {str(row.get("id") or "") for _where, row in rows}
    with LedgerLock(root):
        ledger, _known = load_for_edit(root, ids=wanted_ids, sources=False)
        updated: dict[str, Claim] = {}
        entries: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for where, row in rows:
            claim_id = str(row.get("id") or "")
            record = ledger.find(claim_id)
            if record is None:
                raise FactcheckError(f"{where}: no claim {claim_id!r}; nothing was written")
            claim = updated.get(claim_id, record.claim)
            note = str(row.get("note") or "").strip()
            if not note:
                raise FactcheckError(f"{where}: a verdict needs a note that says why; nothing was written")
            who = str(row.get("by") or by or "").strip()
            if not who:
                raise FactcheckError(f"{where}: who gives the verdict is not known (a `by` column, or --by); "
                                     "nothing was written")
            try:
                day = row.get("date") or dt.date.today()
                day = parse_date(day) if isinstance(day, str) else day
                entry = checked(HistoryEntry, {"date": day, "status": row.get("status"), "note": note, "by": who})
            except ValueError as exc:  # (an Invalid entry, or a date that does not read)
                raise FactcheckError(f"{where}: {exc}; nothing was written") from None
            if entry.date < claim.date or (claim.history and entry.date < claim.history[-1].date):
                raise FactcheckError(f"{where}: the entry would be dated {entry.date.isoformat()}, before the claim or "
                                     "its last entry; nothing was written")
            candidate = replace(claim, status=entry.status, history=[*claim.history, entry])
            lack = missing_support(candidate)
            if lack is not None:
                if not force:
                    raise RefusedError(f"{where}: status {entry.status!r} of {claim_id!r} needs {lack}; pass --force; "
                                       "nothing was written")
                entry = replace(entry, forced=True)
                candidate = replace(claim, status=entry.status, history=[*claim.history, entry])
            updated[claim_id] = candidate
            entries.setdefault(record.doc.path, []).append(
                (claim_id, as_data(entry, dates="dates", leave_out="none")))
        final = {claim_id: updated[claim_id].status for claim_id in updated}

        def edit(text: YamlText, changes: list[tuple[str, dict[str, Any]]]) -> str:
            def record(t: YamlText) -> None:
                for claim_id in dict.fromkeys(claim_id for claim_id, _entry in changes):
                    t.set_claim_value(claim_id, "status", final[claim_id])
                    t.append_to_claim_list(claim_id, "history", *(e for c, e in changes if c == claim_id))
            return text.collect(record)

        def expect(claims: list[Claim]) -> list[Claim]:
            return [updated.get(c.id, c) for c in claims]

        def edit_of(changes: list[tuple[str, dict[str, Any]]]) -> Callable[[YamlText], str]:
            return lambda text: edit(text, changes)

        diffs = [rewrite(root, root / name, edit_of(changes), expect, dry_run=True, ledger=ledger,
                         touches=[c for c, _e in changes])
                 for name, changes in entries.items()]  # every file checked before any is written
        if not dry_run:
            for name, changes in entries.items():
                rewrite(root, root / name, edit_of(changes), expect, ledger=ledger, touches=[c for c, _e in changes])
    count = len(rows)
    return Outcome(root / CLAIMS_FILE, f"recorded {count} verdict{'s' if count != 1 else ''} on {len(updated)} "
                                       f"claim{'s' if len(updated) != 1 else ''}", (), "".join(diffs))


