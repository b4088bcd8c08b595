"""End to end through the command line: exit code, stdout and stderr together."""

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

import pytest
import yaml

from factcheck.cli import cli
from tests.conftest import REPO, run


def test_example_ledger_verifies_clean(example: Path) -> None:
    result = run("-C", example, "verify")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "13 claims, 2 sources: 0 errors, 0 warnings, 0 info\n"


def test_example_ledger_is_what_the_issue_asks(example: Path) -> None:
    rows = json.loads(run("-C", example, "list", "--format", "json").stdout)
    by_id = {r["id"]: r for r in rows}
    assert len(rows) >= 12
    weapons, products = by_id["az-weapons-in-development-2023"], by_id["az-military-products-2024"]
    assert weapons["subject"] == products["subject"] and weapons["measure"] != products["measure"]
    assert (weapons["figure"], products["figure"]) == ("more than 800 weapons", "more than 1000 military products")
    assert by_id["adex-2022-fourth-edition"]["subject"] == by_id["adex-2024-fifth-edition"]["subject"]
    # a verdict of 'supported' only where the other article gives independent evidence
    for row in rows:
        if row["status"] == "supported":
            assert len(row["sources"]) == 2, row["id"]


def test_example_snapshots_are_byte_for_byte(example: Path) -> None:
    text = (example / "sources" / "newsaz-2024-09-24.txt").read_text(encoding="utf-8")
    assert "President of Azerbiajan Ilham Aliyev" in text and "\u201cADEX-2024\u201d" in text


def test_verify_text_and_json(ledger: object, tmp_path: Path) -> None:
    root = tmp_path / "l"
    (root / "sources").mkdir(parents=True)
    (root / "claims.yaml").write_text(
        "claims:\n  - {id: a, text: t, claimant: c, date: 2023-01-01, status: supported}\n"
        "  - {id: b, text: t, claimant: c, date: 2023-01-01, appearances: [{source: gone, text: x}]}\n")
    text = run("-C", root, "verify")
    assert text.exit_code == 1
    assert text.stdout == (
        "claims.yaml:2:61: error status-unsupported: status 'supported' needs a 'supports' evidence quote\n"
        "claims.yaml:3:76: error unknown-source: no source 'gone': sources/gone.txt and sources/gone.yaml do not exist\n"
    )
    assert text.stderr == "2 claims, 0 sources: 2 errors, 0 warnings, 0 info\n"
    report = json.loads(run("-C", root, "verify", "--format", "json").stdout)
    assert report["ok"] is False and report["counts"] == {"error": 2, "warning": 0, "info": 0}
    assert report["problems"][1] == {
        "code": "unknown-source", "severity": "error", "line": 3, "column": 76, "path": "claims.yaml",
        "message": "no source 'gone': sources/gone.txt and sources/gone.yaml do not exist",
        "claim": "b", "source": "gone",
    }
    only_b = run("-C", root, "verify", "b", "--quiet")
    assert (only_b.exit_code, only_b.stdout.count("\n"), only_b.stderr) == (1, 1, "")


def test_verify_strict_and_stale(example: Path) -> None:
    assert run("-C", example, "verify", "--stale-after", "30").exit_code == 0
    strict = run("-C", example, "verify", "--stale-after", "30", "--strict")
    assert strict.exit_code == 1 and " warning stale: " in strict.stdout


def test_verify_unknown_id_is_exit_2(example: Path) -> None:
    result = run("-C", example, "verify", "no-such-claim")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "factcheck: error: no claim with id 'no-such-claim'\n"


def test_list_formats_agree(example: Path) -> None:
    rows = json.loads(run("-C", example, "list", "--format", "json").stdout)
    as_yaml = yaml.safe_load(run("-C", example, "list", "--format", "yaml").stdout)
    as_csv = list(csv.DictReader(io.StringIO(run("-C", example, "list", "--format", "csv").stdout)))
    assert as_yaml == rows
    assert [r["id"] for r in as_csv] == [r["id"] for r in rows]
    assert as_csv[0]["figure"] == rows[0]["figure"]
    table = run("-C", example, "list")
    assert table.exit_code == 0 and table.stdout.splitlines()[0].split() == [
        "id", "date", "status", "claimant", "figure", "text"]
    assert len(table.stdout.splitlines()) == len(rows) + 2


@pytest.mark.parametrize("args, ids", [
    (["--status", "supported"], ["adex-2022-fourth-edition", "adex-2024-fifth-edition"]),
    (["--subject", "az-defence-output", "--latest"], ["az-military-products-2024"]),
    (["--subject", "adex-edition", "--since", "2024-01-01"], ["adex-2024-fifth-edition"]),
    (["--subject", "adex-edition", "--until", "2023-12-31"], ["adex-2022-fourth-edition"]),
    (["--claimant", "PRESIDENT", "--source", "newsaz-2024-09-24"],
     ["az-military-products-2024", "defence-industry-rapid-growth-2024"]),
    (["--tag", "adex", "--tag", "expert"],
     ["adex-2022-fourth-edition", "adex-2024-fifth-edition", "expert-800-figure-realistic-2023"]),
])
def test_list_filters(example: Path, args: list[str], ids: list[str]) -> None:
    result = run("-C", example, "list", "--format", "json", *args)
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)] == ids


def test_latest_keeps_claims_without_subject(example: Path) -> None:
    rows = json.loads(run("-C", example, "list", "--format", "json", "--latest").stdout)
    ids = [r["id"] for r in rows]
    assert "az-weapons-in-development-2023" not in ids and "az-military-products-2024" in ids
    assert "mod-industry-created-2005" in ids


@pytest.mark.parametrize("args, message", [
    (["list", "--subject", "adex-editon"], "unknown subject 'adex-editon': no claim in the ledger has it; "
                                           "did you mean 'adex-edition'?"),
    (["list", "--source", "nope"], "unknown source 'nope': no claim in the ledger has it"),
    (["show", "adex-2022"], "no claim with id 'adex-2022'; did you mean 'adex-2022-fourth-edition'?"),
])
def test_unknown_names_are_exit_2(example: Path, args: list[str], message: str) -> None:
    result = run("-C", example, *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"factcheck: error: {message}\n")


def test_bad_arguments_are_exit_2(example: Path) -> None:
    assert run("-C", example, "list", "--status", "true").exit_code == 2
    assert run("-C", example, "list", "--since", "yesterday").exit_code == 2
    assert run("-C", example / "nowhere", "list").exit_code == 2


def test_list_on_a_broken_ledger_lists_what_loaded_and_exits_1(ledger: object, tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("claims:\n  - {id: a, text: t, claimant: c, date: 2023-01-01}\n"
                                          "  - {id: b, text: t}\n")
    result = run("-C", tmp_path, "list", "--format", "csv")
    assert result.exit_code == 1
    assert [line.split(",")[0] for line in result.stdout.splitlines()] == ["id", "a"]
    assert result.stderr.startswith("factcheck: the ledger has errors: claims.yaml:3:5: schema: claim 'b' lacks")


def test_show_places_each_quote_in_its_source(example: Path) -> None:
    result = run("-C", example, "show", "az-military-products-2024")
    assert result.exit_code == 0
    assert "az-military-products-2024  [unverified]  claims.yaml:" in result.stdout
    assert "«today more than 1000 military products are produced in Azerbaijan»" in " ".join(result.stdout.split())
    assert "1. newsaz-2024-09-24 (News.Az, 2024-09-24): exact" in result.stdout
    view = json.loads(run("-C", example, "show", "adex-2024-fifth-edition", "--format", "json").stdout)
    match = view["appearances"][0]["match"]
    text = (example / "sources" / "newsaz-2024-09-24.txt").read_text(encoding="utf-8")
    assert match["kind"] == "exact" and text[match["start"]:match["end"]] == match["exact"]


def test_show_reports_a_missing_quote_with_exit_1(example: Path) -> None:
    claims = example / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        "text: President of Azerbiajan Ilham Aliyev said", "text: President of Azerbaijan Ilham Aliyev said"),
        encoding="utf-8")
    result = run("-C", example, "show", "az-military-products-2024")
    assert result.exit_code == 1
    assert "NOT FOUND" in result.stdout
    assert re.search(r"closest passage \([\d.]+% similar\): President of Azerbiajan Ilham Aliyev said",
                     " ".join(result.stdout.split()))
    verify = run("-C", example, "verify")
    assert verify.exit_code == 1 and "'President of Azerbiajan Ilham Aliyev said" in verify.stdout


def test_terminal_output_is_stripped_of_control_characters(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(
        'claims:\n  - {id: a, text: "evil \\e[31mred\\u202e txt", claimant: c, date: 2023-01-01}\n')
    out = run("-C", tmp_path, "list").stdout + run("-C", tmp_path, "show", "a").stdout
    assert "\x1b" not in out and "\u202e" not in out and "evil [31mred txt" in out


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0 and command.help, name
        assert f"factcheck {name}" in readme, name


def test_version_and_module_entry_point(example: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "factcheck", "-C", str(example), "verify"],
                            capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (0, "")
    version = subprocess.run([sys.executable, "-m", "factcheck", "--version"], capture_output=True, text=True)
    assert re.fullmatch(r"factcheck, version \d+\.\d+\.\d+\n", version.stdout)


def test_the_core_never_imports_click() -> None:
    core = [p for p in (REPO / "factcheck").rglob("*.py") if p.parent.name not in ("cli", "render")]
    assert core and not [p.name for p in core if re.search(r"^\s*(import click|from click)", p.read_text(), re.M)]
    render = [p for p in (REPO / "factcheck" / "render").rglob("*.py")]
    assert not [p.name for p in render if "click" in p.read_text()]


def test_the_fast_table_looks_like_tabulate() -> None:
    from tabulate import tabulate

    from factcheck.render.text import simple_table

    body = [["c1", "2024-01-01", "more than 800 weapons", "Ünïcode text"], ["c22", "2023-09-29", "", "短い"],
            ["c3", "", "x", "trailing"]]
    headers = ["id", "date", "figure", "text"]
    columns = [list(column) for column in zip(*body, strict=True)]
    assert simple_table(columns, headers) == tabulate(body, headers=headers, tablefmt="simple", disable_numparse=True)


def test_a_warm_list_says_what_a_cold_one_said(example: Path) -> None:
    cold = run("-C", example, "list", "--format", "json", "--latest")
    warm = run("-C", example, "list", "--format", "json", "--latest")
    assert (example / ".factcheck-cache").is_dir() and cold.stdout == warm.stdout
    assert run("-C", example, "list", "--source", "nope").exit_code == 2


def test_a_large_ledger_listed_in_two_shares_lists_as_it_does_whole(tmp_path: Path) -> None:
    from unittest import mock

    from bench.generate import generate
    from factcheck.pipeline import forked
    from factcheck.views import listing

    generate(tmp_path, 500)
    with mock.patch.dict(os.environ, {"FACTCHECK_NO_CACHE": "1"}):
        whole = listing.load_rows(tmp_path)
        with mock.patch("factcheck.pipeline.store.CHUNK", 40), mock.patch("factcheck.pipeline.shares.SHARE_FROM_BYTES", 0), \
                mock.patch.object(forked, "start", wraps=forked.start) as start:
            shared = listing.load_rows(tmp_path)
    assert start.call_count == 1
    assert [tuple(r) for r in shared.rows] == [tuple(r) for r in whole.rows] and len(whole.rows) == 500
    assert shared.sources == whole.sources and shared.problems == whole.problems


@pytest.mark.parametrize("command", [["list"], ["verify"], ["show", "adex-2022-fourth-edition"], ["diff"],
                                     ["extract", "newsaz-2024-09-24"]])
def test_text_and_table_name_the_same_human_format_everywhere(example: Path, command: list[str]) -> None:
    default = run("-C", example, *command)
    assert default.exit_code == 0, default.stderr
    for name in ("text", "table"):
        named = run("-C", example, *command, "--format", name)
        assert (named.exit_code, named.stdout) == (0, default.stdout)


def test_report_says_on_stderr_why_it_exits_1(example: Path) -> None:
    claims = example / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        "Azerbaijan cannot purchase Western-made fighter jets", "Azerbaijan can never purchase fighter jets"),
        encoding="utf-8")
    result = run("-C", example, "report", "--format", "markdown")
    assert result.exit_code == 1
    assert "factcheck: the ledger has 1 error (listed in the report's problems; factcheck verify names each)" \
        in result.stderr


def test_the_command_runs_no_pydantic_plugin_unless_asked(tmp_path: Path) -> None:
    """An installed pydantic plugin is neither loaded nor run by `factcheck`, unless PYDANTIC_DISABLE_PLUGINS
    is set (even empty) by whoever runs it; pydantic reads that setting from 2.7 on."""
    import importlib.metadata

    plugins = tmp_path / "site"
    (plugins / "spy_plugin-1.0.dist-info").mkdir(parents=True)
    (plugins / "spy_plugin-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: spy-plugin\nVersion: 1.0\n")
    (plugins / "spy_plugin-1.0.dist-info" / "entry_points.txt").write_text("[pydantic]\nspy = spy_plugin:plugin\n")
    marker = tmp_path / "loaded"
    (plugins / "spy_plugin.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n"
        "class Plugin:\n    def new_schema_validator(self, *args, **kwargs):\n        return None, None, None\n"
        "plugin = Plugin()\n")
    root = tmp_path / "desk"
    shutil.copytree(REPO / "sources", root / "sources")
    # a claim dated by its month: taken by the rules (pydantic), which a plain ledger never needs
    example = (REPO / "claims.yaml").read_text(encoding="utf-8")
    assert "    date: 2023-09-29\n" in example
    (root / "claims.yaml").write_text(example.replace("    date: 2023-09-29\n", "    date: 2023-09\n", 1), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join([str(plugins), str(REPO)])
    command = [sys.executable, "-m", "factcheck", "-C", str(root), "--no-cache", "verify", "-q"]
    assert subprocess.run(command, env=env, capture_output=True).returncode == 0
    major, minor = (int(part) for part in importlib.metadata.version("pydantic").split(".")[:2])
    assert marker.exists() == ((major, minor) < (2, 7))
    marker.unlink(missing_ok=True)
    assert subprocess.run(command, env={**env, "PYDANTIC_DISABLE_PLUGINS": ""}, capture_output=True).returncode == 0
    assert marker.exists()  # the plugin is there to be found: set, the user's setting stands
