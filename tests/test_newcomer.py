"""A newcomer's first hour: options where people type them, the ledger found from a subfolder, clean
repositories, no traceback from the environment, and words a person understands."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from factcheck.cli import cli
from factcheck.ledger.typed import parse_date, parse_figure
from factcheck.settings import VARIABLES
from tests.conftest import REPO, run, write_ledger
from tests.test_precommit import BROKEN, GOOD, git


def factcheck(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The console command, as a person runs it."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
    return subprocess.run([sys.executable, "-m", "factcheck", *args], cwd=cwd, env={**full_env, **(env or {})},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [
    ["-C", "desk", "verify"], ["verify", "-C", "desk"], ["verify", "--root", "desk"], ["verify", "--root=desk"],
    ["--no-cache", "verify", "-C", "desk"], ["verify", "--no-cache", "-C", "desk"], ["verify", "-Cdesk"],
])
def test_root_and_no_cache_work_on_either_side_of_the_command(tmp_path: Path, args: list[str]) -> None:
    write_ledger(tmp_path / "desk", BROKEN)
    done = factcheck(*args, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "desk/claims.yaml:8:15: error quote-not-found: " + done.stdout.split(
        "quote-not-found: ", 1)[1])
    assert done.stderr == "1 claim, 1 source: 1 error, 0 warnings, 0 info\n"


def test_no_cache_after_the_command_leaves_no_cache(tmp_path: Path) -> None:
    write_ledger(tmp_path / "desk", GOOD)
    assert factcheck("list", "--no-cache", cwd=tmp_path / "desk").returncode == 0
    assert not (tmp_path / "desk" / ".factcheck-cache").exists()
    assert factcheck("list", cwd=tmp_path / "desk").returncode == 0
    assert (tmp_path / "desk" / ".factcheck-cache").is_dir()


def test_a_subcommand_of_a_group_takes_them_too(tmp_path: Path) -> None:
    write_ledger(tmp_path / "desk", GOOD)
    (tmp_path / "new.txt").write_text("Some words.\n", encoding="utf-8")
    done = factcheck("source", "add", "new.txt", "--id", "new", "-C", "desk", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "desk" / "sources" / "new.txt").read_text(encoding="utf-8") == "Some words.\n"


def test_the_ledger_is_found_from_a_subfolder(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "desk", BROKEN)
    done = factcheck("verify", cwd=root / "sources")
    assert done.returncode == 1
    assert done.stdout.startswith("claims.yaml:8:15: error quote-not-found")


def test_the_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOOD)
    inner = tmp_path / "project"
    inner.mkdir()
    git(inner, "init", "-q")
    done = factcheck("verify", cwd=inner)
    assert done.returncode == 2
    assert done.stderr == ("factcheck: error: no ledger in .: neither claims.yaml nor claims/ exists "
                           "(name the ledger's folder with -C DIR)\n")


def test_init_with_root_makes_the_ledger_there(tmp_path: Path) -> None:
    assert factcheck("-C", "desk", "init", cwd=tmp_path).returncode == 0
    assert (tmp_path / "desk" / "claims.yaml").is_file()


def test_a_repository_used_by_every_command_commits_no_cache(tmp_path: Path) -> None:
    assert factcheck("init", "desk", cwd=tmp_path).returncode == 0
    root = tmp_path / "desk"
    git(root, "init", "-q")
    (tmp_path / "a.txt").write_text("Azerbaijan is working on more than 800 new weapons.\n", encoding="utf-8")
    steps = [
        ["source", "add", "../a.txt", "--id", "a"],
        ["claim", "add", "--id", "c1", "--text", "More than 800 new weapons.", "--claimant", "A minister",
         "--date", "2023-9-29", "--subject", "s", "--value", "800", "--bound", "more-than", "--unit", "weapons"],
        ["quote", "c1", "a", "more than 800 new weapons"],
        ["list"], ["show", "c1"], ["verify"], ["diff"], ["report"], ["export", "--format", "csv"], ["fmt", "--check"],
    ]
    for step in steps:
        done = factcheck(*step, cwd=root)
        assert done.returncode == 0, (step, done.stderr)
    assert list((root / ".factcheck-cache").glob("*.marshal"))
    git(root, "add", "-A")
    committed = git(root, "diff", "--cached", "--name-only").splitlines()
    assert sorted(committed) == [".gitattributes", ".gitignore", "claims.yaml", "schema/claims.schema.json",
                                 "schema/source.schema.json", "sources/a.txt", "sources/a.yaml"]
    assert (root / ".gitignore").read_text(encoding="utf-8") == ".factcheck.lock\n.factcheck-cache/\n"
    assert (root / ".gitattributes").read_text(encoding="utf-8") == \
        "sources/*.txt -text\nsources/*.html -text\nsources/*.pdf binary\n"


def test_an_existing_ledger_without_ignore_lines_commits_no_cache(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "desk", GOOD)
    git(root, "init", "-q")
    assert factcheck("verify", cwd=root).returncode == 0
    git(root, "add", "-A")
    assert not [name for name in git(root, "diff", "--cached", "--name-only").splitlines() if "cache" in name]


def test_init_keeps_what_the_git_files_said(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("node_modules/", encoding="utf-8")  # no final newline
    assert factcheck("init", cwd=tmp_path).returncode == 0
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "node_modules/\n.factcheck.lock\n.factcheck-cache/\n"


@pytest.mark.parametrize(("make", "message"), [
    (lambda root: (root / "sources").write_text("x"), "sources exists and is not a folder"),
    (lambda root: (root / "schema").write_text("x"), "schema exists and is not a folder"),
    (lambda root: (root / ".gitignore").mkdir(), ".gitignore is not a regular file"),
    (lambda root: (root / ".gitignore").write_bytes(b"\xff\xfe"), ".gitignore is not UTF-8 text"),
])
def test_init_refuses_what_it_cannot_use_and_writes_nothing(tmp_path: Path, make: object, message: str) -> None:
    make(tmp_path)  # type: ignore[operator]
    before = sorted(p.name for p in tmp_path.iterdir())
    done = factcheck("init", cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


WRITERS = [
    ["status", "c1", "unverifiable", "--note", "no list"],
    ["claim", "add", "--id", "c2", "--text", "Other words here.", "--claimant", "x", "--date", "2024-01-01"],
    ["quote", "c1", "src", "working on more than 800"],
    ["source", "add", "-", "--id", "more"],
    ["fmt"],
]
READERS = [["list"], ["show", "c1"], ["verify"], ["diff"], ["report"], ["export", "--format", "csv"],
           ["extract", "src"], ["fmt", "--check"]]
BAD_VALUES = {
    "FACTCHECK_LOCK_WAIT": ("abc", "FACTCHECK_LOCK_WAIT='abc' is not a number of seconds", WRITERS),
    "FACTCHECK_MAX_FILE_SIZE": ("lots", "FACTCHECK_MAX_FILE_SIZE='lots' is not a positive number of MiB",
                                READERS + WRITERS),
    "FACTCHECK_NO_CACHE": ("maybe", "FACTCHECK_NO_CACHE='maybe' is not one of 1, true, yes, on or 0, false, no, off",
                           [["list"], ["verify"], ["report"]]),
    "FACTCHECK_PROGRESS_AFTER": ("-1", "FACTCHECK_PROGRESS_AFTER='-1' is not a number of seconds",
                                 [["verify"], ["report"]]),
}
CASES = [(name, value, message, command) for name, (value, message, commands) in BAD_VALUES.items()
         for command in commands]


def test_every_variable_the_tool_reads_is_tested_here() -> None:
    assert set(BAD_VALUES) == set(VARIABLES)
    read = {name for path in (REPO / "factcheck").rglob("*.py")
            for name in re.findall(r"FACTCHECK_[A-Z_]+", path.read_text(encoding="utf-8"))}
    assert read == set(VARIABLES)


@pytest.mark.parametrize(("name", "value", "message", "command"), CASES,
                         ids=[f"{c[0]}-{' '.join(c[3][:2])}" for c in CASES])
def test_a_bad_environment_value_is_an_error_not_a_traceback(tmp_path: Path, name: str, value: str, message: str,
                                                             command: list[str]) -> None:
    root = write_ledger(tmp_path / "desk", GOOD.replace("    appearances:", "    subject: s\n    appearances:"))
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    done = subprocess.run([sys.executable, "-m", "factcheck", *command], cwd=root, input="words\n",
                          env={**{k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}, name: value},
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (2, f"factcheck: error: {message}\n")
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".factcheck" not in p.as_posix()}
    assert after == {p: data for p, data in before.items() if ".factcheck" not in p.as_posix()}


@pytest.mark.parametrize(("typed", "message"), [
    ("2023-02-30", "2023-02-30 is not a date (February 2023 has 28 days)"),
    ("2024-02-30", "2024-02-30 is not a date (February 2024 has 29 days)"),
    ("2023-13-01", "2023-13-01 is not a date (there is no month 13)"),
    ("29/09/2023", "'29/09/2023' is not a date: write it as YYYY-MM-DD, for example 2023-09-29"),
])
def test_a_date_that_is_not_one_says_why(typed: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_date(typed)
    assert str(raised.value) == message


def test_dates_may_be_written_without_leading_zeros() -> None:
    assert parse_date("2020-10-1").isoformat() == "2020-10-01"
    assert parse_date(" 2023-9-29 ").isoformat() == "2023-09-29"


@pytest.mark.parametrize(("typed", "value"), [
    ("1000", 1000), ("1,000", 1000), ("1 000", 1000), ("1_000", 1000), ("1\u00a0000", 1000), ("1,000,000", 1e6),
    ("2.5", 2.5), ("-3", -3), ("1,234.5", 1234.5), ("+7", 7),
])
def test_figures_as_people_type_them(typed: str, value: float) -> None:
    assert parse_figure(typed) == value


@pytest.mark.parametrize("typed", ["1,00", "1,5", "1.000,5", "ten", "", "1e3", "nan", "1 000,000", "1,000 000"])
def test_a_figure_that_is_not_one_says_how_to_write_it(typed: str) -> None:
    with pytest.raises(ValueError, match="is not a figure: write digits"):
        parse_figure(typed)


def test_the_cli_takes_a_typed_figure_and_refuses_a_bad_date(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "desk", GOOD)
    base = ["-C", str(root), "claim", "add", "--id", "c2", "--text", "More than a thousand.", "--claimant", "x"]
    refused = run(*base, "--date", "2023-02-30")
    assert refused.exit_code == 2
    assert "Invalid value for '--date': 2023-02-30 is not a date (February 2023 has 28 days)" in refused.stderr
    added = run(*base, "--date", "2023-2-3", "--value", "1,000", "--bound", "more-than", "--unit", "products")
    assert added.exit_code == 0, added.stderr
    assert "    quantity: {value: 1000, bound: more-than, unit: products}\n" in (root / "claims.yaml").read_text()
    assert "    date: 2023-02-03\n" in (root / "claims.yaml").read_text()


def test_summaries_use_singular_and_plural(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "desk", BROKEN)
    assert run("-C", str(root), "verify").stderr == "1 claim, 1 source: 1 error, 0 warnings, 0 info\n"


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
        else:
            found.append((prefix + name, command))
    return found


def test_the_command_list_shows_every_summary_whole() -> None:
    listing = run("--help").stdout.split("Commands:\n", 1)[1]
    assert "..." not in listing
    for name, command in sorted(cli.commands.items()):
        summary = " ".join((command.help or "").split("\n\n")[0].split())
        assert " ".join(listing.split()).count(f"{name} {summary}") == 1, name


@pytest.mark.parametrize("name", [name for name, _ in _commands(cli)])
def test_every_command_help_ends_with_examples(name: str) -> None:
    shown = run(*name.split(), "--help").stdout
    tail = shown.rstrip("\n").split("\n\n")[-1].splitlines()
    assert tail[0] == "  Examples:" and len(tail) >= 2
    assert all(line.startswith(("    factcheck ", "        ")) for line in tail[1:]), shown
    assert "-C, --root DIR" in shown and "--no-cache" in shown
