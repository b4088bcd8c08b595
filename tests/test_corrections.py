"""Correcting what exists from the shell, on the example ledger: every change touches its own lines and no
other byte, is checked by reading it back, and a refused or --dry-run command writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.ledger.model import replace
from factcheck.pipeline.store import load_ledger
from tests.conftest import run

WEAPONS = "az-weapons-in-development-2023"


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines only in `before` and only in `after` (a file's lines are unique enough here)."""
    import difflib

    old, new = [], []
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0):
        if line.startswith("-") and not line.startswith("---"):
            old.append(line[1:])
        elif line.startswith("+") and not line.startswith("+++"):
            new.append(line[1:])
    return old, new


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".factcheck-cache" not in p.parts and p.name != ".factcheck.lock"}


def test_claim_set_changes_its_lines_and_nothing_else(example: Path) -> None:
    before = (example / "claims.yaml").read_text(encoding="utf-8")
    result = run("-C", example, "claim", "set", WEAPONS, "value=850", "bound=about", "tags+=figures",
                 "measure=weapon designs under development")
    assert result.exit_code == 0, result.output
    assert "figure 'more than 800 weapons' -> 'about 850 weapons'" in result.stderr
    after = (example / "claims.yaml").read_text(encoding="utf-8")
    assert changed_lines(before, after) == (
        ["    quantity: {value: 800, bound: more-than, unit: weapons}", "    measure: new weapon designs under development"],
        ["    quantity: {value: 850, bound: about, unit: weapons}", "    measure: weapon designs under development",
         "    tags: [figures]"])
    claim = load_ledger(example).require(WEAPONS).claim
    assert claim.quantity is not None and (claim.quantity.value, claim.quantity.bound) == (850, "about")
    assert claim.tags == ["figures"] and claim.note is not None  # the folded note is kept as it was written


@pytest.mark.parametrize("assignment, message", [
    ("date=2023-02-30", "February 2023 has 28 days"),
    ("bound=roughly", "bound"),
    ("value=12 weapons", "is not a figure"),
    ("colour=red", "'colour' cannot be set"),
    ("text=", "text is required"),
    ("tags-=nope", "has no tag 'nope'"),
])
def test_claim_set_refuses_a_bad_value_and_writes_nothing(example: Path, assignment: str, message: str) -> None:
    before = snapshot(example)
    result = run("-C", example, "claim", "set", WEAPONS, assignment)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output
    assert snapshot(example) == before


def test_claim_set_warns_of_a_near_duplicate_text(example: Path) -> None:
    result = run("-C", example, "claim", "set", "az-military-products-2024",
                 "text=Azerbaijan is working on more than 800 new weapons!")
    assert result.exit_code == 0 and f"claim {WEAPONS!r} reads nearly the same" in result.stderr


def test_dry_run_shows_the_diff_and_writes_nothing(example: Path) -> None:
    before = snapshot(example)
    result = run("-C", example, "claim", "set", WEAPONS, "value=850", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith("--- a/claims.yaml\n+++ b/claims.yaml\n")
    assert "-    quantity: {value: 800, bound: more-than, unit: weapons}\n" in result.stdout
    assert "+    quantity: {value: 850, bound: more-than, unit: weapons}\n" in result.stdout
    assert "nothing was written" in result.stderr
    assert snapshot(example) == before


def test_claim_rename_and_remove(example: Path) -> None:
    before = (example / "claims.yaml").read_text(encoding="utf-8")
    taken = run("-C", example, "claim", "rename", WEAPONS, "az-military-products-2024")
    assert taken.exit_code == 2 and "already exists at claims.yaml:" in taken.stderr
    assert run("-C", example, "claim", "rename", WEAPONS, "weapons-2023").exit_code == 0
    after = (example / "claims.yaml").read_text(encoding="utf-8")
    assert changed_lines(before, after) == ([f"  - id: {WEAPONS}"], ["  - id: weapons-2023"])
    refused = run("-C", example, "claim", "remove", "adex-2022-fourth-edition")
    assert refused.exit_code == 1 and "has 1 verdict(s) on record" in refused.stderr
    assert (example / "claims.yaml").read_text(encoding="utf-8") == after
    removed = run("-C", example, "claim", "remove", "adex-2022-fourth-edition", "--force")
    assert removed.exit_code == 0 and "removed claim 'adex-2022-fourth-edition' (supported, 2 quotes" in removed.stderr
    final = (example / "claims.yaml").read_text(encoding="utf-8")
    old, new = changed_lines(after, final)
    assert new == [] and old[0] == "  - id: adex-2022-fourth-edition" and len(old) == 21
    assert "  - id: adex-2024-fifth-edition" in final
    ledger = load_ledger(example)
    assert ledger.find("adex-2022-fourth-edition") is None and not ledger.problems


def test_quote_remove_replace_and_fix(example: Path) -> None:
    claims = example / "claims.yaml"
    before = claims.read_text(encoding="utf-8")
    shown = run("-C", example, "show", WEAPONS).stdout
    assert "\n  3. [context]" in shown  # numbered on from appearances into evidence
    ambiguous = run("-C", example, "quote", "remove", WEAPONS, "--text", "more than 800")
    assert ambiguous.exit_code == 2 and "2 quotes (1, 2)" in ambiguous.stderr
    assert run("-C", example, "quote", "remove", WEAPONS, "--text", "samples of weapons").exit_code == 0
    removed = claims.read_text(encoding="utf-8")
    assert changed_lines(before, removed) == (
        ["      - source: azernews-2023-09-29",
         "        text: Azerbaijan is working on the production of more than 800 samples of weapons"], [])
    typo = run("-C", example, "quote", "replace", WEAPONS, "1", "Azerbaijan is currently workin on more than 800 new weapons")
    assert typo.exit_code == 0, typo.output
    paraphrase = run("-C", example, "quote", "replace", WEAPONS, "1", "Azerbaijan now makes more than 800 new weapons")
    assert paraphrase.exit_code == 1 and "nothing was written" in paraphrase.stderr
    assert claims.read_text(encoding="utf-8") == removed  # the typo was forgiven: the source's own words are stored
    claims.write_text(removed.replace("text: Azerbaijan is currently working on more than 800 new weapons",
                                      "text: Azerbaijan is currently workin on more then 800 new weapons"), encoding="utf-8")
    from click.testing import CliRunner

    from factcheck.cli import cli

    declined = CliRunner().invoke(cli, ["-C", str(example), "quote", "fix", WEAPONS], input="n\n")
    assert declined.exit_code == 0 and "no quote changed" in declined.stderr and "Replace it?" in declined.stderr
    fixed = run("-C", example, "quote", "fix", WEAPONS, "--yes")
    assert fixed.exit_code == 0 and "replaced quote 1 with the source's own words" in fixed.stderr
    assert claims.read_text(encoding="utf-8") == removed
    assert run("-C", example, "verify").exit_code == 0


def test_removing_the_evidence_a_verdict_needs_is_refused(example: Path) -> None:
    before = snapshot(example)
    result = run("-C", example, "quote", "remove", "adex-2022-fourth-edition", "2")
    assert result.exit_code == 1 and "would lack" in result.stderr
    assert snapshot(example) == before
    assert run("-C", example, "quote", "remove", "adex-2022-fourth-edition", "2", "--force").exit_code == 0


def test_sources_listed_registered_renamed_and_removed(example: Path) -> None:
    rows = json.loads(run("-C", example, "source", "list", "--format", "json").stdout)
    assert [(r["id"], r["quoted_by"], r["integrity"]) for r in rows] == [
        ("azernews-2023-09-29", 11, "intact"), ("newsaz-2024-09-24", 6, "intact")]
    (example / "sources" / "statement.txt").write_text("The ministry said 900 weapons.\n", encoding="utf-8")
    assert "snapshot without metadata" in run("-C", example, "verify").output
    again = run("-C", example, "source", "add", example / "sources" / "statement.txt", "--id", "statement")
    assert again.exit_code == 0 and "completed source" in again.stderr  # the add that a drop-in needed
    (example / "sources" / "statement.yaml").unlink()
    registered = run("-C", example, "source", "register", "statement", "--publisher", "Ministry")
    assert registered.exit_code == 0 and "registered source 'statement' (sha256 " in registered.stderr
    assert run("-C", example, "verify").exit_code == 0
    before = (example / "claims.yaml").read_text(encoding="utf-8")
    renamed = run("-C", example, "source", "rename", "newsaz-2024-09-24", "newsaz-2024")
    assert renamed.exit_code == 0 and "(6 claims updated)" in renamed.stderr
    after = (example / "claims.yaml").read_text(encoding="utf-8")
    assert after == before.replace("source: newsaz-2024-09-24", "source: newsaz-2024")
    assert sorted(p.name for p in (example / "sources").iterdir()) == [
        "azernews-2023-09-29.txt", "azernews-2023-09-29.yaml", "newsaz-2024.txt", "newsaz-2024.yaml",
        "statement.txt", "statement.yaml"]
    assert run("-C", example, "verify").exit_code == 0
    quoted = run("-C", example, "source", "remove", "newsaz-2024")
    assert quoted.exit_code == 1 and "is quoted by 6 claims" in quoted.stderr
    assert run("-C", example, "source", "remove", "statement").exit_code == 0
    assert not (example / "sources" / "statement.txt").exists() and not (example / "sources" / "statement.yaml").exists()


@pytest.mark.parametrize("suffix", ["csv", "yaml", "json"])
def test_a_thousand_claims_in_one_write(example: Path, tmp_path: Path, suffix: str) -> None:
    rows = [{"id": f"batch-{n}", "text": f"Batch claim number {n}, with a comma.", "claimant": "Desk",
             "date": "2024-01-02", "value": "1.2 billion" if n % 2 else "4th", "bound": "about" if n % 2 else "",
             "unit": "AZN" if n % 2 else "edition", "tags": "imported,batch"} for n in range(1000)]
    path = tmp_path / f"rows.{suffix}"
    if suffix == "csv":
        import csv

        with path.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.DictWriter(stream, list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    else:
        path.write_text(json.dumps(rows), encoding="utf-8")  # JSON is YAML too
    before = (example / "claims.yaml").read_text(encoding="utf-8")
    result = run("-C", example, "claim", "add", "--from", path)
    assert result.exit_code == 0 and "added 1000 claims to claims.yaml" in result.stderr
    after = (example / "claims.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # appended, every byte before kept
    ledger = load_ledger(example)
    assert len(ledger.claims) == 1013 and not ledger.problems
    odd, even = ledger.require("batch-1").claim, ledger.require("batch-2").claim
    assert odd.quantity is not None and odd.quantity.value == 1_200_000_000 and odd.tags == ["imported", "batch"]
    assert even.quantity is not None and even.quantity.ordinal and even.quantity.bound == "exactly"


def test_a_bad_row_is_named_and_nothing_is_written(example: Path, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("id,text,claimant,date\nok-1,Fine,Desk,2024-01-01\nok-2,Also fine,Desk,2024-02-30\n",
                    encoding="utf-8")
    before = snapshot(example)
    result = run("-C", example, "claim", "add", "--from", path)
    assert result.exit_code == 2 and "rows.csv: row 2 (line 3): date" in result.stderr
    again = tmp_path / "again.json"
    again.write_text(json.dumps([{"id": "ok-1", "text": "Fine", "claimant": "Desk", "date": "2024-01-01"},
                                 {"id": WEAPONS, "text": "Again", "claimant": "Desk", "date": "2024-01-01"}]))
    result = run("-C", example, "claim", "add", "--from", again)
    assert result.exit_code == 2 and f"again.json: row 2: claim {WEAPONS!r} already exists" in result.stderr
    yaml_rows = tmp_path / "rows.yaml"
    yaml_rows.write_text("- {id: ok-1, text: Fine, claimant: Desk, date: 2024-01-01}\n"
                         "- {id: ok-2, text: Fine, claimant: Desk, date: 2024-01-01, colour: red}\n", encoding="utf-8")
    result = run("-C", example, "claim", "add", "--from", yaml_rows)
    assert result.exit_code == 2 and "rows.yaml: row 2 (line 2)" in result.stderr
    assert snapshot(example) == before


def test_many_verdicts_in_one_write(example: Path, tmp_path: Path) -> None:
    path = tmp_path / "verdicts.csv"
    path.write_text("id,status,note,date\n"
                    f"{WEAPONS},unverifiable,No list of the designs was published,2026-11-30\n"
                    "az-military-products-2024,unverifiable,The letter gives no list,2026-11-30\n"
                    f"{WEAPONS},unverified,Reopened: a list may come,2026-12-01\n", encoding="utf-8")
    dry = run("-C", example, "status", "--from", path, "--by", "A. Editor", "--dry-run")
    assert dry.exit_code == 0 and "+        note: 'Reopened: a list may come'\n" in dry.stdout
    result = run("-C", example, "status", "--from", path, "--by", "A. Editor")
    assert result.exit_code == 0 and "recorded 3 verdicts on 2 claims" in result.stderr
    claim = load_ledger(example).require(WEAPONS).claim
    assert claim.status == "unverified" and [e.status for e in claim.history] == ["unverifiable", "unverified"]
    supported = tmp_path / "supported.csv"
    supported.write_text(f"id,status,note\n{WEAPONS},supported,Surely\n", encoding="utf-8")
    before = snapshot(example)
    refused = run("-C", example, "status", "--from", supported, "--by", "A. Editor")
    assert refused.exit_code == 1 and "supported.csv: row 1 (line 2): status 'supported'" in refused.stderr
    assert snapshot(example) == before


@pytest.mark.parametrize("where", ["another claim", "the claim meant"])
def test_an_edit_that_does_not_read_back_as_meant_is_refused(example: Path, where: str) -> None:
    from factcheck.editing.edits import rewrite
    from factcheck.errors import FactcheckError

    ledger = load_ledger(example)
    before = snapshot(example)
    meant = replace(ledger.require(WEAPONS).claim, text="Changed.")

    def edit(text):  # type: ignore[no-untyped-def]
        target = "az-military-products-2024" if where == "another claim" else WEAPONS
        return text.replace_claim_value(target, "text", "Changed, but not as meant." if where == "the claim meant"
                                        else "Changed.")

    with pytest.raises(FactcheckError, match="would not read back as intended"):
        rewrite(example, example / "claims.yaml", edit, lambda claims: [meant if c.id == WEAPONS else c for c in claims],
                ledger=ledger)
    assert snapshot(example) == before
