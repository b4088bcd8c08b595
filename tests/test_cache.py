"""The cache of validated data: used when nothing changed, never stale, safe to share, easy to bypass."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from factcheck.pipeline.cache import CACHE_DIR
from factcheck.pipeline.store import load_ledger
from factcheck.views.listing import load_rows
from factcheck.yamlio import fastyaml
from tests.conftest import run


def entries(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR).glob("*.marshal")) if (root / CACHE_DIR).is_dir() else []


def kinds(root: Path) -> list[str]:
    """The kind of each entry: claims (one a claims file), sources, rows, verify."""
    return sorted(p.name.split("-")[0].split(".")[0] for p in entries(root))


def test_a_warm_run_reads_no_yaml_and_says_the_same(example: Path) -> None:
    cold = run("-C", example, "verify", "--format", "json", "--stale-after", "30")
    assert kinds(example) == ["claims", "sources", "verify"]
    with mock.patch.object(fastyaml, "fast_parse", side_effect=AssertionError("parsed again")), \
            mock.patch("factcheck.pipeline.store.parse", side_effect=AssertionError("parsed again")):
        warm = run("-C", example, "verify", "--format", "json", "--stale-after", "30")
    assert json.loads(warm.stdout) == json.loads(cold.stdout)  # located problems included
    assert len(json.loads(warm.stdout)["problems"]) == 11


def test_any_change_of_content_is_seen_even_with_the_same_time_stamp(example: Path) -> None:
    run("-C", example, "verify")
    claims = example / "claims.yaml"
    stat = claims.stat()
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("claimant: News.Az", "claimant: News.Ax", 1), encoding="utf-8")
    os.utime(claims, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert load_ledger(example).require("adex-2024-fifth-edition").claim.claimant == "News.Ax"
    source = example / "sources" / "newsaz-2024-09-24.yaml"
    stat = source.stat()
    source.write_text(source.read_text(encoding="utf-8").replace("language: en", "language: az"), encoding="utf-8")
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    meta = load_ledger(example).sources["newsaz-2024-09-24"].meta
    assert meta is not None and meta.language == "az"


def test_a_broken_entry_is_ignored(example: Path) -> None:
    run("-C", example, "list")
    run("-C", example, "show", "adex-2024-fifth-edition")
    assert kinds(example) == ["claims", "rows", "sources"]
    listed = run("-C", example, "list", "--format", "json").stdout
    for entry in entries(example):
        for broken in (b"\x00not marshal", __import__("marshal").dumps({"claims": 5, "rows": [[1]]})):
            entry.write_bytes(broken)
            assert run("-C", example, "verify").exit_code == 0
            assert run("-C", example, "list", "--format", "json").stdout == listed


def test_a_ledger_with_problems_is_not_cached(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("claims:\n  - {id: a, text: t}\n")
    first = run("-C", tmp_path, "verify")
    assert not [p for p in entries(tmp_path) if p.name.startswith("claims.")]
    again = run("-C", tmp_path, "verify")  # what verify found is kept: the same files, the same problems
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout) == (1, again.stdout)


def test_no_cache_bypasses_it(example: Path) -> None:
    assert run("-C", example, "--no-cache", "verify").exit_code == 0
    assert not (example / CACHE_DIR).exists()
    os.environ.pop("FACTCHECK_NO_CACHE", None)


def test_concurrent_runs_share_it(example: Path) -> None:
    runs = [subprocess.Popen([sys.executable, "-m", "factcheck", "-C", str(example), "verify", "--format", "json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(6)]
    outputs = [r.communicate(timeout=120)[0] for r in runs]
    assert [r.returncode for r in runs] == [0] * 6
    assert len({o for o in outputs}) == 1
    assert kinds(example) == ["answers", "claims", "sources", "verify"] and not list((example / CACHE_DIR).glob(".*.tmp"))
    assert run("-C", example, "verify").exit_code == 0


def test_a_changed_snapshot_is_seen_by_a_warm_verify(example: Path) -> None:
    assert run("-C", example, "verify").exit_code == 0
    snapshot = example / "sources" / "newsaz-2024-09-24.txt"
    stat = snapshot.stat()
    snapshot.write_bytes(snapshot.read_bytes().replace(b"Azerbiajan", b"Azerbaijan"))
    os.utime(snapshot, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result = run("-C", example, "verify")
    assert result.exit_code == 1 and "source-modified" in result.stdout


def test_an_entry_this_machine_did_not_sign_is_never_read(example: Path) -> None:
    import marshal

    run("-C", example, "list")
    forged = {"claims": {"chunks": [], "settings": None}, "sources": {}, "rows": {"rows": [], "sources": []}}
    for entry in entries(example):
        kind = entry.name.split("-")[0].split(".")[0]
        entry.write_bytes(b"\0" * 32 + marshal.dumps(forged[kind]))  # e.g. committed into a pull request
    result = run("-C", example, "list", "--format", "json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 13


def test_claims_read_back_from_the_cache_are_the_claims_read_from_the_files(tmp_path: Path) -> None:
    from bench.generate import generate

    generate(tmp_path / "gen", 300)
    (tmp_path / "gen" / "claims.yaml").write_text(
        (tmp_path / "gen" / "claims.yaml").read_text() +
        "  - id: sparse\n    text: t\n    claimant: c\n    date: 2024-01-01\n    appearances:\n    tags:\n"
        "    history:\n      - {date: 2024-02-02, status: unverified}\n")
    for root in (tmp_path / "gen", Path(__file__).resolve().parent.parent):
        if root.name != "gen":
            root = tmp_path / "copy"
            import shutil

            shutil.copytree(Path(__file__).resolve().parent.parent / "sources", root / "sources")
            shutil.copy(Path(__file__).resolve().parent.parent / "claims.yaml", root / "claims.yaml")
        rows_cold = load_rows(root)
        assert kinds(root) == ["claims", "rows", "sources"]
        with mock.patch.object(fastyaml, "fast_parse", side_effect=AssertionError("parsed again")):
            rows_warm = load_rows(root)
        cold = load_ledger(root)
        assert kinds(root) == ["claims", "rows", "sources"]
        warm = load_ledger(root)
        assert [r.claim for r in warm.claims] == [r.claim for r in cold.claims]
        assert [str(r.locate("claimant")) for r in warm.claims] == [str(r.locate("claimant")) for r in cold.claims]
        assert warm.settings == cold.settings
        assert {k: s.meta for k, s in warm.sources.items()} == {k: s.meta for k, s in cold.sources.items()}
        from factcheck.ledger.rows import row_values

        expected = [row_values(r.claim) for r in cold.claims]
        assert rows_cold.rows == expected and rows_warm.rows == expected
        assert rows_cold.sources == rows_warm.sources == set(cold.sources)
        for entry in entries(root):
            if entry.name.startswith("rows-"):
                entry.unlink()
        with mock.patch.object(fastyaml, "fast_parse", side_effect=AssertionError("parsed again")):
            assert load_rows(root).rows == expected  # made from the claims file's entry


def _on_a_terminal(root: Path, env: dict[str, str]) -> str:
    """Run verify with stderr on a pseudo-terminal; what the terminal showed."""
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "factcheck", "-C", str(root), "--no-cache", "verify"],
                               stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=120)
    os.close(leader)
    return shown.decode(errors="replace")


def test_a_progress_bar_only_on_a_terminal_and_never_in_ci(tmp_path: Path) -> None:
    from bench.generate import generate

    generate(tmp_path / "big", 2000)
    env = {**{k: v for k, v in os.environ.items() if k not in ("CI", "FACTCHECK_NO_CACHE")},
           "FACTCHECK_PROGRESS_AFTER": "0"}  # a bar however short the work
    shown = _on_a_terminal(tmp_path / "big", env)
    import re

    assert re.search(r"\] (\d+)/\1 orphan-source", shown) and "[######" in shown
    assert "claims, " in shown  # the summary still follows
    quiet = _on_a_terminal(tmp_path / "big", {**env, "CI": "true"})
    assert "[#" not in quiet and "claims, " in quiet


def test_the_key_from_the_sources_digests_is_the_key_from_the_files(example: Path) -> None:
    # a large report makes the verify entry's key from the digests its sources took as they were read;
    # verify makes it from the files: both must find the same entry, and a changed snapshot must not
    from factcheck.ledger.ledgerfiles import find_files
    from factcheck.pipeline import cache
    from factcheck.pipeline.store import read_sources

    def from_digests() -> str:
        sources = read_sources(find_files(example)).sources.values()
        digests = {s.snapshot_path: s.digest for s in sources if s.snapshot_path and s.digest}
        assert len(digests) >= 2
        return cache.key(find_files(example), snapshots=True, extra="x", digests=digests)

    before = cache.key(find_files(example), snapshots=True, extra="x")
    assert from_digests() == before
    snapshot = next((example / "sources").glob("*.txt"))
    snapshot.write_bytes(snapshot.read_bytes() + b" ")
    assert from_digests() == cache.key(find_files(example), snapshots=True, extra="x") != before


def test_a_large_report_and_verify_share_one_entry(example: Path) -> None:
    # read in shares, the report keys its entry by its sources' digests: a warm verify finds it, unread
    with mock.patch("factcheck.pipeline.shares.SHARE_FROM_BYTES", 0):
        assert run("-C", example, "report", "--format", "json", "--stale-after", "30").exit_code == 0
    assert kinds(example) == ["verify"]
    with mock.patch.object(fastyaml, "fast_parse", side_effect=AssertionError("parsed again")), \
            mock.patch("factcheck.pipeline.store.parse", side_effect=AssertionError("parsed again")):
        warm = run("-C", example, "verify", "--format", "json", "--stale-after", "30")
    for entry in entries(example):
        entry.unlink()
    cold = run("-C", example, "verify", "--format", "json", "--stale-after", "30")
    assert json.loads(warm.stdout) == json.loads(cold.stdout) and len(json.loads(cold.stdout)["problems"]) == 11


def test_a_report_shows_the_same_matches_whether_the_checks_ran_or_came_from_the_cache(example: Path) -> None:
    claims = example / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        "Azerbaijan cannot purchase Western-made fighter jets", "Azerbaijan can never purchase Western-made fighter jets"),
        encoding="utf-8")
    cold = json.loads(run("-C", example, "report", "--format", "json").stdout)  # the checks find each quote
    warm = json.loads(run("-C", example, "report", "--format", "json").stdout)  # the problems from the cache
    assert cold["claims"] == warm["claims"]
    matches = [q["match"] for c in cold["claims"] for q in c["quotes"]]
    assert "not-found" in matches and matches.count("exact") > 10


def test_a_cached_verify_or_list_needs_neither_the_models_nor_the_checks(example: Path) -> None:
    import subprocess
    import sys

    def imported(*command: str) -> set[str]:
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "factcheck", "-C", str(example), *command],
                              capture_output=True, text=True, check=False)
        return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}

    for command in (["verify"], ["list"]):
        cold = imported(*command)
        warm = imported(*command)
        # the first run reads and validates the ledger: with the values' own structs, not the rules (a valid
        # ledger needs no pydantic)
        assert "factcheck.ledger.model" in cold and "pydantic" not in cold and "factcheck.ledger.rules" not in cold
        assert warm & {"pydantic", "factcheck.ledger.model", "factcheck.checking.checks", "factcheck.pipeline.store",
                       "rapidfuzz", "yaml"} == set(), command


def test_an_edit_to_one_file_of_a_claims_folder_reads_only_that_file(tmp_path: Path) -> None:
    from bench.generate import generate
    from factcheck.pipeline import store

    generate(tmp_path, 400, files=8)
    listed = run("-C", tmp_path, "list", "--format", "json").stdout
    assert kinds(tmp_path) == ["claims"] * 8 + ["rows", "sources"]
    edited = tmp_path / "claims" / sorted(p.name for p in (tmp_path / "claims").iterdir())[3]
    edited.write_text(edited.read_text(encoding="utf-8").replace("claimant: ", "claimant: The ", 1), encoding="utf-8")
    with mock.patch.object(store, "_claims_fast", wraps=store._claims_fast) as read:
        again = load_rows(tmp_path)
    assert [call.args[1] for call in read.call_args_list] == [f"claims/{edited.name}"]  # the others from their entries
    with mock.patch.dict(os.environ, {"FACTCHECK_NO_CACHE": "1"}):
        fresh = load_rows(tmp_path)
    assert list(map(tuple, again.rows)) == list(map(tuple, fresh.rows)) and len(fresh.rows) == 400
    assert json.loads(run("-C", tmp_path, "list", "--format", "json").stdout) != json.loads(listed)
    assert sum(1 for row in fresh.rows if row[3].startswith("The ")) == 1
    assert len([k for k in kinds(tmp_path) if k == "claims"]) == 9  # the edited file's old entry is kept too


def test_a_claims_folder_read_in_two_shares_reads_whole_files_through_their_entries(tmp_path: Path) -> None:
    from bench.generate import generate
    from factcheck.checking import verification
    from factcheck.checking.options import Options
    from factcheck.pipeline import forked, store

    generate(tmp_path, 900, files=12)
    options = Options(stale_after_days=30)
    with mock.patch.dict(os.environ, {"FACTCHECK_NO_CACHE": "1"}):
        alone = verification.verify_ledger(tmp_path, options)
    for _ in range(2):  # the first fills each share's files' entries, the second reads them
        for entry in entries(tmp_path):
            if entry.name.startswith("verify-"):
                entry.unlink()
        with mock.patch("factcheck.pipeline.shares.SHARE_FROM_BYTES", 0), \
                mock.patch.object(forked, "start", wraps=forked.start) as start, \
                mock.patch.object(store, "_claims_fast", wraps=store._claims_fast) as read:
            shared = verification.verify_ledger(tmp_path, options)
        assert start.call_count == 1 and shared.ledger is not None and shared.ledger.claims == []
        assert shared.problems == alone.problems and shared.claim_ids == alone.claim_ids
    assert read.call_count == 0  # (in this process: its share of the files came from their entries)
    assert len([k for k in kinds(tmp_path) if k == "claims"]) == 12  # each share wrote its own files'


def test_an_entry_whose_settings_no_longer_validate_is_a_miss(tmp_path: Path) -> None:
    """An entry of this machine's that the models no longer take (here, settings with a field they do not
    know) is read as a miss: the file is read again, never a traceback."""
    from bench.generate import generate
    from factcheck.pipeline import cache
    from factcheck.pipeline.store import load_ledger

    generate(tmp_path, 30)
    raw = (tmp_path / "claims.yaml").read_bytes()
    cache.write(tmp_path, cache.file_entry("claims.yaml", raw), {"settings": {"no-such-setting": 1}, "chunks": []})
    assert cache.read(tmp_path, cache.file_entry("claims.yaml", raw)) is not None
    ledger = load_ledger(tmp_path, fill_cache=False)
    assert len(ledger.claims) == 30 and not ledger.problems


def test_a_cold_verify_reads_and_hashes_each_snapshot_once(example: Path) -> None:
    """The cache key and the check of each snapshot against its metadata's sha256 share one read and one
    hash of its bytes; a snapshot changed since is still caught (as the test above shows, warm)."""
    import hashlib

    from factcheck.checking.options import Options
    from factcheck.checking.verification import verify_ledger
    from factcheck.ledger import ledgerfiles

    snapshots = sorted(p.read_bytes() for p in (example / "sources").glob("*.txt"))
    hashed: list[bytes] = []
    real = hashlib.sha256

    def counting(data: bytes = b"", **kwargs: object) -> object:
        hashed.append(bytes(data))
        return real(data, **kwargs)

    with mock.patch.object(hashlib, "sha256", counting), \
            mock.patch.object(ledgerfiles, "_read_up_to", wraps=ledgerfiles._read_up_to) as reads:
        outcome = verify_ledger(example, Options())
    assert not [p for p in outcome.problems if p.severity == "error"]
    assert sorted(data for data in hashed if data in snapshots) == snapshots
    read_snapshots = [call for call in reads.call_args_list if str(call.args[0]).endswith(".txt")]
    assert len(read_snapshots) == len(snapshots)


def test_each_kind_keeps_its_newest_entries_and_old_strays_go(tmp_path: Path) -> None:
    from factcheck.ledger.files import TEMP_PREFIX, TEMP_SUFFIX
    from factcheck.pipeline import cache

    folder = tmp_path / CACHE_DIR
    for n in range(5):
        cache.write(tmp_path, f"verify-{n:064x}", {"n": n})
        os.utime(folder / f"verify-{n:064x}.marshal", (1_000_000 + n, 1_000_000 + n))
    cache.write(tmp_path, "claims.aa-" + "0" * 64, [1])
    old, fresh = folder / f"{TEMP_PREFIX}old{TEMP_SUFFIX}", folder / f"{TEMP_PREFIX}fresh{TEMP_SUFFIX}"
    old.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(old, (1_000_000, 1_000_000))
    cache.write(tmp_path, f"verify-{9:064x}", {"n": 9})
    kept = sorted(p.name for p in folder.glob("verify-*"))
    assert kept == [f"verify-{n:064x}.marshal" for n in (3, 4, 9)]  # the newest three
    assert cache.read(tmp_path, "claims.aa-" + "0" * 64) == [1]  # another kind keeps its own
    assert not old.exists() and fresh.exists()  # a writer killed ten minutes ago; one that may still be writing


def test_a_claims_file_read_from_its_entry_gives_the_claims_it_read(tmp_path: Path) -> None:
    """Each claims file's entry keeps its chunks of claims (MessagePack; marshal for what MessagePack cannot
    hold, such as a figure written as an integer beyond 64 bits) and gives back the very same claims."""
    from factcheck.pipeline import cache, store

    example = tmp_path / "ledger"
    subprocess.run(["git", "init", "-q", str(example)], check=True)
    (example / "sources").mkdir()
    (example / "claims").mkdir()
    for name, value in [("a", "800"), ("b", "100000000000000000000000000000")]:
        claims = "".join(
            f"  - id: {name}{n}\n    text: Claim {n} of 2024-01-0{n}\n    claimant: Someone\n    date: 2024-01-0{n}\n"
            f"    quantity: {{value: {value}, bound: about, unit: AZN}}\n"
            f"    history: [{{date: 2024-02-0{n}, status: unverified, note: read}}]\n" for n in (1, 2))
        (example / "claims" / f"{name}.yaml").write_text("claims:\n" + claims, encoding="utf-8")
    cold = load_ledger(example)
    entries = [cache.read(example, p.name[:-len(".marshal")]) for p in (example / CACHE_DIR).glob("claims.*.marshal")]
    assert sorted(chunk[:1] for entry in entries for chunk in entry["chunks"]) == [b"M", b"m"]
    with mock.patch.object(store, "_claims_fast", side_effect=AssertionError("parsed again")):
        warm = load_ledger(example)
    assert [r.claim for r in warm.claims] == [r.claim for r in cold.claims] and len(warm.claims) == 4
    assert [r.claim.quantity.value for r in warm.claims if r.claim.quantity] == [800, 800, 1e29, 1e29]
