"""`diff --rev` against real git repositories built in tmp_path, with pinned authors and dates."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import meta_for, run

CLAIM = """\
claims:
  - id: c1
    text: Azerbaijan is working on more than 800 new weapons.
    claimant: The minister
    date: 2023-09-29
    quantity: {value: 800, bound: more-than, unit: weapons}
    appearances:
      - {source: src, text: more than 800 new weapons}
  - id: c2
    text: Two more factories.
    claimant: AzerNews
    date: 2023-09-29
"""
SNAPSHOT = "Azerbaijan is working on more than 800 new weapons.\nAn audit found 900 in 2024.\n"


class Repo:
    """A git repository whose commits have fixed authors and dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        stamp = f"2024-01-{self.count + 1:02d}T12:00:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_NAME": "Desk", "GIT_AUTHOR_EMAIL": "desk@example.org",
               "GIT_COMMITTER_NAME": "Desk", "GIT_COMMITTER_EMAIL": "desk@example.org",
               "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_CONFIG_GLOBAL": "/dev/null",
               "GIT_CONFIG_SYSTEM": "/dev/null"}
        done = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True)
        return done.stdout

    def write(self, name: str, text: str) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def commit(self, message: str) -> str:
        self.count += 1
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.write("claims.yaml", CLAIM)
    repo.write("sources/src.txt", SNAPSHOT)
    repo.write("sources/src.yaml", meta_for(SNAPSHOT, published="2023-09-29"))
    repo.commit("first ledger")
    return repo


def diff_json(repo: Repo, *args: str) -> dict:  # type: ignore[type-arg]
    result = run("-C", repo.root, "diff", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_verdict_and_figure_change_against_the_work_tree(repo: Repo) -> None:
    repo.write("claims.yaml", CLAIM.replace("bound: more-than", "bound: exactly").replace(
        "    date: 2023-09-29\n    quantity", "    date: 2023-09-29\n    status: refuted\n    note: the audit found 900\n"
        "    evidence:\n      - {source: src, text: An audit found 900, stance: refutes}\n    history:\n"
        "      - {date: 2024-02-01, status: refuted, by: Desk}\n    quantity"))
    body = diff_json(repo, "--rev", "HEAD")
    assert (body["before"], body["after"]) == ("HEAD", "work tree")
    (change,) = body["claims_changed"]
    assert change["claim"] == "c1"
    assert [(c["field"], c["before"], c["after"]) for c in change["changes"]] == [
        ("verdict", "unverified", "refuted"),
        ("figure", "more than 800 weapons", "800 weapons"),
        ("note", None, "the audit found 900"),
        ("evidence: quote added", None, "src: 'An audit found 900' (refutes)"),
        ("history: entry added", None, "2024-02-01 refuted by Desk"),
    ]


def test_claims_added_removed_and_a_re_snapshotted_source(repo: Repo) -> None:
    first = repo.git("rev-parse", "HEAD").strip()
    repo.write("claims.yaml", CLAIM.split("  - id: c2")[0] + "  - {id: c3, text: t, claimant: c, date: 2024-01-01}\n")
    new_text = SNAPSHOT + "Corrected.\n"
    repo.write("sources/src.txt", new_text)
    repo.write("sources/src.yaml", meta_for(new_text, published="2023-09-29"))
    repo.write("sources/other.txt", "x")
    repo.write("sources/other.yaml", meta_for("x"))
    repo.commit("second")
    body = diff_json(repo, "--rev", f"{first}..HEAD")
    assert body["claims_added"] == ["c3"] and body["claims_removed"] == ["c2"] and body["claims_changed"] == []
    assert body["sources_added"] == ["other"]
    (source,) = body["sources_changed"]
    assert source["source"] == "src" and source["what"] == "re-snapshotted (sha256 changed)"
    assert body["counts"] == {"claims_added": 1, "claims_removed": 1, "claims_changed": 0, "sources_added": 1,
                              "sources_removed": 0, "sources_changed": 1}
    summary = run("-C", repo.root, "diff", "--rev", "HEAD~1..HEAD", "--summary")
    assert summary.stdout == ("claims: 1 added, 1 removed, 0 changed; sources: 1 added, 0 removed, 1 changed\n")
    short = run("-C", repo.root, "diff", "--rev", "HEAD~1..", "--summary", "--format", "json")
    assert set(json.loads(short.stdout)) == {"version", "before", "after", "counts"}


def test_moving_to_the_split_layout_changes_no_claim(repo: Repo) -> None:
    (repo.root / "claims.yaml").unlink()
    parts = CLAIM.split("  - id: c2")
    repo.write("claims/a.yaml", parts[0])
    repo.write("claims/b.yaml", "claims:\n  - id: c2" + parts[1])
    repo.commit("split the claims")
    body = diff_json(repo, "--rev", "HEAD~1..HEAD")
    assert body["counts"] == dict.fromkeys(body["counts"], 0)
    assert run("-C", repo.root, "diff", "--rev", "HEAD~1..HEAD", "--exit-code").exit_code == 0


def test_exit_code_and_markdown(repo: Repo) -> None:
    assert run("-C", repo.root, "diff", "--rev", "HEAD", "--exit-code").exit_code == 0
    repo.write("claims.yaml", CLAIM.replace("text: Two more factories.", "text: 'Two | more *factories* <b>'"))
    result = run("-C", repo.root, "diff", "--rev", "HEAD", "--exit-code", "--format", "markdown")
    assert result.exit_code == 1
    assert "### Ledger changes: HEAD → work tree" in result.stdout
    assert "  - text: Two more factories. → Two \\| more \\*factories\\* \\<b\\>\n" in result.stdout


def test_a_ledger_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("desk/claims.yaml", CLAIM)
    repo.write("desk/sources/src.txt", SNAPSHOT)
    repo.write("desk/sources/src.yaml", meta_for(SNAPSHOT, published="2023-09-29"))
    repo.commit("ledger in a folder")
    repo.write("desk/claims.yaml", CLAIM.replace("id: c2", "id: c9"))
    body = json.loads(run("-C", repo.root / "desk", "diff", "--rev", "HEAD", "--format", "json").stdout)
    assert body["claims_added"] == ["c9"] and body["claims_removed"] == ["c2"]


@pytest.mark.parametrize("args, message", [
    (["--rev", "no-such-rev"], "unknown revision 'no-such-rev'"),
    (["--rev", "HEAD~5"], "unknown revision 'HEAD~5'"),
    (["--rev", "--output=/tmp/x"], "unknown revision '--output=/tmp/x'"),
])
def test_unknown_revisions_are_exit_2(repo: Repo, args: list[str], message: str) -> None:
    result = run("-C", repo.root, "diff", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"factcheck: error: {message}\n")


def test_a_ledger_that_does_not_load_at_a_revision_is_compared_as_far_as_it_loads(repo: Repo) -> None:
    repo.write("claims.yaml", CLAIM.replace("  - id: c2\n", "  - id: c2\n    colour: red\n"))
    repo.commit("a claim that does not validate")
    result = run("-C", repo.root, "diff", "--rev", "HEAD~1..HEAD", "--format", "json")
    assert result.exit_code == 0
    assert "factcheck: warning: the ledger at HEAD does not load whole: claims.yaml:" in result.stderr
    assert "it is compared as far as it loads (1 claim)" in result.stderr
    assert json.loads(result.stdout)["claims_removed"] == ["c2"]
    repo.write("claims.yaml", "claims: [\n")
    repo.commit("broken")
    broken = run("-C", repo.root, "diff", "--rev", "HEAD~2..HEAD", "--summary")
    assert broken.exit_code == 0 and "yaml-syntax" in broken.stderr and "(0 claims)" in broken.stderr


def test_a_base_without_a_ledger_counts_everything_as_added(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("README.md", "A desk.\n")
    repo.commit("before the ledger")
    repo.write("claims.yaml", CLAIM)
    result = run("-C", repo.root, "diff", "--rev", "HEAD", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ("factcheck: warning: no ledger at HEAD: neither claims.yaml nor claims/ exists: every "
                             "claim on the other side counts as added\n")
    assert json.loads(result.stdout)["claims_added"] == ["c1", "c2"]


def test_an_empty_repository_compares_against_nothing(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("claims.yaml", CLAIM)
    result = run("-C", repo.root, "diff", "--rev", "HEAD", "--summary")
    assert result.exit_code == 0
    assert "the repository has no commits yet, so HEAD is nothing" in result.stderr
    assert "2 added" in result.stdout


def test_an_unknown_revision_is_still_an_error(repo: Repo) -> None:
    result = run("-C", repo.root, "diff", "--rev", "no-such-branch")
    assert (result.exit_code, result.stderr) == (2, "factcheck: error: unknown revision 'no-such-branch'\n")


def test_a_rewritten_history_entry_is_shown_old_and_new_field_by_field(repo: Repo) -> None:
    entry = "    status: refuted\n    evidence:\n      - {source: src, text: An audit found 900 in 2024, stance: refutes}\n" \
            "    history:\n      - {date: 2024-02-01, status: refuted, note: %s, by: Desk}\n"
    with_history = CLAIM.replace("    appearances:\n      - {source: src, text: more than 800 new weapons}\n",
                                 "    appearances:\n      - {source: src, text: more than 800 new weapons}\n" + entry % "audit")
    repo.write("claims.yaml", with_history)
    repo.commit("a verdict")
    repo.write("claims.yaml", with_history.replace("note: audit, by: Desk", "note: the audit of 2024, by: Editor"))
    changes = diff_json(repo, "--rev", "HEAD")["claims_changed"][0]["changes"]
    assert [(c["field"], c["before"], c["after"]) for c in changes] == [
        ("history entry 1 rewritten: note", "audit", "the audit of 2024"),
        ("history entry 1 rewritten: by", "Desk", "Editor")]


def test_not_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "claims.yaml").write_text("claims: []\n")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = run("-C", tmp_path, "diff", "--rev", "HEAD")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"factcheck: error: {tmp_path} is not in a git repository; diff --rev compares git revisions\n"


def test_rev_and_subjects_do_not_mix(repo: Repo) -> None:
    assert run("-C", repo.root, "diff", "--rev", "HEAD", "s").exit_code == 2
    assert run("-C", repo.root, "diff", "--summary").exit_code == 2


def test_git_is_required(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo.root / "no-bin"))
    assert shutil.which("git") is None
    result = run("-C", repo.root, "diff", "--rev", "HEAD")
    assert (result.exit_code, result.stderr) == (2, "factcheck: error: git is not installed; diff --rev needs it\n")
