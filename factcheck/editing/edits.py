"""The editing commands' work: new ledgers, sources, claims, quotes and verdicts, written safely.

Every write holds the ledger's lock, splices the change into the file's text (yamledit), reads the
result back and compares it with what was meant before writing it atomically (files).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from factcheck.checking.anchor import Located
    from factcheck.yamlio.yamlsrc import Document

from factcheck.errors import FactcheckError, Problem, RefusedError
from factcheck.ledger.files import LOCK_NAME, LedgerLock, write_atomic
from factcheck.ledger.folder import CLAIMS_DIR, CLAIMS_FILE, SOURCES_DIR
from factcheck.ledger.ledgerfiles import find_files
from factcheck.ledger.model import (
    SLUG_RE,
    Claim,
    Evidence,
    HistoryEntry,
    Quote,
    RatingScale,
    Record,
    SourceMeta,
    as_data,
    field_names,
    replace,
)
from factcheck.ledger.validation import Invalid, checked
from factcheck.pipeline.cache import CACHE_DIR
from factcheck.pipeline.read import ChunkWork, read
from factcheck.pipeline.store import ClaimRecord, Ledger, Skim, build_ledger, load_ledger
from factcheck.yamlio.yamledit import Flow, FlowList, YamlText, block

SIMILAR_CLAIM_SCORE = 85.0
FORGIVEN = {
    "exact": "",
    "normalized": " (found after folding whitespace, quotes or dashes; the source's own characters were stored)",
    "case": " (found ignoring case; the source's own characters were stored)",
    "typos": " (found despite small differences; the source's own words were stored)",
}

NEW_LEDGER = """\
# yaml-language-server: $schema=schema/claims.schema.json
#
# A ledger of claims. Each claim is tied to the exact words of the sources it appears in
# (sources/<id>.txt, added with `factcheck source add`) and of the evidence that bears on it.
# `factcheck verify` checks it all; `factcheck --help` lists the commands.
#
# A claim looks like this (add them with `factcheck claim add` or by hand):
#
#   - id: minister-weapons-2023            # a slug: a-z, 0-9, '.', '_', '-'
#     text: Azerbaijan is working on more than 800 new weapons.
#     claimant: Minister of Defence Industry
#     date: 2023-09-29
#     subject: defence-output               # claims on one quantity share a subject
#     quantity: {value: 800, bound: more-than, unit: weapons}
#     measure: new weapon designs under development
#     status: unverified
#     appearances:                          # added with `factcheck quote ID SOURCE "words"`
#       - source: azernews-2023-09-29
#         text: Azerbaijan is currently working on more than 800 new weapons

ledger:
  name: {name}

claims: []
"""


@dataclass(frozen=True)
class Outcome:
    """What a write command did, for the CLI to tell."""

    path: Path
    message: str
    warnings: tuple[str, ...] = ()
    diff: str = ""  # what the write changed (or, with --dry-run, would change), as a unified diff


# What init adds to a ledger's .gitignore (the lock, the cache) and .gitattributes (git never converts the
# line endings of a snapshot, whose sha256 is checked byte for byte).
GIT_LINES = {
    ".gitignore": [LOCK_NAME, f"{CACHE_DIR}/"],
    ".gitattributes": [f"{SOURCES_DIR}/*.txt -text", f"{SOURCES_DIR}/*.html -text", f"{SOURCES_DIR}/*.pdf binary"],
}


def init_ledger(folder: Path, name: str | None = None) -> list[Path]:
    """Start a ledger in `folder`: claims.yaml with a commented example, sources/, the JSON Schemas, and the
    .gitignore and .gitattributes lines a ledger needs (added to what those files already say).

    Everything is checked before anything is written, and claims.yaml is written last: a failed init leaves
    no ledger behind, so running it again finishes the job.
    """
    if (folder / CLAIMS_FILE).exists() or (folder / CLAIMS_DIR).exists():
        raise FactcheckError(f"{folder} already holds a ledger; nothing was changed")
    if folder.exists() and not folder.is_dir():
        raise FactcheckError(f"{folder} exists and is not a folder")
    for sub in (SOURCES_DIR, "schema"):
        if (folder / sub).exists() and ((folder / sub).is_symlink() or not (folder / sub).is_dir()):
            raise FactcheckError(f"{folder / sub} exists and is not a folder; nothing was changed")
    git_files = {name: _lines_of(folder / name) for name in GIT_LINES}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / SOURCES_DIR).mkdir(exist_ok=True)
        (folder / "schema").mkdir(exist_ok=True)
    except OSError as exc:
        raise FactcheckError(f"cannot make the ledger's folders in {folder}: {exc.strerror}") from None
    written = []
    title = name or folder.resolve().name or "claims"
    files = {
        folder / "schema" / "claims.schema.json": _json(_schema("claims")),
        folder / "schema" / "source.schema.json": _json(_schema("source")),
    }
    for file_name, lines in git_files.items():
        wanted = [line for line in GIT_LINES[file_name] if line not in lines]
        if wanted:
            files[folder / file_name] = "".join(f"{line}\n" for line in [*lines, *wanted])
    files[folder / CLAIMS_FILE] = NEW_LEDGER.replace("{name}", block(title, 0)[0])
    for path, text in files.items():
        write_atomic(path, text.encode("utf-8"))
        written.append(path)
    return written


def _lines_of(path: Path) -> list[str]:
    """The lines of a text file that init adds to, or [] when there is none; an error for what it cannot read."""
    if not os.path.lexists(path):
        return []
    if path.is_symlink() or not path.is_file():
        raise FactcheckError(f"{path} is not a regular file; nothing was changed")
    try:
        return path.read_bytes().decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise FactcheckError(f"{path} is not UTF-8 text; nothing was changed") from None
    except OSError as exc:
        raise FactcheckError(f"cannot read {path}: {exc.strerror}; nothing was changed") from None


def _schema(kind: str) -> dict[str, Any]:
    from factcheck.ledger.schema import json_schema

    return json_schema(kind)


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def add_source(root: Path, snapshot: bytes, source_id: str, meta: dict[str, Any],
               original: tuple[str, bytes] | None = None) -> Outcome:
    """Copy a snapshot into sources/ byte for byte and record its metadata with its sha256; with `original`
    (its format and bytes: the page or PDF the text was derived from, whose record is meta["original"]), keep
    it beside the text as sources/<id>.<format>."""
    if not SLUG_RE.fullmatch(source_id):
        raise FactcheckError(f"{source_id!r} is not a valid source id: use lowercase letters, digits, '.', '_' and "
                             "'-', starting with a letter or digit")
    try:
        snapshot.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FactcheckError(f"the snapshot is not UTF-8 text: byte 0x{snapshot[exc.start]:02x} at offset "
                             f"{exc.start}; convert it to UTF-8 first") from None
    fields = {"sha256": hashlib.sha256(snapshot).hexdigest(), **{k: v for k, v in meta.items() if v not in (None, [])}}
    fields.setdefault("retrieved", dt.date.today())
    try:
        validated = checked(SourceMeta, fields)
    except Invalid as exc:
        raise FactcheckError(str(exc)) from None
    ordered = {name: as_data(value, dates="dates", leave_out="none") if isinstance(value, Record) else value
               for name in field_names(SourceMeta) if (value := getattr(validated, name)) not in (None, [])}
    _require_ledger(root)
    sources = root / SOURCES_DIR
    snapshot_path, meta_path = sources / f"{source_id}.txt", sources / f"{source_id}.yaml"
    kept = [] if original is None else [(sources / f"{source_id}.{original[0]}", original[1])]
    with LedgerLock(root):
        # A snapshot (or an original) without metadata, with the same bytes, is what an add killed between
        # its files leaves behind: this add completes it rather than refusing.
        strays = [sources / f"{source_id}.{kind}" for kind in ("html", "pdf")
                  if not kept or kept[0][0].suffix != f".{kind}"]
        writes = [(path, data) for path, data in (*kept, (snapshot_path, snapshot)) if not _holds_exactly(path, data)]
        taken = next((path for path in (meta_path, *strays, *(path for path, _ in writes)) if os.path.lexists(path)), None)
        if taken is not None:
            raise FactcheckError(f"source {source_id!r} already exists ({SOURCES_DIR}/{taken.name}); "
                                 "a snapshot is never replaced: add the new capture under a new id")
        completing = len(writes) < len(kept) + 1
        sources.mkdir(exist_ok=True)
        modeline = "# yaml-language-server: $schema=../schema/source.schema.json\n" \
            if (root / "schema" / "source.schema.json").exists() else ""
        text = modeline + "\n".join(block(ordered, 0)) + "\n"
        written: list[Path] = []
        try:
            for path, data in (*writes, (meta_path, text.encode("utf-8"))):
                write_atomic(path, data)
                written.append(path)
        except FactcheckError:
            for path in written:
                path.unlink(missing_ok=True)  # no snapshot without its metadata
            raise
    done = "completed" if completing else "added"
    return Outcome(meta_path, f"{done} source {source_id!r} (sha256 {fields['sha256']})")


def _holds_exactly(path: Path, data: bytes) -> bool:
    """True when `path` is a regular file (not a link) whose bytes are `data`."""
    if path.is_symlink() or not path.is_file():
        return False
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def add_claim(root: Path, fields: dict[str, Any], dry_run: bool = False) -> Outcome:
    """Append a claim; warn when an existing claim reads nearly the same."""
    try:
        claim = checked(Claim, fields)
    except Invalid as exc:
        raise FactcheckError(str(exc)) from None
    with LedgerLock(root):
        ledger, known = load_for_edit(root, ids={claim.id}, texts=True, sources=False)
        if ledger.find(claim.id) is not None:
            raise FactcheckError(f"claim {claim.id!r} already exists at {ledger.require(claim.id).locate('id')}")
        path = append_target(root)
        data = claim_data(claim)
        diff = rewrite(root, path, lambda yaml_text: yaml_text.append_claim(data), lambda claims: [*claims, claim],
                       dry_run, ledger=ledger, touches=())
        warnings = tuple(similar_claims(known.texts, claim))
    return Outcome(path, f"added claim {claim.id!r} to {path.relative_to(root).as_posix()}", warnings, diff)


def add_quote(root: Path, claim_id: str, source_id: str, typed: str, stance: str | None) -> Outcome:
    """Find typed words in a source forgivingly and attach the source's own exact words to a claim."""
    with LedgerLock(root):
        ledger, known = load_for_edit(root, ids={claim_id}, sources={source_id})
        record = ledger.require(claim_id, known.files)
        source = ledger.sources.get(source_id)
        if source is None or source.text is None or source.meta is None:
            from factcheck.pipeline.store import read_sources

            names = ", ".join(sorted(read_sources(find_files(root), snapshots=False).sources)) or "none"
            raise FactcheckError(f"no usable source {source_id!r} (a snapshot and its metadata); sources: {names}")
        from factcheck.checking.anchor import Located, Snapshot, locate_forgiving, pin, too_short

        snapshot = Snapshot(source.text)
        found = locate_forgiving(snapshot, typed)
        if not isinstance(found, Located):
            raise RefusedError(f"not found in {source_id!r}: {found.reason}{found.hint()}; nothing was written")
        exact = found.text
        if stance is not None and (slight := too_short(exact)) is not None:
            raise RefusedError(f"{exact!r} is too short to be evidence: {slight}; quote the sentence that bears on "
                               "the claim; nothing was written")
        prefix, suffix = (None, None) if found.omitted else pin(snapshot, found.start, found.end)
        places = 1 if found.omitted or prefix or suffix else source.text.count(exact)
        if places > 1:
            raise RefusedError(f"{exact!r} occurs {places} times in {source_id!r} and the words around them do not "
                               "tell them apart; quote a longer passage; nothing was written")
        values: dict[str, Any] = {"source": source_id, "text": exact}
        if prefix:
            values["prefix"] = prefix
        if suffix:
            values["suffix"] = suffix
        key = "appearances" if stance is None else "evidence"
        if stance is not None:
            values["stance"] = stance
        try:
            quote: Quote = checked(Quote, values) if stance is None else checked(Evidence, values)
        except Invalid as exc:
            raise FactcheckError(str(exc)) from None
        existing = getattr(record.claim, key)
        if any(q.source == quote.source and q.text == quote.text for q in existing):
            raise RefusedError(f"claim {claim_id!r} already quotes these words of {source_id!r}; nothing was written")
        path = root / record.doc.path
        updated = replace(record.claim, **{key: [*existing, quote]})
        rewrite(root, path, lambda yaml_text: yaml_text.append_to_claim_list(claim_id, key, values),
                 lambda claims: [updated if c.id == claim_id else c for c in claims], ledger=ledger, touches=[claim_id])
    kind = "an appearance" if stance is None else f"{stance} evidence"
    return Outcome(path, f"added {kind} to {claim_id!r}: {exact!r}{FORGIVEN[found.how]}{_beside(typed, found)}")


def _beside(typed: str, found: Located) -> str:
    """What was typed beside what was stored, with the similarity and each forgiven word, when they differ."""
    if found.how == "exact":
        return ""
    lines = [f"\n  typed:  {typed.strip()!r}", f"\n  stored: {found.text!r}"]
    if found.how == "typos":
        words = ", ".join(f"{a!r} -> {b!r}" for a, b in found.differences) or "spacing or punctuation"
        lines.append(f"\n  {found.similarity:g}% similar; differs: {words}")
    return "".join(lines)


def set_status(root: Path, claim_id: str, status: str, note: str | None, by: str | None,
               date: dt.date | None, force: bool, dry_run: bool = False) -> Outcome:
    """Set a verdict and append it to the claim's history, refusing one its evidence does not carry, and any
    entry that would make the history say less than it should: no reason, no one, out of order."""
    if note is None or not note.strip():
        raise FactcheckError("a verdict needs a note that says why (--note); it was blank, so nothing was written")
    with LedgerLock(root):
        ledger, known = load_for_edit(root, ids={claim_id}, sources=False)
        record = ledger.require(claim_id, known.files)
        day = date or dt.date.today()
        claim = record.claim
        if day < claim.date:
            raise FactcheckError(f"the entry would be dated {day.isoformat()}, before the claim itself "
                                 f"({claim.date.isoformat()}); nothing was written")
        if claim.history and day < claim.history[-1].date:
            raise FactcheckError(f"the entry would be dated {day.isoformat()}, before the last entry "
                                 f"({claim.history[-1].date.isoformat()}); the history is kept oldest first, "
                                 "so nothing was written")
        if claim.history and status == claim.status and note.strip() == (claim.history[-1].note or "").strip():
            raise FactcheckError(f"{claim_id!r} is already {status!r} with that note; to record it again, give a "
                                 "note that says what is new; nothing was written")
        try:
            entry = checked(HistoryEntry, {"date": day, "status": status, "note": note, "by": by})
        except Invalid as exc:
            raise FactcheckError(str(exc)) from None
        updated = replace(claim, status=entry.status, history=[*claim.history, entry])
        from factcheck.checking.checks import missing_support

        lack = missing_support(updated)
        if lack is not None and force:  # recorded as forced, so the history never passes it off as supported
            entry = replace(entry, forced=True)
            updated = replace(claim, status=entry.status, history=[*claim.history, entry])
        if lack is not None and not force:
            raise RefusedError(f"status {status!r} needs {lack}; add it first (factcheck quote {claim_id} SOURCE "
                               "WORDS --stance ...) or pass --force; nothing was written")
        if by is None or not by.strip():
            raise FactcheckError("who gives the verdict is not known: pass --by NAME, or set git's user name "
                                 "(git config user.name \"A. Editor\"); nothing was written")
        path = root / record.doc.path
        entry_data = as_data(entry, dates="dates", leave_out="none")

        def edit(yaml_text: YamlText) -> str:
            step = YamlText(yaml_text.set_claim_value(claim_id, "status", status), yaml_text.path)
            return step.append_to_claim_list(claim_id, "history", entry_data)

        diff = rewrite(root, path, edit, lambda claims: [updated if c.id == claim_id else c for c in claims], dry_run,
                       ledger=ledger, touches=[claim_id])
    forced = " (forced: " + lack + " is missing)" if lack is not None else ""
    return Outcome(path, f"{claim_id}: status {record.claim.status} -> {status}{forced}", (), diff)


@dataclass
class Known:
    """What an edit knows of the claims it leaves alone: the file of each id, and each text (for the
    near-duplicate warning), gathered as the ledger is read."""

    files: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


class _Gather(ChunkWork):
    """Keeps, of each chunk of claims read, those an edit works on, and notes the others (a read.ChunkWork):
    an edit of a large ledger never holds all its claims. An edit that names its claims by id (`ids`) has
    the others passed over unvalidated (see store.Skim)."""

    def __init__(self, keep: Callable[[Claim], bool], texts: bool, ids: Collection[str] | None = None) -> None:
        self.keep: Callable[[Claim], bool] = keep if ids is None else (lambda claim: claim.id in ids)
        self.texts, self.ids, self.known = texts, ids, Known()

    def skim(self) -> Skim | None:
        if self.ids is None:
            return None
        ids = self.ids
        return Skim(lambda data: data.get("id") in ids, self._passed)

    def _passed(self, doc: Document, items: list[tuple[int, str, str]]) -> None:
        for _index, claim_id, text in items:
            self.known.files[claim_id] = doc.path
            if self.texts:
                self.known.texts[claim_id] = text

    def chunk(self, ledger: Ledger, records: list[ClaimRecord], settings: Any) -> list[ClaimRecord]:
        for record in records:
            self.known.files[record.claim.id] = record.doc.path
            if self.texts:
                self.known.texts[record.claim.id] = record.claim.text
        return [record for record in records if self.keep(record.claim)]

    def again(self, path: str) -> None:
        for claim_id in [k for k, v in self.known.files.items() if v == path]:
            del self.known.files[claim_id]
            self.known.texts.pop(claim_id, None)

    def result(self) -> Any:
        return self.known.files, self.known.texts

    def merge(self, theirs: Any) -> None:
        self.known.files.update(theirs[0])
        self.known.texts.update(theirs[1])


def load_for_edit(root: Path, keep: Callable[[Claim], bool] | None = None, texts: bool = False, *,
                  ids: Collection[str] | None = None, sources: bool | Collection[str] = True) -> tuple[Ledger, Known]:
    """The ledger with only the claims `keep` wants, or those with the `ids` given, and what is known of the
    others (their files, and with `texts` their texts).

    Claims asked for by `keep` are found among all the claims, validated; with `ids`, the others are passed
    over unvalidated (see store.Skim), and the ledger's problems are those met reading the files and the
    claims kept. Without `sources`, for an edit that does not look at them, the sources are not read; given
    source ids, only those sources are.
    """
    from factcheck.ledger.ledgerfiles import find_files

    wanted = frozenset(ids) if ids is not None else None
    done = read(root, find_files(root, sources=sources), lambda: _Gather(keep or _none, texts, wanted),
                fill_cache=False, sources=None if sources else Ledger())
    known = done.work.known
    known.texts = {claim_id: known.texts[claim_id] for claim_id, _, _ in done.ids if claim_id in known.texts}
    return done.ledger, known  # (the texts in ledger order, however they were read)


def _none(claim: Claim) -> bool:
    return False


@dataclass(frozen=True)
class ImportPlan:
    """What an import adds, and the incoming claims already in the ledger (id of the new, id of the one there)."""

    new: list[Claim]
    present: list[tuple[str, str]]


def import_claims(root: Path, read: Callable[[RatingScale], list[dict[str, Any]]], dry_run: bool) -> ImportPlan:
    """Add imported claims that are not in the ledger yet, in one write; the others are named with the claim
    they match (see reviews.match_keys: the review's url or identifier, then words, claimant and date).
    `read` gives the incoming claims, read through the ledger's rating scale: the ledger is read once."""
    from factcheck.exchange.reviews import Matcher

    def plan(ledger: Ledger) -> ImportPlan:
        incoming = read(ledger.settings.rating_scale or RatingScale())
        known = Matcher()
        ids = {record.claim.id for record in ledger.claims}
        for record in ledger.claims:
            claim = record.claim
            known.add({"text": claim.text, "claimant": claim.claimant, "date": claim.date,
                       "review": as_data(claim.review, dates="dates", leave_out="nothing") if claim.review else None},
                      claim.id, claim.id)
        new, present = [], []
        for fields in incoming:
            there = known.find(fields)
            if there is None and fields["id"] in ids:
                there = fields["id"]
            if there is not None:
                present.append((fields["id"], there))
                continue
            try:
                claim = checked(Claim, fields)
            except Invalid as exc:
                raise FactcheckError(f"imported claim {fields['id']!r}: {exc}") from None
            new.append(claim)
            ids.add(claim.id)
        return ImportPlan(new, present)

    if dry_run:
        return plan(load_ledger(root, fill_cache=False))
    with LedgerLock(root):
        ledger = load_ledger(root, fill_cache=False)
        done = plan(ledger)
        if done.new:
            path = append_target(root)
            data = [claim_data(claim) for claim in done.new]
            rewrite(root, path, lambda yaml_text: yaml_text.append_claims(data), lambda claims: [*claims, *done.new],
                    ledger=ledger, touches=())
    return done


def _require_ledger(root: Path) -> None:
    find_files(root)


def append_target(root: Path) -> Path:
    if (root / CLAIMS_FILE).is_file():
        return root / CLAIMS_FILE
    files = sorted((root / CLAIMS_DIR).glob("*.yaml"))
    if not files:
        raise FactcheckError(f"{root / CLAIMS_DIR} holds no .yaml file to add the claim to")
    return files[-1]


def claim_data(claim: Claim) -> dict[str, Any]:
    data = as_data(claim, dates="dates", leave_out="none")
    data = {key: value for key, value in data.items() if value != []}
    if "tags" in data:
        data["tags"] = FlowList(data["tags"])  # written `tags: [a, b]`, as the ledger's own claims are
    if "quantity" in data:
        value = data["quantity"]["value"]
        data["quantity"] = Flow({**data["quantity"], "value": int(value) if float(value).is_integer() else value})
    if "review" in data:  # a reviewer's 5 is written 5, as they wrote it
        data["review"] = {key: int(value) if isinstance(value, float) and value.is_integer() else value
                          for key, value in data["review"].items()}
    return data


def rewrite(root: Path, path: Path, edit: Callable[[YamlText], str],
            expect: Callable[[list[Claim]], list[Claim]], dry_run: bool = False, ledger: Ledger | None = None,
            touches: Collection[str] | None = None) -> str:
    """Splice an edit into one file, check the result reads as intended, then write it atomically (unless
    `dry_run`, which gives the change as a unified diff instead).

    `expect` gives, for any run of the file's claims, what the edit should make of it. With `ledger` (read
    under the same lock: the problems met reading the file) and `touches` (the ids of the claims the edit
    changes or removes; none: claims are added at the end), only the run of claims the edit works on is
    edited and read back, as a document of its own (see `_in_window`); else the whole file is edited and
    read before and after."""
    name = path.relative_to(root).as_posix()
    raw = path.read_bytes()
    before = None
    if ledger is not None:
        old_problems = [p for p in ledger.problems if p.location.path == name]
        read = next((r.doc.raw for r in ledger.claims if r.doc.path == name), None)
        if read is not None and read == raw:
            raw = read  # the same bytes, whose claims' places were found as they were read
    else:
        before = build_ledger({name: raw})
        old_problems = before.problems
    blocking = [p for p in old_problems if p.code in ("yaml-syntax", "duplicate-key")]
    if blocking:
        first = blocking[0]
        raise FactcheckError(f"{first.location}: {first.code}: {first.message}; fix the file before editing it")
    windowed = _in_window(name, raw, edit, expect, touches, old_problems) if touches is not None and ledger else None
    if windowed is not None:  # only the claims the edit works on were decoded, edited and read again
        if not dry_run:
            write_atomic(path, windowed)
            return ""
        return unified_diff(name, raw.decode("utf-8"), windowed.decode("utf-8"))
    try:
        old_text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FactcheckError(f"{name} is not UTF-8; fix it first (factcheck verify names the byte)") from None
    new_text = edit(YamlText(old_text, name))
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    new_raw = (bom + new_text).encode("utf-8")
    if not dry_run:  # the texts are needed again only for the diff
        del old_text, new_text
    before = before or build_ledger({name: raw})  # the whole file read again, before and after
    after = build_ledger({name: new_raw})
    if [r.claim for r in after.claims] != expect([r.claim for r in before.claims]) \
            or _codes(after.problems) - _codes(before.problems):
        raise FactcheckError(f"the edit of {name} would not read back as intended; nothing was written "
                             "(please report this with the file)")
    if dry_run:
        return unified_diff(name, old_text, new_text)
    write_atomic(path, new_raw)
    return ""  # nothing to show: the change was made


def _in_window(name: str, raw: bytes, edit: Callable[[YamlText], str], expect: Callable[[list[Claim]], list[Claim]],
               touches: Collection[str], problems: list[Problem]) -> bytes | None:
    """The file's new bytes, made by editing only the run of claims the edit works on (those `touches`
    names; none: the last, after which claims are added) as a document of their own, and reading that run
    back; None when the file or the edit is not of that shape, and the whole text is edited instead."""
    from factcheck.yamlio.spans import claim_starts

    if raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw:
        return None
    starts = claim_starts(raw)
    if starts is None or starts[-1] != len(raw) or len(starts) < 2:
        return None
    places = []
    for claim_id in touches:
        found = [bisect.bisect_right(starts, at) - 1 for at in _id_lines(raw, claim_id, starts[0])]
        if len(found) != 1:
            return None  # not found, or named in more than one place: the whole text decides
        places.append(found[0])
    first, last = (min(places), max(places)) if places else (len(starts) - 2, len(starts) - 2)
    begin, end = starts[first], starts[last + 1]
    head = b"claims:\n"
    try:
        edited = edit(YamlText((head + raw[begin:end]).decode("utf-8"), name))
    except (FactcheckError, UnicodeDecodeError):
        return None
    if not edited.startswith(head.decode()):
        return None
    window = edited.encode("utf-8")[len(head):]
    was = build_ledger({name: head + raw[begin:end]})
    again = build_ledger({name: head + window})
    if was.problems or len(was.claims) != last + 1 - first or not set(touches) <= {r.claim.id for r in was.claims}:
        return None
    if [r.claim for r in again.claims] != expect([r.claim for r in was.claims]) \
            or _codes(again.problems) - _codes(problems):
        return None
    return raw[:begin] + window + raw[end:]


def _id_lines(raw: bytes, claim_id: str, start: int) -> list[int]:
    """Where each line that gives `claim_id` as an id (`id: X` or `- id: X`, quoted or not) begins in `raw`,
    from `start`: the id's bytes are found first (at the speed of a byte search), then each line they are
    on is matched whole."""
    import re

    wanted = claim_id.encode("utf-8")
    line = re.compile(rb"[ ]*(?:- )?id:[ \t]*['\"]?" + re.escape(wanted) + rb"['\"]?[ \t]*(?:#[^\n]*)?(?:\n|$)")
    found, at = [], raw.find(wanted, start)
    while at != -1:
        begin = raw.rfind(b"\n", 0, at) + 1
        if begin >= start and line.match(raw, begin):
            found.append(begin)
        end = raw.find(b"\n", at)
        at = -1 if end == -1 else raw.find(wanted, end + 1)  # the next line on which the id's bytes are
    return found


def unified_diff(name: str, old: str, new: str) -> str:
    """A change to a file as a unified diff, three lines of context."""
    import difflib

    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        f"a/{name}", f"b/{name}"))


def _codes(problems: list[Problem]) -> Counter[tuple[str, str]]:
    return Counter((p.code, p.message) for p in problems)


def similar_claims(texts: dict[str, str], claim: Claim) -> list[str]:
    """The claim (of `texts`, by id) that reads nearly the same as `claim`, if one does."""
    from rapidfuzz import fuzz, process

    best = process.extractOne(claim.text, texts, scorer=fuzz.token_sort_ratio, processor=str.casefold,
                              score_cutoff=SIMILAR_CLAIM_SCORE)  # (a cutoff lets the scorer stop early)
    if best is None or best[1] < SIMILAR_CLAIM_SCORE:
        return []
    text, score, claim_id = best
    return [f"claim {claim_id!r} reads nearly the same ({score:.0f}% similar): {text!r}"]


