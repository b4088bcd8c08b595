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
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from factcheck.errors import Problem
from factcheck.ledgerfiles import SOURCES_DIR, find_files, find_root
from factcheck.model import STATUSES
from factcheck.store import Ledger, load_files

DEBOUNCE = 0.25  # seconds after the last keystroke before a document is checked again
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


def ledger_with(path: Path, text: str) -> tuple[Path, str, Ledger] | None:
    """The ledger that holds `path`, read with `text` as that file's content (the editor's buffer); its
    root, the file's name in it, and the ledger. None for a file of no ledger."""
    root = find_root(path.parent)
    if root is None:
        return None
    try:
        name = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    files = dict(find_files(root))
    files[name] = text.encode("utf-8")
    return root, name, load_files(root, files, fill_cache=False)


def diagnostics(path: Path, text: str, today: dt.date | None = None) -> list[Problem]:
    """Every problem `verify` finds in this file, the buffer standing in for it."""
    from factcheck.checks import Options, run_checks

    found = ledger_with(path, text)
    if found is None:
        return []
    _root, name, ledger = found
    options = Options(stale_after_days=ledger.settings.stale_after_days, today=today or dt.date.today())
    return [p for p in run_checks(ledger, options) if p.location.path == name]


def place_at(text: str, line: int) -> Place | None:
    """The field whose value stands on `line` (0-based) of a claims file."""
    from factcheck.yamlsrc import parse

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


def hover(path: Path, text: str, line: int) -> str | None:
    """What to show over the value on `line`: a quote in its source, a source's metadata, what a verdict
    needs; as Markdown."""
    from factcheck.anchor import Found, Snapshot
    from factcheck.render.escape import markdown as md

    found = ledger_with(path, text)
    place = place_at(text, line)
    if found is None or place is None:
        return None
    _root, name, ledger = found
    claims = [r for r in ledger.claims if r.doc.path == name]
    if place.claim >= len(claims):
        return None
    claim = claims[place.claim].claim
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


def completions(path: Path, text: str, line: int, character: int) -> list[str]:
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
    found = ledger_with(path, text) if field in ("source", "subject", "tags") else None
    if found is None:
        return []
    ledger = found[2]
    if field == "source":
        return sorted(ledger.sources)
    if field == "subject":
        return sorted({r.claim.subject for r in ledger.claims if r.claim.subject})
    return sorted({tag for r in ledger.claims for tag in r.claim.tags})


def definition(path: Path, text: str, line: int) -> tuple[Path, int, int] | None:
    """Where the value on `line` is defined: a quote's words in its snapshot (file, line, column, from 0),
    a source id's metadata file."""
    from factcheck.anchor import Found, Snapshot

    found = ledger_with(path, text)
    place = place_at(text, line)
    if found is None or place is None or place.kind is None or place.index is None:
        return None
    root, name, ledger = found
    claims = [r for r in ledger.claims if r.doc.path == name]
    if place.claim >= len(claims):
        return None
    quote = getattr(claims[place.claim].claim, place.kind)[place.index]
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


def serve() -> None:
    """Run the server on stdin and stdout until the editor ends it."""
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer
    from pygls.uris import to_fs_path

    from factcheck import __version__

    server = LanguageServer("factcheck", __version__)
    versions: dict[str, int] = {}

    def path_of(uri: str) -> Path:
        return Path(to_fs_path(uri) or uri)

    def publish(uri: str) -> None:
        document = server.workspace.get_text_document(uri)
        try:
            problems = diagnostics(path_of(uri), document.source)
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
                code=p.code, source="factcheck"))
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=found))

    async def later(uri: str) -> None:
        version = versions[uri] = versions.get(uri, 0) + 1
        await asyncio.sleep(DEBOUNCE)
        if versions.get(uri) == version:  # no keystroke since
            publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(params: types.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(params: types.DidChangeTextDocumentParams) -> None:
        await later(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(params: types.DidSaveTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched(params: types.DidChangeWatchedFilesParams) -> None:
        for uri in list(server.workspace.text_documents):  # a snapshot or another file changed on disk
            publish(uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(params: types.HoverParams) -> types.Hover | None:
        document = server.workspace.get_text_document(params.text_document.uri)
        shown = hover(path_of(params.text_document.uri), document.source, params.position.line)
        return None if shown is None else types.Hover(types.MarkupContent(types.MarkupKind.Markdown, shown))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[" ", ","]))
    def on_completion(params: types.CompletionParams) -> types.CompletionList:
        document = server.workspace.get_text_document(params.text_document.uri)
        words = completions(path_of(params.text_document.uri), document.source, params.position.line,
                            params.position.character)
        return types.CompletionList(is_incomplete=False, items=[types.CompletionItem(label=w) for w in words])

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def on_definition(params: types.DefinitionParams) -> types.Location | None:
        from pygls.uris import from_fs_path

        document = server.workspace.get_text_document(params.text_document.uri)
        found = definition(path_of(params.text_document.uri), document.source, params.position.line)
        if found is None:
            return None
        target, line, column = found
        at = types.Position(line, column)
        return types.Location(uri=from_fs_path(str(target)) or str(target), range=types.Range(at, at))

    server.start_io()

