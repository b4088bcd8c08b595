"""What an edit reads: the claims it changes, validated; of the others only their ids and texts, never
validated; and no source unless the edit looks at one."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from bench.generate import generate


def _gathered(root: Path, **how: Any) -> tuple[Any, ...]:
    from factcheck.editing.edits import load_for_edit

    ledger, known = load_for_edit(root, texts=True, **how)
    return ([(r.claim, r.doc.path, r.path) for r in ledger.claims], sorted(known.files.items()),
            list(known.texts.items()), sorted((p.code, str(p.location), p.message) for p in ledger.problems))


@pytest.mark.parametrize("files", [1, 4])
@pytest.mark.parametrize("shares", [False, True])
@pytest.mark.parametrize("cached", [False, True])
def test_an_edit_that_names_its_claims_gathers_what_a_whole_read_gathers(
        tmp_path: Path, files: int, shares: bool, cached: bool) -> None:
    """Named by id, the claims an edit changes come validated as before, and every other claim's file and
    text in the ledger's order, whichever way the ledger is read (in one process or two, in chunks, from
    the cache or not, one claims file or several)."""
    from factcheck.pipeline import shares as shared
    from factcheck.pipeline import store
    from factcheck.pipeline.store import load_ledger

    generate(tmp_path, 240, files=files)
    if cached:
        load_ledger(tmp_path)  # fills every claims file's entry
    wanted = {"c000007", "c000131", "c000239"}
    with mock.patch.object(store, "CHUNK", 25), mock.patch.object(shared, "SHARE_FROM_BYTES", 0 if shares else 1 << 40):
        named = _gathered(tmp_path, ids=wanted)
        found = _gathered(tmp_path, keep=lambda claim: claim.id in wanted)
    assert named == found
    assert sorted(claim.id for claim, _, _ in named[0]) == sorted(wanted)
    assert len(named[1]) == len(named[2]) == 240


def test_an_edit_validates_only_the_claims_it_changes_and_reads_no_source(tmp_path: Path) -> None:
    from factcheck.editing.edits import set_status
    from factcheck.ledger import ledgerfiles
    from factcheck.pipeline import store

    generate(tmp_path, 300)
    validated: list[int] = []
    valid_each = store.valid_each

    def counting(kind: Any, items: list[Any]) -> Any:
        validated.append(len(items))
        return valid_each(kind, items)

    opened: list[str] = []
    reading = ledgerfiles._read_up_to

    def read_up_to(path: Any, limit: int) -> Any:
        opened.append(Path(path).relative_to(tmp_path).as_posix())
        return reading(path, limit)

    with mock.patch.object(store, "valid_each", counting), \
            mock.patch.object(ledgerfiles, "_read_up_to", read_up_to):
        set_status(tmp_path, "c000010", "unverifiable", "No record settles it", "A. Editor", dt.date(2026, 1, 2), False)
    # the claim as read, and its window before and after the edit: never the 299 others
    assert sum(validated) <= 3, validated
    assert opened == ["claims.yaml"]
    text = (tmp_path / "claims.yaml").read_text(encoding="utf-8")
    assert "No record settles it" in text


def test_an_edit_beside_an_invalid_claim_leaves_it_to_verify(tmp_path: Path) -> None:
    """A claim that fails validation elsewhere in the file does not stop an edit of another (it was never
    validated), is left as it was, and verify still names it where it is."""
    generate(tmp_path, 120)
    claims = tmp_path / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    broken = text.replace("  - id: c000050\n", "  - id: c000050\n    colour: blue\n", 1)
    claims.write_text(broken, encoding="utf-8")
    factcheck = [sys.executable, "-m", "factcheck", "-C", str(tmp_path)]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*factcheck, *args], capture_output=True, text=True, timeout=120, check=False)

    before = run("verify", "--format", "json").stdout
    done = run("status", "c000010", "unverifiable", "--note", "Nothing settles it", "--by", "A. Editor")
    assert done.returncode == 0, done.stderr
    after = claims.read_text(encoding="utf-8")
    assert after.count("colour: blue") == 1 and "Nothing settles it" in after
    assert after.split("  - id: c000011\n")[1] == broken.split("  - id: c000011\n")[1]  # the rest untouched
    schema = [line for line in run("verify").stdout.splitlines() if "schema" in line]
    assert len(schema) == 1 and "colour" in schema[0] and schema[0].startswith("claims.yaml:")
    assert '"schema"' in before
    missing = run("status", "c00005", "refuted", "--note", "x", "--by", "A. Editor")
    assert missing.returncode == 2
    assert "no claim with id 'c00005'" in missing.stderr and "c000050" in missing.stderr


def test_a_file_with_a_merge_key_is_validated_whole_for_an_edit(tmp_path: Path) -> None:
    """A merge key is found only by validation (the native parser reads it as a key): a file with one is
    validated whole, so an edit meets its problem as a whole read does."""
    generate(tmp_path, 60)
    claims = tmp_path / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("  - id: c000030\n", "  - id: c000030\n    <<: {note: merged}\n", 1), encoding="utf-8")
    named = _gathered(tmp_path, ids={"c000002"})
    found = _gathered(tmp_path, keep=lambda claim: claim.id == "c000002")
    assert named == found
    assert any(code == "yaml-alias" for code, _, _ in named[3])


def test_a_large_file_s_claims_are_found_once_for_the_same_bytes(tmp_path: Path) -> None:
    """The settings, the read and the edit's window all ask where a large file's claims begin: it is found
    once for the same bytes (read again by the edit, in another object), and again for other bytes."""
    from factcheck.yamlio import spans

    generate(tmp_path, 2000)
    raw = (tmp_path / "claims.yaml").read_bytes()
    assert len(raw) >= spans._REMEMBER_FROM
    again, other = (tmp_path / "claims.yaml").read_bytes(), raw.replace(b"  - id: c000007\n", b"  - id: c000007\n\n", 1)
    with mock.patch.object(spans, "_FOUND", {}), mock.patch.object(spans, "_claim_starts", wraps=spans._claim_starts) as scans:
        first = spans.claim_starts(raw)
        assert spans.claim_starts(again) is first and scans.call_count == 1
        moved = spans.claim_starts(other)
        assert scans.call_count == 2 and moved is not None and first is not None
        assert moved[8] == first[8] + 1 and len(moved) == len(first)


def test_a_quote_reads_only_the_source_it_quotes(tmp_path: Path) -> None:
    from factcheck.editing.edits import add_quote
    from factcheck.errors import FactcheckError
    from factcheck.ledger import ledgerfiles

    generate(tmp_path, 200)
    words = " ".join((tmp_path / "sources" / "s00003.txt").read_text(encoding="utf-8").split()[:9])
    opened: list[str] = []
    reading = ledgerfiles._read_up_to

    def read_up_to(path: Any, limit: int) -> Any:
        opened.append(Path(path).relative_to(tmp_path).as_posix())
        return reading(path, limit)

    with mock.patch.object(ledgerfiles, "_read_up_to", read_up_to):
        done = add_quote(tmp_path, "c000003", "s00003", words, None)
    assert sorted(opened) == ["claims.yaml", "sources/s00003.txt", "sources/s00003.yaml"]
    assert done.message.startswith("added an appearance to 'c000003'")
    with pytest.raises(FactcheckError) as missing:
        add_quote(tmp_path, "c000003", "s0003", words, None)
    assert "no usable source 's0003'" in str(missing.value) and "s00003, s00004" in str(missing.value)
