"""The checks of `verify`: one small function per code, each yielding problems; a registry by code."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, NamedTuple

from factcheck.checking.anchor import Found, Missing, Snapshot, too_short
from factcheck.checking.options import Options, Progress
from factcheck.errors import FactcheckError, Location, Problem, Severity
from factcheck.ledger.model import Claim, Quote
from factcheck.ledger.numbers import read_numbers
from factcheck.pipeline.store import ClaimRecord, Ledger
from factcheck.yamlio.yamlsrc import Document, Path_


class QuoteRef(NamedTuple):
    """One quote of one claim, named by the list it sits in and its index there."""

    record: ClaimRecord
    kind: str  # "appearances" or "evidence"
    position: int  # in that list
    quote: Quote

    def locate(self, *sub: str) -> Location:
        return self.record.locate(self.kind, self.position, *sub)


class Context:
    """A ledger prepared for checking: snapshots folded once, each quote resolved once.

    Checks of each claim on its own look at `claims` (all of the ledger's, or a share of them when the
    work is split between processes); checks of the ledger as a whole look at `ledger`.
    """

    def __init__(self, ledger: Ledger, options: Options, claims: Sequence[ClaimRecord] | None = None,
                 snapshots: dict[str, Snapshot | None] | None = None) -> None:
        self.ledger = ledger
        self.options = options
        self.claims = ledger.claims if claims is None else claims
        # each snapshot folded once: contexts of the chunks of one ledger share them
        self._snapshots: dict[str, Snapshot | None] = {} if snapshots is None else snapshots

    @cached_property
    def ids(self) -> list[tuple[str, Document, Path_]]:
        """Every claim id of the ledger, in order, with the document and path of its claim."""
        return [(record.claim.id, record.doc, record.path) for record in self.ledger.claims]

    @cached_property
    def used_sources(self) -> set[str]:
        """The ids of the sources some quote of the ledger names."""
        used = {quote.source for record in self.ledger.claims for quote in record.claim.appearances}
        used.update(quote.source for record in self.ledger.claims for quote in record.claim.evidence)
        return used

    @cached_property
    def quotes(self) -> list[QuoteRef]:
        """Every quote of `claims`."""
        refs: list[QuoteRef] = []
        for record in self.claims:
            claim = record.claim
            if claim.appearances:
                refs.extend([QuoteRef(record, "appearances", i, q) for i, q in enumerate(claim.appearances)])
            if claim.evidence:
                refs.extend([QuoteRef(record, "evidence", i, q) for i, q in enumerate(claim.evidence)])
        return refs

    @cached_property
    def resolved(self) -> list[Found | Missing | None]:
        """Where each quote of `quotes` is in its snapshot; None when the snapshot cannot be read."""
        snapshot = self.snapshot
        found: list[Found | Missing | None] = []
        append = found.append
        for ref in self.quotes:
            quote = ref.quote
            text = snapshot(quote.source)
            append(None if text is None else text.find(quote.text, quote.prefix, quote.suffix))
        return found

    def snapshot(self, source_id: str) -> Snapshot | None:
        try:
            return self._snapshots[source_id]
        except KeyError:
            source = self.ledger.sources.get(source_id)
            text = source.text if source is not None else None
            prepared = self._snapshots[source_id] = Snapshot(text) if text is not None else None
            return prepared


CheckFunction = Callable[[Context], Iterable[Problem]]


Scope = Literal["claim", "sources", "ledger"]


@dataclass(frozen=True)
class Check:
    """A check code: its severity, what it means, and the function that finds it (None: found by the loader).

    Its scope says what it looks at, so that the work can be shared out: `claim`, each claim on its own
    (`ctx.claims`); `sources`, the sources alone; `ledger`, every claim's id or quoted sources together
    (`ctx.ids`, `ctx.used_sources`).
    """

    code: str
    severity: Severity
    description: str
    run: CheckFunction | None = None
    scope: Scope = "ledger"


REGISTRY: dict[str, Check] = {}


def _register(code: str, severity: Severity, description: str, run: CheckFunction | None = None,
              scope: Scope = "ledger") -> None:
    REGISTRY[code] = Check(code, severity, description, run, scope)


def _check(code: str, severity: Severity, description: str,
           scope: Scope = "claim") -> Callable[[CheckFunction], CheckFunction]:
    def decorate(function: CheckFunction) -> CheckFunction:
        _register(code, severity, description, function, scope)
        return function

    return decorate


def problem(code: str, message: str, location: Location, claim: str | None = None, source: str | None = None) -> Problem:
    """A problem with the severity its code carries."""
    return Problem(code, REGISTRY[code].severity, message, location, claim, source)


_register("yaml-syntax", "error", "A file cannot be parsed as YAML (or is not UTF-8).")
_register("duplicate-key", "error", "A mapping repeats a key; plain YAML loaders silently keep only one.")
_register("schema", "error", "A field is missing, unknown, or of the wrong type or value.")
_register("yaml-alias", "error", "An anchor, alias or merge key: refused, since expanding them can exhaust memory.")
_register("yaml-tag", "error", "A YAML tag (!!python/object, !custom): refused, a ledger holds plain data only.")
_register("yaml-depth", "error", "Nesting deeper than a ledger ever needs: refused before it can exhaust the stack.")
_register("file-too-large", "error", "A file larger than the size limit: not read at all.")
_register("source-unsafe", "error", "A source file that is a symbolic link or resolves outside sources/: not read.")
_register("source-incomplete", "error", "A source has a snapshot without metadata, or metadata without a snapshot.")


@_check("source-encoding", "error", "A source snapshot is not UTF-8 text.", "sources")
def check_snapshot_encoding(ctx: Context) -> Iterator[Problem]:
    for source in ctx.ledger.sources.values():
        found = source.encoding_error()
        if found is not None:
            yield found


@_check("duplicate-id", "error", "Two claims share an id.", "ledger")
def check_duplicate_ids(ctx: Context) -> Iterator[Problem]:
    first: dict[str, tuple[Document, Path_]] = {}
    for claim_id, doc, path in ctx.ids:
        if claim_id in first:
            where, at = first[claim_id]
            yield problem(
                "duplicate-id",
                f"claim id {claim_id!r} is already used by the claim at {where.locate((*at, 'id'))}",
                doc.locate((*path, "id")), claim_id,
            )
        else:
            first[claim_id] = doc, path


@_check("unknown-source", "error", "A quote names a source that has no snapshot or no metadata.")
def check_unknown_sources(ctx: Context) -> Iterator[Problem]:
    sources = ctx.ledger.sources
    for ref in ctx.quotes:
        source_id = ref.quote.source
        source = sources.get(source_id)
        if source is None:
            reason = f"no source {source_id!r}: sources/{source_id}.txt and sources/{source_id}.yaml do not exist"
        elif source.snapshot_path is None:
            reason = f"source {source_id!r} has no snapshot sources/{source_id}.txt"
        elif source.meta_path is None:
            reason = f"source {source_id!r} has no metadata sources/{source_id}.yaml"
        else:
            continue
        yield problem("unknown-source", reason, ref.locate("source"), ref.record.claim.id, source_id)


@_check("quote-not-found", "error", "A quote is not in its source snapshot; the message names the closest passage.")
def check_quotes_found(ctx: Context) -> Iterator[Problem]:
    for ref, result in zip(ctx.quotes, ctx.resolved, strict=True):
        if not isinstance(result, Missing):
            continue
        message = f"quote not found in {ref.quote.source!r}: {result.reason}{result.hint()}"
        yield problem("quote-not-found", message, ref.locate("text"), ref.record.claim.id, ref.quote.source)


@_check("quote-ambiguous", "error",
        "A quote occurs in more than one place of its source and no prefix/suffix says which it means.")
def check_quotes_ambiguous(ctx: Context) -> Iterator[Problem]:
    for ref, result in zip(ctx.quotes, ctx.resolved, strict=True):
        if isinstance(result, Found) and not result.omitted and result.repeated():
            quote = ref.quote
            given = "its prefix/suffix fit" if quote.prefix or quote.suffix else "nothing says which"
            yield problem(
                "quote-ambiguous",
                f"the words occur in {result.fits} places of {quote.source!r} and {given} more than one: add a "
                "prefix or suffix with the words just before or after the one meant (factcheck quote adds them)",
                ref.locate("text"), ref.record.claim.id, quote.source,
            )


@_check("quote-too-short", "error",
        "An evidence quote too slight to bear on a claim: a few characters, or only numbers and function words.")
def check_quotes_long_enough(ctx: Context) -> Iterator[Problem]:
    for ref in ctx.quotes:
        if ref.kind != "evidence":
            continue
        why = too_short(ref.quote.text)
        if why is not None:
            yield problem("quote-too-short", f"evidence quote {ref.quote.text!r} is too short to be evidence: {why}",
                          ref.locate("text"), ref.record.claim.id, ref.quote.source)


@_check("quote-normalized", "info",
        "A quote was found only after folding whitespace, typographic quotes, dashes or compatibility forms.")
def check_quotes_normalized(ctx: Context) -> Iterator[Problem]:
    for ref, result in zip(ctx.quotes, ctx.resolved, strict=True):
        if isinstance(result, Found) and result.kind == "normalized":
            snapshot = ctx.snapshot(ref.quote.source)
            assert snapshot is not None
            exact = snapshot.text[result.start:result.end]
            yield problem(
                "quote-normalized",
                f"found in {ref.quote.source!r} only after folding; the source's own characters are {exact!r}",
                ref.locate("text"), ref.record.claim.id, ref.quote.source,
            )


@_check("source-modified", "error", "A snapshot's sha256, or its original's, differs from the one its metadata "
                                    "records.", "sources")
def check_sources_unmodified(ctx: Context) -> Iterator[Problem]:
    for source in ctx.ledger.sources.values():
        if source.meta is None:
            continue
        if source.digest is not None and source.meta.sha256 != source.digest:
            yield problem(
                "source-modified",
                f"{source.snapshot_path} has sha256 {source.digest}, but its metadata records {source.meta.sha256}: "
                "the snapshot was altered after it was recorded",
                source.locate("sha256"), source=source.id,
            )
        recorded = source.meta.original
        if recorded is None or source.original_path is None or not source.original_path.endswith("." + recorded.format):
            continue
        try:
            digest = source.original_digest()
        except FactcheckError as exc:
            yield problem("source-unsafe", f"the original cannot be read ({str(exc).rsplit(': cannot read: ', 1)[-1]}); "
                          "it was not checked", Location(source.original_path), source=source.id)
            continue
        if digest != recorded.sha256:
            yield problem(
                "source-modified",
                f"the original {source.original_path} has sha256 {digest}, but its metadata records {recorded.sha256}: "
                "the saved original was altered after it was recorded",
                source.locate("original", "sha256"), source=source.id,
            )


def missing_support(claim: Claim) -> str | None:
    """What the claim's verdict lacks to be supported by its evidence, or None when it lacks nothing."""
    status = claim.status
    if status in ("supported", "refuted", "conflicting"):
        stances = {quote.stance for quote in claim.evidence}
        wanted = {"supported": ("supports",), "refuted": ("refutes",)}.get(status, ("supports", "refutes"))
        needs = [f"a {stance!r} evidence quote" for stance in wanted if stance not in stances]
    elif status in ("misleading", "unverifiable"):
        has_note = bool((claim.note or "").strip()) or bool(claim.history and (claim.history[-1].note or "").strip())
        if status == "misleading":
            needs = ([] if claim.evidence else ["an evidence quote"]) + ([] if has_note else ["a note"])
        else:
            needs = [] if has_note else ["a note saying why"]
    else:
        return None
    return " and ".join(needs) if needs else None


@_check("status-unsupported", "error", "A verdict lacks the evidence (or note) it needs.")
def check_status_supported(ctx: Context) -> Iterator[Problem]:
    for record in ctx.claims:
        lack = missing_support(record.claim)
        if lack is not None:
            yield problem(
                "status-unsupported",
                f"status {record.claim.status!r} needs {lack}",
                record.locate("status"), record.claim.id,
            )


@_check("evidence-self", "warning", "The only support comes from the sources in which the claim itself appears.")
def check_evidence_independent(ctx: Context) -> Iterator[Problem]:
    for record in ctx.claims:
        claim = record.claim
        supporting = [quote for quote in claim.evidence if quote.stance == "supports"]
        appeared_in = {quote.source for quote in claim.appearances}
        if supporting and all(quote.source in appeared_in for quote in supporting):
            names = ", ".join(sorted({quote.source for quote in supporting}))
            yield problem(
                "evidence-self",
                f"the only support comes from where the claim itself appears ({names}); find an independent source",
                record.locate("evidence"), claim.id,
            )


@_check("quantity-not-in-quote", "warning", "The claim's number is in none of its appearance quotes.")
def check_quantity_quoted(ctx: Context) -> Iterator[Problem]:
    for record in ctx.claims:
        claim = record.claim
        if claim.quantity is None or not claim.appearances:
            continue
        value = claim.quantity.value
        if any(abs(number - value) < 1e-9 for quote in claim.appearances for number in read_numbers(quote.text)):
            continue
        yield problem(
            "quantity-not-in-quote",
            f"the number {value:g} is in none of the claim's appearance quotes",
            record.locate("quantity", "value"), claim.id,
        )


@_check("date-order", "error", "A claim appears in a source published before the claim's date.")
def check_date_order(ctx: Context) -> Iterator[Problem]:
    sources = ctx.ledger.sources
    for ref in ctx.quotes:
        if ref.kind != "appearances":
            continue
        source = sources.get(ref.quote.source)
        published = source.meta.published if source and source.meta else None
        if published is not None and published < ref.record.claim.date:
            yield problem(
                "date-order",
                f"the claim is dated {ref.record.claim.date.isoformat()} but appears in {ref.quote.source!r}, "
                f"published earlier, on {published.isoformat()}",
                ref.locate("source"), ref.record.claim.id, ref.quote.source,
            )


@_check("stale", "warning", "No status change for longer than the stale-after limit.")
def check_stale(ctx: Context) -> Iterator[Problem]:
    days = ctx.options.stale_after_days
    if days is None:
        return
    for record in ctx.claims:
        claim = record.claim
        last = claim.history[-1].date if claim.history else claim.date
        age = (ctx.options.today - last).days
        if age > days:
            since = "last status change" if claim.history else "claim date, no status change since"
            yield problem(
                "stale",
                f"status {claim.status!r} unchanged for {age} days (over {days}; {since} {last.isoformat()})",
                record.locate("status"), claim.id,
            )


@_check("history-order", "error", "A status history entry is dated before the claim, or before the entry above it.")
def check_history_order(ctx: Context) -> Iterator[Problem]:
    for record in ctx.claims:
        claim = record.claim
        previous = None
        for n, entry in enumerate(claim.history):
            if entry.date < claim.date:
                yield problem("history-order", f"the entry is dated {entry.date.isoformat()}, before the claim itself "
                              f"({claim.date.isoformat()})", record.locate("history", n, "date"), claim.id)
            elif previous is not None and entry.date < previous:
                yield problem("history-order", f"the entry is dated {entry.date.isoformat()}, before the entry above it "
                              f"({previous.isoformat()}); the history is kept oldest first",
                              record.locate("history", n, "date"), claim.id)
            previous = entry.date if previous is None else max(previous, entry.date)


@_check("status-history", "error", "A claim's status differs from the last entry of its history.")
def check_status_history(ctx: Context) -> Iterator[Problem]:
    for record in ctx.claims:
        claim = record.claim
        if claim.history and claim.history[-1].status != claim.status:
            yield problem("status-history", f"the status is {claim.status!r} but the last history entry "
                          f"({claim.history[-1].date.isoformat()}) says {claim.history[-1].status!r}: set it with "
                          "factcheck status, which records why", record.locate("status"), claim.id)


@_check("orphan-source", "info", "A source that no quote uses.", "ledger")
def check_orphan_sources(ctx: Context) -> Iterator[Problem]:
    used = ctx.used_sources
    for source in ctx.ledger.sources.values():
        if source.id not in used:
            yield problem("orphan-source", f"source {source.id!r} is not quoted by any claim",
                          source.locate(), source=source.id)


def run_checks(ledger: Ledger, options: Options, claim_ids: Iterable[str] | None = None,
               progress: Progress | None = None) -> list[Problem]:
    """Every problem in a ledger read whole (loading included), sorted by location; narrowed to some claims if
    asked. `progress(done, total, what)` is told as each check finishes. (`verify` reads and checks a ledger
    a chunk at a time instead: see verification.)"""
    runs = [check for check in REGISTRY.values() if check.run is not None]
    ctx = Context(ledger, options, ledger.claims)
    found: list[Problem] = list(ledger.problems)
    for done, check in enumerate(runs, 1):
        assert check.run is not None
        found.extend(check.run(ctx))
        if progress is not None:
            progress(done, len(runs), check.code)
    if claim_ids is not None:
        found = narrow(found, ledger.claims, set(claim_ids))
    return sorted(found, key=Problem.sort_key)


def claim_checks(ctx: Context, runs: Sequence[Check]) -> list[Problem]:
    """The problems the checks of single claims find in `ctx.claims`."""
    found: list[Problem] = []
    for check in runs:
        if check.scope == "claim":
            assert check.run is not None
            found.extend(check.run(ctx))
    return found


def narrow(found: list[Problem], records: Iterable[ClaimRecord], wanted: set[str]) -> list[Problem]:
    """The problems of the claims `wanted` (of `records`) and of the sources they quote, and those of the
    ledger as a whole."""
    used = {q.source for r in records if r.claim.id in wanted for q in (*r.claim.appearances, *r.claim.evidence)}

    def keep(p: Problem) -> bool:
        if p.claim is not None:
            return p.claim in wanted
        if p.source is not None:
            return p.source in used and p.code != "orphan-source"
        return True

    return [p for p in found if keep(p)]
