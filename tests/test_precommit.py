"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit on real git repositories.

pre-commit installs this project into a hook environment of its own from a git repository: the tests make one
from the working tree (so what is tested is the code at hand, committed or not), once per run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, write_ledger

GOOD = """\
claims:
  - id: c1
    text: Azerbaijan is working on more than 800 new weapons.
    claimant: The minister
    date: 2023-09-29
    appearances:
      - source: src
        text: Azerbaijan is working on more than 800 new weapons
"""
BROKEN = GOOD.replace("more than 800 new weapons\n", "more than 900 new weapons\n")

GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
           "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """This project's working tree committed into a fresh repository; its commit; a pre-commit home for the run."""
    repo = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                            capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "the project")
    return repo, git(repo, "rev-parse", "HEAD"), tmp_path_factory.mktemp("pre-commit-home")


def ledger_repo(root: Path, hook_repo: tuple[Path, str, Path], ledgers: dict[str, str], args: str = "") -> Path:
    repo, rev, _ = hook_repo
    for folder, claims in ledgers.items():
        write_ledger(root / folder if folder else root, claims)
    hook_args = f"\n        args: [{args}]" if args else ""
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: factcheck-verify{hook_args}\n"
        f"      - id: factcheck-fmt{hook_args}\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    return root


def pre_commit(root: Path, hook_repo: tuple[Path, str, Path]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(hook_repo[2]), "NO_COLOR": "1"}
    env.pop("FACTCHECK_NO_CACHE", None)
    command = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=900)


def test_a_clean_ledger_at_the_root_passes(tmp_path: Path, hook_repo: tuple[Path, str, Path]) -> None:
    root = ledger_repo(tmp_path / "desk", hook_repo, {"": GOOD})
    done = pre_commit(root, hook_repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "factcheck verify" in done.stdout and "Passed" in done.stdout


def test_a_broken_ledger_at_the_root_fails_with_its_located_message(tmp_path: Path,
                                                                    hook_repo: tuple[Path, str, Path]) -> None:
    root = ledger_repo(tmp_path / "desk", hook_repo, {"": BROKEN})
    done = pre_commit(root, hook_repo)
    assert done.returncode == 1
    assert "claims.yaml:8:15: error quote-not-found" in done.stdout


def test_ledgers_in_subfolders_are_each_checked(tmp_path: Path, hook_repo: tuple[Path, str, Path]) -> None:
    root = ledger_repo(tmp_path / "newsroom", hook_repo, {"desk-a": GOOD, "desk-b": BROKEN})
    done = pre_commit(root, hook_repo)
    assert done.returncode == 1
    assert "desk-b/claims.yaml:8:15: error quote-not-found" in done.stdout
    assert "desk-a/claims.yaml" not in done.stdout
    assert "2 claims, 2 sources: 1 error, 0 warnings, 0 info" in done.stdout


def test_args_name_one_ledger(tmp_path: Path, hook_repo: tuple[Path, str, Path]) -> None:
    root = ledger_repo(tmp_path / "newsroom", hook_repo, {"desk": BROKEN, "other": GOOD}, args="-C, desk")
    done = pre_commit(root, hook_repo)
    assert done.returncode == 1
    assert "claims.yaml:8:15: error quote-not-found" in done.stdout
    assert "1 claim, 1 source: 1 error" in done.stdout


def test_fmt_check_names_a_file_out_of_layout(tmp_path: Path, hook_repo: tuple[Path, str, Path]) -> None:
    untidy = GOOD.replace("    text: Azerbaijan is working", "    text:    Azerbaijan is working", 1)
    root = ledger_repo(tmp_path / "newsroom", hook_repo, {"desk": untidy})
    done = pre_commit(root, hook_repo)
    assert done.returncode == 1
    assert "would reformat desk/claims.yaml" in done.stdout
