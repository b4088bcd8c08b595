"""The sources of a ledger: add one from a saved page, a PDF or an address (see capture, fetch); list them
with their integrity; register a snapshot dropped into sources/; derive a source's text again from its kept
original; rename a source with every quote that names it; remove one no claim quotes. The guarantees are
those of `edits`."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck import settings
from factcheck.editing.corrections import QuotePlace, quote_places
from factcheck.editing.edits import Outcome, add_source, load_for_edit, rewrite
from factcheck.errors import FactcheckError, RefusedError
from factcheck.ledger.files import LedgerLock, write_atomic
from factcheck.ledger.folder import SOURCE_SUFFIXES, SOURCES_DIR
from factcheck.ledger.model import SLUG_RE, Claim, replace
from factcheck.ledger.sources import SourceRecord
from factcheck.pipeline.store import ClaimRecord, Ledger
from factcheck.yamlio.yamledit import YamlText

if TYPE_CHECKING:
    from factcheck.editing.capture import Derived
    from factcheck.editing.fetch import Fetched


def add_saved(root: Path, data: bytes, name: str, source_id: str, meta: dict[str, Any], declared: str | None = None,
              fetched: Fetched | None = None) -> Outcome:
    """Add a source from what was saved (or fetched): text as it is; a web page or a PDF kept as the original
    beside the text derived from it, with the metadata the document gives (the options given override it)."""
    from factcheck.editing import capture

    limit = settings.max_file_bytes()
    if len(data) > limit:
        raise FactcheckError(f"{name}: larger than the limit of {limit} bytes (FACTCHECK_MAX_FILE_SIZE, in MiB); "
                             "nothing was written")
    kind = capture.kind_of(data, name, declared)
    given = {key: value for key, value in meta.items() if value not in (None, [], ())}
    if fetched is not None:
        given.setdefault("retrieved", dt.date.fromisoformat(fetched.fetched_at[:10]))
    if kind == "text":
        if fetched is not None:
            given.setdefault("url", fetched.final_url)
        return add_source(root, data, source_id, given)
    derived = capture.derive(data, kind, name)
    fields = {**derived.meta, **given}
    if fetched is not None:
        fields.setdefault("url", fetched.final_url)
    fields["original"] = {"format": kind, "sha256": hashlib.sha256(data).hexdigest(), "extractor": derived.extractor,
                          "pages": derived.pages, **({"fetched_from": fetched.final_url, "fetched_at": fetched.fetched_at}
                                                     if fetched is not None else {})}
    fields["original"] = {key: value for key, value in fields["original"].items() if value is not None}
    outcome = add_source(root, derived.text.encode("utf-8"), source_id, fields, (kind, data))
    taken = [key for key in ("title", "authors", "published", "url", "publisher", "language")
             if key in derived.meta and key not in given]
    count = len(derived.pages or [])
    what = "web page" if kind == "html" else f"PDF of {count} page{'s' if count != 1 else ''}"
    message = (f"{outcome.message}: the text of a {what}, by {derived.extractor.split()[0]}, in {SOURCES_DIR}/{source_id}.txt "
               f"({len(derived.text.split())} words), the original kept as {SOURCES_DIR}/{source_id}.{kind}"
               + (f"; from the document: {', '.join(taken)} (check them)" if taken else ""))
    return Outcome(outcome.path, message, tuple(derived.warnings))


@dataclass(frozen=True)
class Reextracted:
    """What deriving a source's text again from its original gives, and the quotes a new text would lose."""

    outcome: Outcome
    changed: bool
    broken: list[str]  # "claim-id quote N: 'words'"


def reextract_source(root: Path, source_id: str, check: bool = False, force: bool = False) -> Reextracted:
    """Derive a source's text again from its kept original with the extractor installed now; written (with
    the metadata's sha256 and extractor) unless `check`, and refused when a quote would no longer be found,
    unless `force`."""
    from factcheck.checking.anchor import Found, Snapshot
    from factcheck.editing import capture

    with LedgerLock(root):
        ledger = _quoting(root, source_id)
        record = ledger.sources[source_id]
        meta = record.meta
        recorded = meta.original if meta is not None else None
        if meta is None or recorded is None or record.original_path is None or record.meta_path is None:
            raise FactcheckError(f"source {source_id!r} was not added from a web page or a PDF: it has no original to "
                                 "derive its text from")
        original = root / record.original_path
        data = original.read_bytes()
        if hashlib.sha256(data).hexdigest() != recorded.sha256:
            raise FactcheckError(f"{record.original_path} was altered after it was recorded (its sha256 differs): it "
                                 "is no longer the original; nothing was written")
        derived = capture.derive(data, recorded.format, record.original_path)
        old = record.text or ""
        changed = derived.text != old
        before, after = Snapshot(old), Snapshot(derived.text)
        broken = []
        for claim_record in ledger.claims:
            for place in quote_places(claim_record.claim):
                quote = getattr(claim_record.claim, place.kind)[place.index]
                if quote.source != source_id:
                    continue
                was, now = before.find(quote.text, quote.prefix, quote.suffix), after.find(quote.text, quote.prefix, quote.suffix)
                if isinstance(was, Found) and not (isinstance(now, Found) and not now.repeated()):
                    broken.append(f"{claim_record.claim.id} quote {place.number}: {quote.text!r}")
        text_path = f"{SOURCES_DIR}/{source_id}.txt"
        diff = "".join(difflib.unified_diff(old.splitlines(keepends=True), derived.text.splitlines(keepends=True),
                                            f"a/{text_path}", f"b/{text_path}"))
        newer = derived.extractor != recorded.extractor
        if not changed:
            message = (f"{text_path}: {derived.extractor.split()[0]} derives the same text from {record.original_path}"
                       + (f" (recorded: {recorded.extractor}; installed: {derived.extractor})" if newer else ""))
            # a newer extractor to name, or a text left by an interrupted re-extraction whose metadata was not
            # written: the text is what the original gives, so its sha256 is the one to record
            if not check and (newer or record.digest != meta.sha256):
                _record_extraction(root / record.meta_path, derived, record.digest)
                message += "; the metadata now records it"
            return Reextracted(Outcome(root / text_path, message, (), ""), False, [])
        lines = sum(1 for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---")))
        message = (f"{text_path}: {derived.extractor} derives another text from {record.original_path} than "
                   f"{recorded.extractor} did ({lines} lines differ)")
        if broken:
            message += f"; {len(broken)} quote{'s' if len(broken) != 1 else ''} would no longer be found"
        if check:
            return Reextracted(Outcome(root / text_path, message, (), diff), True, broken)
        if broken and not force:
            raise RefusedError(message + ": " + "; ".join(broken) + "; nothing was written (--force writes it anyway, "
                               "then factcheck quote fix each claim)")
        new_text = derived.text.encode("utf-8")
        before_bytes = (root / text_path).read_bytes()
        write_atomic(root / text_path, new_text)
        try:
            _record_extraction(root / record.meta_path, derived, hashlib.sha256(new_text).hexdigest())
        except (FactcheckError, OSError):
            write_atomic(root / text_path, before_bytes)  # the text and its metadata change together or not at all
            raise
    return Reextracted(Outcome(root / text_path, message.replace("derives another text", "derived another text", 1)
                               + f"; written, with its sha256 {hashlib.sha256(new_text).hexdigest()}", (), diff),
                       True, broken)


def _record_extraction(meta_path: Path, derived: Derived, sha256: str | None) -> None:
    """The metadata's sha256, extractor and page starts after a re-extraction, its other lines as they are."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1_000_000
    data = yaml.load(meta_path.read_text(encoding="utf-8"))
    if sha256 is not None:
        data["sha256"] = sha256
    data["original"]["extractor"] = derived.extractor
    if derived.pages is not None:
        data["original"]["pages"] = derived.pages
    out = io.StringIO()
    yaml.dump(data, out)
    write_atomic(meta_path, out.getvalue().encode("utf-8"))


def source_rows(root: Path) -> list[dict[str, Any]]:
    """Every source: id, title, publisher, dates, how many claims quote it and whether its snapshot is intact."""
    quoting: dict[str, set[str]] = {}

    def note(claim: Claim) -> bool:  # counted as each chunk is read, kept by none
        for quote in (*claim.appearances, *claim.evidence):
            quoting.setdefault(quote.source, set()).add(claim.id)
        return False

    ledger, _known = load_for_edit(root, keep=note)
    rows = []
    for source_id in sorted(set(ledger.sources) | set(quoting)):
        source = ledger.sources.get(source_id)
        meta = source.meta if source is not None else None
        if source is None or source.snapshot_path is None:
            integrity = "no snapshot"
        elif meta is None:
            integrity = "no metadata"
        elif source.digest != meta.sha256:
            integrity = "ALTERED (sha256 differs)"
        elif source.text is None:
            integrity = "not UTF-8"
        else:
            integrity = _original_integrity(source)
        rows.append({"id": source_id, "title": meta.title if meta else None,
                     "publisher": meta.publisher if meta else None,
                     "published": meta.published.isoformat() if meta and meta.published else None,
                     "retrieved": meta.retrieved.isoformat() if meta and meta.retrieved else None,
                     "quoted_by": len(quoting.get(source_id, ())), "integrity": integrity})
    return rows


def _original_integrity(source: SourceRecord) -> str:
    recorded = source.meta.original if source.meta is not None else None
    if recorded is None:
        return "intact"
    if source.original_path is None or not source.original_path.endswith("." + recorded.format):
        return "original missing"
    try:
        digest = source.original_digest()
    except FactcheckError:
        return "original unreadable"
    return "intact" if digest == recorded.sha256 else "ORIGINAL ALTERED (sha256 differs)"


def register_source(root: Path, source_id: str, meta: dict[str, Any]) -> Outcome:
    """Write the metadata of a snapshot already in sources/ (dropped there by hand), with its sha256."""
    snapshot = root / SOURCES_DIR / f"{source_id}.txt"
    if not SLUG_RE.fullmatch(source_id) or snapshot.is_symlink() or not snapshot.is_file():
        raise FactcheckError(f"there is no snapshot {SOURCES_DIR}/{source_id}.txt to register"
                             + ("" if SLUG_RE.fullmatch(source_id) else f" ({source_id!r} is not a valid id)"))
    if (root / SOURCES_DIR / f"{source_id}.yaml").exists():
        raise FactcheckError(f"source {source_id!r} is registered already ({SOURCES_DIR}/{source_id}.yaml)")
    outcome = add_source(root, snapshot.read_bytes(), source_id, meta)
    return Outcome(outcome.path, outcome.message.replace("completed source", "registered source", 1))


def rename_source(root: Path, old: str, new: str, dry_run: bool = False) -> Outcome:
    """Give a source a new id: its two files, and every quote that names it, in every claims file."""
    if not SLUG_RE.fullmatch(new):
        raise FactcheckError(f"{new!r} is not a valid source id: use lowercase letters, digits, '.', '_' and '-'")
    sources = root / SOURCES_DIR
    with LedgerLock(root):
        ledger = _quoting(root, old)
        if new in ledger.sources or any(os.path.lexists(sources / f"{new}{ext}") for ext in SOURCE_SUFFIXES):
            raise FactcheckError(f"source {new!r} already exists; nothing was written")
        by_file: dict[str, list[ClaimRecord]] = {}
        for record in ledger.claims:
            if any(q.source == old for q in (*record.claim.appearances, *record.claim.evidence)):
                by_file.setdefault(record.doc.path, []).append(record)
        plans = []
        for name, records in by_file.items():
            changes = [(record.claim.id, place) for record in records for place in quote_places(record.claim)
                       if getattr(record.claim, place.kind)[place.index].source == old]
            renamed = {record.claim.id: _with_source(record.claim, old, new) for record in records}

            def edit(text: YamlText, changes: list[tuple[str, QuotePlace]] = changes) -> str:
                return text.collect(lambda t: [t.set_item_value(claim_id, p.kind, p.index, "source", new)
                                               for claim_id, p in changes])

            plans.append((root / name, edit, renamed))
        def expect(renamed: dict[str, Claim]) -> Callable[[list[Claim]], list[Claim]]:
            return lambda claims: [renamed.get(c.id, c) for c in claims]

        diffs = [rewrite(root, path, edit, expect(renamed), True, ledger=ledger, touches=list(renamed))
                 for path, edit, renamed in plans]  # every file checked before any is written
        files = [(sources / f"{old}{ext}", sources / f"{new}{ext}") for ext in SOURCE_SUFFIXES
                 if (sources / f"{old}{ext}").is_file()]
        diffs += [f"rename {a.relative_to(root).as_posix()} -> {b.relative_to(root).as_posix()}\n" for a, b in files]
        if not dry_run:
            # the new files first, then the quotes, then the old files: an interrupted rename leaves a copy
            # of the source under both ids, never a quote without its source
            for old_path, new_path in files:
                write_atomic(new_path, old_path.read_bytes())
            for path, edit, renamed in plans:
                rewrite(root, path, edit, expect(renamed), ledger=ledger, touches=list(renamed))
            for old_path, _new_path in files:
                old_path.unlink()
    count = sum(len(records) for records in by_file.values())
    return Outcome(sources / f"{new}.yaml", f"renamed source {old!r} to {new!r} ({count} claim"
                                           f"{'s' if count != 1 else ''} updated)", (), "".join(diffs))


def _quoting(root: Path, source_id: str) -> Ledger:
    """The ledger with only the claims that quote a source, which must exist."""
    ledger, _known = load_for_edit(root, keep=lambda c: any(q.source == source_id for q in (*c.appearances, *c.evidence)))
    if source_id not in ledger.sources:
        raise FactcheckError(f"no source {source_id!r}; sources: {', '.join(sorted(ledger.sources)) or 'none'}")
    return ledger


def _with_source(claim: Claim, old: str, new: str) -> Claim:
    update = {kind: [replace(q, source=new) if q.source == old else q for q in getattr(claim, kind)]
              for kind in ("appearances", "evidence")}
    return replace(claim, **update)


def remove_source(root: Path, source_id: str, dry_run: bool = False) -> Outcome:
    """Remove a source's snapshot and metadata; refused while any claim quotes it."""
    sources = root / SOURCES_DIR
    with LedgerLock(root):
        ledger = _quoting(root, source_id)
        quoting = sorted({r.claim.id for r in ledger.claims
                          for q in (*r.claim.appearances, *r.claim.evidence) if q.source == source_id})
        if quoting:
            shown = ", ".join(quoting[:5]) + (f" and {len(quoting) - 5} more" if len(quoting) > 5 else "")
            raise RefusedError(f"source {source_id!r} is quoted by {len(quoting)} claim{'s' if len(quoting) > 1 else ''} "
                               f"({shown}); remove or replace those quotes first; nothing was written")
        files = [sources / f"{source_id}{ext}" for ext in SOURCE_SUFFIXES if os.path.lexists(sources / f"{source_id}{ext}")]
        if not dry_run:
            for path in files:
                path.unlink()
    return Outcome(sources / f"{source_id}.yaml", f"removed source {source_id!r} "
                   f"({', '.join(p.relative_to(root).as_posix() for p in files)})", (),
                   "".join(f"remove {p.relative_to(root).as_posix()}\n" for p in files))


