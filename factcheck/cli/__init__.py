"""The command line: parse arguments, call the core, render, exit. This package alone imports click.

Here: the group, its options and what every command shares; the commands are in `reading` (list, show,
verify, diff, report, schema, extract), `editing` (init, source add, claim add, quote, status, fmt),
`correcting` (claim set/rename/remove, quote remove/replace/fix, source list/register/rename/remove) and
`exchange` (export, import).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from factcheck import __version__
from factcheck.errors import FactcheckError
from factcheck.render.escape import terminal

if TYPE_CHECKING:
    from factcheck.editing.edits import Outcome
    from factcheck.errors import Problem
    from factcheck.pipeline.answers import Question
    from factcheck.pipeline.store import Ledger

STATUSES = ("unverified", "supported", "refuted", "misleading", "conflicting", "unverifiable")


class _CommandFailed(click.ClickException):
    """A FactcheckError on its way out: message on stderr, exit 2, no traceback."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"factcheck: error: {terminal(self.format_message(), one_line=True)}", err=True)


class _CommandRefused(_CommandFailed):
    """A RefusedError on its way out: the data does not allow it, exit 1."""

    exit_code = 1


_ROOT = "factcheck.root"


def _keep_root(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """Keep -C's folder for the whole command line, wherever it was typed."""
    if value:
        ctx.find_root().meta[_ROOT] = value


def _no_cache(_ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """--no-cache, wherever it was typed: the cache reads FACTCHECK_NO_CACHE."""
    if value:
        os.environ["FACTCHECK_NO_CACHE"] = "1"


def _ledger_options() -> list[click.Parameter]:
    """-C/--root and --no-cache: the group's own options, accepted after the command name too."""
    return [
        click.Option(["-C", "--root"], metavar="DIR", expose_value=False, is_eager=True, callback=_keep_root,
                     type=click.Path(file_okay=False, path_type=str),
                     help="The ledger's folder (default: this folder, else the nearest parent folder with a ledger)."),
        click.Option(["--no-cache"], is_flag=True, expose_value=False, callback=_no_cache,
                     help="Neither read nor write the cache in .factcheck-cache/."),
    ]


class _Command(click.Command):
    """A command that also takes the group's -C/--root and --no-cache, so they work on either side of its name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(_ledger_options())

    def get_short_help_str(self, limit: int = 45) -> str:
        return _summary(self)


def _summary(command: click.Command) -> str:
    """A command's whole one-line summary for the list of commands (click cuts it at 45 characters)."""
    if command.short_help:
        return command.short_help
    first = (command.help or "").strip().split("\n\n", 1)[0]
    return " ".join(first.split())


class Formats(click.Choice):  # type: ignore[type-arg]
    """A --format choice whose human format is called `text` everywhere; `table` is taken as a second name
    for it, so a command learnt with either name works with the other."""

    def __init__(self, *names: str) -> None:
        super().__init__(["text", *names])

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return super().convert("text" if value == "table" else value, param, ctx)


def as_date(_ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """An option's day (YYYY-MM-DD, month and day may be one digit; a date-time; "July 20, 2021"), as a
    datetime.date."""
    if value is None:
        return None
    from factcheck.ledger.typed import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param=param) from None


def as_claim_date(_ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """A claim's date as `as_date` reads it, or a month (2021-07) or a year (2021) when no day is known."""
    if value is None:
        return None
    from factcheck.ledger.typed import parse_date

    try:
        return parse_date(value, partial=True)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param=param) from None


def as_figure(_ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """An option's figure typed as people write it (1000, 1,000, 2.5, 1.2 billion, AZN 300 million, 4th), as a
    typed.Figure."""
    if value is None:
        return None
    from factcheck.ledger.typed import read_figure

    try:
        return read_figure(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param=param) from None


def examples(*lines: str) -> str:
    """A command's help epilog: the lines as typed, kept as they are (click rewraps other text)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


class _Group(click.Group):
    command_class = _Command
    group_class = type  # subgroups (source, claim) are of this class, and so are their commands

    def get_short_help_str(self, limit: int = 45) -> str:
        return _summary(self)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FactcheckError as exc:
            raise (_CommandRefused if exc.exit_code == 1 else _CommandFailed)(str(exc)) from None


def _given_root(ctx: click.Context) -> Path | None:
    """The folder named by -C/--root, before or after the command name; None when none was."""
    given = ctx.find_root().meta.get(_ROOT)
    return Path(given) if given else None


def _root(ctx: click.Context) -> Path:
    """The ledger's folder: the one named by -C, else this folder or the nearest parent with a ledger."""
    root = _find_root(ctx)
    _ROOTS_READ.add(os.path.realpath(root))
    return root


def _find_root(ctx: click.Context) -> Path:
    given = _given_root(ctx)
    if given is not None:
        return given
    from factcheck.ledger.ledgerfiles import find_root

    found = find_root(Path.cwd())
    if found is None or found == Path.cwd().resolve():
        return Path(".")
    return found


def _styler(stream: Any) -> Callable[[str, str], str]:
    colours = {"error": "red", "warning": "yellow", "info": "cyan", "normalized": "yellow", "exact": "green"}
    if os.environ.get("NO_COLOR") or not getattr(stream, "isatty", lambda: False)():
        return lambda text, _style: text
    return lambda text, style: click.style(text, fg=colours.get(style), bold=style == "bold")


def _path_prefix(root: Path) -> str:
    """The ledger's folder from the current one ('' or 'desk/'), so that every path a command prints is from
    the current folder, as compilers and linters give them; '' for a ledger outside it (paths from its own
    folder, never a run of '../')."""
    try:
        inside = root.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:  # a ledger outside the current folder: paths from its own folder
        return ""
    return "" if inside == "." else inside + "/"


def _paths_from_here(root: Path, paths: Sequence[str]) -> list[str]:
    """Paths inside the ledger at `root`, from the current folder."""
    prefix = _path_prefix(root)
    return [prefix + path for path in paths]


def _progress(quiet: bool = False) -> Callable[[int, int, str], None] | None:
    """A progress bar on stderr for long work: only on a terminal, never in CI, never when asked to be quiet."""
    from factcheck import settings

    after = settings.progress_after()  # checked even where no bar is shown, so a bad value is never a surprise
    if quiet or os.environ.get("CI") or not getattr(sys.stderr, "isatty", lambda: False)():
        return None
    import time

    started = time.monotonic()

    def show(done: int, total: int, what: str) -> None:
        if time.monotonic() - started < after:  # short work needs no bar
            return
        filled = int(30 * done / total) if total else 0
        click.echo(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} {what:<30}", err=True, nl=False)
        if total and done == total:  # done: clear the line for what comes next
            click.echo("\r" + " " * 72 + "\r", err=True, nl=False)

    return show


def _ledgers_for(ctx: click.Context, files: Sequence[str]) -> list[Path]:
    """The ledgers a hook's files belong to, or the one named by -C."""
    given = _given_root(ctx)
    if given is not None:
        return [given]
    from factcheck.ledger.ledgerfiles import ledgers_of

    return ledgers_of(Path(name) for name in files)


def _from_here(root: Path, found: Sequence[Problem]) -> list[Problem]:
    """The problems of the ledger at `root` with their paths from the current folder (desk/claims.yaml)."""
    import dataclasses

    prefix = _path_prefix(root)
    if not prefix:
        return list(found)
    return [dataclasses.replace(p, location=dataclasses.replace(p.location, path=prefix + p.location.path))
            for p in found]


def _load(ctx: click.Context) -> Ledger:
    from factcheck.pipeline.store import load_ledger

    return load_ledger(_root(ctx))


def _report_load_problems(problems: Sequence[Problem]) -> bool:
    """Tell stderr that the ledger has errors (verify names them); True when it has."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        first = errors[0]
        more = f" and {len(errors) - 1} more" if len(errors) > 1 else ""
        message = f"{first.location}: {first.code}: {first.message}{more}"
        click.echo(f"factcheck: the ledger has errors: {terminal(message, one_line=True)}; "
                   "run 'factcheck verify' to see them all", err=True)
    return bool(errors)


_KEPT: list[object] = []  # see _exit
_LEAVING_FAST = False  # set by main(), the console script, which ends with os._exit
_ROOTS_READ: set[str] = set()  # the ledger folders the command read: an answer is kept for the one asked alone


def _exit(code: int) -> NoReturn:
    """Leave the command with `code`.

    Run as the console script, the command's locals (the ledger it read, the report it made) are kept
    alive: the process ends with os._exit, and freeing a hundred thousand claims object by object as the
    stack unwinds takes longer than all that is left to do.
    """
    if _LEAVING_FAST:
        _KEPT.append(sys._getframe(1).f_locals)
    _flush()
    raise SystemExit(code)


def _flush() -> None:
    """Flush stdout and stderr, either of which is None when the command was started with it closed."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()


DRY_RUN = click.option("--dry-run", is_flag=True, help="Write nothing; show the change as a unified diff.")


def done(outcome: Outcome, dry_run: bool) -> None:
    """Tell what a command did (or, with --dry-run, would do, with the diff on stdout), and leave."""
    for warning in outcome.warnings:
        click.echo(f"factcheck: warning: {terminal(warning, one_line=True)}", err=True)
    if dry_run:
        click.echo(terminal(outcome.diff), nl=False)
        click.echo(f"factcheck: would have {terminal(outcome.message, one_line=True)} (--dry-run: nothing was "
                   "written)", err=True)
    else:
        click.echo(f"factcheck: {terminal(outcome.message, one_line=True)}", err=True)
    _exit(0)


def _with_ledger_options(group: click.Group) -> click.Group:
    group.params.extend(_ledger_options())
    return group


@_with_ledger_options
@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120})
@click.version_option(__version__, "--version", prog_name="factcheck")
def cli() -> None:
    """Keep a ledger of claims, each tied to the exact words of its sources and evidence.

    -C DIR and --no-cache may be given before or after the command name.
    Exit status: 0 clean, 1 problems found, 2 the command could not run.
    """


def main(question: Question | None = None) -> None:
    """The console script: leaves without tearing down what it read (a large ledger takes a while to free).

    With the question the command line asks (see pipeline.answers), what it prints is kept as its answer.
    """
    global _LEAVING_FAST
    _LEAVING_FAST = True
    recording = None
    if question is not None:
        from factcheck.pipeline.answers import Recording

        recording = Recording(question)
    try:
        cli(prog_name="factcheck")
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    try:
        _flush()
    except BrokenPipeError:
        code, recording = code or 1, None
    if recording is not None:
        recording.keep(code, next(iter(_ROOTS_READ)) if len(_ROOTS_READ) == 1 else None)
    os._exit(code)


from factcheck.cli import correcting, editing, exchange, reading  # noqa: E402, F401  (each adds its commands to cli)
