"""The Python API: the ledger opened, verified, listed and a claim shown from Python, as the command line
does (its commands call the same functions), and importing factcheck costs nothing until one is used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import factcheck
from factcheck.errors import FactcheckError
from tests.conftest import run


def test_open_verify_list_and_show_the_example(example: Path) -> None:
    ledger = factcheck.open_ledger(example)
    assert len(ledger.claims) == 13 and set(ledger.sources) == {"azernews-2023-09-29", "newsaz-2024-09-24"}
    assert ledger.problems == []
    checked = factcheck.verify(example)
    assert [p for p in checked.problems if p.severity == "error"] == []
    assert len(checked.claim_ids) == 13 and checked.sources == 2
    rows, listed = factcheck.list_claims(example, subjects=["az-defence-output"])
    assert rows and all(row.subject == "az-defence-output" for row in rows) and listed.problems == []
    assert [row.id for row in rows] == [line.split()[0] for line in
                                        run("-C", example, "list", "--subject", "az-defence-output").stdout.splitlines()[2:]]
    shown = factcheck.show_claim(example, rows[0].id)
    assert shown["id"] == rows[0].id and shown["appearances"][0]["match"]["kind"] in ("exact", "normalized")


def test_a_claim_is_an_immutable_value_with_a_changed_copy_and_its_plain_data(example: Path) -> None:
    from factcheck.ledger import model

    claim = factcheck.open_ledger(example).claims[0].claim
    with pytest.raises(AttributeError):
        claim.status = "refuted"  # type: ignore[misc]
    changed = model.replace(claim, status="refuted")
    assert (changed.status, claim.status, changed.id) == ("refuted", "unverified", claim.id)
    data = model.as_data(changed)
    assert data["status"] == "refuted" and data["date"] == claim.date.isoformat() and "review" not in data
    assert model.accept(model.Claim, data) == changed


def test_problems_come_back_located_and_a_missing_ledger_is_an_error(ledger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = ledger("claims:\n  - id: c1\n    text: T\n    claimant: C\n    date: 2024-13-01\n")
    problems = factcheck.verify(root).problems
    assert [(p.code, p.location.path, p.location.line) for p in problems if p.severity == "error"] == \
        [("schema", "claims.yaml", 5)]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FactcheckError, match="no ledger"):
        factcheck.open_ledger(empty)
    with pytest.raises(FactcheckError):
        factcheck.show_claim(root, "no-such-claim")
    with pytest.raises(FactcheckError, match="no claim with id 'c2'"):
        factcheck.verify(root, claim_ids=["c2"])


def test_verify_of_some_claims_gives_their_problems_their_sources_and_the_ledgers(ledger) -> None:  # type: ignore[no-untyped-def]
    root = ledger("claims:\n"
                  "  - {id: a, text: T, claimant: C, date: 2024-01-01, appearances: [{source: s1, text: not there}]}\n"
                  "  - {id: b, text: T, claimant: C, date: 2024-01-02, appearances: [{source: src, text: nor here at all}]}\n"
                  "  - {id: b, text: U, claimant: C, date: 2024-01-03}\n")
    every = factcheck.verify(root).problems
    assert {(p.code, p.claim) for p in every} == {("unknown-source", "a"), ("date-order", "b"), ("quote-not-found", "b"),
                                                  ("duplicate-id", "b")}
    mine = factcheck.verify(root, claim_ids=["a"])
    assert mine.claim_ids == ["a"] and mine.claim_files == ["claims.yaml"]
    assert [p.code for p in mine.problems] == ["unknown-source"]
    assert [p for p in factcheck.verify(root, claim_ids=["b"]).problems] == [p for p in every if p.claim == "b"]


def test_importing_factcheck_loads_nothing_until_used() -> None:
    code = "import sys, factcheck; print(sorted(m for m in sys.modules if m.startswith(('factcheck.', 'pydantic'))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    assert factcheck.__all__ == ["__version__", "list_claims", "open_ledger", "show_claim", "verify"]
    with pytest.raises(AttributeError):
        _ = factcheck.no_such_function  # type: ignore[attr-defined]


def test_the_readme_example_runs_as_written(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import REPO

    section = (REPO / "README.md").read_text(encoding="utf-8").split("## From Python", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(example)
    names: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), names)
    assert names["claim"]["id"] == names["rows"][0].id  # type: ignore[index, attr-defined]
    assert names["checked"].problems == []  # type: ignore[attr-defined]
