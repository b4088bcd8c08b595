"""The command line: parse arguments, call the core, render, exit. The only module that imports click."""

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
    from factcheck.errors import Problem
    from factcheck.store import Ledger

STATUSES = ("unverified", "supported", "refuted", "misleading", "conflicting", "unverifiable")


class _CommandFailed(click.ClickException):
    """A FactcheckError on its way out: message on stderr, exit 2, no traceback."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"factcheck: error: {terminal(self.format_message(), one_line=True)}", err=True)


class _CommandRefused(_CommandFailed):
    """A RefusedError on its way out: the data does not allow it, exit 1."""

    exit_code = 1


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FactcheckError as exc:
            raise (_CommandRefused if exc.exit_code == 1 else _CommandFailed)(str(exc)) from None


def _root(ctx: click.Context) -> Path:
    return Path(ctx.find_root().params["root"])


def _styler(stream: Any) -> Callable[[str, str], str]:
    colours = {"error": "red", "warning": "yellow", "info": "cyan", "normalized": "yellow", "exact": "green"}
    if os.environ.get("NO_COLOR") or not getattr(stream, "isatty", lambda: False)():
        return lambda text, _style: text
    return lambda text, style: click.style(text, fg=colours.get(style), bold=style == "bold")


def _path_prefix(root: Path) -> str:
    """The ledger's folder relative to the current one ('' or 'desk/'), so CI paths point into the repository."""
    try:
        inside = root.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return ""
    return "" if inside == "." else inside + "/"


def _progress(quiet: bool = False) -> Callable[[int, int, str], None] | None:
    """A progress bar on stderr for long work: only on a terminal, never in CI, never when asked to be quiet."""
    if quiet or os.environ.get("CI") or not getattr(sys.stderr, "isatty", lambda: False)():
        return None
    import time

    started = time.monotonic()
    try:
        after = float(os.environ.get("FACTCHECK_PROGRESS_AFTER", "0.5"))
    except ValueError:
        after = 0.5

    def show(done: int, total: int, what: str) -> None:
        if time.monotonic() - started < after:  # short work needs no bar
            return
        filled = int(30 * done / total) if total else 0
        click.echo(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} {what:<30}", err=True, nl=False)
        if total and done == total:  # done: clear the line for what comes next
            click.echo("\r" + " " * 72 + "\r", err=True, nl=False)

    return show


def _load(ctx: click.Context) -> Ledger:
    from factcheck.store import load_ledger

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


def _exit(code: int) -> NoReturn:
    """Leave the command with `code`.

    Run as the console script, the command's locals (the ledger it read, the report it made) are kept
    alive: the process ends with os._exit, and freeing a hundred thousand claims object by object as the
    stack unwinds takes longer than all that is left to do.
    """
    if _LEAVING_FAST:
        _KEPT.append(sys._getframe(1).f_locals)
    sys.stdout.flush()
    raise SystemExit(code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="factcheck")
@click.option("-C", "--root", default=".", metavar="DIR", show_default=True,
              type=click.Path(file_okay=False, path_type=str), help="The ledger's folder.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache in .factcheck-cache/.")
def cli(root: str, no_cache: bool) -> None:
    """Keep a ledger of claims, each tied to the exact words of its sources and evidence.

    Exit status: 0 clean, 1 problems found, 2 the command could not run.
    """
    if no_cache:
        os.environ["FACTCHECK_NO_CACHE"] = "1"


@cli.command("list")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES), help="Only this verdict (repeatable).")
@click.option("--subject", "subjects", multiple=True, metavar="SUBJECT", help="Only this subject (repeatable).")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Only claims with this tag (repeatable).")
@click.option("--source", "sources", multiple=True, metavar="ID", help="Only claims quoting this source (repeatable).")
@click.option("--claimant", metavar="TEXT", help="Only claimants containing TEXT (any case).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE", help="Only claims made on or after DATE.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE", help="Only claims made on or before DATE.")
@click.option("--latest", is_flag=True, help="Only the newest claim of each subject.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "yaml"]), default="table", show_default=True)
@click.pass_context
def list_command(ctx: click.Context, statuses: tuple[str, ...], subjects: tuple[str, ...], tags: tuple[str, ...],
                 sources: tuple[str, ...], claimant: str | None, since: Any, until: Any, latest: bool, fmt: str) -> None:
    """One row a claim, filtered."""
    from factcheck import listing
    from factcheck.render import csvout, jsonout, text, yamlout

    found = listing.load_rows(_root(ctx))
    filters = listing.Filters(statuses, subjects, tags, sources, claimant,
                              since.date() if since else None, until.date() if until else None, latest)
    rows = listing.select(found.rows, filters, found.sources)
    renderers: dict[str, Callable[[], str]] = {
        "table": lambda: text.grid(listing.columns_of(rows),
                                   only=("id", "date", "status", "claimant", "figure", "text")) + "\n",
        "json": lambda: jsonout.dumps(list(map(listing.as_mapping, rows))),
        "csv": lambda: csvout.rows(list(map(listing.as_mapping, rows)), listing.COLUMNS),
        "yaml": lambda: yamlout.dumps(list(map(listing.as_mapping, rows))),
    }
    click.echo(renderers[fmt](), nl=False)
    _exit(1 if _report_load_problems(found.problems) else 0)


@cli.command()
@click.argument("claim_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def show(ctx: click.Context, claim_id: str, fmt: str) -> None:
    """One claim whole, each quote shown in its place in the source."""
    from factcheck.render import jsonout, text
    from factcheck.views import claim_view

    ledger = _load(ctx)
    view = claim_view(ledger, ledger.require(claim_id))
    if fmt == "json":
        click.echo(jsonout.dumps(view), nl=False)
    else:
        click.echo(text.claim(view, _styler(sys.stdout)), nl=False)
    quotes = [*view["appearances"], *view["evidence"]]
    _exit(1 if any(q["match"]["kind"] in ("not-found", "unknown-source") for q in quotes) else 0)


@cli.command()
@click.argument("claim_ids", nargs=-1, metavar="[ID]...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "junit", "sarif"]), default="text",
              show_default=True, help="github: workflow annotations; junit: JUnit XML; sarif: SARIF 2.1.0.")
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--stale-after", type=click.IntRange(min=1), metavar="DAYS",
              help="Warn about claims whose status has not changed for more than DAYS days "
                   "(default: the ledger's stale_after_days; off when neither is set).")
@click.option("-q", "--quiet", is_flag=True, help="No summary line on stderr.")
@click.pass_context
def verify(ctx: click.Context, claim_ids: tuple[str, ...], fmt: str, strict: bool, stale_after: int | None,
           quiet: bool) -> None:
    """Run every check; print the problems, each at its file:line:column."""
    from factcheck.checks import REGISTRY, Options, exit_status, run_checks
    from factcheck.render import github, jsonout, junit, sarif, text
    from factcheck.verification import verify_ledger

    if claim_ids:
        ledger = _load(ctx)
        for claim_id in claim_ids:
            ledger.require(claim_id)
        options = Options(stale_after_days=stale_after or ledger.settings.stale_after_days)
        found = run_checks(ledger, options, claim_ids)
        checked, sources = list(claim_ids), len(ledger.sources)
    else:
        outcome = verify_ledger(_root(ctx), Options(stale_after_days=stale_after), _progress(quiet))
        found, checked, sources = outcome.problems, outcome.claim_ids, outcome.sources
    status = exit_status(found, strict)
    prefix = _path_prefix(_root(ctx))
    renderers: dict[str, Callable[[], str]] = {
        "text": lambda: text.problems(found, _styler(sys.stdout)),
        "json": lambda: jsonout.verify_report(found, status == 0),
        "github": lambda: github.workflow_commands(found, prefix),
        "junit": lambda: junit.report(checked, found,
                                      {"error", "warning"} if strict else {"error"}, prefix + "claims.yaml"),
        "sarif": lambda: sarif.report(found, [(c.code, c.severity, c.description) for c in REGISTRY.values()], prefix),
    }
    click.echo(renderers[fmt](), nl=False)
    if not quiet:
        click.echo(text.counts_line(jsonout.counts(found), len(checked), sources), err=True)
    _exit(status)


@cli.command()
@click.argument("subjects", nargs=-1, metavar="[SUBJECT]...")
@click.option("--subject", "subject_options", multiple=True, metavar="SUBJECT", help="Only this subject (repeatable).")
@click.option("--rev", metavar="REV[..REV]",
              help="Compare the ledger between git revisions instead (REV alone: REV against the work tree).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
@click.option("--about-band", type=click.FloatRange(0, 1, min_open=True, max_open=True), metavar="FRACTION",
              help="How far an 'about' figure may be from its value, as a fraction (default: the ledger's "
                   "about_band, else 0.1).")
@click.option("--summary", is_flag=True, help="With --rev: only the counts.")
@click.option("--exit-code", is_flag=True, help="With --rev: exit 1 when anything changed, as git diff does.")
@click.pass_context
def diff(ctx: click.Context, subjects: tuple[str, ...], subject_options: tuple[str, ...], rev: str | None, fmt: str,
         about_band: float | None, summary: bool, exit_code: bool) -> None:
    """Claims over time: each subject's series with the change between neighbours; or, with --rev, what changed
    in the ledger between git revisions."""
    if rev is not None:
        if subjects or subject_options or about_band is not None:
            raise click.UsageError("--rev compares whole ledgers; it takes no subjects and no --about-band")
        _diff_revisions(ctx, rev, fmt, summary, exit_code)
    if summary or exit_code:
        raise click.UsageError("--summary and --exit-code go with --rev")
    from factcheck.render import jsonout, markdown, text
    from factcheck.timeline import DEFAULT_ABOUT_BAND, build_series, load_subjects

    ledger = load_subjects(_root(ctx))
    found = build_series(ledger, (*subjects, *subject_options), about_band)
    band = about_band or ledger.settings.about_band or DEFAULT_ABOUT_BAND
    renderers: dict[str, Callable[[], str]] = {
        "table": lambda: text.series(found, _styler(sys.stdout)),
        "json": lambda: jsonout.series(found, band),
        "markdown": lambda: markdown.series(found),
    }
    click.echo(renderers[fmt](), nl=False)
    _exit(1 if _report_load_problems(ledger.problems) else 0)


def _diff_revisions(ctx: click.Context, rev: str, fmt: str, summary: bool, exit_code: bool) -> NoReturn:
    from factcheck.history import diff_ledgers, ledger_at
    from factcheck.render import jsonout, markdown, text

    if "..." in rev:
        raise click.UsageError("--rev takes REV or REV..REV (the three-dot form is not supported)")
    before, sep, after = rev.partition("..")
    before = before or "HEAD"
    after_rev: str | None = (after or "HEAD") if sep else None
    root = _root(ctx)
    progress = _progress()
    old = ledger_at(root, before)
    if progress is not None:
        progress(1, 2, f"read {before}")
    new = ledger_at(root, after_rev)
    if progress is not None:
        progress(2, 2, f"read {after_rev or 'the work tree'}")
    changes = diff_ledgers(old, new, before, after_rev or "work tree")
    renderers: dict[str, Callable[[], str]] = {
        "table": lambda: text.summary_line(changes.counts()) if summary else text.ledger_diff(changes),
        "json": lambda: jsonout.ledger_diff(changes, summary),
        "markdown": lambda: markdown.ledger_diff(changes, summary),
    }
    click.echo(renderers[fmt](), nl=False)
    _exit(1 if exit_code and not changes.empty else 0)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["markdown", "html", "json"]), default="markdown", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Write the report to FILE (atomically) instead of stdout.")
@click.option("--stale-after", type=click.IntRange(min=1), metavar="DAYS", help="As for verify.")
@click.option("--charts", type=click.IntRange(min=0), default=40, show_default=True, metavar="N",
              help="HTML: draw charts for the N subjects with the most claims; the others get their tables.")
@click.pass_context
def report(ctx: click.Context, fmt: str, output: str | None, stale_after: int | None, charts: int) -> None:
    """The whole ledger for people: verdicts, problems, claims over time, every claim with its sources."""
    from factcheck.checks import Options, exit_status
    from factcheck.render import html, jsonout, markdown
    from factcheck.report import read_report

    module = {"markdown": markdown, "html": html, "json": jsonout}[fmt]
    drawing = html.Charts(charts) if fmt == "html" else None  # drawn from as soon as the claims are read
    made = read_report(_root(ctx), Options(stale_after_days=stale_after), module.claims_part, _progress(),
                       subjects_read=drawing.start if drawing else None)
    pieces = (html.report(made.data, made.claims, charts, drawing) if fmt == "html"
              else module.report(made.data, made.claims))
    if output is None:
        for piece in pieces:
            click.echo(piece, nl=False)
    else:
        from factcheck.files import write_atomic

        write_atomic(Path(output), pieces)
        click.echo(f"factcheck: wrote {output}", err=True)
    _exit(exit_status(made.problems))


@cli.command()
@click.argument("kind", type=click.Choice(["claims", "source"]), default="claims")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Write the schema to FILE (atomically) instead of stdout.")
def schema(kind: str, output: str | None) -> None:
    """The JSON Schema of claims.yaml (claims) or of sources/<id>.yaml (source), for editors and validators."""
    from factcheck.render import jsonout
    from factcheck.schema import json_schema

    text = jsonout.dumps(json_schema(kind))
    if output is None:
        click.echo(text, nl=False)
    else:
        from factcheck.files import write_atomic

        write_atomic(Path(output), text.encode("utf-8"))
    _exit(0)


def _today_option(value: Any) -> Any:
    return value.date() if value is not None else None


@cli.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", metavar="TEXT", help="The ledger's name (default: the folder's).")
def init(folder: Path, name: str | None) -> None:
    """Start a ledger: claims.yaml with a commented example, sources/, and the JSON Schemas for editors."""
    from factcheck.edits import init_ledger

    for path in init_ledger(folder, name):
        click.echo(f"created {path}", err=True)
    _exit(0)


@cli.group()
def source() -> None:
    """Sources: verbatim snapshots with their metadata."""


@source.command("add")
@click.argument("file", type=click.File("rb"))
@click.option("--id", "source_id", required=True, metavar="ID", help="The source's id (a slug).")
@click.option("--url", metavar="URL")
@click.option("--archive-url", metavar="URL")
@click.option("--title", metavar="TEXT")
@click.option("--publisher", metavar="TEXT")
@click.option("--author", "authors", multiple=True, metavar="NAME", help="Repeatable.")
@click.option("--published", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE")
@click.option("--retrieved", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE", help="Default: today.")
@click.option("--language", metavar="CODE")
@click.pass_context
def source_add(ctx: click.Context, file: Any, source_id: str, url: str | None, archive_url: str | None,
               title: str | None, publisher: str | None, authors: tuple[str, ...], published: Any, retrieved: Any,
               language: str | None) -> None:
    """Copy FILE (or - for stdin) into sources/ID.txt byte for byte and record its metadata and sha256."""
    from factcheck.edits import add_source

    meta = {"url": url, "archive_url": archive_url, "title": title, "publisher": publisher, "authors": list(authors),
            "published": _today_option(published), "retrieved": _today_option(retrieved), "language": language}
    outcome = add_source(_root(ctx), file.read(), source_id, meta)
    click.echo(f"factcheck: {outcome.message}", err=True)
    _exit(0)


@cli.group()
def claim() -> None:
    """Claims: add them from the shell."""


@claim.command("add")
@click.option("--id", "claim_id", required=True, metavar="ID", help="The claim's id (a slug).")
@click.option("--text", required=True, metavar="TEXT", help="The claim in one sentence.")
@click.option("--claimant", required=True, metavar="WHO")
@click.option("--date", "date_", required=True, type=click.DateTime(["%Y-%m-%d"]), metavar="DATE")
@click.option("--subject", metavar="SUBJECT")
@click.option("--value", type=float, metavar="NUMBER")
@click.option("--bound", type=click.Choice(["exactly", "about", "more-than", "at-least", "fewer-than", "at-most"]))
@click.option("--unit", metavar="TEXT")
@click.option("--measure", metavar="TEXT", help="What the number counts.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Repeatable.")
@click.option("--note", metavar="TEXT")
@click.pass_context
def claim_add(ctx: click.Context, claim_id: str, text: str, claimant: str, date_: Any, subject: str | None,
              value: float | None, bound: str | None, unit: str | None, measure: str | None, tags: tuple[str, ...],
              note: str | None) -> None:
    """Append a claim to the ledger; warn when an existing claim reads nearly the same."""
    from factcheck.edits import add_claim

    if (value is None) != (bound is None) or (unit is not None and value is None):
        raise click.UsageError("--value and --bound go together (and --unit needs them)")
    fields: dict[str, Any] = {"id": claim_id, "text": text, "claimant": claimant, "date": date_.date(),
                              "subject": subject, "measure": measure, "tags": list(tags), "note": note}
    if value is not None:
        fields["quantity"] = {"value": int(value) if value.is_integer() else value, "bound": bound, "unit": unit}
    outcome = add_claim(_root(ctx), {k: v for k, v in fields.items() if v is not None})
    for warning in outcome.warnings:
        click.echo(f"factcheck: warning: {terminal(warning, one_line=True)}", err=True)
    click.echo(f"factcheck: {outcome.message}", err=True)
    _exit(0)


@cli.command()
@click.argument("claim_id", metavar="ID")
@click.argument("source_id", metavar="SOURCE")
@click.argument("words", metavar="TEXT")
@click.option("--stance", type=click.Choice(["supports", "refutes", "context"]),
              help="Attach as evidence with this stance (without it: an appearance of the claim).")
@click.pass_context
def quote(ctx: click.Context, claim_id: str, source_id: str, words: str, stance: str | None) -> None:
    """Find TEXT in the source (forgiving whitespace, quotes, dashes, case, small typos) and attach the
    source's own exact words to the claim."""
    from factcheck.edits import add_quote

    outcome = add_quote(_root(ctx), claim_id, source_id, words, stance)
    click.echo(f"factcheck: {terminal(outcome.message, one_line=True)}", err=True)
    _exit(0)


@cli.command()
@click.argument("claim_id", metavar="ID")
@click.argument("status", type=click.Choice(STATUSES))
@click.option("--note", required=True, metavar="TEXT", help="Why: kept in the history.")
@click.option("--by", metavar="NAME", help="Who (default: git's user.name).")
@click.option("--date", "date_", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE", help="Default: today.")
@click.option("--force", is_flag=True, help="Set it even though verify would flag it as status-unsupported.")
@click.pass_context
def status(ctx: click.Context, claim_id: str, status: str, note: str, by: str | None, date_: Any, force: bool) -> None:
    """Set a claim's verdict and append it to the claim's history."""
    from factcheck.edits import set_status
    from factcheck.history import git_user_name

    root = _root(ctx)
    outcome = set_status(root, claim_id, status, note, by or git_user_name(root), _today_option(date_), force)
    click.echo(f"factcheck: {outcome.message}", err=True)
    _exit(0)


@cli.command()
@click.option("--check", is_flag=True, help="Change nothing; name the files that would change and exit 1.")
@click.pass_context
def fmt(ctx: click.Context, check: bool) -> None:
    """Rewrite the ledger's YAML in one canonical layout (key order, indentation, quoting), keeping comments."""
    from factcheck.layout import format_ledger

    changed = [r.path for r in format_ledger(_root(ctx), check) if r.changed]
    for path in changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {path}")
    if not changed:
        click.echo("factcheck: every file is in canonical layout", err=True)
    _exit(1 if check and changed else 0)


@cli.command()
@click.argument("source_id", metavar="SOURCE")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--untracked", is_flag=True, help="Only figures no claim tracks yet.")
@click.pass_context
def extract(ctx: click.Context, source_id: str, fmt: str, untracked: bool) -> None:
    """The sentences of a source that state quantities, each parsed into value, bound and unit, and whether
    the ledger already tracks it."""
    from dataclasses import asdict

    from factcheck.errors import did_you_mean
    from factcheck.extract import extract as find_mentions
    from factcheck.render import jsonout, text

    ledger = _load(ctx)
    source = ledger.sources.get(source_id)
    if source is None or source.text is None:
        raise FactcheckError(f"no readable snapshot for source {source_id!r}{did_you_mean(source_id, set(ledger.sources))}")
    mentions = [m for m in find_mentions(ledger, source_id, source.text) if not (untracked and m.tracked_by)]
    if fmt == "json":
        click.echo(jsonout.dumps([{**asdict(m), "tracked_by": list(m.tracked_by)} for m in mentions]), nl=False)
    else:
        from factcheck.figures import BOUND_WORDS, format_number

        rows = [{"figure": f"{BOUND_WORDS[m.bound]}{format_number(m.value)} {m.unit}", "as written": m.words,
                 "tracked by": ", ".join(m.tracked_by) or "-", "sentence": m.sentence} for m in mentions]
        click.echo(text.table(rows, ("figure", "as written", "tracked by", "sentence"), max_text=70) + "\n", nl=False)
    _exit(0)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["claimreview", "annotations", "csv"]), required=True,
              help="claimreview: schema.org ClaimReview JSON-LD; annotations: W3C Web Annotations; csv: one row a "
                   "claim.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Write to FILE (atomically) instead of stdout.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: str | None) -> None:
    """The ledger in standard forms, for publishing and for other tools."""
    from factcheck import interop, listing
    from factcheck.render import csvout, jsonout

    ledger = _load(ctx)
    if fmt == "csv":
        text = csvout.rows([listing.row(r) for r in ledger.claims], listing.COLUMNS)
    else:
        exported = interop.claimreview(ledger) if fmt == "claimreview" else interop.web_annotations(ledger)
        documents = exported.documents
        text = jsonout.dumps(documents if fmt == "claimreview" else documents[0])
        for why, count in exported.left_out.items():
            if why.startswith("without a url"):
                click.echo(f"factcheck: warning: {count} review{'s' if count != 1 else ''} {why}", err=True)
            elif fmt == "claimreview":
                click.echo(f"factcheck: left out {count} claim{'s' if count != 1 else ''} {why}", err=True)
            else:
                click.echo(f"factcheck: left out {count} {why}", err=True)
    if output is None:
        click.echo(text, nl=False)
    else:
        from factcheck.files import write_atomic

        write_atomic(Path(output), text.encode("utf-8"))
        click.echo(f"factcheck: wrote {output}", err=True)
    _exit(1 if _report_load_problems(ledger.problems) else 0)


@cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--format", "fmt", type=click.Choice(["claimreview"]), required=True)
@click.option("--dry-run", is_flag=True, help="Show what would be added; write nothing.")
@click.pass_context
def import_command(ctx: click.Context, file: Any, fmt: str, dry_run: bool) -> None:
    """Add published ClaimReview markup (an object, a list, a @graph or a DataFeed) to the ledger as claims."""
    import json

    from factcheck.edits import import_claims
    from factcheck.interop import import_claimreview
    from factcheck.model import RatingScale
    from factcheck.render import text
    from factcheck.store import load_ledger

    name = getattr(file, "name", "-")
    try:
        document = json.loads(file.read().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FactcheckError(f"{name}: not UTF-8 (byte offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise FactcheckError(f"{name}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    root = _root(ctx)
    scale = load_ledger(root).settings.rating_scale or RatingScale()
    found = import_claimreview(document, scale)
    new, present = import_claims(root, found.claims, dry_run)
    for why in found.skipped:
        click.echo(f"factcheck: skipped {why}", err=True)
    rows = [{"id": c.id, "status": c.status, "claimant": c.claimant, "date": c.date.isoformat(), "text": c.text}
            for c in new]
    if rows:
        click.echo(text.table(rows, ("id", "status", "claimant", "date", "text")) + "\n", nl=False)
    verb = "would add" if dry_run else "added"
    click.echo(f"factcheck: {verb} {len(new)} claim{'s' if len(new) != 1 else ''}; {len(present)} already in the "
               f"ledger; {len(found.skipped)} skipped", err=True)
    _exit(0)


def main() -> None:
    """The console script: leaves without tearing down what it read (a large ledger takes a while to free)."""
    global _LEAVING_FAST
    _LEAVING_FAST = True
    try:
        cli(prog_name="factcheck")
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = code or 1
    os._exit(code)

