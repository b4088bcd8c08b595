"""The plan of the package, held: each group of modules imports only the groups below it, the core never the
renderers or the command line, and no module imports another that imports it back, even inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "factcheck"
# From the bottom up: a module may import its own group and the groups before it, never one after it.
LAYERS = [{"errors", "settings"}, {"yamlio"}, {"ledger"}, {"pipeline"}, {"checking"}, {"overtime"}, {"exchange"},
          {"editing"}, {"views"}, {"api"}, {"render"}, {"lsp"}, {"cli"}, {"__main__"}]


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every factcheck module the file imports, at the top or inside a function, for type checking or not."""
    named: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                whole = f"{node.module}.{alias.name}"
                named.add(whole if whole in known else node.module)
    return {name for name in named if name in known and name != "factcheck"}


def group(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def layer(module: str) -> int:
    return next(i for i, names in enumerate(LAYERS) if group(module) in names)


GRAPH = {name: imports_of(path, set(modules())) for name, path in modules().items()}


def test_every_module_is_in_a_group_of_the_plan() -> None:
    assert [m for m in GRAPH if group(m) != "__init__" and not any(group(m) in names for names in LAYERS)] == []


def test_each_group_imports_only_the_groups_below_it() -> None:
    upward = sorted(f"{module} -> {target}" for module, targets in GRAPH.items() if group(module) != "__init__"
                    for target in targets if group(target) != "__init__" and layer(target) > layer(module))
    assert upward == []


def test_the_core_never_imports_the_renderers_or_the_command_line() -> None:
    core = [m for m in GRAPH if group(m) != "__init__" and layer(m) < layer("factcheck.render")]
    assert len(core) > 30
    assert sorted(f"{m} -> {t}" for m in core for t in GRAPH[m] if group(t) in ("render", "cli", "lsp")) == []


def test_no_import_cycle() -> None:
    seen: dict[str, int] = {}  # 1 while on the path, 2 when done
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        seen[module] = 1
        for target in sorted(GRAPH[module]):
            if seen.get(target) == 1:
                cycles.append([*path[path.index(target):], target])
            elif target not in seen:
                visit(target, [*path, target])
        seen[module] = 2

    for module in sorted(GRAPH):
        if module not in seen:
            visit(module, [module])
    # a package's __init__ that the command line's modules import back to register their commands is the
    # one pattern allowed: cli/__init__ imports its command modules, which take the group from it
    assert [c for c in cycles if not set(c) <= {m for m in GRAPH if group(m) == "cli"}] == []


def test_the_groups_are_what_the_readme_maps() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1]
    for module in GRAPH:
        if group(module) != "__init__" and module.count(".") == 2 and not module.endswith("__main__"):
            assert f"    {module.rsplit('.', 1)[1]}.py" in layout or group(module) in ("render", "cli"), module
