"""The README runs as written: its walk-through, command by command, prints what the README shows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def walk_through() -> list[tuple[str, str, int]]:
    """The walk-through's commands, each with the output and exit status the README shows for it."""
    section = README.split("### Walk-through: a small ledger from scratch", 1)[1]
    block = section.split("```console\n", 1)[1].split("\n```", 1)[0]
    steps: list[tuple[str, list[str], int]] = []
    continuing = False
    for line in block.splitlines():
        if continuing:
            command, shown, status = steps[-1]
            steps[-1] = (command + "\n" + line, shown, status)
        elif line.startswith("$ "):
            steps.append((line[2:], [], 0))
        elif (match := re.fullmatch(r"\(exit status (\d+)\)", line)) is not None:
            steps[-1] = (steps[-1][0], steps[-1][1], int(match.group(1)))
        else:
            steps[-1][1].append(line)
        continuing = line.endswith("\\")
    return [(command, "".join(f"{line}\n" for line in shown), status) for command, shown, status in steps]


def test_the_walk_through_prints_what_the_readme_shows(tmp_path: Path) -> None:
    steps = walk_through()
    assert steps[0][0] == ". .venv/bin/activate"
    assert len(steps) >= 12
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    shutil.copytree(REPO / "tests" / "capture", tmp_path / "tests" / "capture")
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "factcheck").is_file(), "the tests run from the virtual environment the project is installed in"
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "activate").write_text(f'PATH="{bin_dir}:$PATH"\n', encoding="utf-8")
    script = ["set +e"]
    for number, (command, _, _) in enumerate(steps):
        script += [f"printf '@@start {number}@@\\n'", command, f"printf '\\n@@end {number} %s@@\\n' $?"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
    # as on a new machine: no git identity, nothing from this one's home folder
    (tmp_path / "home").mkdir()
    env.update({"PYTHONUNBUFFERED": "1", "NO_COLOR": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home"),
                "GIT_CONFIG_NOSYSTEM": "1"})
    done = subprocess.run(["bash", "-c", "\n".join(script)], cwd=tmp_path, env=env, stderr=subprocess.STDOUT,
                          stdout=subprocess.PIPE, text=True, timeout=600)
    ran = {int(n): (out, int(status)) for n, out, status in
           re.findall(r"@@start (\d+)@@\n(.*?)\n@@end \1 (\d+)@@\n", done.stdout, flags=re.DOTALL)}
    for number, (command, shown, status) in enumerate(steps):
        out, got = ran[number]
        assert (out, got) == (shown, status), f"$ {command}"


def test_the_lowest_versions_ci_installs_are_the_lower_bounds() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    bounds = {}
    for requirement in declared:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)(,<[0-9.]+)?", requirement)
        assert match, f"{requirement}: give each dependency a lower bound (and an upper one only where needed)"
        bounds[match.group(1).lower()] = match.group(2)
    pinned = {}
    for line in (REPO / ".ci" / "lowest.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pinned[name.lower()] = version
    assert pinned == {name: ".".join([*version.split("."), "0", "0"][:max(3, version.count(".") + 1)])
                      for name, version in bounds.items()}


def test_the_readme_opens_with_the_two_commands_ci_runs() -> None:
    block = README.split("```sh\n", 1)[1].split("\n```", 1)[0].splitlines()
    assert block == [
        "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/factcheck verify && .venv/bin/factcheck diff",
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest -q",
    ]
    assert "readme_commands=" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
