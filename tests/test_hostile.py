"""A ledger from a pull request cannot make a command write outside it, hang, or replay an old result."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import write_ledger
from tests.test_precommit import BROKEN, GOOD

CACHE = ".factcheck-cache"


def factcheck(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
    return subprocess.run([sys.executable, "-m", "factcheck", "-C", str(root), *args], env=env,
                          capture_output=True, text=True, timeout=60)


def entries(root: Path) -> dict[str, Path]:
    """The cache's entries by kind (claims, one a claims file; sources; rows; verify; answers, one a command
    line)."""
    return {path.name.split("-", 1)[0].split(".")[0]: path for path in (root / CACHE).glob("*.marshal")}


def test_cache_entries_that_are_links_are_replaced_not_written_through(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "desk", GOOD)
    for command in (["list"], ["verify"]):
        assert factcheck(root, *command).returncode == 0
    outside = tmp_path / "bashrc"
    outside.write_text("export PS1='$ '\n", encoding="utf-8")
    assert set(entries(root)) == {"answers", "claims", "rows", "sources", "verify"}
    made = list((root / CACHE).glob("*.marshal"))  # every entry: list's and verify's answers too
    for path in made:
        path.unlink()
        path.symlink_to(outside)
    for command in (["list"], ["verify"]):
        assert factcheck(root, *command).returncode == 0
    assert outside.read_text(encoding="utf-8") == "export PS1='$ '\n"
    assert all(path.is_file() and not path.is_symlink() for path in made)


def test_a_cache_folder_that_is_a_link_is_neither_read_nor_written(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "desk", GOOD)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / CACHE).symlink_to(elsewhere)
    assert factcheck(root, "verify").returncode == 0
    assert list(elsewhere.iterdir()) == []


def test_a_lock_that_is_a_link_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "desk", GOOD)
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n", encoding="utf-8")
    (root / ".factcheck.lock").symlink_to(target)
    done = factcheck(root, "status", "c1", "unverifiable", "--note", "no list", "--by", "x")
    assert done.returncode == 2
    assert done.stderr == (f"factcheck: error: the lock {root / '.factcheck.lock'} is a symbolic link; factcheck never "
                           "writes through one: remove it (the lock is made anew)\n")
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert "status: unverified" not in (root / "claims.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", ["sources", "claims"])
def test_a_ledger_folder_that_is_a_link_is_refused(tmp_path: Path, folder: str) -> None:
    root = write_ledger(tmp_path / "desk", GOOD)
    outside = tmp_path / "outside"
    if folder == "sources":
        (root / "sources").rename(outside)
    else:
        outside.mkdir()
        (root / "claims.yaml").rename(outside / "a.yaml")
    (root / folder).symlink_to(outside)
    done = factcheck(root, "verify")
    assert done.returncode == 2
    assert done.stderr == (f"factcheck: error: {root / folder} is a symbolic link: a ledger's {folder}/ must be a "
                           "real folder inside it\n")


@pytest.mark.parametrize("name", ["src.txt", "src.yaml"])
def test_a_fifo_in_sources_is_refused_not_waited_on(tmp_path: Path, name: str) -> None:
    root = write_ledger(tmp_path / "desk", GOOD)
    (root / "sources" / name).unlink()
    os.mkfifo(root / "sources" / name)
    for command in (["verify"], ["list"], ["report"]):
        done = factcheck(root, *command)  # a blocked read would time out
        assert done.returncode == 1, (command, done.stderr)
    assert f"sources/{name}:1:1: error source-unsafe: a FIFO (named pipe): snapshots and their metadata" \
        in factcheck(root, "verify").stdout


def test_a_claims_file_that_is_a_fifo_says_so(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "desk", None)
    os.mkfifo(root / "claims.yaml")
    done = factcheck(root, "verify")
    assert (done.returncode, done.stderr) == (2, f"factcheck: error: {root / 'claims.yaml'} is a FIFO (named pipe), "
                                                 "not a claims file\n")


def test_a_fifo_as_a_cache_entry_is_a_miss(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "desk", BROKEN)
    assert factcheck(root, "verify").returncode == 1
    for path in entries(root).values():
        path.unlink()
        os.mkfifo(path)
    done = factcheck(root, "verify")
    assert done.returncode == 1 and "quote-not-found" in done.stdout


def test_an_old_state_replayed_onto_the_new_keys_is_a_miss(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "desk", GOOD)
    for command in (["list"], ["verify"]):
        assert factcheck(root, *command).returncode == 0
    old = {kind: path.read_bytes() for kind, path in entries(root).items()}
    shutil.rmtree(root / CACHE)
    changed = BROKEN.replace("    text: Azerbaijan is working", "    text: Changed words, Azerbaijan is working", 1)
    (root / "claims.yaml").write_text(changed, encoding="utf-8")
    assert factcheck(root, "list").returncode == 0
    assert factcheck(root, "verify").returncode == 1
    new = entries(root)
    assert set(new) == set(old) == {"answers", "claims", "rows", "sources", "verify"}
    for kind, path in new.items():
        path.write_bytes(old[kind])  # signed by this machine, for another state of the ledger
    verified = factcheck(root, "verify")
    assert verified.returncode == 1 and "quote-not-found" in verified.stdout
    listed = factcheck(root, "list")
    assert listed.returncode == 0 and "Changed words" in listed.stdout


def test_an_unknown_key_with_a_bracket_is_named_at_its_place(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "desk", GOOD.replace("    appearances:", "    a[b: 1\n    appearances:"))
    done = factcheck(root, "verify")
    assert done.returncode == 1
    assert done.stdout.startswith("claims.yaml:6:5: error schema: unknown field 'a[b'; the fields are id, text,")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("text", "code", "said"), [
    ("[" * 100_000, 2, "nested too deeply to be read (no ClaimReview feed nests that far)\n"),
    ('{"a":' * 900 + "1" + "}" * 900, 2, "nested more than 64 levels deep: not read (no ClaimReview feed nests that far)\n"),
    ("[" * 900 + "]" * 900, 2, "nested more than 64 levels deep: not read (no ClaimReview feed nests that far)\n"),
    ("[" * 60 + "]" * 60, 0, "factcheck: added 0 claims; 0 already in the ledger; 0 repeated in the file; 0 skipped\n"),
])
def test_deeply_nested_json_to_import_is_an_error_not_a_traceback(tmp_path: Path, text: str, code: int,
                                                                   said: str) -> None:
    root = write_ledger(tmp_path / "desk", "claims: []\n")
    (tmp_path / "feed.json").write_text(text, encoding="utf-8")
    done = factcheck(root, "import", str(tmp_path / "feed.json"), "--format", "claimreview")
    assert done.returncode == code and done.stderr.endswith(said), done.stderr


def test_a_source_add_killed_between_its_files_is_completed_by_the_retry(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "desk", GOOD)
    (root / "sources" / "new.txt").write_bytes(b"The words as captured.\n")  # the snapshot, then the kill
    (tmp_path / "capture.txt").write_bytes(b"The words as captured.\n")
    done = factcheck(root, "source", "add", str(tmp_path / "capture.txt"), "--id", "new", "--publisher", "P")
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("factcheck: completed source 'new' (sha256 ")
    assert "publisher: P" in (root / "sources" / "new.yaml").read_text(encoding="utf-8")
    assert factcheck(root, "verify").returncode == 0
    (tmp_path / "other.txt").write_bytes(b"Other words.\n")
    (root / "sources" / "new.yaml").unlink()
    refused = factcheck(root, "source", "add", str(tmp_path / "other.txt"), "--id", "new")
    assert refused.returncode == 2 and "a snapshot is never replaced" in refused.stderr
    assert (root / "sources" / "new.txt").read_bytes() == b"The words as captured.\n"


def test_a_read_only_claims_file_is_refused_not_replaced(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "desk", GOOD)
    (root / "claims.yaml").chmod(0o444)
    before = (root / "claims.yaml").read_bytes()
    done = factcheck(root, "status", "c1", "unverifiable", "--note", "no list", "--by", "x")
    assert done.returncode == 2
    assert done.stderr == (f"factcheck: error: {root / 'claims.yaml'} is read-only (no write permission): make it "
                           f"writable first (chmod u+w {root / 'claims.yaml'}); nothing was written\n")
    assert (root / "claims.yaml").read_bytes() == before


def test_a_claims_file_ending_in_yml_is_named_not_ignored(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "desk", None)
    (root / "claims").mkdir()
    (root / "claims" / "a.yaml").write_text(GOOD, encoding="utf-8")
    (root / "claims" / "b.yml").write_text(BROKEN.replace("id: c1", "id: c2"), encoding="utf-8")
    done = factcheck(root, "verify")
    assert (done.returncode, done.stderr) == (2, f"factcheck: error: {root / 'claims' / 'b.yml'}: claims files end "
                                                 "in .yaml; rename it to b.yaml (as it is, it would be left out)\n")


HOSTILE = "\x1bc\x07\x08\x9b31m\u202e\u2066\u2060\u2064\U000e0041\x7f"  # ESC c resets a terminal, CSI 31m paints
UNSAFE = {char for char in HOSTILE if not char.isalnum()}


def test_no_control_or_hiding_character_reaches_any_output(tmp_path: Path) -> None:
    claims = GOOD.replace("    text: Azerbaijan is working", f'    text: "{HOSTILE}Azerbaijan is working', 1) \
        .replace("new weapons.\n", 'new weapons."\n', 1).replace("claimant: The minister",
                                                                  f'claimant: "The {HOSTILE}minister"')
    claims = claims.replace("    appearances:", "    subject: s\n    quantity: {value: 800, bound: more-than}\n"
                            "    appearances:").replace("text: Azerbaijan is working on more than 800 new weapons\n",
                                                           f'text: "Azerbaijan {HOSTILE}working"\n')
    root = write_ledger(tmp_path / "desk", None)
    (root / "claims").mkdir()
    (root / "claims" / f"a{HOSTILE[:3]}b.yaml").write_text(claims.replace("\x1b", "\\e")
                                                           .replace("\x07", "\\a").replace("\x08", "\\b")
                                                           .replace("\x9b", "\\x9b").replace("\x7f", "\\x7f"),
                                                           encoding="utf-8")
    outputs = {}
    for command in (["list"], ["show", "c1"], ["verify"], ["verify", "--format", "github"], ["report"],
                    ["report", "--format", "json"], ["diff"], ["diff", "--format", "markdown"]):
        done = factcheck(root, *command)
        assert "Traceback" not in done.stderr, command
        outputs[" ".join(command)] = done.stdout + done.stderr
    assert "quote-not-found" in outputs["verify"]  # the ledger was read, with its hostile text
    for command, out in outputs.items():
        if command.endswith("json"):
            continue  # JSON escapes them as \\u sequences
        found = sorted({f"U+{ord(c):04X}" for c in out if c in UNSAFE})
        assert found == [], (command, found)


def _flow_and_block(count: int) -> tuple[bytes, bytes]:
    """The same claims as one flow-style line (as JSON writes them) and as a block list."""
    import json

    import yaml

    claims = [{"id": f"c{n}", "text": f"Claim number {n}: more than 800 weapons.", "claimant": "The minister",
               "date": "2023-09-29", "subject": "s", "quantity": {"value": 800 + n, "bound": "more-than"},
               "tags": [f"tag-{n}-{t}" for t in range(20)],
               "appearances": [{"source": "src", "text": "more than 800 new weapons" if n % 7 else "not there"}]}
              for n in range(count)]
    flow = ("claims: " + json.dumps(claims, ensure_ascii=False) + "\n").encode()
    block = yaml.safe_dump({"claims": claims}, sort_keys=False, allow_unicode=True, width=4096).encode()
    return flow, block


def test_a_one_line_flow_file_is_located_as_the_exact_reader_locates_it(tmp_path: Path) -> None:
    from unittest import mock

    from factcheck.pipeline import store
    from factcheck.pipeline.store import build_ledger
    from factcheck.yamlio import fastyaml
    from tests.conftest import SNAPSHOT, meta_for

    flow, _ = _flow_and_block(60)
    flow = flow.replace(b"Claim number 5:", "Clâim “number” 5:".encode())  # characters of more than one byte
    files = {"claims.yaml": flow, "sources/src.yaml": meta_for(SNAPSHOT).encode(), "sources/src.txt": SNAPSHOT.encode()}

    def problems() -> list[tuple[str, str, str | None]]:
        from factcheck.checking.checks import run_checks
        from factcheck.checking.options import Options

        ledger = build_ledger(files)
        return sorted((p.code, str(p.location), p.claim) for p in [*ledger.problems, *run_checks(ledger, Options())])

    with mock.patch.object(store, "CHUNK", 7):  # several chunks
        fast = problems()
    with mock.patch.object(fastyaml, "yaml_rs", None):
        exact = problems()
    assert fast == exact
    assert len([p for p in fast if p[0] == "quote-not-found"]) == 9


def test_a_one_line_flow_file_takes_the_memory_a_block_list_takes(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import tracemalloc

    from factcheck.checking.options import Options
    from factcheck.checking.verification import verify_ledger
    from factcheck.pipeline import store

    monkeypatch.setenv("FACTCHECK_NO_CACHE", "1")
    monkeypatch.setattr(store, "CHUNK", 100)  # a few chunks of a large file, as at scale
    peaks = []
    for shape, text in zip(("flow", "block"), _flow_and_block(3000), strict=True):
        root = write_ledger(tmp_path / shape, None)
        (root / "claims.yaml").write_bytes(text)
        tracemalloc.start()
        try:
            found = verify_ledger(root, Options()).problems  # locating 429 quotes not found
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        assert len([p for p in found if p.code == "quote-not-found"]) == 429
    flow_peak, block_peak = peaks
    assert flow_peak <= block_peak * 1.15, (flow_peak, block_peak)


def test_a_snapshot_that_cannot_be_read_is_a_located_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from factcheck.ledger import ledgerfiles
    from tests.conftest import run

    root = write_ledger(tmp_path / "desk", GOOD)
    real = ledgerfiles._read_up_to

    def denied(path: str | os.PathLike[str], limit: int) -> tuple[int, bytes]:
        if str(path).endswith("src.txt"):  # as an unreadable file is for a user who is not root
            raise PermissionError(13, "Permission denied")
        return real(path, limit)

    monkeypatch.setattr(ledgerfiles, "_read_up_to", denied)
    monkeypatch.setenv("FACTCHECK_NO_CACHE", "1")
    done = run("-C", root, "verify")
    assert done.exit_code == 1
    assert done.stdout.startswith("sources/src.txt:1:1: error source-unsafe: the snapshot cannot be read "
                                  "(Permission denied); it was not checked\n")


def test_init_where_the_folder_cannot_be_made_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "factcheck", "init", "afile/desk"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("factcheck: error: cannot make the ledger's folders in afile/desk: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


@pytest.mark.parametrize(("make", "what"), [
    (lambda p: p.mkdir(), "a folder"),
    (lambda p: p.symlink_to("nowhere.yaml"), "a symbolic link that leads nowhere"),
])
def test_a_claims_file_that_is_not_a_file_says_what_it_is(tmp_path: Path, make: Callable[[Path], None],
                                                          what: str) -> None:
    root = write_ledger(tmp_path / "desk", None)
    make(root / "claims.yaml")
    done = factcheck(root, "list")
    assert (done.returncode, done.stderr) == (2, f"factcheck: error: {root / 'claims.yaml'} is {what}, not a claims file\n")


@pytest.mark.parametrize("target", ["claims.yaml", "sources/src.txt", "sources/new.html", "claims/extra.yaml"])
@pytest.mark.parametrize("command", [["report", "--format", "html"], ["export", "--format", "csv"]])
def test_an_output_file_never_replaces_the_ledgers_own(tmp_path: Path, target: str, command: list[str]) -> None:
    root = write_ledger(tmp_path / "desk", GOOD)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    done = factcheck(root, *command, "-o", str(root / target))
    assert done.returncode == 2
    assert done.stderr == (f"factcheck: error: {root / target} is one of the ledger's own files (claims.yaml, "
                           "claims/, sources/): write the output elsewhere; nothing was written\n")
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".factcheck" not in str(p)} == \
        {p: d for p, d in before.items() if ".factcheck" not in str(p)}
    assert factcheck(root, *command, "-o", str(tmp_path / "out.file")).returncode == 0


def test_diff_with_no_series_says_so(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "desk", GOOD)
    done = factcheck(root, "diff")
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == ("factcheck: no claims over time to show: a claim is in a series when it has a subject "
                           "and a quantity\n")


def test_the_html_report_carries_no_control_or_hiding_character(tmp_path: Path) -> None:
    claims = GOOD.replace("claimant: The minister", 'claimant: "The \\e[31m\\u202eminister\\U000e0041"')
    root = write_ledger(tmp_path / "desk", claims)
    page = factcheck(root, "report", "--format", "html").stdout
    assert "The [31mminister" in page
    assert not {c for c in page if c in UNSAFE}
