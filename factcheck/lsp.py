"""`factcheck lsp`: the checks while a claims file is edited, in any editor that speaks the Language Server
Protocol (over stdio, through pygls).

What the server knows of a document comes from the editor's buffer, not the file on disk: each change is
checked against the rest of the ledger as it is on disk, a moment after typing stops. The answers are
worked out by plain functions of the ledger and the buffer (`diagnostics`, `hover`, `completions`,
`definition`), so that they are the same as `verify` and `show` give; the server around them only moves
messages. It never writes a file.
"""

from __future__ import annotations

import asyncio
import bisect
import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AnyStr

from factcheck.checking.verification import ChunkWork
from factcheck.errors import Problem
from factcheck.ledger.folder import SOURCES_DIR
from factcheck.ledger.ledgerfiles import find_files, find_root
from factcheck.ledger.model import STATUSES, Claim
from factcheck.pipeline.store import Ledger, load_files

DEBOUNCE = 0.25  # seconds after the last keystroke before a document is checked again
CHECKS_DOC = Path(__file__).parent / "data" / "checks.md"  # what each check code means: each diagnostic links it
STANCES = ("supports", "refutes", "context")
BOUNDS = ("exactly", "about", "more-than", "at-least", "fewer-than", "at-most")
NEEDS = {
    "supported": "a `supports` evidence quote, and no `refutes` one",
    "refuted": "a `refutes` evidence quote, and no `supports` one",
    "conflicting": "evidence both ways: a `supports` quote and a `refutes` quote",
    "misleading": "evidence quotes that show how the claim misleads",
    "unverifiable": "a note that says why it cannot be checked",
    "unverified": "nothing: no verdict has been given",
}


@dataclass(frozen=True)
class Place:
    """What stands at a position of a claims file: a claim's field, or a field of one of its quotes."""

    claim: int
    field: str
    kind: str | None = None  # "appearances" or "evidence" for a quote's field
    index: int | None = None


def checks_document() -> str:
    """The description of every check code, as the diagnostics link it (data/checks.md, kept in step with
    the checks by a test)."""
    from factcheck.checking.checks import REGISTRY

    parts = ["# The checks of factcheck\n\nWhat each diagnostic's code means (the same as `factcheck verify` "
             "reports).\n"]
    for check in REGISTRY.values():
        parts.append(f"\n## {check.code}\n\n{check.severity}: {check.description}\n")
    return "".join(parts)


def files_with(path: Path, text: str) -> tuple[Path, str, dict[str, Any]] | None:
    """The files of the ledger that holds `path`, with `text` as that file's content (the editor's buffer);
    its root and the file's name in it. None for a file of no ledger."""
    root = find_root(path.parent)
    if root is None:
        return None
    try:
        name = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    files: dict[str, Any] = dict(find_files(root))
    files[name] = text.encode("utf-8")
    return root, name, files


def ledger_with(path: Path, text: str) -> tuple[Path, str, Ledger] | None:
    """The ledger that holds `path`, read with `text` as that file's content; its root, the file's name in
    it, and the ledger. None for a file of no ledger."""
    found = files_with(path, text)
    if found is None:
        return None
    root, name, files = found
    return root, name, load_files(root, files, fill_cache=False)


def diagnostics(path: Path, text: str, today: dt.date | None = None) -> list[Problem]:
    """Every problem `verify` finds in this file, the buffer standing in for it."""
    from factcheck.checking.checks import run_checks
    from factcheck.checking.options import Options

    found = ledger_with(path, text)
    if found is None:
        return []
    _root, name, ledger = found
    options = Options(stale_after_days=ledger.settings.stale_after_days, today=today or dt.date.today())
    return [p for p in run_checks(ledger, options) if p.location.path == name]


class Session:
    """One claims file open in the editor, checked again on each change only where its bytes changed.

    The first check reads the whole ledger with the buffer in place of the file and keeps the ledger's
    sources and settings, the ids of the other files' claims, and this file's problems claim by claim.
    Each change after is compared with the text before (the same first bytes, the same last bytes); only
    the claims between are read and put through the checks of single claims again, and the problems of
    the claims after them are moved by as many lines as the change added. A change that reaches what
    stands before the claims, or an id used twice, or a file not of the plain shape this needs, is checked
    whole again: the answer is always the one `verify` gives.
    """

    def __init__(self, path: Path, today: dt.date | None = None) -> None:
        self.path = path
        self.today = today or dt.date.today()
        self.text: str | None = None  # the text as last checked
        self.starts: list[int] = []  # where each claim starts in it, then its end
        self.lines: list[int] = []  # the line (from 1) of each of those
        self.problems: list[list[Problem]] = []  # of each claim, at its lines in the text as it is
        self.ids: list[str] = []
        self.head: list[Problem] = []  # of what stands before the claims
        self.ledger: Ledger | None = None
        self.name = ""
        self.others: set[str] = set()  # the ids of the claims in the ledger's other files
        self.root: Path | None = None
        self.subjects: set[str] = set()  # of every claim of the ledger, for completion
        self.tags: set[str] = set()

    def check(self, text: str) -> list[Problem]:
        """Every problem `verify` finds in the file, the buffer `text` standing in for it."""
        found = self._again(text) if self.text is not None else None
        if found is None:
            found = self._whole(text)
        return found

    def _whole(self, text: str) -> list[Problem]:
        """The whole ledger read and checked a chunk of claims at a time, as `verify` does, keeping of it only
        the sources, the settings and the claims' ids."""
        from factcheck.checking.options import Options
        from factcheck.checking.verification import check_files
        from factcheck.yamlio.yamledit import block_items

        self.text = None
        files = files_with(self.path, text)
        if files is None:
            return []
        root, self.name, read = files
        result = check_files(root, read, Options(today=self.today), True, _Vocabulary, None)
        vocabulary = result.work
        assert result.ledger is not None and isinstance(vocabulary, _Vocabulary)
        problems = [p for p in result.problems if p.location.path == self.name]
        starts = block_items(text)
        mine = [claim_id for claim_id, name in zip(result.claim_ids, result.claim_files, strict=True) if name == self.name]
        if starts is None or len(starts) - 1 != len(mine) or text.startswith("\ufeff"):
            return problems  # not of the shape the next change can be checked in: it is checked whole too
        lines = _lines_of(text, starts)
        self.problems = [[] for _ in mine]
        self.head = []
        for p in problems:
            at = bisect.bisect_right(lines, p.location.line) - 1
            (self.head if at < 0 or at >= len(mine) else self.problems[at]).append(p)
        ledger = result.ledger
        ledger.claims = []  # only its sources and settings are needed from now on
        self.text, self.starts, self.lines, self.ledger, self.ids = text, starts, lines, ledger, mine
        self.root, self.subjects, self.tags = root, vocabulary.subjects, vocabulary.tags
        self.others = {claim_id for claim_id, name in zip(result.claim_ids, result.claim_files, strict=True)
                       if name != self.name}
        return problems

    def _again(self, text: str) -> list[Problem] | None:
        from factcheck.checking.checks import REGISTRY, Context, claim_checks
        from factcheck.checking.options import Options
        from factcheck.pipeline.store import build_ledger
        from factcheck.yamlio.yamledit import block_items

        old, starts, lines, ledger = self.text, self.starts, self.lines, self.ledger
        assert old is not None and ledger is not None
        if text.startswith("\ufeff") or "\t" in text[:1] or "\r" in text:
            return None
        head = common_prefix(old, text)
        head = old.rfind("\n", 0, head) + 1
        tail = min(common_suffix(old, text), len(old) - head, len(text) - head)
        first = bisect.bisect_right(starts, head - 1) - 1
        if first < 0:
            return None  # the settings or what stands before the claims changed
        last = min(max(bisect.bisect_left(starts, len(old) - tail), first + 1), len(starts) - 1)
        begin, end_new = starts[first], len(text) - (len(old) - starts[last])
        document = "claims:\n" + text[begin:end_new]
        inner = block_items(document) if end_new > begin else [len(document)]
        if inner is None or "\t" in document:
            return None
        read = build_ledger({self.name: document.encode("utf-8")})
        if any(p.code.startswith("yaml") or p.code == "duplicate-key" for p in read.problems) \
                or len(read.claims) != len(inner) - 1:
            return None
        ids = [*self.ids[:first], *(r.claim.id for r in read.claims), *self.ids[last:]]
        if len(set(ids)) != len(ids) or self.others & set(ids):
            return None  # an id used twice: its message names both places, so the whole file is checked
        offset = lines[first] - 2  # the region stands at line 2 of its own document
        checks = [check for check in REGISTRY.values() if check.run is not None and check.scope == "claim"]
        here = Ledger(settings=ledger.settings, claims=read.claims, sources=ledger.sources)
        options = Options(stale_after_days=ledger.settings.stale_after_days, today=self.today)
        found = [*read.problems, *claim_checks(Context(here, options, read.claims), checks)]
        moved = [dataclasses.replace(p, location=dataclasses.replace(p.location, path=self.name,
                                                                     line=p.location.line + offset)) for p in found]
        fresh_lines = [line + offset for line in _lines_of(document, inner)]
        fresh: list[list[Problem]] = [[] for _ in read.claims]
        for p in moved:
            at = bisect.bisect_right(fresh_lines, p.location.line) - 1
            fresh[min(max(at, 0), len(fresh) - 1)].append(p)
        shift = fresh_lines[-1] - lines[last]
        size = (end_new - begin) - (starts[last] - begin)
        after = [[dataclasses.replace(p, location=dataclasses.replace(p.location, line=p.location.line + shift))
                  for p in kept] if shift else kept for kept in self.problems[last:]]
        self.problems = [*self.problems[:first], *fresh, *after]
        self.starts = [*starts[:first], *(begin + s - len("claims:\n") for s in inner[:-1]),
                       *(s + size for s in starts[last:])]
        self.lines = [*lines[:first], *fresh_lines[:-1], *(line + shift for line in lines[last:])]
        self.ids, self.text = ids, text
        return sorted([*self.head, *(p for kept in self.problems for p in kept)], key=Problem.sort_key)


    def claim_at(self, text: str, line: int) -> tuple[Path, Ledger, Claim, Place] | None:
        """The claim whose lines hold `line` (from 0) of `text`, read alone, with the ledger's sources, when
        `text` is the text last checked; None else."""
        from factcheck.pipeline.store import build_ledger

        if text != self.text or self.ledger is None or self.root is None:
            return None
        at = bisect.bisect_right(self.lines, line + 1) - 1
        if not 0 <= at < len(self.ids):
            return None
        document = "claims:\n" + text[self.starts[at]:self.starts[at + 1]]
        place = place_at(document, line - (self.lines[at] - 1) + 1)
        read = build_ledger({self.name: document.encode("utf-8")})
        if place is None or len(read.claims) != 1:
            return None
        return self.root, self.ledger, read.claims[0].claim, place


class _Vocabulary(ChunkWork):
    """The subjects and tags of every claim, gathered as the first check reads them (a ChunkWork)."""

    def __init__(self) -> None:
        self.subjects: set[str] = set()
        self.tags: set[str] = set()

    def chunk(self, ledger: Ledger, records: list[Any], settings: Any, resolved: Any = None) -> list[Any]:
        for record in records:
            if record.claim.subject:
                self.subjects.add(record.claim.subject)
            self.tags.update(record.claim.tags)
        return []

    def again(self, path: str) -> None:
        pass  # gathered twice is gathered once

    def result(self) -> Any:
        return [sorted(self.subjects), sorted(self.tags)]

    def merge(self, theirs: Any) -> None:
        self.subjects.update(theirs[0])
        self.tags.update(theirs[1])


def common_prefix(a: AnyStr, b: AnyStr) -> int:
    """The length of the longest common prefix of two texts or byte strings: compared a megabyte at a time,
    then halved (each comparison at C speed)."""
    n, step, low = min(len(a), len(b)), 1 << 20, 0
    while low + step <= n and a[low:low + step] == b[low:low + step]:
        low += step
    high = min(low + step, n)
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def common_suffix(a: AnyStr, b: AnyStr) -> int:
    """The length of the longest common suffix of two texts or byte strings, as `common_prefix` finds it."""
    n, step, low = min(len(a), len(b)), 1 << 20, 0
    while low + step <= n and a[len(a) - low - step:len(a) - low] == b[len(b) - low - step:len(b) - low]:
        low += step
    high = min(low + step, n)
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle:len(a) - low] == b[len(b) - middle:len(b) - low]:
            low = middle
        else:
            high = middle - 1
    return low


def _lines_of(text: str, offsets: list[int]) -> list[int]:
    """The line (from 1) each of the ascending offsets stands on, counted on from one to the next."""
    lines, line, at = [], 1, 0
    for offset in offsets:
        line += text.count("\n", at, offset)
        at = offset
        lines.append(line)
    return lines


def place_at(text: str, line: int) -> Place | None:
    """The field whose value stands on `line` (0-based) of a claims file."""
    from factcheck.yamlio.yamlsrc import parse

    doc = parse(text.encode("utf-8"), "<buffer>")
    best: tuple[int, Place] | None = None
    for path, (at_line, _column) in doc.positions.items():
        if at_line - 1 != line or len(path) < 3 or path[0] != "claims" or not isinstance(path[1], int):
            continue
        if len(path) == 3 and isinstance(path[2], str):
            candidate = Place(path[1], path[2])
        elif len(path) == 5 and path[2] in ("appearances", "evidence") and isinstance(path[3], int) \
                and isinstance(path[4], str):
            candidate = Place(path[1], path[4], str(path[2]), path[3])
        else:
            continue
        if best is None or len(path) > best[0]:
            best = (len(path), candidate)
    return best[1] if best else None


def _at(path: Path, text: str, line: int, session: Session | None) -> tuple[Path, Ledger, Claim, Place] | None:
    """The claim at `line` with the ledger's sources: from the session when it holds this text (one claim
    read), else from the whole ledger read again."""
    near = session.claim_at(text, line) if session is not None else None
    if near is not None:
        return near
    found = ledger_with(path, text)
    place = place_at(text, line)
    if found is None or place is None:
        return None
    root, name, ledger = found
    claims = [r for r in ledger.claims if r.doc.path == name]
    return (root, ledger, claims[place.claim].claim, place) if place.claim < len(claims) else None


def hover(path: Path, text: str, line: int, session: Session | None = None) -> str | None:
    """What to show over the value on `line`: a quote in its source, a source's metadata, what a verdict
    needs; as Markdown."""
    from factcheck.checking.anchor import Found, Snapshot
    from factcheck.render.escape import markdown as md

    found = _at(path, text, line, session)
    if found is None:
        return None
    _root, ledger, claim, place = found
    if place.field == "status":
        return f"**{md(claim.status)}** needs {NEEDS.get(claim.status, 'evidence')}."
    if place.kind is None or place.index is None:
        return None
    quote = getattr(claim, place.kind)[place.index]
    source = ledger.sources.get(quote.source)
    meta = source.meta if source is not None else None
    about = ", ".join(md(str(v)) for v in (meta.title, meta.publisher, meta.published) if v) if meta else ""
    head = f"**{md(quote.source)}**" + (f": {about}" if about else "")
    if place.field == "source" or source is None or source.text is None:
        return head if source is not None else f"no source **{md(quote.source)}** in `{SOURCES_DIR}/`"
    match = Snapshot(source.text).find(quote.text, quote.prefix, quote.suffix)
    if not isinstance(match, Found):
        closest = f"; closest passage: {md(match.closest)}" if match.closest else ""
        return f"{head}\n\nNOT FOUND in the source: {md(match.reason)}{closest}"
    before = source.text[max(0, match.start - 120):match.start]
    after = source.text[match.end:match.end + 120]
    return (f"{head}\n\nfound ({md(match.kind)}):\n\n\u2026{md(before)}**{md(source.text[match.start:match.end])}**"
            f"{md(after)}\u2026")


def completions(path: Path, text: str, line: int, character: int, session: Session | None = None) -> list[str]:
    """What may be typed as the value of the key on `line`: source ids, statuses, stances, bounds, subjects
    and tags from the ledger and the model."""
    import re

    lines = text.split("\n")
    typed = lines[line][:character] if line < len(lines) else ""
    key = re.match(r"\s*(?:- )?(?:\{.*,\s*)?([a-z_]+):\s*(?:\[.*,\s*|\[)?[^,\s\]]*$", typed)
    if key is None:
        return []
    field = key.group(1)
    if field == "status":
        return list(STATUSES)
    if field == "stance":
        return list(STANCES)
    if field == "bound":
        return list(BOUNDS)
    if session is not None and session.ledger is not None and session.text is not None:
        if field == "source":
            return sorted(session.ledger.sources)
        if field in ("subject", "tags"):
            return sorted(session.subjects if field == "subject" else session.tags)
    found = ledger_with(path, text) if field in ("source", "subject", "tags") else None
    if found is None:
        return []
    ledger = found[2]
    if field == "source":
        return sorted(ledger.sources)
    if field == "subject":
        return sorted({r.claim.subject for r in ledger.claims if r.claim.subject})
    return sorted({tag for r in ledger.claims for tag in r.claim.tags})


def definition(path: Path, text: str, line: int, session: Session | None = None) -> tuple[Path, int, int] | None:
    """Where the value on `line` is defined: a quote's words in its snapshot (file, line, column, from 0),
    a source id's metadata file."""
    from factcheck.checking.anchor import Found, Snapshot

    found = _at(path, text, line, session)
    if found is None or found[3].kind is None or found[3].index is None:
        return None
    root, ledger, claim, place = found
    assert place.kind is not None and place.index is not None
    quote = getattr(claim, place.kind)[place.index]
    source = ledger.sources.get(quote.source)
    if source is None:
        return None
    if place.field == "source":
        return (root / source.meta_path, 0, 0) if source.meta_path else None
    if source.text is None or source.snapshot_path is None:
        return None
    match = Snapshot(source.text).find(quote.text, quote.prefix, quote.suffix)
    if not isinstance(match, Found):
        return None
    before = source.text[:match.start]
    return root / source.snapshot_path, before.count("\n"), match.start - (before.rfind("\n") + 1)


@dataclass(frozen=True)
class Fix:
    """A quick fix: replace columns `start` to `end` of `line` (from 0) with `new`."""

    title: str
    line: int
    start: int
    end: int
    new: str


def quick_fixes(path: Path, text: str, code: str, line: int, column: int, message: str,
                session: Session | None = None) -> list[Fix]:
    """The fixes of one problem at `line`, `column` (from 0): a quote not found replaced by its closest
    passage in the source's own characters; an ambiguous quote pinned with the words around its first
    place; a YAML 1.1 word put in quotes; a near-miss source id or status made the closest valid one."""
    import difflib
    import re

    from factcheck.checking.anchor import Found, Missing, Snapshot, pin
    from factcheck.yamlio.yamledit import inline

    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return []
    row = lines[line]
    value = row[column:]
    if code == "schema" and "is read by YAML as a true/false value" in message and re.fullmatch(r"[A-Za-z]+", value):
        return [Fix(f"Put {value!r} in quotes: it is text", line, column, len(row), f"'{value}'")]
    if code == "schema" and message.startswith("status:") and "is not allowed" in message:
        near = difflib.get_close_matches(value.strip(), STATUSES, n=1, cutoff=0.6)
        return [Fix(f"Change the status to {near[0]!r}", line, column, len(row), near[0])] if near else []
    found = _at(path, text, line, session)
    if found is None or found[3].kind is None or found[3].index is None:
        return []
    _root, ledger, claim, place = found
    assert place.kind is not None and place.index is not None
    quote = getattr(claim, place.kind)[place.index]
    if code == "unknown-source" and place.field == "source":
        near = difflib.get_close_matches(quote.source, sorted(ledger.sources), n=1, cutoff=0.6)
        return [Fix(f"Change the source to {near[0]!r}", line, column, len(row), near[0])] if near else []
    source = ledger.sources.get(quote.source)
    if source is None or source.text is None or place.field != "text" or value.startswith(("|", ">")):
        return []
    snapshot = Snapshot(source.text)
    match = snapshot.find(quote.text, quote.prefix, quote.suffix)
    if code == "quote-not-found" and isinstance(match, Missing) and match.closest:
        return [Fix(f"Replace with the closest passage of {quote.source} ({match.score:g}% similar)", line, column,
                    len(row), inline(match.closest))]
    if code == "quote-ambiguous" and isinstance(match, Found):
        first = source.text.find(quote.text)
        prefix, suffix = pin(snapshot, first, first + len(quote.text))
        indent = " " * (len(row) - len(row.lstrip()))
        added = "".join(f"\n{indent}{key}: {inline(words)}" for key, words in (("prefix", prefix), ("suffix", suffix))
                        if words and getattr(quote, key) is None)
        return [Fix("Pin the quote to its first place in the source", line, len(row), len(row), added)] if added else []
    return []


def serve() -> None:
    """Run the server on stdin and stdout until the editor ends it."""
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer
    from pygls.uris import to_fs_path

    from factcheck import __version__

    server = LanguageServer("factcheck", __version__)
    versions: dict[str, int] = {}
    sessions: dict[str, Session] = {}

    def path_of(uri: str) -> Path:
        return Path(to_fs_path(uri) or uri)

    def publish(uri: str) -> None:
        document = server.workspace.get_text_document(uri)
        try:
            session = sessions.get(uri)
            if session is None:
                session = sessions[uri] = Session(path_of(uri))
            problems = session.check(document.source)
        except Exception as exc:  # the editor keeps its server: what failed is said in its log
            problems = []
            server.window_log_message(types.LogMessageParams(types.MessageType.Error, f"factcheck: {exc}"))
        severity = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
                    "info": types.DiagnosticSeverity.Information}
        lines = document.source.split("\n")
        found = []
        for p in problems:
            line, column = p.location.line - 1, p.location.column - 1
            end = len(lines[line]) if 0 <= line < len(lines) else column + 1
            found.append(types.Diagnostic(
                range=types.Range(types.Position(line, column), types.Position(line, max(end, column + 1))),
                message=p.message, severity=severity.get(p.severity, types.DiagnosticSeverity.Warning),
                code=p.code, source="factcheck",
                code_description=types.CodeDescription(href=f"{CHECKS_DOC.as_uri()}#{p.code}")))
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=found))

    async def later(uri: str) -> None:
        version = versions[uri] = versions.get(uri, 0) + 1
        await asyncio.sleep(DEBOUNCE)
        if versions.get(uri) == version:  # no keystroke since
            publish(uri)

    @server.feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        capabilities = server.client_capabilities.workspace
        watching = capabilities.did_change_watched_files if capabilities is not None else None
        if watching is not None and watching.dynamic_registration:  # the ledger's files, changed outside the editor
            await server.client_register_capability_async(types.RegistrationParams([types.Registration(
                "factcheck-files", types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                types.DidChangeWatchedFilesRegistrationOptions([
                    types.FileSystemWatcher(glob_pattern=pattern) for pattern in
                    ("**/claims.yaml", "**/claims/*.yaml", "**/sources/*")]))]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(params: types.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(params: types.DidChangeTextDocumentParams) -> None:
        await later(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(params: types.DidSaveTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(params: types.DidCloseTextDocumentParams) -> None:
        sessions.pop(params.text_document.uri, None)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched(params: types.DidChangeWatchedFilesParams) -> None:
        sessions.clear()  # a snapshot or another file changed on disk: each open file is checked whole again
        for uri in list(server.workspace.text_documents):
            publish(uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(params: types.HoverParams) -> types.Hover | None:
        document = server.workspace.get_text_document(params.text_document.uri)
        shown = hover(path_of(params.text_document.uri), document.source, params.position.line,
                      sessions.get(params.text_document.uri))
        return None if shown is None else types.Hover(types.MarkupContent(types.MarkupKind.Markdown, shown))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[" ", ","]))
    def on_completion(params: types.CompletionParams) -> types.CompletionList:
        document = server.workspace.get_text_document(params.text_document.uri)
        words = completions(path_of(params.text_document.uri), document.source, params.position.line,
                            params.position.character, sessions.get(params.text_document.uri))
        return types.CompletionList(is_incomplete=False, items=[types.CompletionItem(label=w) for w in words])

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def on_code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        document = server.workspace.get_text_document(uri)
        actions = []
        for diagnostic in params.context.diagnostics:
            if diagnostic.source != "factcheck":
                continue
            start = diagnostic.range.start
            for fix in quick_fixes(path_of(uri), document.source, str(diagnostic.code), start.line, start.character,
                                   diagnostic.message, sessions.get(uri)):
                edit = types.TextEdit(types.Range(types.Position(fix.line, fix.start), types.Position(fix.line, fix.end)),
                                      fix.new)
                actions.append(types.CodeAction(title=fix.title, kind=types.CodeActionKind.QuickFix,
                                                diagnostics=[diagnostic], is_preferred=True,
                                                edit=types.WorkspaceEdit(changes={uri: [edit]})))
        return actions

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def on_definition(params: types.DefinitionParams) -> types.Location | None:
        from pygls.uris import from_fs_path

        document = server.workspace.get_text_document(params.text_document.uri)
        found = definition(path_of(params.text_document.uri), document.source, params.position.line,
                           sessions.get(params.text_document.uri))
        if found is None:
            return None
        target, line, column = found
        at = types.Position(line, column)
        return types.Location(uri=from_fs_path(str(target)) or str(target), range=types.Range(at, at))

    server.start_io()

