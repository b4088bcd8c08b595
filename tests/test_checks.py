"""Each check code fires on bad data at the node at fault, and stays silent on good data."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from factcheck.checking.checks import REGISTRY, run_checks
from factcheck.checking.options import Options, exit_status
from factcheck.errors import Location, Problem
from factcheck.pipeline.store import load_ledger
from tests.conftest import SNAPSHOT

AUDIT = "An audit in 2024 found 812 weapon designs in development, well over 800.\n"

GOOD = """\
claims:
  - id: c1
    text: Azerbaijan is working on more than 800 new weapons.
    claimant: The minister
    date: 2023-09-29
    quantity: {value: 800, bound: more-than, unit: weapons}
    status: supported
    appearances:
      - source: src
        text: Azerbaijan is working on more than 800 new weapons
    evidence:
      - source: audit
        text: found 812 weapon designs in development
        stance: supports
    history:
      - {date: 2024-05-01, status: supported, note: the audit counts 812, by: desk}
"""

Make = Callable[..., Path]


def check(root: Path, **options: object) -> list[tuple[str, str]]:
    problems = run_checks(load_ledger(root), Options(**options))  # type: ignore[arg-type]
    return [(p.code, str(p.location)) for p in problems]


@pytest.fixture
def make(ledger: Make) -> Make:
    def build(claims: str = GOOD, sources: dict[str, str] | None = None, **kwargs: str) -> Path:
        return ledger(claims, sources if sources is not None else {"src": SNAPSHOT, "audit": AUDIT}, **kwargs)

    return build


def test_good_data_is_silent_for_every_check(make: Make) -> None:
    assert check(make(), stale_after_days=100000) == []


def test_duplicate_id(make: Make) -> None:
    root = make(GOOD + "  - {id: c1, text: again, claimant: x, date: 2023-09-29}\n")
    assert check(root) == [("duplicate-id", "claims.yaml:17:10")]


def test_unknown_source(make: Make) -> None:
    root = make(GOOD.replace("source: audit", "source: nowhere"))
    assert check(root) == [("unknown-source", "claims.yaml:12:17"), ("orphan-source", "sources/audit.yaml:1:1")]


def test_unknown_source_when_metadata_is_missing(make: Make) -> None:
    root = make()
    (root / "sources" / "audit.yaml").unlink()
    assert check(root) == [("unknown-source", "claims.yaml:12:17"), ("source-incomplete", "sources/audit.txt:1:1")]


def test_quote_not_found_names_the_closest_passage(make: Make) -> None:
    root = make(GOOD.replace("found 812 weapon designs", "found 821 weapon designs"))
    problems = run_checks(load_ledger(root), Options())
    assert [(p.code, str(p.location)) for p in problems] == [("quote-not-found", "claims.yaml:13:15")]
    match = re.fullmatch(r"quote not found in 'audit': not in the snapshot; closest passage \(([\d.]+)% similar\): "
                         r"'found 812 weapon designs in development'", problems[0].message)
    assert match and 90 < float(match.group(1)) < 100
    assert (problems[0].claim, problems[0].source) == ("c1", "audit")


def test_quote_normalized_is_info(make: Make) -> None:
    root = make(GOOD.replace("found 812 weapon designs in development", "found 812 weapon designs\\n in development")
                .replace("text: found", 'text: "found').replace("development\n", 'development"\n', 1))
    problems = run_checks(load_ledger(root), Options())
    assert [(p.code, p.severity, str(p.location)) for p in problems] == [
        ("quote-normalized", "info", "claims.yaml:13:15")]
    assert exit_status(problems) == 0


def test_source_modified(make: Make) -> None:
    root = make()
    (root / "sources" / "audit.txt").write_text(AUDIT.replace("812", "813"))
    assert ("source-modified", "sources/audit.yaml:3:9") in check(root)


@pytest.mark.parametrize("status, evidence, note, fires", [
    ("supported", [], None, True),
    ("supported", ["supports"], None, False),
    ("refuted", ["supports"], None, True),
    ("refuted", ["refutes"], None, False),
    ("conflicting", ["supports"], None, True),
    ("conflicting", ["supports", "refutes"], None, False),
    ("misleading", ["context"], None, True),
    ("misleading", [], "why", True),
    ("misleading", ["context"], "why", False),
    ("unverifiable", [], None, True),
    ("unverifiable", [], "why", False),
    ("unverified", [], None, False),
])
def test_status_unsupported(make: Make, status: str, evidence: list[str], note: str | None, fires: bool) -> None:
    quotes = "".join(f"      - {{source: audit, text: found 812, stance: {s}}}\n" for s in evidence)
    claims = (
        "claims:\n  - id: c1\n    text: t\n    claimant: c\n    date: 2023-09-29\n"
        f"    status: {status}\n" + (f"    note: {note}\n" if note else "") + ("    evidence:\n" + quotes if quotes else "")
    )
    found = [c for c in check(make(claims)) if c[0] == "status-unsupported"]
    assert found == ([("status-unsupported", "claims.yaml:6:13")] if fires else [])


def test_status_unsupported_names_what_is_missing(make: Make) -> None:
    root = make(GOOD.replace("stance: supports", "stance: context"))
    problems = [p for p in run_checks(load_ledger(root), Options()) if p.code == "status-unsupported"]
    assert problems[0].message == "status 'supported' needs a 'supports' evidence quote"


def test_evidence_self(make: Make) -> None:
    root = make(GOOD.replace("source: audit\n        text: found 812 weapon designs in development",
                             "source: src\n        text: more than 800 new weapons"))
    assert check(root) == [("evidence-self", "claims.yaml:12:7"), ("orphan-source", "sources/audit.yaml:1:1")]


def test_quantity_not_in_quote(make: Make) -> None:
    root = make(GOOD.replace("value: 800", "value: 900"))
    assert check(root) == [("quantity-not-in-quote", "claims.yaml:6:23")]


def test_quantity_in_words_or_with_separators_is_found(make: Make) -> None:
    root = make(GOOD.replace("value: 800", "value: 1000").replace(
        "text: Azerbaijan is working on more than 800 new weapons", "text: The ministry made 1,000 products"))
    assert check(root) == []


def test_date_order(make: Make) -> None:
    root = make(GOOD.replace("date: 2023-09-29", "date: 2023-10-01"))
    assert check(root) == [("date-order", "claims.yaml:9:17")]


def test_stale_only_when_asked(make: Make) -> None:
    root = make()
    today = dt.date(2024, 5, 1) + dt.timedelta(days=31)
    assert check(root, stale_after_days=30, today=today) == [("stale", "claims.yaml:7:13")]
    assert check(root, stale_after_days=31, today=today) == []
    assert check(root, today=today) == []


def test_orphan_source_is_info(make: Make) -> None:
    root = make(sources={"src": SNAPSHOT, "audit": AUDIT, "unused": "nobody quotes me"})
    problems = run_checks(load_ledger(root), Options())
    assert [(p.code, p.severity, str(p.location)) for p in problems] == [
        ("orphan-source", "info", "sources/unused.yaml:1:1")]


def test_narrowing_to_claims_keeps_their_sources_problems(make: Make) -> None:
    root = make(GOOD + "  - {id: c2, text: t, claimant: c, date: 2023-09-29, status: refuted}\n")
    (root / "sources" / "audit.txt").write_text("changed")
    codes = lambda ids: sorted(p.code for p in run_checks(load_ledger(root), Options(), ids))  # noqa: E731
    assert codes(["c2"]) == ["status-unsupported"]
    assert codes(["c1"]) == ["quote-not-found", "source-modified"]


def test_exit_status_and_strict() -> None:
    warning = Problem("stale", "warning", "m", Location("f"))
    info = Problem("orphan-source", "info", "m", Location("f"))
    assert exit_status([info]) == 0 and exit_status([info], strict=True) == 0
    assert exit_status([warning]) == 0 and exit_status([warning], strict=True) == 1


def test_every_code_has_a_description() -> None:
    assert all(check.description for check in REGISTRY.values())
    assert {"yaml-syntax", "duplicate-key", "schema", "duplicate-id", "unknown-source", "quote-not-found",
            "quote-normalized", "source-modified", "status-unsupported", "evidence-self", "quantity-not-in-quote",
            "date-order", "stale", "orphan-source"} <= set(REGISTRY)


def _reference(root: Path, options: Options) -> tuple[list[Problem], list[str]]:
    """What the ledger read whole and checked whole gives: its problems and its claims' ids."""
    from factcheck.checking import checks, verification
    from factcheck.pipeline.store import load_ledger

    ledger = load_ledger(root)
    found = checks.run_checks(ledger, verification._with_settings(options, ledger.settings))
    return found, [r.claim.id for r in ledger.claims]


def test_a_share_that_cannot_fork_or_fails_is_read_again_in_this_process(tmp_path: Path) -> None:
    from unittest import mock

    from bench.generate import generate
    from factcheck.checking import checks, verification

    generate(tmp_path, 600)
    options = checks.Options(stale_after_days=30)
    with mock.patch.dict(os.environ, {"FACTCHECK_NO_CACHE": "1"}):
        alone, ids = _reference(tmp_path, options)
        assert {p.code for p in alone} >= {"quote-not-found", "stale"}
        with mock.patch("factcheck.pipeline.store.CHUNK", 50), mock.patch("factcheck.pipeline.shares.SHARE_FROM_BYTES", 0):
            with mock.patch("os.fork", wraps=os.fork) as fork:
                shared = verification.verify_ledger(tmp_path, options)
            assert fork.call_count == 1 and shared.problems == alone and shared.claim_ids == ids
            with mock.patch("os.fork", side_effect=OSError("no fork here")):
                assert verification.verify_ledger(tmp_path, options).problems == alone
            parent, work = os.getpid(), checks.claim_checks

            def failing_in_the_child(*args: object) -> object:
                if os.getpid() != parent:
                    raise RuntimeError("the child fails")
                return work(*args)  # type: ignore[arg-type]

            with mock.patch.object(checks, "claim_checks", side_effect=failing_in_the_child) as claim_checks:
                # the child raises and exits 1: this process reads and checks the whole ledger again
                again = verification.verify_ledger(tmp_path, options)
            assert again.problems == alone and again.claim_ids == ids
            assert claim_checks.call_count == 6 + 12  # its own share of 12 chunks, then all 12 again


def test_a_ledger_read_and_checked_in_two_shares_gives_what_it_gives_whole(tmp_path: Path) -> None:
    from unittest import mock

    from bench.generate import generate
    from factcheck.checking import checks, verification
    from factcheck.pipeline import forked

    generate(tmp_path, 600)
    claims = tmp_path / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    # the same id in two chunks (so in both shares), found by the merged duplicate-id check
    claims.write_text(text.replace("- id: c000555\n", "- id: c000007\n"), encoding="utf-8")
    options = checks.Options(stale_after_days=30)
    with mock.patch.dict(os.environ, {"FACTCHECK_NO_CACHE": "1"}):
        whole, ids = _reference(tmp_path, options)
        with mock.patch("factcheck.pipeline.store.CHUNK", 50), \
                mock.patch("factcheck.pipeline.shares.SHARE_FROM_BYTES", 0), \
                mock.patch.object(forked, "start", wraps=forked.start) as start:
            shared = verification.verify_ledger(tmp_path, options)
        one = verification.verify_ledger(tmp_path, options)  # small: in this process, a chunk at a time
    assert start.call_count == 1 and len(ids) == 600
    assert shared.ledger is not None and shared.ledger.claims == []  # checked a chunk at a time, none kept
    assert shared.problems == whole == one.problems and shared.claim_ids == ids == one.claim_ids
    assert next(p for p in shared.problems if p.code == "duplicate-id").message.startswith(
        "claim id 'c000007' is already used by the claim at claims.yaml:")
    assert {p.code for p in whole} >= {"quote-not-found", "stale", "duplicate-id"}

    # a file the fast path cannot read (a YAML 1.1 word) is read whole, with the same result as ever
    claims.write_text(text.replace("status: unverified", "status: unverified\n    note: no", 1), encoding="utf-8")
    with mock.patch.dict(os.environ, {"FACTCHECK_NO_CACHE": "1"}):
        whole, _ = _reference(tmp_path, options)
        with mock.patch("factcheck.pipeline.store.CHUNK", 50), mock.patch("factcheck.pipeline.shares.SHARE_FROM_BYTES", 0):
            shared = verification.verify_ledger(tmp_path, options)
    assert shared.ledger is not None and shared.problems == whole


def test_settings_read_after_the_claims_they_govern_give_the_same_problems(tmp_path: Path) -> None:
    """Checked a chunk at a time, the claims of claims/a.yaml are checked before claims/b.yaml gives the
    ledger's stale_after_days: the result must still be the one the whole ledger gives."""
    from unittest import mock

    from bench.generate import generate
    from factcheck.checking import checks, verification
    from factcheck.pipeline import store
    from factcheck.render import markdown
    from factcheck.views.report import read_report

    generate(tmp_path, 400)
    text = (tmp_path / "claims.yaml").read_text(encoding="utf-8")
    head, _, items = text.partition("claims:\n")
    first, second = items.split("  - id: c000200\n")
    (tmp_path / "claims.yaml").unlink()
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "a.yaml").write_text("claims:\n" + first, encoding="utf-8")
    (tmp_path / "claims" / "b.yaml").write_text(
        head.replace("ledger:\n", "ledger:\n  stale_after_days: 30\n") + "claims:\n  - id: c000200\n" + second,
        encoding="utf-8")
    options = checks.Options()
    with mock.patch.dict(os.environ, {"FACTCHECK_NO_CACHE": "1"}):
        whole, _ = _reference(tmp_path, options)
        stale = {p.claim for p in whole if p.code == "stale"}
        assert any(claim < "c000200" for claim in stale if claim)  # a.yaml's claims are stale by b.yaml's setting
        with mock.patch("factcheck.pipeline.store.load_files", wraps=store.load_files) as loads, \
                mock.patch("factcheck.pipeline.shares.SHARE_FROM_BYTES", 1 << 40):  # in one process
            chunked = read_report(tmp_path, options, markdown.claims_part)  # in one process, a chunk at a time
            one = verification.verify_ledger(tmp_path, options)
        given = [call.kwargs.get("settings") for call in loads.call_args_list]
        assert given[0::2] == [None, None] and [s.stale_after_days for s in given[1::2]] == [30, 30]
        with mock.patch("factcheck.pipeline.store.CHUNK", 50), mock.patch("factcheck.pipeline.shares.SHARE_FROM_BYTES", 0):
            shared = verification.verify_ledger(tmp_path, options)
            made = read_report(tmp_path, options, markdown.claims_part)
    # each read in one process was read again, with b.yaml's settings for a.yaml's chunks too
    assert one.problems == whole and shared.problems == whole
    assert made.problems == whole and chunked.problems == whole


def test_mistakes_in_both_shares_are_found_as_the_exact_reader_finds_them(tmp_path: Path) -> None:
    from unittest import mock

    from bench.generate import generate
    from factcheck.checking import checks, verification
    from factcheck.pipeline import forked
    from factcheck.views import listing
    from factcheck.yamlio import fastyaml

    generate(tmp_path, 600)
    claims = tmp_path / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    for claim_id, added in [("c000120", "    tags: [no]\n"),  # chunk 2 of 50 claims: this process's share
                            ("c000170", "    colour: blue\n"),  # chunk 3: the forked process's share
                            ("c000180", '    note: "a\tb"\n    note: twice\n')]:  # valid, with a key given twice
        text = text.replace(f"  - id: {claim_id}\n", f"  - id: {claim_id}\n{added}", 1)
    claims.write_text(text, encoding="utf-8")
    options = checks.Options(stale_after_days=30)
    with mock.patch.dict(os.environ, {"FACTCHECK_NO_CACHE": "1"}):
        with mock.patch.object(fastyaml, "yaml_rs", None):  # the exact reader, for the whole file
            exact = verification.verify_ledger(tmp_path, options)
            exact_rows = listing.load_rows(tmp_path)
        with mock.patch("factcheck.pipeline.store.CHUNK", 50), \
                mock.patch("factcheck.pipeline.shares.SHARE_FROM_BYTES", 0), \
                mock.patch.object(forked, "start", wraps=forked.start) as start:
            shared = verification.verify_ledger(tmp_path, options)
            shared_rows = listing.load_rows(tmp_path)
    assert start.call_count == 2  # verify and list each read in two shares, mistakes and all
    assert shared.ledger is not None and shared.ledger.claims == []  # not read again in one process
    assert shared.problems == exact.problems and shared.claim_ids == exact.claim_ids
    assert {p.code for p in shared.problems} >= {"schema", "duplicate-key"}
    assert list(map(tuple, shared_rows.rows)) == list(map(tuple, exact_rows.rows))
    assert shared_rows.problems == exact_rows.problems


@pytest.mark.parametrize("status, stances, note, lack", [
    ("supported", [], None, "a 'supports' evidence quote"),
    ("refuted", ["supports"], "why", "a 'refutes' evidence quote"),
    ("conflicting", [], None, "a 'supports' evidence quote and a 'refutes' evidence quote"),
    ("conflicting", ["refutes"], None, "a 'supports' evidence quote"),
    ("misleading", [], None, "an evidence quote and a note"),
    ("misleading", ["context"], None, "a note"),
    ("misleading", [], "why", "an evidence quote"),
    ("unverifiable", ["supports"], None, "a note saying why"),
    ("unverifiable", [], " ", "a note saying why"),
    ("unverified", [], None, None),
    ("supported", ["supports"], None, None),
])
def test_what_a_verdict_lacks(status: str, stances: list[str], note: str | None, lack: str | None) -> None:
    from factcheck.checking.checks import missing_support
    from factcheck.ledger.model import Claim
    from factcheck.ledger.validation import checked

    claim = checked(Claim, {
        "id": "c1", "text": "t", "claimant": "c", "date": "2023-09-29", "status": status, "note": note,
        "evidence": [{"source": "s", "text": "w", "stance": stance} for stance in stances]})
    assert missing_support(claim) == lack


def test_claims_located_long_ago_are_forgotten_and_located_again_alike(tmp_path: Path) -> None:
    from unittest import mock

    from bench.generate import generate
    from factcheck.checking import checks, verification
    from factcheck.yamlio import yamlsrc

    generate(tmp_path, 300, findings=True)
    options = checks.Options(stale_after_days=30)
    with mock.patch.dict(os.environ, {"FACTCHECK_NO_CACHE": "1"}):
        kept = verification.verify_ledger(tmp_path, options).problems
        with mock.patch.object(yamlsrc, "KEEP_CLAIMS_LOCATED", 2), \
                mock.patch.object(yamlsrc, "_locate_claim", wraps=yamlsrc._locate_claim) as located:
            forgetting = verification.verify_ledger(tmp_path, options).problems
    assert len(kept) > 1000 and forgetting == kept
    assert located.call_count > 300  # claims located again once forgotten
