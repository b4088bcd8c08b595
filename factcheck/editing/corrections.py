"""Correcting what exists: set a claim's fields, rename or remove it; remove, replace or fix a quote.
(Sources are corrected by `sourcing`, many claims or verdicts brought at once by `batches`.)

Each keeps the guarantees of the adding commands (see edits): the change is spliced into the text at the
parser's marks, so every byte outside it is kept; the result is read again and must hold exactly the
claims meant; the write is atomic and under the ledger's lock; a refused command writes nothing; and
`dry_run` gives the diff the write would make without making it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from factcheck.editing.edits import Outcome, claim_data, load_for_edit, rewrite, similar_claims
from factcheck.errors import FactcheckError, RefusedError
from factcheck.ledger.files import LedgerLock
from factcheck.ledger.model import SLUG_RE, Claim, Quote, replace
from factcheck.ledger.validation import Invalid, checked
from factcheck.pipeline.store import ClaimRecord, Ledger
from factcheck.yamlio.yamledit import Flow, YamlText

if TYPE_CHECKING:
    from factcheck.checking.anchor import Snapshot

# The fields `claim set` changes, by the name it takes them by; value, bound, unit and ordinal are the
# quantity's.
TEXT_FIELDS = ("text", "claimant", "subject", "measure", "note")
QUANTITY_FIELDS = ("value", "bound", "unit", "ordinal")
SETTABLE = (*TEXT_FIELDS, "date", *QUANTITY_FIELDS, "tags")
REQUIRED = ("text", "claimant", "date")


# -- claims ---------------------------------------------------------------------------------------------


def set_claim(root: Path, claim_id: str, assignments: Sequence[str], dry_run: bool = False) -> Outcome:
    """Set fields of a claim: `FIELD=VALUE`, `FIELD=` to remove an optional one, `tags+=TAG`, `tags-=TAG`.
    Validated as `claim add` validates; a new text is compared with the other claims' for near duplicates."""
    from factcheck.ledger.typed import parse_date, read_figure

    if not assignments:
        raise FactcheckError("nothing to set: give FIELD=VALUE (fields: " + ", ".join(SETTABLE) + ")")
    with LedgerLock(root):
        ledger, known = load_for_edit(root, ids={claim_id}, texts=True, sources=False)
        record = ledger.require(claim_id, known.files)
        data = claim_data(record.claim)
        quantity = dict(data.get("quantity") or {})
        tags = list(data.get("tags") or [])
        changed: list[str] = []
        for assignment in assignments:
            field, operator, value = _assignment(assignment)
            if field == "tags":
                if operator == "+=":
                    tags += [value] if value not in tags else []
                elif operator == "-=":
                    if value not in tags:
                        raise FactcheckError(f"{claim_id!r} has no tag {value!r}; its tags: {', '.join(tags) or 'none'}")
                    tags.remove(value)
                else:
                    tags = [tag.strip() for tag in value.split(",") if tag.strip()]
            elif operator != "=":
                raise FactcheckError(f"{assignment!r}: {operator} is for tags only; write {field}=VALUE")
            elif field in REQUIRED and not value:
                raise FactcheckError(f"{field} is required and cannot be removed")
            elif field == "date":
                try:
                    data["date"] = parse_date(value, partial=True)
                except ValueError as exc:
                    raise FactcheckError(f"date: {exc}") from None
            elif field in TEXT_FIELDS:
                if value:
                    data[field] = value
                else:
                    data.pop(field, None)
            elif field == "value":
                if not value:
                    quantity = {}
                    continue
                try:
                    figure = read_figure(value)
                except ValueError as exc:
                    raise FactcheckError(f"value: {exc}") from None
                quantity["value"] = int(figure.value) if figure.value.is_integer() else figure.value
                if figure.unit is not None:
                    quantity["unit"] = figure.unit
                if figure.ordinal:
                    quantity["ordinal"] = True
                    quantity.setdefault("bound", "exactly")
            elif field == "ordinal":
                if value.lower() in ("true", "yes"):
                    quantity["ordinal"] = True
                elif value.lower() in ("", "false", "no"):
                    quantity.pop("ordinal", None)
                else:
                    raise FactcheckError(f"ordinal: write ordinal=true or ordinal=false, not {value!r}")
            elif value:
                quantity[field] = value
            else:
                quantity.pop(field, None)
            changed.append(field)
        if quantity and ("value" not in quantity or "bound" not in quantity):
            raise FactcheckError(f"{claim_id!r} has no figure yet: set value=... and bound=... together")
        data["quantity"] = Flow(quantity) if quantity else None
        data["tags"] = tags or None
        updated = _validated({k: v for k, v in data.items() if v is not None}, claim_id)
        others = {k: v for k, v in known.texts.items() if k != claim_id}
        warnings = tuple(similar_claims(others, updated)) if updated.text != record.claim.text else ()
        diff = _rewrite_claim(root, record, updated, dry_run, ledger)
    words = "; ".join(dict.fromkeys(_described(field, record.claim, updated) for field in changed))
    return Outcome(root / record.doc.path, f"{claim_id}: {words or 'nothing changed'}", warnings, diff)


def rename_claim(root: Path, old: str, new: str, dry_run: bool = False) -> Outcome:
    """Give a claim a new id (no field of another claim names a claim, so nothing else changes)."""
    if not SLUG_RE.fullmatch(new):
        raise FactcheckError(f"{new!r} is not a valid claim id: use lowercase letters, digits, '.', '_' and '-', "
                             "starting with a letter or digit")
    with LedgerLock(root):
        ledger, known = load_for_edit(root, ids={old, new}, sources=False)
        record = ledger.require(old, known.files)
        if (taken := ledger.find(new)) is not None:
            raise FactcheckError(f"claim {new!r} already exists at {taken.locate('id')}; nothing was written")
        updated = replace(record.claim, id=new)
        diff = rewrite(root, root / record.doc.path, lambda text: text.replace_claim_value(old, "id", new),
                       lambda claims: [updated if c.id == old else c for c in claims], dry_run, ledger=ledger, touches=[old])
    return Outcome(root / record.doc.path, f"renamed claim {old!r} to {new!r}", (), diff)


def remove_claim(root: Path, claim_id: str, force: bool = False, dry_run: bool = False) -> Outcome:
    """Remove a claim. One with a verdict on record (its history) is what readers and exported reviews
    depend on: it is removed only with `force`."""
    with LedgerLock(root):
        ledger, known = load_for_edit(root, ids={claim_id}, sources=False)
        record = ledger.require(claim_id, known.files)
        claim = record.claim
        if claim.history and not force:
            raise RefusedError(f"{claim_id!r} has {len(claim.history)} verdict(s) on record (last: {claim.status} on "
                               f"{claim.history[-1].date.isoformat()}); pass --force to remove it and its history; "
                               "nothing was written")
        diff = rewrite(root, root / record.doc.path, lambda text: text.remove_claim(claim_id),
                       lambda claims: [c for c in claims if c.id != claim_id],
                       dry_run, ledger=ledger, touches=[claim_id])
    quotes = len(claim.appearances) + len(claim.evidence)
    return Outcome(root / record.doc.path, f"removed claim {claim_id!r} ({claim.status}, {quotes} "
                   f"quote{'s' if quotes != 1 else ''}, {len(claim.history)} history entries): {claim.text!r}", (), diff)


# -- quotes ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotePlace:
    """Where a quote is in its claim: its list and its index there, and its number as `show` lists it."""

    kind: str  # "appearances" or "evidence"
    index: int
    number: int


def quote_places(claim: Claim) -> list[QuotePlace]:
    """Every quote of a claim, numbered as `show` numbers them: appearances first, then evidence."""
    places = [QuotePlace("appearances", i, i + 1) for i in range(len(claim.appearances))]
    return places + [QuotePlace("evidence", i, len(places) + i + 1) for i in range(len(claim.evidence))]


def _quote_at(claim: Claim, number: int | None, words: str | None) -> QuotePlace:
    places = quote_places(claim)
    if not places:
        raise FactcheckError(f"{claim.id!r} has no quotes")
    if number is not None:
        if not 1 <= number <= len(places):
            raise FactcheckError(f"{claim.id!r} has quotes 1 to {len(places)} (factcheck show {claim.id} numbers them); "
                                 f"there is no quote {number}")
        return places[number - 1]
    assert words is not None
    matching = [p for p in places if words.casefold() in getattr(claim, p.kind)[p.index].text.casefold()]
    if len(matching) != 1:
        found = "no quote" if not matching else f"{len(matching)} quotes ({', '.join(str(p.number) for p in matching)})"
        raise FactcheckError(f"{found} of {claim.id!r} hold {words!r}; name one by its number (factcheck show "
                             f"{claim.id})")
    return matching[0]


def remove_quote(root: Path, claim_id: str, number: int | None, words: str | None, force: bool = False,
                 dry_run: bool = False) -> Outcome:
    """Remove one quote of a claim, by its number or by words it holds; refused when the verdict would then
    lack the evidence it needs, unless `force`."""
    from factcheck.checking.checks import missing_support

    with LedgerLock(root):
        ledger, known = load_for_edit(root, ids={claim_id}, sources=False)
        record = ledger.require(claim_id, known.files)
        place = _quote_at(record.claim, number, words)
        quotes = list(getattr(record.claim, place.kind))
        removed = quotes.pop(place.index)
        updated = replace(record.claim, **{place.kind: quotes})
        lack = missing_support(updated)
        if lack is not None and not force and missing_support(record.claim) is None:
            raise RefusedError(f"without it, status {record.claim.status!r} would lack {lack}; pass --force, or "
                               f"change the verdict first; nothing was written")
        diff = rewrite(root, root / record.doc.path,
                       lambda text: text.remove_list_item(claim_id, place.kind, place.index),
                       lambda claims: [updated if c.id == claim_id else c for c in claims],
                       dry_run, ledger=ledger, touches=[claim_id])
    return Outcome(root / record.doc.path, f"{claim_id}: removed quote {place.number} ({removed.source}): "
                                           f"{removed.text!r}", (), diff)


def replace_quote(root: Path, claim_id: str, number: int, typed: str, dry_run: bool = False) -> Outcome:
    """Replace a quote's words with words typed from the same source, found as `quote` finds them (forgiving
    typos, refusing paraphrase); the stance is kept."""
    from factcheck.checking.anchor import Located, locate_forgiving
    with LedgerLock(root):
        ledger, known = load_for_edit(root, ids={claim_id})
        record = ledger.require(claim_id, known.files)
        place = _quote_at(record.claim, number, None)
        old = getattr(record.claim, place.kind)[place.index]
        snapshot = _snapshot(ledger, old.source)
        found = locate_forgiving(snapshot, typed)
        if not isinstance(found, Located):
            raise RefusedError(f"not found in {old.source!r}: {found.reason}{found.hint()}; nothing was written")
        new = _pinned(old, snapshot, found.text, found.start, found.end, bool(found.omitted))
        diff = _replace(root, record, place, new, dry_run, ledger)
    return Outcome(root / record.doc.path, f"{claim_id}: quote {place.number} ({old.source}) {old.text!r} -> "
                                           f"{new['text']!r}", (), diff)


@dataclass(frozen=True)
class Fix:
    """A quote not found in its source, and the passage of the source's own characters proposed for it."""

    place: QuotePlace
    source: str
    old: str
    new: str | None  # None: no passage is close enough to propose
    score: float


def proposed_fixes(root: Path, claim_id: str) -> list[Fix]:
    """Each quote of a claim that is not found in its source, with its closest passage."""
    from factcheck.checking.anchor import Missing, Snapshot
    ledger, known = load_for_edit(root, ids={claim_id})
    record = ledger.require(claim_id, known.files)
    fixes = []
    for place in quote_places(record.claim):
        quote = getattr(record.claim, place.kind)[place.index]
        source = ledger.sources.get(quote.source)
        if source is None or source.text is None:
            continue
        found = Snapshot(source.text).find(quote.text, quote.prefix, quote.suffix)
        if isinstance(found, Missing):
            fixes.append(Fix(place, quote.source, quote.text, found.closest, found.score))
    return fixes


def fix_quotes(root: Path, claim_id: str, accept: Callable[[Fix], bool], dry_run: bool = False) -> Outcome:
    """Replace the claim's quotes that are not found by their closest passages, each one `accept` agrees to."""
    from factcheck.checking.anchor import Found
    with LedgerLock(root):
        fixes = [fix for fix in proposed_fixes(root, claim_id) if fix.new is not None]
        chosen = [fix for fix in fixes if accept(fix)]
        ledger, known = load_for_edit(root, ids={claim_id})
        record = ledger.require(claim_id, known.files)
        if not chosen:
            return Outcome(root / record.doc.path, f"{claim_id}: no quote changed" if fixes else
                           f"{claim_id}: every quote is found in its source, or has no passage close enough")
        updated = record.claim
        replacements = []
        for fix in chosen:
            assert fix.new is not None
            old = getattr(updated, fix.place.kind)[fix.place.index]
            snapshot = _snapshot(ledger, fix.source)
            found = snapshot.find(fix.new)
            assert isinstance(found, Found)
            new = _pinned(old, snapshot, fix.new, found.start, found.end, False)
            quotes = list(getattr(updated, fix.place.kind))
            quotes[fix.place.index] = _quote(type(old), new, claim_id)
            updated = replace(updated, **{fix.place.kind: quotes})
            replacements.append((fix.place, new))

        def edit(text: YamlText) -> str:
            return text.collect(lambda t: [t.replace_list_item(claim_id, p.kind, p.index, n) for p, n in replacements])

        diff = rewrite(root, root / record.doc.path, edit,
                       lambda claims: [updated if c.id == claim_id else c for c in claims],
                       dry_run, ledger=ledger, touches=[claim_id])
    numbers = ", ".join(str(fix.place.number) for fix in chosen)
    return Outcome(root / record.doc.path, f"{claim_id}: replaced quote{'s' if len(chosen) > 1 else ''} {numbers} "
                                           "with the source's own words", (), diff)


def _snapshot(ledger: Ledger, source_id: str) -> Snapshot:
    from factcheck.checking.anchor import Snapshot
    source = ledger.sources.get(source_id)
    if source is None or source.text is None:
        raise FactcheckError(f"source {source_id!r} has no readable snapshot")
    return Snapshot(source.text)


def _pinned(old: Any, snapshot: Snapshot, text: str, start: int, end: int, omitted: bool) -> dict[str, Any]:
    """A quote's new mapping: the source, the words, what pins them when they occur more than once, and the
    stance of an evidence quote."""
    from factcheck.checking.anchor import pin, too_short
    if getattr(old, "stance", None) is not None and (slight := too_short(text)) is not None:
        raise RefusedError(f"{text!r} is too short to be evidence: {slight}; nothing was written")
    prefix, suffix = (None, None) if omitted else pin(snapshot, start, end)
    if not omitted and not (prefix or suffix) and snapshot.text.count(text) > 1:
        raise RefusedError(f"{text!r} occurs {snapshot.text.count(text)} times in {old.source!r} and the words "
                           "around them do not tell them apart; quote a longer passage; nothing was written")
    new: dict[str, Any] = {"source": old.source, "text": text}
    if prefix:
        new["prefix"] = prefix
    if suffix:
        new["suffix"] = suffix
    if getattr(old, "stance", None) is not None:
        new["stance"] = old.stance
    return new


def _replace(root: Path, record: ClaimRecord, place: QuotePlace, new: dict[str, Any], dry_run: bool,
             ledger: Ledger) -> str:
    claim = record.claim
    quotes = list(getattr(claim, place.kind))
    quotes[place.index] = _quote(type(quotes[place.index]), new, claim.id)
    updated = replace(claim, **{place.kind: quotes})
    return rewrite(root, root / record.doc.path,
                   lambda text: text.replace_list_item(claim.id, place.kind, place.index, new),
                   lambda claims: [updated if c.id == claim.id else c for c in claims],
                   dry_run, ledger=ledger, touches=[claim.id])


# -- helpers --------------------------------------------------------------------------------------------


def _assignment(text: str) -> tuple[str, str, str]:
    for operator in ("+=", "-=", "="):
        field, sep, value = text.partition(operator)
        if sep and field and "=" not in field:
            field = field.strip()
            if field not in SETTABLE:
                from factcheck.errors import did_you_mean

                raise FactcheckError(f"{field!r} cannot be set; fields: {', '.join(SETTABLE)}"
                                     f"{did_you_mean(field, set(SETTABLE))}")
            return field, operator, value.strip()
    raise FactcheckError(f"{text!r}: write FIELD=VALUE (fields: {', '.join(SETTABLE)})")


def _validated(data: dict[str, Any], claim_id: str) -> Claim:
    try:
        return checked(Claim, data)
    except Invalid as exc:
        raise FactcheckError(f"{claim_id}: {exc}; nothing was written") from None


QUOTE = TypeVar("QUOTE", bound=Quote)


def _quote(kind: type[QUOTE], data: dict[str, Any], claim_id: str) -> QUOTE:
    """A quote's new mapping as a quote (or evidence) like the one it replaces."""
    try:
        return checked(kind, data)
    except Invalid as exc:
        raise FactcheckError(f"{claim_id}: {exc}; nothing was written") from None


def _described(field: str, before: Claim, after: Claim) -> str:
    if field in QUANTITY_FIELDS:
        from factcheck.ledger.model import phrase

        old = phrase(before.quantity) if before.quantity else "no figure"
        new = phrase(after.quantity) if after.quantity else "no figure"
        return f"figure {old!r} -> {new!r}"
    old_value, new_value = getattr(before, field), getattr(after, field)
    if field == "date":
        old_value, new_value = old_value.isoformat(), new_value.isoformat()
    return f"{field} {_short(old_value)} -> {_short(new_value)}"


def _short(value: Any, width: int = 60) -> str:
    """A value for a message: in quotes, cut at `width` characters with an ellipsis."""
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    if value is None:
        return "(none)"
    text = str(value)
    return repr(text if len(text) <= width else text[:width - 1] + "\u2026")


def _rewrite_claim(root: Path, record: ClaimRecord, updated: Claim, dry_run: bool, ledger: Ledger) -> str:
    """Splice the fields that differ between a claim and its update into its file."""
    claim_id = record.claim.id
    old, new = claim_data(record.claim), claim_data(updated)
    changes = [key for key in dict.fromkeys([*old, *new]) if old.get(key) != new.get(key)]

    def edit(text: YamlText) -> str:
        return text.collect(lambda t: [t.replace_claim_value(claim_id, key, new[key]) if key in new
                                       else t.remove_claim_key(claim_id, key) for key in changes])

    return rewrite(root, root / record.doc.path, edit,
                   lambda claims: [updated if c.id == claim_id else c for c in claims],
                       dry_run, ledger=ledger, touches=[claim_id])

