"""Correcting sources: list them with their integrity, register a snapshot dropped into sources/, rename a
source with every quote that names it, remove one no claim quotes. The guarantees are those of `edits`."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from factcheck.corrections import QuotePlace, quote_places
from factcheck.edits import Outcome, add_source, load_for_edit, rewrite
from factcheck.errors import FactcheckError, RefusedError
from factcheck.files import LedgerLock, write_atomic
from factcheck.ledgerfiles import SOURCES_DIR
from factcheck.model import SLUG_RE, Claim
from factcheck.store import ClaimRecord, Ledger
from factcheck.yamledit import YamlText


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
            integrity = "intact"
        rows.append({"id": source_id, "title": meta.title if meta else None,
                     "publisher": meta.publisher if meta else None,
                     "published": meta.published.isoformat() if meta and meta.published else None,
                     "retrieved": meta.retrieved.isoformat() if meta and meta.retrieved else None,
                     "quoted_by": len(quoting.get(source_id, ())), "integrity": integrity})
    return rows


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
        if new in ledger.sources or any(os.path.lexists(sources / f"{new}{ext}") for ext in (".txt", ".yaml")):
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
        files = [(sources / f"{old}{ext}", sources / f"{new}{ext}") for ext in (".txt", ".yaml")
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
    update = {kind: [q.model_copy(update={"source": new}) if q.source == old else q for q in getattr(claim, kind)]
              for kind in ("appearances", "evidence")}
    return claim.model_copy(update=update)


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
        files = [sources / f"{source_id}{ext}" for ext in (".txt", ".yaml") if os.path.lexists(sources / f"{source_id}{ext}")]
        if not dry_run:
            for path in files:
                path.unlink()
    return Outcome(sources / f"{source_id}.yaml", f"removed source {source_id!r} "
                   f"({', '.join(p.relative_to(root).as_posix() for p in files)})", (),
                   "".join(f"remove {p.relative_to(root).as_posix()}\n" for p in files))


