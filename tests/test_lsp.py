"""`factcheck lsp` driven by a real LSP client over stdio (pytest-lsp): diagnostics from the unsaved buffer,
quick fixes, hover, completion, go to definition, a file that does not parse, a snapshot changed on disk, a
10,000-claim ledger; and the checks of a change where it changed held to the whole check."""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.conftest import REPO

LEDGER = Path(tempfile.mkdtemp(prefix="factcheck-lsp-")) / "ledger"
shutil.copytree(REPO, LEDGER, ignore=lambda folder, names: [n for n in names if n not in ("claims.yaml", "sources")
                                                             and Path(folder) == REPO])
atexit.register(shutil.rmtree, LEDGER.parent, ignore_errors=True)
CLAIMS = LEDGER / "claims.yaml"
URI = CLAIMS.as_uri()
TEXT = CLAIMS.read_text(encoding="utf-8")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "factcheck", "lsp"]))
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        workspace_folders=[types.WorkspaceFolder(uri=LEDGER.as_uri(), name="ledger")]))
    yield
    await lsp_client.shutdown_session()


async def opened(client: LanguageClient, text: str = TEXT, uri: str = URI) -> list[types.Diagnostic]:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


def line_of(text: str, words: str) -> int:
    return next(number for number, line in enumerate(text.split("\n")) if words in line)


@pytest.mark.asyncio
async def test_the_example_ledger_has_no_diagnostics_and_a_broken_quote_one(client: LanguageClient) -> None:
    assert await opened(client) == []
    broken = TEXT.replace("Azerbaijan is currently working on more than 800 new weapons",
                          "Azerbaijan is currently working on more than 900 new weapons", 1)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=URI, version=2),
        [types.TextDocumentContentChangeWholeDocument(text=broken)]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    found = client.diagnostics[URI]
    codes = {d.code for d in found}
    assert "quote-not-found" in codes
    (miss,) = [d for d in found if d.code == "quote-not-found"]
    assert miss.range.start.line == line_of(broken, "more than 900 new weapons")
    assert miss.severity == types.DiagnosticSeverity.Error and miss.source == "factcheck"
    assert CLAIMS.read_text(encoding="utf-8") == TEXT  # from the buffer: the file on disk is untouched


@pytest.mark.asyncio
async def test_hover_completion_and_definition(client: LanguageClient) -> None:
    await opened(client)
    quote_line = line_of(TEXT, "text: Azerbaijan is currently working on more than 800 new weapons")
    shown = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri=URI), types.Position(quote_line, 12)))
    assert shown is not None and isinstance(shown.contents, types.MarkupContent)
    assert "azernews-2023-09-29" in shown.contents.value and "found (exact)" in shown.contents.value
    status_line = line_of(TEXT, "status: supported")
    needs = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri=URI), types.Position(status_line, 6)))
    assert needs is not None and "supports" in needs.contents.value  # type: ignore[union-attr]
    source_line = line_of(TEXT, "- source: azernews-2023-09-29")
    where = await client.text_document_definition_async(types.DefinitionParams(
        types.TextDocumentIdentifier(uri=URI), types.Position(quote_line, 12)))
    assert isinstance(where, types.Location) and where.uri.endswith("sources/azernews-2023-09-29.txt")
    snapshot = (LEDGER / "sources" / "azernews-2023-09-29.txt").read_text(encoding="utf-8").split("\n")
    assert snapshot[where.range.start.line][where.range.start.character:].startswith("Azerbaijan is currently working")
    meta = await client.text_document_definition_async(types.DefinitionParams(
        types.TextDocumentIdentifier(uri=URI), types.Position(source_line, 12)))
    assert isinstance(meta, types.Location) and meta.uri.endswith("sources/azernews-2023-09-29.yaml")
    typing = TEXT.replace("      - source: azernews-2023-09-29\n", "      - source: \n", 1)
    at = line_of(typing, "      - source: ")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=URI, version=2),
        [types.TextDocumentContentChangeWholeDocument(text=typing)]))
    offered = await client.text_document_completion_async(types.CompletionParams(
        types.TextDocumentIdentifier(uri=URI), types.Position(at, len("      - source: "))))
    assert offered is not None and [i.label for i in offered.items] == ["azernews-2023-09-29", "newsaz-2024-09-24"]
    status_at = line_of(TEXT, "status: unverified")
    statuses = await client.text_document_completion_async(types.CompletionParams(
        types.TextDocumentIdentifier(uri=URI), types.Position(status_at, len("    status: "))))
    assert statuses is not None and "refuted" in [i.label for i in statuses.items]


@pytest.mark.asyncio
async def test_a_file_that_does_not_parse_gives_one_located_diagnostic(client: LanguageClient) -> None:
    broken = TEXT.replace("    claimant: AzerNews\n", "    claimant: [AzerNews\n", 1)
    found = await opened(client, broken)
    assert [d.code for d in found] == ["yaml-syntax"]
    assert found[0].range.start.line >= 0
    healed = await client.text_document_hover_async(types.HoverParams(  # and the server still answers
        types.TextDocumentIdentifier(uri=URI), types.Position(0, 0)))
    assert healed is None


EDITS = [
    ("a quote broken", lambda t: t.replace("currently working on more than 800", "currently working on more than 900", 1)),
    ("lines added in a claim", lambda t: t.replace("    tags: [adex]\n", "    tags: [adex]\n    note: A note.\n", 1)),
    ("a claim removed", lambda t: t[:t.index("  - id: adex-2022-fourth-edition")] + t[t.index("  - id: adex-2024-fifth"):]),
    ("a verdict without its evidence", lambda t: t.replace("    status: unverified\n", "    status: refuted\n", 1)),
    ("a claim added at the end", lambda t: t + "  - id: new-one\n    text: A new claim.\n    claimant: Desk\n"
                                               "    date: 2020-01-01\n    appearances: [{source: nowhere, text: x}]\n"),
    ("an id used twice", lambda t: t + "  - id: adex-2024-fifth-edition\n    text: Again.\n    claimant: D\n"
                                       "    date: 2024-01-01\n"),
    ("the settings changed", lambda t: t.replace("  name: Azerbaijan", "  name: Azerbaijani", 1)),
    ("a field that does not validate", lambda t: t.replace("    date: 2023-09-29\n", "    date: 2023-02-30\n", 1)),
    ("a file that does not parse", lambda t: t.replace("    claimant: AzerNews\n", "    claimant: [AzerNews\n", 1)),
    ("back as it was", lambda t: TEXT),
]


def test_a_change_checked_where_it_changed_gives_what_the_whole_check_gives() -> None:
    from factcheck.lsp import Session, diagnostics

    session = Session(CLAIMS)
    assert session.check(TEXT) == diagnostics(CLAIMS, TEXT) == []
    text = TEXT
    where = []
    for what, change in EDITS:
        text = change(text)
        kept = session.text
        found = session.check(text)
        assert found == diagnostics(CLAIMS, text), what
        where.append(kept is not None and session.text is not None and session.starts[-1] == len(text))
    assert any(p.code == "quote-not-found" for p in Session(CLAIMS).check(EDITS[0][1](TEXT)))
    assert where[:5] == [True] * 5  # the changes within claims were checked where they changed


def apply(text: str, edit: types.TextEdit) -> str:
    lines = text.split("\n")
    start, end = edit.range.start, edit.range.end
    before = "\n".join([*lines[:start.line], lines[start.line][:start.character]])
    after = "\n".join([lines[end.line][end.character:], *lines[end.line + 1:]])
    return before + edit.new_text + after


@pytest.mark.asyncio
async def test_the_quick_fix_restores_a_broken_quote_exactly(client: LanguageClient) -> None:
    broken = TEXT.replace("Azerbaijan is currently working on more than 800 new weapons",
                          "Azerbaijan is currently working on more then 800 new weapons", 1)
    found = await opened(client, broken)
    (miss,) = [d for d in found if d.code == "quote-not-found"]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri=URI), miss.range, types.CodeActionContext(diagnostics=[miss])))
    assert actions is not None and len(actions) == 1
    action = actions[0]
    assert isinstance(action, types.CodeAction) and action.kind == types.CodeActionKind.QuickFix
    assert action.edit is not None and action.edit.changes is not None
    (edit,) = action.edit.changes[URI]
    assert apply(broken, edit) == TEXT
    assert CLAIMS.read_text(encoding="utf-8") == TEXT  # offered, never written by the server


def fixed(text: str, code: str) -> str:
    from factcheck.lsp import diagnostics, quick_fixes

    (problem,) = [p for p in diagnostics(CLAIMS, text) if p.code == code]
    line, column = problem.location.line - 1, problem.location.column - 1
    (fix,) = quick_fixes(CLAIMS, text, code, line, column, problem.message)
    rows = text.split("\n")
    rows[fix.line] = rows[fix.line][:fix.start] + fix.new + rows[fix.line][fix.end:]
    return "\n".join(rows)


@pytest.mark.parametrize("broken, code, expected", [
    (TEXT.replace("    claimant: AzerNews\n", "    claimant: no\n", 1), "schema",
     TEXT.replace("    claimant: AzerNews\n", "    claimant: 'no'\n", 1)),
    (TEXT.replace("    status: unverified\n", "    status: unverifed\n", 1), "schema", TEXT),
    (TEXT.replace("      - source: newsaz-2024-09-24\n", "      - source: newsaz-2024-09-2\n", 1), "unknown-source", TEXT),
])
def test_quick_fixes_of_a_word_a_status_and_a_source_id(broken: str, code: str, expected: str) -> None:
    assert broken != TEXT
    assert fixed(broken, code) == expected


def test_an_ambiguous_quote_is_pinned_to_its_first_place(tmp_path: Path) -> None:
    from factcheck.lsp import diagnostics

    root = tmp_path / "ledger"
    shutil.copytree(LEDGER, root)
    snapshot = root / "sources" / "azernews-2023-09-29.txt"
    text = TEXT.replace("text: the figure quoted by the Minister is realistic", "text: Azerbaijan", 1)
    claims = root / "claims.yaml"
    claims.write_text(text, encoding="utf-8")
    assert snapshot.read_text(encoding="utf-8").count("Azerbaijan") > 1
    from factcheck.lsp import quick_fixes

    (problem,) = [p for p in diagnostics(claims, text) if p.code == "quote-ambiguous"]
    (fix,) = quick_fixes(claims, text, "quote-ambiguous", problem.location.line - 1, problem.location.column - 1,
                         problem.message)
    rows = text.split("\n")
    rows[fix.line] = rows[fix.line][:fix.start] + fix.new + rows[fix.line][fix.end:]
    pinned = "\n".join(rows)
    assert "prefix:" in pinned or "suffix:" in pinned
    assert not [p for p in diagnostics(claims, pinned) if p.code in ("quote-ambiguous", "schema")]


def test_the_checks_document_the_diagnostics_link_is_in_step_with_the_checks() -> None:
    from factcheck.lsp import CHECKS_DOC, checks_document

    assert CHECKS_DOC.read_text(encoding="utf-8") == checks_document(), "run: python -c 'from factcheck.lsp import *; ...'"


@pytest.mark.asyncio
async def test_a_diagnostic_links_its_check_and_a_snapshot_changed_on_disk_is_seen(client: LanguageClient) -> None:
    broken = TEXT.replace("Azerbaijan is currently working on more than 800 new weapons",
                          "Azerbaijan is currently working on more than 900 new weapons", 1)
    (miss,) = [d for d in await opened(client, broken) if d.code == "quote-not-found"]
    assert miss.code_description is not None and miss.code_description.href.endswith("/data/checks.md#quote-not-found")
    snapshot = LEDGER / "sources" / "newsaz-2024-09-24.txt"
    kept = snapshot.read_bytes()
    try:
        snapshot.write_bytes(kept + b"\nA line added after the capture.\n")
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
            [types.FileEvent(uri=snapshot.as_uri(), type=types.FileChangeType.Changed)]))
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        codes = {d.code for d in client.diagnostics[URI]}
        assert "quote-not-found" in codes  # still from the buffer
    finally:
        snapshot.write_bytes(kept)


@pytest.mark.asyncio
async def test_a_keystroke_in_a_10000_claim_ledger_gives_the_whole_check_s_diagnostics(client: LanguageClient,
                                                                                       tmp_path: Path) -> None:
    from bench.generate import generate
    from factcheck.lsp import diagnostics

    generate(tmp_path / "big", 10_000)
    claims = tmp_path / "big" / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    uri = claims.as_uri()
    first = await opened(client, text, uri)
    assert len(first) == len(diagnostics(claims, text)) > 0
    at = text.index("    text: ", len(text) // 2) + len("    text: ")
    typed = text[:at] + "\"A claim typed here.\"\n    note: " + text[at:]
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        [types.TextDocumentContentChangeWholeDocument(text=typed)]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    after = client.diagnostics[uri]
    whole = diagnostics(claims, typed)
    assert [(d.code, d.range.start.line, d.range.start.character) for d in after] == [
        (p.code, p.location.line - 1, p.location.column - 1) for p in whole]


def test_hover_definition_and_fixes_read_one_claim_once_the_file_is_checked() -> None:
    from factcheck.lsp import Session, completions, definition, hover

    session = Session(CLAIMS)
    session.check(TEXT)
    for words in ("text: Azerbaijan is currently working on more than 800", "- source: newsaz-2024-09-24",
                  "status: supported", "stance: supports"):
        line = line_of(TEXT, words)
        assert session.claim_at(TEXT, line) is not None
        assert hover(CLAIMS, TEXT, line, session) == hover(CLAIMS, TEXT, line)
        assert definition(CLAIMS, TEXT, line, session) == definition(CLAIMS, TEXT, line)
    at = line_of(TEXT, "subject: ")
    column = TEXT.split("\n")[at].index(":") + 2
    assert completions(CLAIMS, TEXT, at, column, session) == completions(CLAIMS, TEXT, at, column)
    assert session.claim_at(TEXT + "\n", 5) is None  # a text it has not checked: read whole instead
