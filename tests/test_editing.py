"""Editing from the shell: what each write command writes, what it refuses, and that untouched bytes stay."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.pipeline.store import load_ledger
from tests.conftest import run

TODAY = dt.date.today().isoformat()


def only_insertions(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`, failing if any line of `before` changed or went away."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    added = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        assert tag in ("equal", "insert"), (tag, before.splitlines()[i1:i2], after.splitlines()[j1:j2])
        if tag == "insert":
            added += after.splitlines()[j1:j2]
    return added


# -- init ------------------------------------------------------------------------------------------------

def test_init_starts_a_ledger_that_verifies(tmp_path: Path) -> None:
    folder = tmp_path / "desk"
    result = run("init", folder, "--name", "Our desk")
    assert result.exit_code == 0
    text = (folder / "claims.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=schema/claims.schema.json\n")
    assert "name: Our desk" in text and "#   - id: minister-weapons-2023" in text
    assert json.loads((folder / "schema" / "claims.schema.json").read_text())["title"] == "factcheck claims file"
    assert (folder / "sources").is_dir() and ".factcheck.lock" in (folder / ".gitignore").read_text()
    assert run("-C", folder, "verify").exit_code == 0


def test_init_refuses_an_existing_ledger(example: Path) -> None:
    before = (example / "claims.yaml").read_bytes()
    result = run("init", example)
    assert result.exit_code == 2 and "already holds a ledger" in result.stderr
    assert (example / "claims.yaml").read_bytes() == before


# -- source add ----------------------------------------------------------------------------------------

def test_source_add_copies_byte_for_byte(example: Path, tmp_path: Path) -> None:
    raw = "Line one\r\n\u201cQuoted\u201d \u2014 text\u00a0here\r\n".encode()
    snapshot = tmp_path / "page.txt"
    snapshot.write_bytes(raw)
    result = run("-C", example, "source", "add", snapshot, "--id", "new-page", "--title", "A: title", "--author",
                 "One", "--author", "Two", "--published", "2024-05-01", "--url", "https://example.org/a")
    assert result.exit_code == 0, result.stderr
    assert (example / "sources" / "new-page.txt").read_bytes() == raw
    meta = (example / "sources" / "new-page.yaml").read_text()
    assert f"sha256: {hashlib.sha256(raw).hexdigest()}" in meta and f"retrieved: {TODAY}" in meta
    assert meta.startswith("# yaml-language-server: $schema=../schema/source.schema.json\n")
    loaded = load_ledger(example).sources["new-page"].meta
    assert loaded is not None and loaded.title == "A: title" and loaded.authors == ["One", "Two"]
    verify = run("-C", example, "verify")
    assert verify.exit_code == 0 and "orphan-source" in verify.stdout


def test_source_add_from_stdin(example: Path) -> None:
    result = CliRunner().invoke(cli, ["-C", str(example), "source", "add", "-", "--id", "piped"], input=b"piped text\n")
    assert result.exit_code == 0
    assert (example / "sources" / "piped.txt").read_bytes() == b"piped text\n"


@pytest.mark.parametrize("content, source_id, message", [
    (b"ok", "newsaz-2024-09-24", "source 'newsaz-2024-09-24' already exists"),
    (b"ok\n\xff\xfe", "bad-bytes", "the snapshot is not UTF-8 text: byte 0xff at offset 3"),
    (b"ok", "Not A Slug", "'Not A Slug' is not a valid source id"),
    (b"ok", "../escape", "'../escape' is not a valid source id"),
])
def test_source_add_refusals(example: Path, tmp_path: Path, content: bytes, source_id: str, message: str) -> None:
    snapshot = tmp_path / "s.txt"
    snapshot.write_bytes(content)
    before = sorted(p.name for p in (example / "sources").iterdir())
    result = run("-C", example, "source", "add", snapshot, "--id", source_id)
    assert result.exit_code == 2 and message in result.stderr
    assert sorted(p.name for p in (example / "sources").iterdir()) == before


# -- claim add -------------------------------------------------------------------------------------------

def test_claim_add_appends_and_keeps_every_other_byte(example: Path) -> None:
    before = (example / "claims.yaml").read_text(encoding="utf-8")
    result = run("-C", example, "claim", "add", "--id", "az-exports-2024", "--text", "Azerbaijan exports to 30 countries.",
                 "--claimant", "no", "--date", "2024-09-24", "--subject", "az-arms-buyers", "--value", "30", "--bound",
                 "at-least", "--unit", "countries", "--tag", "exports", "--note", "yes: quoted")
    assert result.exit_code == 0, result.stderr
    added = only_insertions(before, (example / "claims.yaml").read_text(encoding="utf-8"))
    assert added == [
        "  - id: az-exports-2024", "    text: Azerbaijan exports to 30 countries.", "    claimant: 'no'",
        "    date: 2024-09-24", "    subject: az-arms-buyers",
        "    quantity: {value: 30, bound: at-least, unit: countries}", "    status: unverified",
        "    tags: [exports]", "    note: 'yes: quoted'",
    ]
    claim = load_ledger(example).require("az-exports-2024").claim
    assert claim.claimant == "no" and claim.quantity is not None and claim.quantity.value == 30


@pytest.mark.parametrize(("given", "written"), [("2021-07", "2021-07"), ("2021", "'2021'")])
def test_claim_add_of_a_month_or_a_year_writes_it_as_given_never_a_day(example: Path, given: str, written: str) -> None:
    before = (example / "claims.yaml").read_text(encoding="utf-8")
    result = run("-C", example, "claim", "add", "--id", "dated-loosely", "--text", "A claim dated loosely.",
                 "--claimant", "c", "--date", given)
    assert result.exit_code == 0, result.stderr
    added = only_insertions(before, (example / "claims.yaml").read_text(encoding="utf-8"))
    assert f"    date: {written}" in added
    assert run("-C", example, "status", "dated-loosely", "unverifiable", "--note", "No record", "--by", "A. Editor",
               "--date", "2024-01-02").exit_code == 0
    claim = load_ledger(example).require("dated-loosely").claim
    assert claim.date.isoformat() == given and claim.status == "unverifiable"
    assert f"    date: {written}\n" in (example / "claims.yaml").read_text(encoding="utf-8")


def test_claim_add_warns_about_a_near_duplicate(example: Path) -> None:
    result = run("-C", example, "claim", "add", "--id", "again", "--text",
                 "More than 1000 military products are made in Azerbaijan.", "--claimant", "x", "--date", "2024-01-01")
    assert result.exit_code == 0
    assert re.search(r"warning: claim 'az-military-products-2024' reads nearly the same \(\d+% similar\)", result.stderr)


@pytest.mark.parametrize("args, message", [
    (["--id", "adex-2024-fifth-edition"], "claim 'adex-2024-fifth-edition' already exists at claims.yaml:"),
    (["--id", "Bad Id"], "id: 'Bad Id' is not a valid id"),
    (["--id", "ok", "--value", "3"], "--value and --bound go together"),
])
def test_claim_add_refusals(example: Path, args: list[str], message: str) -> None:
    before = (example / "claims.yaml").read_bytes()
    result = run("-C", example, "claim", "add", "--text", "t", "--claimant", "c", "--date", "2024-01-01", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert (example / "claims.yaml").read_bytes() == before


def test_claim_add_to_a_split_ledger_and_to_an_empty_one(tmp_path: Path) -> None:
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "a.yaml").write_text("claims:\n  - {id: a, text: t, claimant: c, date: 2024-01-01}\n")
    (tmp_path / "claims" / "b.yaml").write_text("# second file\nclaims: []\n")
    assert run("-C", tmp_path, "claim", "add", "--id", "n", "--text", "t", "--claimant", "c", "--date",
               "2024-02-02").exit_code == 0
    assert (tmp_path / "claims" / "b.yaml").read_text() == (
        "# second file\nclaims:\n  - id: n\n    text: t\n    claimant: c\n    date: 2024-02-02\n    status: unverified\n")


# -- quote -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, stored", [
    ("President of Azerbaijan Ilham Aliyev said", "President of Azerbiajan Ilham Aliyev said"),
    ("TODAY MORE THAN 1000 MILITARY PRODUCTS", "today more than 1000 military products"),
    ('the 5th Anniversary Azerbaijan International Defense Exhibition "ADEX-2024"',
     "the 5th Anniversary Azerbaijan International Defense Exhibition \u201cADEX-2024\u201d"),
    ("defense   industry of our\ncountry", "defense industry of our country"),
])
def test_quote_stores_the_source_s_own_characters(example: Path, typed: str, stored: str) -> None:
    before = (example / "claims.yaml").read_text(encoding="utf-8")
    result = run("-C", example, "quote", "securex-caspian-14th-2024", "newsaz-2024-09-24", typed)
    assert result.exit_code == 0, result.stderr
    claim = load_ledger(example).require("securex-caspian-14th-2024").claim
    assert claim.appearances[-1].text == stored
    assert len(only_insertions(before, (example / "claims.yaml").read_text(encoding="utf-8"))) == 2
    assert run("-C", example, "verify").exit_code == 0


def test_quote_as_evidence_with_prefix_and_suffix_for_repeated_words(example: Path) -> None:
    snapshot = (example / "sources" / "newsaz-2024-09-24.txt").read_text(encoding="utf-8")
    assert snapshot.count("the defense industry") > 1
    result = run("-C", example, "quote", "az-kaan-cooperation-2023", "newsaz-2024-09-24", "the defense industry",
                 "--stance", "context")
    assert result.exit_code == 0, result.stderr
    evidence = load_ledger(example).require("az-kaan-cooperation-2023").claim.evidence
    assert [(e.text, e.stance, e.prefix is not None or e.suffix is not None) for e in evidence] == [
        ("the defense industry", "context", True)]
    verify = run("-C", example, "verify", "--format", "json")
    assert json.loads(verify.stdout)["ok"] is True
    # the same words without the prefix/suffix that pins them: verify names the quote as ambiguous
    text = (example / "claims.yaml").read_text(encoding="utf-8")
    cut, removed = re.subn(r"(text: the defense industry)\n\s+prefix: .*\n\s+suffix: .*", r"\1", text)
    assert removed == 1
    (example / "claims.yaml").write_text(cut, encoding="utf-8")
    problems = json.loads(run("-C", example, "verify", "--format", "json").stdout)["problems"]
    assert [(p["code"], p["claim"]) for p in problems] == [("quote-ambiguous", "az-kaan-cooperation-2023")]
    assert f"occur in {snapshot.count('the defense industry')} places" in problems[0]["message"]


@pytest.mark.parametrize("typed", ["e", "ADEX", "Aliyev said"])
def test_quote_refuses_evidence_too_short_to_say_anything(example: Path, typed: str) -> None:
    before = (example / "claims.yaml").read_bytes()
    result = run("-C", example, "quote", "az-kaan-cooperation-2023", "newsaz-2024-09-24", typed, "--stance", "supports")
    assert result.exit_code == 1
    assert "too short to be evidence" in result.stderr and "nothing was written" in result.stderr
    assert (example / "claims.yaml").read_bytes() == before


def test_verify_names_evidence_too_short_written_by_hand(example: Path) -> None:
    text = (example / "claims.yaml").read_text(encoding="utf-8")
    claim = "  - id: az-kaan-cooperation-2023\n"
    assert claim in text
    at = text.index("\n", text.index("    status:", text.index(claim)))
    (example / "claims.yaml").write_text(text[:at] + "\n    evidence:\n      - {source: newsaz-2024-09-24, text: e, "
                                         "stance: context}" + text[at:], encoding="utf-8")
    problems = json.loads(run("-C", example, "verify", "--format", "json").stdout)["problems"]
    assert {p["code"] for p in problems} == {"quote-too-short", "quote-ambiguous"}


def test_quote_not_found_writes_nothing_and_names_the_closest(example: Path) -> None:
    before = (example / "claims.yaml").read_bytes()
    result = run("-C", example, "quote", "az-kaan-cooperation-2023", "azernews-2023-09-29",
                 "Azerbaijan signed a contract for fifty Kaan fighters")
    assert result.exit_code == 1
    assert "not found in 'azernews-2023-09-29'" in result.stderr and "nothing was written" in result.stderr
    assert (example / "claims.yaml").read_bytes() == before


@pytest.mark.parametrize("args, code, message", [
    (["nope", "azernews-2023-09-29", "x"], 2, "no claim with id 'nope'"),
    (["az-kaan-cooperation-2023", "nope", "x"], 2, "no usable source 'nope'"),
    (["az-kaan-cooperation-2023", "azernews-2023-09-29",
      "agreed with Turkiye on cooperation in the development of the fifth-generation Kaan fighter"], 1,
     "already quotes these words"),
])
def test_quote_refusals(example: Path, args: list[str], code: int, message: str) -> None:
    before = (example / "claims.yaml").read_bytes()
    result = run("-C", example, "quote", *args)
    assert result.exit_code == code and message in result.stderr
    assert (example / "claims.yaml").read_bytes() == before


# -- status ----------------------------------------------------------------------------------------------

def test_status_sets_the_verdict_and_appends_history(example: Path) -> None:
    before = (example / "claims.yaml").read_text(encoding="utf-8")
    result = run("-C", example, "status", "precision-weapons-no-civilian-harm-2023", "unverifiable", "--note",
                 "No casualty records: can't be checked", "--by", "A. Editor", "--date", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    after = (example / "claims.yaml").read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert changed == [
        "-     status: unverified", "+     status: unverifiable",
        "+     history:", "+       - date: 2026-11-20", "+         status: unverifiable",
        "+         note: 'No casualty records: can''t be checked'", "+         by: A. Editor",
    ]
    history = load_ledger(example).require("precision-weapons-no-civilian-harm-2023").claim.history
    assert history[-1].note == "No casualty records: can't be checked"


def test_status_refuses_a_verdict_without_its_evidence(example: Path) -> None:
    before = (example / "claims.yaml").read_bytes()
    result = run("-C", example, "status", "az-kaan-cooperation-2023", "refuted", "--note", "n")
    assert result.exit_code == 1
    assert "status 'refuted' needs a 'refutes' evidence quote" in result.stderr
    assert (example / "claims.yaml").read_bytes() == before
    forced = run("-C", example, "status", "az-kaan-cooperation-2023", "refuted", "--note", "n", "--force", "--by", "x")
    assert forced.exit_code == 0 and "forced" in forced.stderr
    assert run("-C", example, "verify").exit_code == 1


def test_status_by_defaults_to_git_user_name(example: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=example, check=True)
    subprocess.run(["git", "config", "user.name", "Gita Editor"], cwd=example, check=True)
    assert run("-C", example, "status", "az-kaan-cooperation-2023", "unverified", "--note", "reopened").exit_code == 0
    entry = load_ledger(example).require("az-kaan-cooperation-2023").claim.history[-1]
    assert (entry.by, entry.date.isoformat()) == ("Gita Editor", TODAY)


# -- fmt -------------------------------------------------------------------------------------------------

MESSY = """\
# yaml-language-server: $schema=schema/claims.schema.json
# the ledger
claims:
# first claim
- text: "A claim"      # why
  claimant: 'no'
  id: c1
  date: 2024-01-01
  tags: ["a"]
  appearances:
  -   text: 'quoted words'
      source: src
"""


def test_fmt_check_then_fmt_keeps_every_comment(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(MESSY)
    check = run("-C", tmp_path, "fmt", "--check")
    assert (check.exit_code, check.stdout) == (1, "would reformat claims.yaml (from line 5)\n")
    assert (tmp_path / "claims.yaml").read_text() == MESSY
    assert run("-C", tmp_path, "fmt").exit_code == 0
    formatted = (tmp_path / "claims.yaml").read_text()
    assert formatted == (
        "# yaml-language-server: $schema=schema/claims.schema.json\n"
        "# the ledger\n"
        "claims:\n"
        "# first claim\n"
        "  - id: c1\n"
        "    text: A claim      # why\n"
        "    claimant: 'no'\n"
        "    date: 2024-01-01\n"
        "    appearances:\n"
        "      - source: src\n"
        "        text: quoted words\n"
        "    tags: [a]\n"
    )
    comments = lambda text: sorted(line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line)  # noqa: E731
    assert comments(formatted) == comments(MESSY)
    assert run("-C", tmp_path, "fmt", "--check").exit_code == 0
    assert load_ledger(tmp_path).claims[0].claim.claimant == "no"


def test_the_example_ledger_is_in_canonical_layout(example: Path) -> None:
    result = run("-C", example, "fmt", "--check")
    assert (result.exit_code, result.stdout) == (0, "")


def test_fmt_refuses_a_file_that_does_not_parse(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("claims:\n  - {id: a, id: b}\n")
    result = run("-C", tmp_path, "fmt")
    assert result.exit_code == 2 and "duplicate-key" in result.stderr


# -- extract ---------------------------------------------------------------------------------------------

def test_extract_finds_the_figures_and_what_is_tracked(example: Path) -> None:
    result = run("-C", example, "extract", "azernews-2023-09-29", "--format", "json")
    mentions = {m["words"]: m for m in json.loads(result.stdout)}
    assert mentions["more than 800 new weapons"]["value"] == 800
    assert mentions["more than 800 new weapons"]["bound"] == "more-than"
    assert mentions["more than 800 new weapons"]["tracked_by"] == ["az-weapons-in-development-2023"]
    assert (mentions["two more factories"]["value"], mentions["two more factories"]["unit"]) == (2, "factories")
    assert mentions["more than 30 countries willing"]["tracked_by"] == ["az-countries-willing-to-buy-2023"]
    assert mentions["more than 33 years"]["tracked_by"] == []
    text = (example / "sources" / "azernews-2023-09-29.txt").read_text(encoding="utf-8")
    for mention in mentions.values():
        assert " ".join(text[mention["start"]:mention["end"]].split()) == mention["words"]
    untracked = run("-C", example, "extract", "azernews-2023-09-29", "--untracked")
    assert "more than 33 years" in untracked.stdout and "new weapons" not in untracked.stdout




def test_fmt_refuses_what_it_cannot_read_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("claims: []\n")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "s.yaml").write_text("published: 2023-02-30\n")
    (tmp_path / "sources" / "s.txt").write_text("x")
    result = run("-C", tmp_path, "fmt", "--check")
    assert result.exit_code == 2
    assert result.stderr == ("factcheck: error: sources/s.yaml: cannot be formatted: day is out of range for month; "
                             "fix it first (factcheck verify)\n")


@pytest.mark.parametrize(("args", "message"), [
    (["--note", "   "], "a verdict needs a note that says why (--note); it was blank, so nothing was written"),
    (["--note", "n", "--date", "2020-01-01"],
     "the entry would be dated 2020-01-01, before the claim itself (2023-09-29); nothing was written"),
])
def test_status_refuses_a_history_that_says_less_than_it_should(example: Path, args: list[str], message: str) -> None:
    before = (example / "claims.yaml").read_bytes()
    result = run("-C", example, "status", "az-kaan-cooperation-2023", "unverifiable", "--by", "x", *args)
    assert (result.exit_code, result.stderr) == (2, f"factcheck: error: {message}\n")
    assert (example / "claims.yaml").read_bytes() == before


def test_status_keeps_the_history_in_order_and_says_why_again(example: Path) -> None:
    claim = ["-C", example, "status", "az-kaan-cooperation-2023"]
    assert run(*claim, "unverifiable", "--note", "no list", "--by", "x", "--date", "2025-06-01").exit_code == 0
    back = run(*claim, "unverifiable", "--note", "later", "--by", "x", "--date", "2025-01-01")
    assert back.exit_code == 2 and "before the last entry (2025-06-01); the history is kept oldest first" in back.stderr
    again = run(*claim, "unverifiable", "--note", "no list", "--by", "x", "--date", "2025-07-01")
    assert again.exit_code == 2 and "is already 'unverifiable' with that note" in again.stderr
    assert run(*claim, "unverifiable", "--note", "asked again: still no list", "--by", "x",
               "--date", "2025-07-01").exit_code == 0


def test_status_needs_someone_to_give_it(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from factcheck.overtime import history

    monkeypatch.setattr(history, "git_user_name", lambda root: None)
    result = run("-C", example, "status", "az-kaan-cooperation-2023", "unverifiable", "--note", "no list")
    assert result.exit_code == 2
    assert result.stderr == ("factcheck: error: who gives the verdict is not known: pass --by NAME, or set git's user "
                             "name (git config user.name \"A. Editor\"); nothing was written\n")


def test_a_forced_verdict_says_so_in_its_history(example: Path) -> None:
    result = run("-C", example, "status", "az-kaan-cooperation-2023", "refuted", "--note", "n", "--force", "--by", "x")
    assert result.exit_code == 0
    text = (example / "claims.yaml").read_text(encoding="utf-8")
    assert "        status: refuted\n        note: n\n        by: x\n        forced: true\n" in text
    assert run("-C", example, "verify").exit_code == 1  # still status-unsupported: forcing records, never hides


@pytest.mark.parametrize("broken", ["claims:\n  - id: a\n    text: [\n", "claims:\n  - id: a\n    text: \"x\x9dy\"\n"])
def test_an_edit_of_a_file_that_does_not_parse_names_its_line_and_column(tmp_path: Path, broken: str) -> None:
    (tmp_path / "claims.yaml").write_text(broken, encoding="utf-8")
    (tmp_path / "sources").mkdir()
    before = (tmp_path / "claims.yaml").read_bytes()
    for command in (["status", "a", "refuted", "--note", "Because", "--by", "Me"],
                    ["quote", "a", "src", "some words here"]):
        result = run("-C", tmp_path, *command)
        assert result.exit_code == 2, result.stderr
        assert re.search(r"claims\.yaml:\d+:\d+: yaml-syntax: ", result.stderr), result.stderr
        assert "Traceback" not in result.stderr
    assert (tmp_path / "claims.yaml").read_bytes() == before
