"""Git through subprocess: a ledger's files at a revision, and a pure claim-level diff of two ledgers."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from factcheck.errors import FactcheckError
from factcheck.ledger.figures import count_of
from factcheck.ledger.folder import CLAIMS_DIR, CLAIMS_FILE, SOURCES_DIR
from factcheck.ledger.ledgerfiles import Refused, find_files
from factcheck.ledger.model import Claim, HistoryEntry, Quote, SourceMeta, field_names, phrase
from factcheck.pipeline.store import Ledger, build_ledger


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, env=env,
                              check=False)
    except FileNotFoundError:
        raise FactcheckError("git is not installed; diff --rev needs it") from None


def git_user_name(root: Path) -> str | None:
    """git's user.name for the ledger's repository, or None when git or the setting is missing."""
    try:
        done = _git(root, "config", "user.name")
    except FactcheckError:
        return None
    name = done.stdout.decode(errors="replace").strip()
    return name if done.returncode == 0 and name else None


def _repository(root: Path) -> tuple[Path, str]:
    """The work tree's top folder and the ledger's path inside it ('' or 'a/b/')."""
    done = _git(root, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise FactcheckError(f"{root} is not in a git repository; diff --rev compares git revisions")
    top = Path(done.stdout.decode().strip()).resolve()
    inside = root.resolve().relative_to(top).as_posix()
    return top, "" if inside == "." else inside + "/"


def _is_ledger_file(name: str) -> bool:
    path = PurePosixPath(name)
    if name == CLAIMS_FILE:
        return True
    if len(path.parts) == 2 and path.parts[0] == CLAIMS_DIR:
        return path.suffix == ".yaml"
    return len(path.parts) == 2 and path.parts[0] == SOURCES_DIR and path.suffix in (".yaml", ".txt")


class NoLedger(FactcheckError):
    """No ledger at a revision (or no commit at all): a diff counts every claim on the other side as new."""


def files_at(root: Path, revision: str) -> dict[str, bytes | Refused]:
    """The ledger's files as they were at `revision`, keyed by path relative to the ledger root."""
    top, prefix = _repository(root)
    resolved = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if resolved.returncode != 0:
        if not _git(top, "rev-list", "-n", "1", "--all").stdout.strip():
            raise NoLedger(f"the repository has no commits yet, so {revision} is nothing")
        raise FactcheckError(f"unknown revision {revision!r}")
    commit = resolved.stdout.decode().strip()
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *(
        prefix + name for name in (CLAIMS_FILE, CLAIMS_DIR, SOURCES_DIR)))
    if listing.returncode != 0:
        raise FactcheckError(f"git ls-tree failed at {revision}: {listing.stderr.decode(errors='replace').strip()}")
    blobs: dict[str, str] = {}
    links: dict[str, bytes | Refused] = {}
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, name_bytes = entry.partition(b"\t")
        mode, kind, sha = meta.split()[:3]
        name = name_bytes.decode("utf-8", errors="surrogateescape")[len(prefix):]
        if kind != b"blob" or not _is_ledger_file(name):
            continue
        if mode == b"120000":  # a symbolic link: its blob is the link's target, not the file
            links[name] = Refused("source-unsafe", "a symbolic link in the repository; it was not read")
        else:
            blobs[name] = sha.decode()
    if CLAIMS_FILE not in blobs and not any(n.startswith(CLAIMS_DIR + "/") for n in blobs) and not links:
        raise NoLedger(f"no ledger at {revision}: neither {prefix}{CLAIMS_FILE} nor {prefix}{CLAIMS_DIR}/ exists")
    if CLAIMS_FILE in blobs and any(n.startswith(CLAIMS_DIR + "/") for n in blobs):
        raise FactcheckError(f"the ledger at {revision} has both {CLAIMS_FILE} and {CLAIMS_DIR}/; it must keep one")
    return {**_read_blobs(top, blobs), **links}


def _read_blobs(top: Path, blobs: dict[str, str]) -> dict[str, bytes | Refused]:
    names = list(blobs)
    done = _git(top, "cat-file", "--batch", stdin="".join(blobs[n] + "\n" for n in names).encode())
    if done.returncode != 0:
        raise FactcheckError(f"git cat-file failed: {done.stderr.decode(errors='replace').strip()}")
    out, at = done.stdout, 0
    files: dict[str, bytes | Refused] = {}
    for name in names:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        files[name] = out[header_end + 1:header_end + 1 + size]
        at = header_end + 1 + size + 1
    return files


@dataclass(frozen=True)
class Side:
    """One side of a diff: the ledger as far as it loads, and what to tell about it (no ledger there, or
    errors that kept some of it from loading)."""

    ledger: Ledger
    notes: tuple[str, ...] = ()


def ledger_at(root: Path, revision: str | None) -> Side:
    """The ledger at a revision (None: the work tree): no ledger there is an empty one, said in a note; a
    ledger with errors is taken as far as it loads, its errors said in a note."""
    where = "in the work tree" if revision is None else f"at {revision}"
    try:
        files = find_files(root) if revision is None else files_at(root, revision)
    except NoLedger as nothing:
        return Side(build_ledger({}), (f"{nothing}: every claim on the other side counts as added",))
    ledger = build_ledger(files)
    errors = [p for p in ledger.problems if p.severity == "error"]
    if not errors:
        return Side(ledger)
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return Side(ledger, (f"the ledger {where} does not load whole: {first.location}: {first.code}: {first.message}"
                         f"{more}; it is compared as far as it loads ({count_of(len(ledger.claims), 'claim')})",))


@dataclass(frozen=True)
class FieldChange:
    """One field of a claim that differs, with its values before and after in words."""

    field: str
    before: str | None
    after: str | None

    @property
    def single(self) -> str | None:
        """The one value worth showing when the change adds or removes something; None when both are."""
        if self.before is None:
            return self.after
        if self.after is None and self.field.endswith("removed"):
            return self.before
        return None


@dataclass(frozen=True)
class ClaimChange:
    """A claim present on both sides whose fields differ."""

    claim: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class SourceChange:
    """A source whose snapshot was replaced (its sha256 changed) or whose metadata changed."""

    source: str
    what: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class LedgerDiff:
    """What changed between two ledgers, claim by claim and source by source."""

    before: str
    after: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[ClaimChange, ...]
    sources_added: tuple[str, ...]
    sources_removed: tuple[str, ...]
    sources_changed: tuple[SourceChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.sources_added or self.sources_removed
                    or self.sources_changed)

    def counts(self) -> dict[str, int]:
        return {
            "claims_added": len(self.added), "claims_removed": len(self.removed), "claims_changed": len(self.changed),
            "sources_added": len(self.sources_added), "sources_removed": len(self.sources_removed),
            "sources_changed": len(self.sources_changed),
        }


def diff_ledgers(old: Ledger, new: Ledger, before: str, after: str) -> LedgerDiff:
    """The claim-level difference between two ledgers; claims are matched by id, sources by id."""
    old_claims = {r.claim.id: r.claim for r in old.claims}
    new_claims = {r.claim.id: r.claim for r in new.claims}
    changed = []
    for claim_id in sorted(old_claims.keys() & new_claims.keys()):
        changes = claim_changes(old_claims[claim_id], new_claims[claim_id])
        if changes:
            changed.append(ClaimChange(claim_id, tuple(changes)))
    source_changes = []
    for source_id in sorted(old.sources.keys() & new.sources.keys()):
        a, b = old.sources[source_id], new.sources[source_id]
        if a.digest != b.digest:
            source_changes.append(SourceChange(source_id, "re-snapshotted (sha256 changed)", a.digest, b.digest))
        elif a.meta != b.meta:
            fields = [name for name in field_names(SourceMeta)
                      if getattr(a.meta, name, None) != getattr(b.meta, name, None)]
            source_changes.append(SourceChange(source_id, "metadata changed: " + ", ".join(fields), None, None))
    return LedgerDiff(
        before, after,
        added=tuple(i for i in new_claims if i not in old_claims),
        removed=tuple(i for i in old_claims if i not in new_claims),
        changed=tuple(changed),
        sources_added=tuple(sorted(new.sources.keys() - old.sources.keys())),
        sources_removed=tuple(sorted(old.sources.keys() - new.sources.keys())),
        sources_changed=tuple(source_changes),
    )


def claim_changes(old: Claim, new: Claim) -> list[FieldChange]:
    """Each field that differs between two versions of a claim, named and put into words."""
    found: list[FieldChange] = []
    if old.status != new.status:
        found.append(FieldChange("verdict", old.status, new.status))
    if old.quantity != new.quantity:
        found.append(FieldChange("figure", phrase(old.quantity) if old.quantity else None,
                                 phrase(new.quantity) if new.quantity else None))
    for name in ("text", "claimant", "date", "subject", "measure", "note"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            found.append(FieldChange(name, None if a is None else str(a), None if b is None else str(b)))
    for name in ("appearances", "evidence"):
        a_quotes, b_quotes = [_quote_words(q) for q in getattr(old, name)], [_quote_words(q) for q in getattr(new, name)]
        found += [FieldChange(f"{name}: quote added", None, q) for q in b_quotes if q not in a_quotes]
        found += [FieldChange(f"{name}: quote removed", q, None) for q in a_quotes if q not in b_quotes]
    if old.review != new.review:
        found.append(FieldChange("imported review", _review(old), _review(new)))
    found += [FieldChange("tags: added", None, t) for t in new.tags if t not in old.tags]
    found += [FieldChange("tags: removed", t, None) for t in old.tags if t not in new.tags]
    found += _history_changes(old, new)
    return found


def _quote_words(quote: Quote) -> str:
    stance = getattr(quote, "stance", None)
    return f"{quote.source}: {quote.text!r}" + (f" ({stance})" if stance else "")


def _history_changes(old: Claim, new: Claim) -> list[FieldChange]:
    """Entries added at the end, in words; an entry that was rewritten or removed, field by field, old and new."""
    found: list[FieldChange] = []
    for number, (before, after) in enumerate(zip(old.history, new.history, strict=False), 1):
        for name in field_names(before):
            a, b = getattr(before, name), getattr(after, name)
            if a != b:
                found.append(FieldChange(f"history entry {number} rewritten: {name}", _shown(a), _shown(b)))
    found += [FieldChange("history: entry removed", _entry(entry), None)
              for entry in old.history[len(new.history):]]
    found += [FieldChange("history: entry added", None, _entry(entry)) for entry in new.history[len(old.history):]]
    return found


def _review(claim: Claim) -> str | None:
    review = claim.review
    if review is None:
        return None
    rated = f" rated {review.label!r}" if review.label else ""
    return f"by {review.by}{rated}" + (f" ({review.url})" if review.url else "")


def _entry(entry: HistoryEntry) -> str:
    return (f"{entry.date.isoformat()} {entry.status}" + (f" by {entry.by}" if entry.by else "")
            + (" (forced)" if entry.forced else "") + (f": {entry.note}" if entry.note else ""))


def _shown(value: object) -> str:
    if value is None:
        return "(none)"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
