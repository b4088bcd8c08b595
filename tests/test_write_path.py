"""The write path with real processes: killed writers, racing writers, the lock, temporaries, modes, links."""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from factcheck.ledger.files import LOCK_NAME, write_atomic
from factcheck.pipeline.store import load_ledger
from tests.conftest import run


def factcheck(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "factcheck", "-C", str(root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})


def big_ledger(root: Path, claims: int) -> bytes:
    root.mkdir(parents=True, exist_ok=True)
    lines = ["# a large ledger", "claims:"]
    for n in range(claims):
        lines += [f"  - id: claim-{n:05d}", f"    text: Claim number {n} says something about {n * 7} things.",
                  "    claimant: Someone", "    date: 2024-01-01", f"    note: {'padding ' * 20}"]
    data = ("\n".join(lines) + "\n").encode()
    (root / "claims.yaml").write_bytes(data)
    return data


def test_a_killed_writer_leaves_the_old_file_or_the_new_one(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    old = big_ledger(root, 4000)
    args = ("claim", "add", "--id", "late", "--text", "t", "--claimant", "c", "--date", "2024-02-02")
    started = time.monotonic()
    finished = factcheck(root, *args)
    assert finished.wait(60) == 0
    duration = time.monotonic() - started
    new = (root / "claims.yaml").read_bytes()
    assert new.startswith(old) and new != old
    rng = random.Random(1234)
    outcomes = {"old": 0, "new": 0}
    for attempt in range(30):
        (root / "claims.yaml").write_bytes(old)
        writer = factcheck(root, *args)
        time.sleep(rng.uniform(0.0, duration * 1.1) if attempt else duration * 0.9)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        now = (root / "claims.yaml").read_bytes()
        assert now in (old, new), f"attempt {attempt}: a half-written file"
        outcomes["old" if now == old else "new"] += 1
        assert load_ledger(root).problems == []
    assert outcomes["old"] > 0
    assert run("-C", root, "claim", "add", "--id", "after", "--text", "t", "--claimant", "c", "--date",
               "2024-03-03").exit_code == 0
    assert [p.name for p in root.iterdir() if p.name.endswith(".tmp")] == []  # a killed writer's are gone too


def test_racing_writers_lose_no_update(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    big_ledger(root, 2000)
    writers = [factcheck(root, "claim", "add", "--id", f"racer-{n}", "--text", f"racer {n}", "--claimant", "c",
                         "--date", "2024-02-02") for n in range(4)]
    assert [w.wait(120) for w in writers] == [0, 0, 0, 0]
    ids = {r.claim.id for r in load_ledger(root).claims}
    assert {f"racer-{n}" for n in range(4)} <= ids and len(ids) == 2004


HOLD_LOCK = """
import fcntl, os, sys, time
handle = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(handle, fcntl.LOCK_EX)
os.pwrite(handle, f"{os.getpid()}\\n".encode(), 0)
print("locked", flush=True)
time.sleep(30)
"""


def test_a_second_writer_is_told_who_holds_the_lock(example: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(example / LOCK_NAME)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        before = (example / "claims.yaml").read_bytes()
        writer = factcheck(example, "status", "az-kaan-cooperation-2023", "unverified", "--note", "n",
                           env={"FACTCHECK_LOCK_WAIT": "0.3"})
        _, err = writer.communicate(timeout=60)
        assert writer.returncode == 2
        assert f"the ledger is locked by pid {holder.pid}" in err.decode()
        assert (example / "claims.yaml").read_bytes() == before
        reader = factcheck(example, "verify")  # read-only commands never take the lock
        assert reader.wait(60) == 0
    finally:
        holder.kill()
        holder.wait()


def test_stray_temporaries_are_cleaned_on_the_next_write(example: Path) -> None:
    stray = example / ".factcheck-tmp.claims.yaml.abc123.tmp"
    stray.write_text("half a file")
    others = [example / "notes.tmp", example / ".draft.v2.tmp", example / ".claims.yaml.abc123.tmp"]
    for other in others:
        other.write_text("not ours")
    assert run("-C", example, "status", "az-kaan-cooperation-2023", "unverified", "--note", "n", "--by", "x").exit_code == 0
    assert not stray.exists() and all(other.read_text() == "not ours" for other in others)


def test_file_mode_is_kept(example: Path) -> None:
    path = example / "claims.yaml"
    path.chmod(0o640)
    assert run("-C", example, "status", "az-kaan-cooperation-2023", "unverified", "--note", "n", "--by", "x").exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_symlinked_claims_file_stays_a_link(example: Path) -> None:
    real = example / "data" / "claims.yaml"
    real.parent.mkdir()
    (example / "claims.yaml").rename(real)
    (example / "claims.yaml").symlink_to("data/claims.yaml")
    assert run("-C", example, "status", "az-kaan-cooperation-2023", "unverified", "--note", "n", "--by", "x").exit_code == 0
    assert (example / "claims.yaml").is_symlink()
    assert "note: n" in real.read_text(encoding="utf-8")


def test_a_claims_file_linked_outside_the_ledger_is_neither_read_nor_written(example: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    (example / "claims.yaml").rename(outside)
    before = outside.read_bytes()
    (example / "claims.yaml").symlink_to(outside)
    for command in (["list"], ["status", "az-kaan-cooperation-2023", "unverified", "--note", "n", "--by", "x"]):
        result = run("-C", example, *command)
        assert result.exit_code == 2
        assert result.stderr == (f"factcheck: error: {example / 'claims.yaml'} is a symbolic link to a file outside the "
                                 "ledger; factcheck reads and writes only the ledger's own files\n")
    assert outside.read_bytes() == before


def test_write_atomic_leaves_nothing_when_it_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "file.yaml"
    target.write_bytes(b"old")

    def broken_replace(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    from factcheck.errors import FactcheckError

    with pytest.raises(FactcheckError, match="No space left on device; the file is unchanged"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["file.yaml"]


def test_a_write_whose_pieces_fail_halfway_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    from factcheck.errors import FactcheckError
    from factcheck.ledger.files import write_atomic

    target = tmp_path / "report.html"
    target.write_bytes(b"the old report")

    def pieces() -> Iterator[bytes]:
        yield b"<!doctype html>" * 1000
        raise FactcheckError("a temporary file was cut short while it was read back")

    with pytest.raises(FactcheckError, match="cut short"):
        write_atomic(target, pieces())
    assert target.read_bytes() == b"the old report" and [p.name for p in tmp_path.iterdir()] == ["report.html"]
