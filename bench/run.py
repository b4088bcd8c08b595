"""Time whole processes on synthetic ledgers, with the baselines measured in the same run.

    python -m bench [--sizes 1000,10000,100000] [--runs 3] [--out bench/results]

For each size: PyYAML's C loader parsing claims.yaml alone (the baseline of every ratio), check-jsonschema
validating the same file against `factcheck schema` (at 10,000 claims and below), and factcheck's
`--help`, `list`, `verify`, `diff` and `report --format html`, cold (no cache) and warm, each the median of
several runs, with the peak memory of the largest process and, in a separate run, of all of a command's
processes together (a cold list or verify of a large ledger forks a second process; see README). Prints a
table and writes every figure and every ratio to a JSON file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# Each figure's target, as a ratio to the baseline parse of the same ledger in the same run: (at 1,000 claims,
# above). Every shape of ledger is held to them; the edits are measured on the generator's ledger.
TARGETS = {"list cold": (0.3, 0.15), "list warm": (0.15, 0.05), "verify warm": (0.15, 0.05),
           "verify cold": (0.4, 0.25), "report cold": (0.5, 0.25), "edit status": (0.3, 0.1),
           "edit claim add": (0.3, 0.1)}
FMT_TARGETS = {"fmt --check": 0.3, "fmt 1%": 0.5}
FMT_TARGETS_FROM = 10_000
MEMORY_TARGET_MB = 600
PYTHON = sys.executable


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, float, int]:
    """Wall time in seconds, peak resident memory in MB, and exit code of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def tree_peak(command: list[str], before: Any = None) -> float:
    """The peak, in MB, of the memory of a process and all its descendants together (their summed PSS, so
    pages a forked process shares with its parent count once), sampled ten times a second on Linux.

    Run apart from the timed runs: sampling walks the processes' page tables.
    """
    if before is not None:
        before()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, sum(_pss_kb(pid) for pid in _tree(process.pid)) / 1024)
        time.sleep(0.1)
    return round(peak, 1)


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as stream:
                    todo += [int(child) for child in stream.read().split()]
        except OSError:
            continue
    return pids


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as stream:
            for line in stream:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def median_of(runs: int, command: list[str], before: Any = None, ok: tuple[int, ...] = (0,)) -> dict[str, float]:
    """The median time and the largest peak of `runs` runs of `command`, each of which must exit with a status
    in `ok` (a command that fails is no figure: the bench stops and says which)."""
    times, memory = [], []
    for _ in range(runs):
        if before is not None:
            before()
        elapsed, peak, status = timed(command)
        if status not in ok:
            raise SystemExit(f"bench: {' '.join(command)} exited with {status}")
        times.append(elapsed)
        memory.append(peak)
    return {"seconds": statistics.median(times), "peak_mb": max(memory), "runs": runs}


# The shapes of ledger measured: the generator's; the many-findings ledger of a new check or an import (about
# five findings a claim); the same claims in 100 files under claims/.
SHAPES = {"plain": {}, "findings": {"findings": True}, "split": {"files": 100}}


def ledger(size: int, shape: str = "plain") -> Path:
    folder = HERE / "data" / (str(size) if shape == "plain" else f"{size}-{shape}")
    if not ((folder / "claims.yaml").exists() or (folder / "claims").is_dir()):
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating a {shape} ledger of {size} claims in {folder}", file=sys.stderr)
        # in a process of its own: every command is started from this one, and a process forked from one
        # that had grown by a whole ledger would count that memory as its own peak
        subprocess.run([PYTHON, "-c", "import sys, json; from pathlib import Path; from bench.generate import generate; "
                        "generate(Path(sys.argv[1]), int(sys.argv[2]), **json.loads(sys.argv[3]))",
                        str(folder), str(size), json.dumps(SHAPES[shape])], check=True, cwd=HERE.parent)
    return folder


def baseline_input(root: Path) -> Path:
    """The file the baseline parses: claims.yaml, or all of claims/ concatenated into one list."""
    if (root / "claims.yaml").exists():
        return root / "claims.yaml"
    whole = root / ".bench-claims-whole.yaml"
    if not whole.exists():
        parts = sorted((root / "claims").glob("*.yaml"))
        text = "claims:\n" + "".join(p.read_text(encoding="utf-8").split("claims:\n", 1)[1] for p in parts)
        whole.write_text(text, encoding="utf-8")
    return whole


def measure(size: int, runs: int, with_jsonschema: bool, only: str | None = None, shape: str = "plain") -> dict[str, Any]:
    root = ledger(size, shape)
    claims = baseline_input(root)
    factcheck = [PYTHON, "-m", "factcheck", "-C", str(root)]
    cache = root / ".factcheck-cache"
    report = Path(tempfile.mkdtemp()) / "report.html"

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    figures: dict[str, Any] = {"claims": size, "shape": shape, "claims_yaml_mb": round(claims.stat().st_size / 1e6, 1),
                               "load_before": [round(x, 2) for x in os.getloadavg()]}
    print(f"[{size}] baseline: PyYAML CSafeLoader parse", file=sys.stderr)
    figures["baseline parse"] = median_of(runs, [PYTHON, "-c", "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), "
                                                 "Loader=yaml.CSafeLoader)", str(claims)])
    if with_jsonschema and not _importable("check_jsonschema"):
        print(f"[{size}] baseline check-jsonschema left out: not installed in {PYTHON} (pip install check-jsonschema)",
              file=sys.stderr)
        with_jsonschema = False
    if with_jsonschema:
        print(f"[{size}] baseline: check-jsonschema", file=sys.stderr)
        schema = Path(tempfile.mkdtemp()) / "claims.schema.json"
        subprocess.run([*factcheck, "schema", "-o", str(schema)], check=True)
        figures["check-jsonschema"] = median_of(runs, [PYTHON, "-m", "check_jsonschema", "--schemafile", str(schema),
                                                       str(claims)])
    commands = {"list": ["list"], "verify": ["verify"], "diff": ["diff"],
                "report": ["report", "--format", "html", "-o", str(report)]}
    if only is not None and only != "shape":
        commands = {}
    for name, args in commands.items():
        print(f"[{size}] factcheck {name}", file=sys.stderr)
        found = (0, 1)  # 1: the ledger has findings, which the generator puts in it
        figures[f"{name} cold"] = median_of(runs, [*factcheck, *args], before=clear, ok=found)
        timed([*factcheck, *args])  # fill the cache with what this command keeps there
        figures[f"{name} warm"] = median_of(runs, [*factcheck, *args], ok=found)
        if Path("/proc/self/smaps_rollup").exists():
            for state in ("cold", "warm"):
                figures[f"{name} {state}"]["tree_peak_mb"] = tree_peak(
                    [*factcheck, *args], before=clear if state == "cold" else None)
    if only is None:
        figures["import cold"] = measure_import(root, size, runs)
    if only in (None, "fmt"):
        figures.update(measure_fmt(root, size, runs))
    if only in (None, "edits"):
        figures.update(measure_edits(root, size, runs))
    if only in (None, "lsp"):
        figures.update(measure_lsp(root, size))
    figures["load_after"] = [round(x, 2) for x in os.getloadavg()]
    base = figures["baseline parse"]["seconds"]
    for name in [k for k in figures if k.endswith((" cold", " warm")) or k.startswith(("fmt", "edit", "lsp"))]:
        figures[name]["ratio_to_parse"] = round(figures[name]["seconds"] / base, 4)
    if with_jsonschema:
        figures["check-jsonschema"]["times_slower_than_verify_cold"] = round(
            figures["check-jsonschema"]["seconds"] / figures["verify cold"]["seconds"], 1)
    return figures


def _importable(module: str) -> bool:
    """Whether the Python measured can import `module`."""
    return subprocess.run([PYTHON, "-c", f"import {module}"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def measure_import(root: Path, size: int, runs: int) -> dict[str, float]:
    """`import` of a feed of as many reviews as the ledger has claims, into a copy of the ledger each run."""
    feed = HERE / "data" / f"feed-{size}.json"
    if not feed.exists():  # in a process of its own, as the ledgers are (see `ledger`)
        subprocess.run([PYTHON, "-c", "import sys; from pathlib import Path; from bench.generate import claimreview_feed; "
                        "claimreview_feed(Path(sys.argv[1]), int(sys.argv[2]))", str(feed), str(size)],
                       check=True, cwd=HERE.parent)
    work = Path(tempfile.mkdtemp()) / "ledger"
    command = [PYTHON, "-m", "factcheck", "-C", str(work), "import", str(feed), "--format", "claimreview"]

    def fresh() -> None:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(root, work, ignore=shutil.ignore_patterns(".factcheck-cache", "feed-*.json"))

    print(f"[{size}] factcheck import of {size} reviews", file=sys.stderr)
    figure = median_of(runs, command, before=fresh, ok=(0, 1))
    shutil.rmtree(work.parent, ignore_errors=True)
    return figure


def formatted(root: Path, size: int) -> Path:
    """The benchmark ledger as `fmt` lays it out (made once by `fmt` itself, which takes a while: every claim
    of the generated ledger is written in another layout)."""
    folder = HERE / "data" / f"{size}-formatted"
    if not (folder / "claims.yaml").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"laying out a copy of the {size}-claim ledger with fmt in {folder}", file=sys.stderr)
        shutil.copytree(root, folder, ignore=shutil.ignore_patterns(".factcheck-cache"))
        subprocess.run([PYTHON, "-m", "factcheck", "-C", str(folder), "fmt"], check=True, stdout=subprocess.DEVNULL)
    done = subprocess.run([PYTHON, "-m", "factcheck", "-C", str(folder), "fmt", "--check"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    assert done.returncode == 0, f"{folder} is not in layout"
    return folder


def out_of_layout(text: str, every: int = 100) -> str:
    """The text with the text of one claim in `every` written in double quotes, out of layout."""
    lines, count = text.split("\n"), 0
    for number, line in enumerate(lines):
        if line.startswith("    text: "):
            count += 1
            if count % every == 0:
                lines[number] = "    text: " + json.dumps(line[len("    text: "):], ensure_ascii=False)
    return "\n".join(lines)


def measure_fmt(root: Path, size: int, runs: int) -> dict[str, Any]:
    """`fmt --check` of a ledger in layout, and `fmt` of a copy with 1% of its claims out of layout."""
    folder = formatted(root, size)
    figures: dict[str, Any] = {}
    print(f"[{size}] factcheck fmt --check (in layout)", file=sys.stderr)
    command = [PYTHON, "-m", "factcheck", "-C", str(folder), "fmt", "--check"]
    figures["fmt --check"] = median_of(runs, command)
    work = Path(tempfile.mkdtemp()) / "ledger"
    shutil.copytree(folder, work)
    laid_out = (folder / "claims.yaml").read_text(encoding="utf-8")
    untidy = out_of_layout(laid_out)

    def fresh() -> None:
        (work / "claims.yaml").write_text(untidy, encoding="utf-8")

    print(f"[{size}] factcheck fmt (1% of the claims out of layout)", file=sys.stderr)
    command = [PYTHON, "-m", "factcheck", "-C", str(work), "fmt"]
    figures["fmt 1%"] = median_of(runs, command, before=fresh)
    assert (work / "claims.yaml").read_text(encoding="utf-8") == laid_out, "fmt did not restore the layout"
    if Path("/proc/self/smaps_rollup").exists():
        figures["fmt --check"]["tree_peak_mb"] = tree_peak([PYTHON, "-m", "factcheck", "-C", str(folder), "fmt", "--check"])
        figures["fmt 1%"]["tree_peak_mb"] = tree_peak(command, before=fresh)
    shutil.rmtree(work.parent, ignore_errors=True)
    return figures


EDIT_ROWS = 1000  # rows of the batch `claim add --from`


def measure_edits(root: Path, size: int, runs: int) -> dict[str, Any]:
    """One edit of each kind (claim add, claim set, status, quote) and a batch of rows, each in a fresh copy
    of the ledger (without its cache: an edit reads the ledger as it finds it)."""
    work = Path(tempfile.mkdtemp()) / "ledger"
    words = " ".join((root / "sources" / "s00003.txt").read_text(encoding="utf-8").split()[:9])
    rows = work.parent / "rows.csv"
    with rows.open("w", encoding="utf-8") as stream:
        stream.write("id,text,claimant,date,value,bound,unit\n")
        for n in range(EDIT_ROWS):
            stream.write(f"bench-{n},A claim brought in a batch number {n},Bench,2024-01-01,{n + 1},about,units\n")
    factcheck = [PYTHON, "-m", "factcheck", "-C", str(work)]
    edits = {
        "edit claim add": ["claim", "add", "--id", "bench-new", "--text", "A claim added by the benchmark",
                           "--claimant", "Bench", "--date", "2024-01-01"],
        "edit claim set": ["claim", "set", "c000001", "text=A claim changed by the benchmark", "value=12", "bound=about"],
        "edit status": ["status", "c000002", "unverifiable", "--note", "No source can settle it", "--by", "Bench"],
        "edit quote": ["quote", "c000003", "s00003", words],
        f"edit claim add --from {EDIT_ROWS} rows": ["claim", "add", "--from", str(rows)],
    }

    def fresh() -> None:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(root, work, ignore=shutil.ignore_patterns(".factcheck-cache"))

    figures: dict[str, Any] = {}
    for name, args in edits.items():
        print(f"[{size}] factcheck {' '.join(args[:2])}", file=sys.stderr)
        fresh()
        assert timed([*factcheck, *args])[2] == 0, f"{name} failed on the {size}-claim ledger"
        figures[name] = median_of(runs, [*factcheck, *args], before=fresh)
    shutil.rmtree(work.parent, ignore_errors=True)
    return figures


KEYSTROKES = 7
LSP_SCRIPT = """
import json, resource, statistics, sys, time
from pathlib import Path
from factcheck.lsp import Session
path = Path(sys.argv[1]); text = path.read_text(encoding="utf-8"); session = Session(path)
start = time.perf_counter(); session.check(text); first = time.perf_counter() - start
at = text.index("    text: ", len(text) // 2) + len("    text: ")
times = []
for n in range(int(sys.argv[2])):
    typed = text[:at] + "x" * (n + 1) + text[at:]
    start = time.perf_counter(); session.check(typed); times.append(time.perf_counter() - start)
    assert session.text is not None, "the keystroke was checked whole"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"first": first, "keystroke": statistics.median(times), "peak_mb": peak}))
"""


def measure_lsp(root: Path, size: int) -> dict[str, Any]:
    """The language server's first check of the claims file, then a keystroke in one claim (the median of
    several, each checked where it changed), timed inside one process as the server runs them."""
    print(f"[{size}] factcheck lsp: first check, then {KEYSTROKES} keystrokes", file=sys.stderr)
    done = subprocess.run([PYTHON, "-c", LSP_SCRIPT, str(root / "claims.yaml"), str(KEYSTROKES)], check=True,
                          capture_output=True, text=True)
    times = json.loads(done.stdout)
    peak = round(times["peak_mb"], 1)  # of the one process, which holds the ledger the whole time
    return {"lsp first check": {"seconds": round(times["first"], 4), "peak_mb": peak, "runs": 1},
            "lsp keystroke": {"seconds": round(times["keystroke"], 4), "peak_mb": peak, "runs": KEYSTROKES}}


def startup(runs: int) -> dict[str, Any]:
    started = median_of(max(runs, 5), [PYTHON, "-c", "pass"])
    click = median_of(max(runs, 5), [PYTHON, "-c", "import click"])
    helped = median_of(max(runs, 5), [PYTHON, "-m", "factcheck", "--help"])
    return {"python -c pass": started, "import click": click, "factcheck --help": helped,
            "help_ratio_to_import_click": round(helped["seconds"] / click["seconds"], 2)}


def install() -> str:
    """How the package is installed in the Python measured: "editable" when its site-packages holds an
    editable install's finder (which every process of that Python then loads as it starts), else "regular"."""
    import sysconfig

    site = Path(sysconfig.get_paths()["purelib"])
    return "editable" if any(site.glob("__editable__*.pth")) else "regular"


def compiled() -> str:
    """Compile the package the measured Python imports to bytecode, as `pip install` leaves an installed
    package: "compiled", or "source" when its folder cannot be written.

    Run from a clone (or an editable install), `python -m factcheck` imports the clone's sources. Where
    Python writes no bytecode itself (PYTHONDONTWRITEBYTECODE, a read-only folder), each run would then
    compile every module again, about 0.1 s, which no installed package pays and the baseline, PyYAML from
    site-packages, does not pay either.
    """
    done = subprocess.run([PYTHON, "-c", "import compileall, sys, factcheck; "
                           "sys.exit(0 if compileall.compile_dir(factcheck.__path__[0], quiet=2) else 1)"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return "compiled" if done.returncode == 0 else "source"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="claims per ledger, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median is kept)")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="folder for the JSON file")
    parser.add_argument("--shapes", default="plain", help="ledger shapes, comma-separated: plain (the generator's), "
                        "findings (about five findings a claim), split (100 files in claims/)")
    parser.add_argument("--only", choices=["fmt", "edits", "lsp"],
                        help="measure only the baseline and fmt (its ledgers take long to make at 100,000 claims), or "
                             "the baseline and the single edits, or the baseline and the language server's checks")
    options = parser.parse_args(argv)
    sizes = [int(s) for s in options.sizes.split(",")]
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
                    "install": install(), "bytecode": compiled()},
        "startup": startup(options.runs),
        "sizes": {str(size) if shape == "plain" else f"{size}-{shape}":
                  measure(size, options.runs, with_jsonschema=size <= 10_000 and options.only is None and shape == "plain",
                          only=options.only if shape == "plain" else "shape", shape=shape)
                  for shape in options.shapes.split(",") for size in sizes},
    }
    plain = {size: figures for size, figures in results["sizes"].items() if figures["shape"] == "plain"}
    results["slopes"] = slopes(plain) if options.only is None and len(plain) > 1 else {}
    results["targets"] = targets(results, options.only)
    options.out.mkdir(parents=True, exist_ok=True)
    path = options.out / f"bench-{results['date'][:19].replace(':', '')}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"\nwrote {path}")
    return 0


def slopes(sizes: dict[str, Any]) -> dict[str, list[float]]:
    """How each time grows from one size to the next, against the growth of the ledger."""
    ordered = sorted(sizes, key=int)
    found: dict[str, list[float]] = {}
    for name in ["baseline parse", "import cold", "fmt --check", "fmt 1%"] + [
            f"{c} {w}" for c in ("list", "verify", "diff", "report") for w in ("cold", "warm")]:
        found[name] = [round((sizes[b][name]["seconds"] / sizes[a][name]["seconds"]) / (int(b) / int(a)), 2)
                       for a, b in itertools.pairwise(ordered)]
    return found


def targets(results: dict[str, Any], only: str | None = None) -> list[dict[str, Any]]:
    checks = []
    for size, sized in results["sizes"].items():
        for name, (small, large) in TARGETS.items():
            if name in sized:
                limit = small if sized["claims"] <= 1000 else large
                ratio = sized[name]["ratio_to_parse"]
                checks.append({"target": f"{name} at {size} <= {limit} x parse", "value": ratio, "met": ratio <= limit})
    checks += monotonic(results)
    for size, sized in results["sizes"].items():
        for name, limit in FMT_TARGETS.items() if sized["claims"] >= FMT_TARGETS_FROM else ():
            if name not in sized:
                continue  # not measured in this run (--only)
            ratio = sized[name]["ratio_to_parse"]
            checks.append({"target": f"{name} at {size} <= {limit} x parse", "value": ratio, "met": ratio <= limit})
    # the commands, each a process that ends; the language server, which keeps a file open, is reported apart
    ours = [v for size in results["sizes"].values() for k, v in size.items()
            if isinstance(v, dict) and "peak_mb" in v and k not in ("baseline parse", "check-jsonschema")
            and not k.startswith("lsp")]
    if ours:
        peak = max(v["peak_mb"] for v in ours)
        checks.append({"target": f"peak memory of one process <= {MEMORY_TARGET_MB} MB", "value": peak,
                       "met": peak <= MEMORY_TARGET_MB})
    if ours and all("tree_peak_mb" in v for v in ours):
        together = max(v["tree_peak_mb"] for v in ours)
        checks.append({"target": f"peak memory of a command's processes together <= {MEMORY_TARGET_MB} MB",
                       "value": together, "met": together <= MEMORY_TARGET_MB})
    for size, sized in results["sizes"].items():
        if "lsp keystroke" in sized:
            seconds = sized["lsp keystroke"]["seconds"]
            checks.append({"target": f"lsp keystroke at {size} < 0.2 s", "value": seconds, "met": seconds < 0.2})
            held = sized["lsp keystroke"]["peak_mb"]
            checks.append({"target": f"lsp server memory at {size} (reported; a server holds its file open)",
                           "value": held, "met": True})
    if only is not None:
        return checks
    ratio = results["startup"]["help_ratio_to_import_click"]
    checks.append({"target": "--help <= 1.6 x import click", "value": ratio, "met": ratio <= 1.6})
    if "check-jsonschema" in results["sizes"].get("10000", {}):
        times = results["sizes"]["10000"]["check-jsonschema"]["times_slower_than_verify_cold"]
        checks.append({"target": "check-jsonschema at 10000 >= 10 x verify cold", "value": times, "met": times >= 10})
    return checks


def monotonic(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Whether each command takes no less time on a larger ledger of the same shape (no step down at a
    threshold), allowing 5% for the noise of these machines."""
    checks = []
    shapes = {figures["shape"] for figures in results["sizes"].values()}
    for shape in sorted(shapes):
        sized = sorted((f for f in results["sizes"].values() if f["shape"] == shape), key=lambda f: f["claims"])
        for name in [f"{c} {w}" for c in ("list", "verify", "diff", "report") for w in ("cold", "warm")]:
            times = [(f["claims"], f[name]["seconds"]) for f in sized if name in f]
            for (a, ta), (b, tb) in itertools.pairwise(times):
                checks.append({"target": f"{name} ({shape}) no quicker at {b} claims than at {a}",
                               "value": round(tb / ta, 2), "met": tb >= ta * 0.95})
    return checks


def table(results: dict[str, Any]) -> str:
    rows = [f"{'figure':<22}" + "".join(f"{size + ' claims':>26}" for size in results["sizes"])]
    names = ["baseline parse", "check-jsonschema"] + [f"{c} {w}" for c in ("list", "verify", "diff", "report")
                                                        for w in ("cold", "warm")] + ["import cold", "fmt --check",
                                                                                      "fmt 1%"]
    names += sorted({k for size in results["sizes"].values() for k in size if k.startswith(("edit", "lsp"))})
    for name in names:
        cells = []
        for size in results["sizes"].values():
            figure = size.get(name)
            if figure is None:
                cells.append(f"{'-':>26}")
                continue
            ratio = f" ({figure['ratio_to_parse']:.3f}x)" if "ratio_to_parse" in figure else ""
            together = f"/{figure['tree_peak_mb']:.0f}" if "tree_peak_mb" in figure else ""
            cells.append(f"{figure['seconds']:>7.2f}s {figure['peak_mb']:>5.0f}{together}MB{ratio:>10}")
        rows.append(f"{name:<22}" + "".join(cells))
    loads = [f"{size['load_before'][0]:.2f}, {size['load_after'][0]:.2f}" for size in results["sizes"].values()]
    rows.append(f"{'load (1 min) before, after':<22}" + "".join(f"{load:>26}" for load in loads))
    start = results["startup"]
    machine = results["machine"]
    rows.append(f"\npython -c pass {start['python -c pass']['seconds'] * 1000:.0f} ms ({machine['install']} install, "
                f"{machine.get('bytecode', 'source')}); import click {start['import click']['seconds'] * 1000:.0f} ms; "
                f"factcheck --help "
                f"{start['factcheck --help']['seconds'] * 1000:.0f} ms ({start['help_ratio_to_import_click']}x)")
    rows.append("slopes (time growth / ledger growth, 1 = linear): " + json.dumps(results["slopes"]))
    rows += [f"{'met ' if t['met'] else 'MISSED'} {t['target']}: {t['value']}" for t in results["targets"]]
    return "\n".join(rows)


if __name__ == "__main__":
    raise SystemExit(main())
