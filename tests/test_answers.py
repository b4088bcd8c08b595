"""Kept answers: a command that only reads, run again on an unchanged ledger, prints the same bytes and exits
the same, without importing the command line; any change to what it depends on runs it again."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.pipeline import answers, cache
from tests.conftest import REPO, meta_for
from tests.test_precommit import GOOD

CLAIM = GOOD  # one claim quoting its source word for word
# what a kept answer is given with: nothing else of the package
ANSWERING = {"factcheck", "factcheck.__main__", "factcheck.pipeline", "factcheck.pipeline.answers", "factcheck.pipeline.cache",
             "factcheck.ledger", "factcheck.ledger.folder"}


def factcheck(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m factcheck`, as the console script runs it, with stdout and stderr piped; `-X importtime`
    shows on stderr which modules it imported (those lines are written by Python, not kept in an answer)."""
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "factcheck", *args], cwd=cwd, capture_output=True,
                          text=True, env=env if env is not None else dict(os.environ, PYTHONPATH=str(REPO)))


def printed(done: subprocess.CompletedProcess[str]) -> tuple[str, str, int]:
    """What the command printed (stderr without Python's import times) and its exit status."""
    err = "".join(line for line in done.stderr.splitlines(keepends=True) if not line.startswith("import time:"))
    return done.stdout, err, done.returncode


def imported(done: subprocess.CompletedProcess[str]) -> set[str]:
    return {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


def answers_kept(root: Path) -> list[str]:
    return sorted(p.name for p in (root / cache.CACHE_DIR).glob("answers.*"))


@pytest.fixture
def desk(ledger) -> Path:  # type: ignore[no-untyped-def]
    return ledger(CLAIM)


@pytest.mark.parametrize("args", [("verify",), ("verify", "--format", "json"), ("list",), ("list", "--format", "csv"),
                                  ("show", "c1"), ("verify", "c1"), ("diff",),
                                  ("report", "--format", "html"), ("report",)])
def test_an_answer_is_the_same_bytes_and_status_without_the_command_line(desk: Path, args: tuple[str, ...]) -> None:
    first = factcheck("-C", str(desk), *args, cwd=desk.parent)
    assert "click" in imported(first)
    assert len(answers_kept(desk)) == 1
    again = factcheck("-C", str(desk), *args, cwd=desk.parent)
    assert printed(again) == printed(first)
    modules = imported(again)
    assert {m for m in modules if m.startswith("factcheck")} <= ANSWERING
    assert not modules & {"click", "yaml", "yaml_rs", "pydantic", "rapidfuzz", "jinja2", "typing"}
    fresh = factcheck("-C", str(desk), *args, "--no-cache", cwd=desk.parent)  # another command line: not answered
    assert printed(fresh) == printed(first)


def test_findings_and_their_exit_status_are_answered_too(desk: Path) -> None:
    broken = CLAIM.replace("on more than 800 new weapons\n", "at more than 800 new weapons\n")
    (desk / "claims.yaml").write_text(broken, encoding="utf-8")
    first = factcheck("verify", cwd=desk)
    assert first.returncode == 1 and "quote-not-found" in first.stdout
    again = factcheck("verify", cwd=desk)
    assert printed(again) == printed(first) and "click" not in imported(again)


@pytest.mark.parametrize("change", ["claim", "snapshot", "metadata", "new source file", "file removed", "claims folder"])
def test_any_change_to_the_ledger_runs_the_command_again(desk: Path, change: str) -> None:
    factcheck("verify", cwd=desk)
    assert "click" not in imported(factcheck("verify", cwd=desk))
    sources = desk / "sources"
    if change == "claim":
        (desk / "claims.yaml").write_text(CLAIM.replace("800 new weapons.", "800 new arms."), encoding="utf-8")
    elif change == "snapshot":
        text = (sources / "src.txt").read_text(encoding="utf-8")
        (sources / "src.txt").write_text(text.replace("800 new", "900 new"), encoding="utf-8")
    elif change == "metadata":
        (sources / "src.yaml").write_text(meta_for((sources / "src.txt").read_bytes(), title="Other", published="2023-09-30"),
                                          encoding="utf-8")
    elif change == "new source file":
        (sources / "other.txt").write_text("Another text.\n", encoding="utf-8")
    elif change == "file removed":
        (sources / "src.yaml").unlink()
    else:
        (desk / "claims").mkdir()
    expected = printed(factcheck("verify", "--no-cache", cwd=desk))
    again = factcheck("verify", cwd=desk)
    assert "click" in imported(again), "a changed ledger was answered from before the change"
    assert printed(again) == expected


def test_a_file_touched_but_not_changed_is_still_answered(desk: Path) -> None:
    factcheck("list", cwd=desk)
    os.utime(desk / "claims.yaml", (1, 1))
    assert "click" not in imported(factcheck("list", cwd=desk))


def test_the_environment_the_folder_and_the_tool_are_part_of_the_question(desk: Path, tmp_path: Path) -> None:
    base = dict(os.environ, PYTHONPATH=str(REPO), ANY_VARIABLE="one")
    factcheck("verify", "--format", "github", cwd=desk, env=base)
    assert "click" not in imported(factcheck("verify", "--format", "github", cwd=desk, env=base))
    assert "click" in imported(factcheck("verify", "--format", "github", cwd=desk, env=dict(base, ANY_VARIABLE="two")))
    assert "click" in imported(factcheck("-C", str(desk), "verify", "--format", "github", cwd=tmp_path, env=base))
    # a copy of the tool that differs by one file's time is another tool
    tool = tmp_path / "tool"
    import shutil

    shutil.copytree(REPO / "factcheck", tool / "factcheck", ignore=shutil.ignore_patterns("__pycache__"))
    other = dict(base, PYTHONPATH=str(tool))
    factcheck("verify", cwd=desk, env=other)
    assert "click" not in imported(factcheck("verify", cwd=desk, env=other))
    os.utime(tool / "factcheck" / "render" / "text.py", (1, 1))
    assert "click" in imported(factcheck("verify", cwd=desk, env=other))


def test_no_answer_without_the_cache_on_a_terminal_or_for_a_failed_command(desk: Path) -> None:
    for args in (["--no-cache", "verify"], ["verify", "--no-cache"], ["verify", "no-such-claim"], ["list", "--status", "odd"]):
        done = factcheck(*args, cwd=desk)
        assert done.returncode == (0 if "--no-cache" in args else 2)
        assert answers_kept(desk) == [], args
    factcheck("verify", cwd=desk, env=dict(os.environ, PYTHONPATH=str(REPO), FACTCHECK_NO_CACHE="1"))
    assert answers_kept(desk) == []
    # a bad FACTCHECK_NO_CACHE is the command line's error, not a question
    bad = factcheck("verify", cwd=desk, env=dict(os.environ, PYTHONPATH=str(REPO), FACTCHECK_NO_CACHE="maybe"))
    assert bad.returncode == 2 and "FACTCHECK_NO_CACHE" in bad.stderr
    # on a terminal: colours and a progress bar are for the terminal, never kept
    main, other = pty.openpty()
    subprocess.run([sys.executable, "-m", "factcheck", "verify"], cwd=desk, stdout=other, stderr=other,
                   env=dict(os.environ, PYTHONPATH=str(REPO)), check=False)
    os.close(main)
    os.close(other)
    assert answers_kept(desk) == []


def test_a_ledger_with_a_link_is_never_answered(desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "isatty", lambda fd: False)
    assert answers.asked(["-C", str(desk), "verify"]) is not None
    real = tmp_path / "real.yaml"
    (desk / "claims.yaml").rename(real)
    (desk / "claims.yaml").symlink_to(real)
    assert answers.asked(["-C", str(desk), "verify"]) is None
    (desk / "claims.yaml").unlink()
    real.rename(desk / "claims.yaml")
    (desk / "sources" / "extra.txt").symlink_to(desk / "sources" / "src.txt")
    assert answers.asked(["-C", str(desk), "verify"]) is None


@pytest.mark.parametrize("argv", [["verify", "-C", "x"], ["list", "--root=x"], ["verify", "--for-files", "claims.yaml"],
                                  ["--help"], ["verify", "--help"], ["report", "-o", "r.html"], ["report", "--output=r.md"],
                                  ["diff", "--rev", "HEAD"], ["claim", "add"], ["--version"], ["fmt", "--check"],
                                  ["-v", "verify"], []])
def test_only_reading_commands_with_the_ledger_named_first_are_questions(desk: Path, argv: list[str],
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(desk)
    monkeypatch.setattr(os, "isatty", lambda fd: False)
    assert answers.asked(["list"]) is not None
    assert answers.asked(argv) is None


def test_a_change_while_the_command_runs_is_not_kept(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "isatty", lambda fd: False)
    question = answers.asked(["-C", str(desk), "verify"])
    assert question is not None
    stdout, stderr = sys.stdout, sys.stderr
    try:
        recording = answers.Recording(question)
        print("what the command printed")
        (desk / "claims.yaml").write_text(CLAIM + "\n", encoding="utf-8")
        recording.keep(0, str(desk))
        assert answers_kept(desk) == []
        recording = answers.Recording(answers.asked(["-C", str(desk), "verify"]))  # type: ignore[arg-type]
        print("what the command printed")
        recording.keep(0, str(desk / "sources"))  # another folder than the one asked about was read
        assert answers_kept(desk) == []
        recording.keep(0, str(desk))
        assert answers_kept(desk) != []
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def test_an_answer_this_machine_did_not_sign_is_not_given(desk: Path) -> None:
    first = factcheck("verify", cwd=desk)
    [name] = answers_kept(desk)
    entry = desk / cache.CACHE_DIR / name
    data = bytearray(entry.read_bytes())
    data[-3] ^= 1
    entry.write_bytes(bytes(data))
    again = factcheck("verify", cwd=desk)
    assert "click" in imported(again) and printed(again) == printed(first)


def test_the_date_is_part_of_the_question(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "isatty", lambda fd: False)
    today = answers.asked(["-C", str(desk), "verify"])
    monkeypatch.setattr(answers.time, "strftime", lambda _format: "2099-01-01")
    later = answers.asked(["-C", str(desk), "verify"])
    assert today is not None and later is not None and today.entry != later.entry


def test_an_old_ledger_is_answered_by_its_stats_alone_and_a_new_one_by_its_bytes(
        desk: Path, monkeypatch: pytest.MonkeyPatch, capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    monkeypatch.setattr(os, "isatty", lambda fd: False)
    argv = ["-C", str(desk), "verify"]

    def answered(question: answers.Question | None) -> int | None:
        assert question is not None
        return answers.give(question)

    def record(printed: str) -> None:
        question = answers.asked(argv)
        assert question is not None
        stdout, stderr = sys.stdout, sys.stderr
        try:
            recording = answers.Recording(question)
            print(printed)
            recording.keep(0, str(desk))
        finally:
            sys.stdout, sys.stderr = stdout, stderr

    # just written: every file is read for the digest, and the answer is given for the same bytes
    record("from the new ledger")
    capfdbinary.readouterr()
    os.utime(desk / "sources" / "src.txt", (1, 1))  # another stat, the same bytes
    assert answered(answers.asked(argv)) == 0
    assert capfdbinary.readouterr().out == b"from the new ledger\n"
    # a ledger older than the file system's time step: its stats alone are compared, and no file is read
    monkeypatch.setattr(answers, "_RACY_NS", 0)
    record("from the old ledger")
    capfdbinary.readouterr()
    monkeypatch.setattr(answers, "_digest", lambda listing: pytest.fail("a file was read"))
    assert answered(answers.asked(argv)) == 0
    assert capfdbinary.readouterr().out == b"from the old ledger\n"
    os.utime(desk / "sources" / "src.txt", (2, 2))  # a stat changed: the command runs again
    assert answered(answers.asked(argv)) is None


def test_a_closed_output_asks_nothing(desk: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "factcheck", "-C", str(desk), "verify"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=str(REPO)),
                          preexec_fn=lambda: os.close(1))
    assert "Traceback" not in done.stderr
    assert answers_kept(desk) == []
