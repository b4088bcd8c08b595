"""The commands that read the ledger: list, show, verify, diff, report, schema, extract."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn

import click

from factcheck.cli import (
    STATUSES,
    Formats,
    _exit,
    _from_here,
    _ledgers_for,
    _load,
    _path_prefix,
    _paths_from_here,
    _progress,
    _report_load_problems,
    _root,
    _styler,
    as_date,
    cli,
    examples,
)
from factcheck.errors import FactcheckError, Problem
from factcheck.render.escape import terminal

SUMMARY_BYTES = 1_000_000  # under GitHub's 1 MiB for a step's summary, with room for a diff appended


@cli.command("list", epilog=examples(
    'factcheck list --status refuted --since 2024-01-01',
    'factcheck list --subject defence-output --format csv',
))
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES), help="Only this verdict (repeatable).")
@click.option("--subject", "subjects", multiple=True, metavar="SUBJECT", help="Only this subject (repeatable).")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Only claims with this tag (repeatable).")
@click.option("--source", "sources", multiple=True, metavar="ID", help="Only claims quoting this source (repeatable).")
@click.option("--claimant", metavar="TEXT", help="Only claimants containing TEXT (any case).")
@click.option("--since", callback=as_date, metavar="DATE", help="Only claims made on or after DATE.")
@click.option("--until", callback=as_date, metavar="DATE", help="Only claims made on or before DATE.")
@click.option("--latest", is_flag=True, help="Only the newest claim of each subject.")
@click.option("--format", "fmt", type=Formats("json", "csv", "yaml"), default="text", show_default=True)
@click.pass_context
def list_command(ctx: click.Context, statuses: tuple[str, ...], subjects: tuple[str, ...], tags: tuple[str, ...],
                 sources: tuple[str, ...], claimant: str | None, since: Any, until: Any, latest: bool, fmt: str) -> None:
    """One row a claim, filtered."""
    from factcheck.api import list_claims
    from factcheck.render import csvout, jsonout, text, yamlout
    from factcheck.views import listing

    rows, found = list_claims(_root(ctx), statuses=statuses, subjects=subjects, tags=tags, sources=sources,
                              claimant=claimant, since=since, until=until, latest=latest)
    renderers: dict[str, Callable[[], str]] = {
        "text": lambda: text.grid(listing.columns_of(rows),
                                   only=("id", "date", "status", "claimant", "figure", "text")) + "\n",
        "json": lambda: jsonout.dumps(list(map(listing.as_mapping, rows))),
        "csv": lambda: csvout.rows(list(map(listing.as_mapping, rows)), listing.COLUMNS),
        "yaml": lambda: yamlout.dumps(list(map(listing.as_mapping, rows))),
    }
    click.echo(renderers[fmt](), nl=False)
    _exit(1 if _report_load_problems(found.problems) else 0)


@cli.command(epilog=examples(
    'factcheck show az-weapons-in-development-2023',
    'factcheck show az-weapons-in-development-2023 --format json',
))
@click.argument("claim_id", metavar="ID")
@click.option("--format", "fmt", type=Formats("json"), default="text", show_default=True)
@click.pass_context
def show(ctx: click.Context, claim_id: str, fmt: str) -> None:
    """One claim whole, each quote shown in its place in the source."""
    from factcheck.api import show_claim
    from factcheck.render import jsonout, text

    view = show_claim(_root(ctx), claim_id)
    view["location"] = _path_prefix(_root(ctx)) + view["location"]  # from the current folder, as verify's
    if fmt == "json":
        click.echo(jsonout.dumps(view), nl=False)
    else:
        click.echo(text.claim(view, _styler(sys.stdout)), nl=False)
    quotes = [*view["appearances"], *view["evidence"]]
    _exit(1 if any(q["match"]["kind"] in ("not-found", "unknown-source") for q in quotes) else 0)


@cli.command(epilog=examples('factcheck verify', 'factcheck verify -C desk --format github --strict'))
@click.argument("claim_ids", nargs=-1, metavar="[ID]...")
@click.option("--format", "fmt", type=Formats("json", "github", "junit", "sarif"), default="text",
              show_default=True, help="github: workflow annotations; junit: JUnit XML; sarif: SARIF 2.1.0.")
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--stale-after", type=click.IntRange(min=1), metavar="DAYS",
              help="Warn about claims whose status has not changed for more than DAYS days "
                   "(default: the ledger's stale_after_days; off when neither is set).")
@click.option("-q", "--quiet", is_flag=True, help="No summary line on stderr.")
@click.option("--for-files", is_flag=True,
              help="The arguments are files (as pre-commit passes them): verify each ledger that holds one, "
                   "with paths from this folder. With -C, that ledger alone.")
@click.pass_context
def verify(ctx: click.Context, claim_ids: tuple[str, ...], fmt: str, strict: bool, stale_after: int | None,
           quiet: bool, for_files: bool) -> None:
    """Run every check; print the problems, each at its file:line:column."""
    from factcheck.api import verify as verify_ledger
    from factcheck.checking.options import exit_status
    from factcheck.render import jsonout, text

    checked: list[tuple[str, str]]  # each claim's id and the file that holds it, from the current folder
    if for_files:
        found, checked, sources = [], [], 0
        for root in _ledgers_for(ctx, claim_ids):
            outcome = verify_ledger(root, stale_after_days=stale_after, progress=_progress(quiet))
            found += _from_here(root, outcome.problems)
            checked += zip(outcome.claim_ids, _paths_from_here(root, outcome.claim_files), strict=True)
            sources += outcome.sources
    else:
        outcome = verify_ledger(_root(ctx), stale_after_days=stale_after, claim_ids=claim_ids, progress=_progress(quiet))
        found, sources = _from_here(_root(ctx), outcome.problems), outcome.sources
        checked = list(zip(outcome.claim_ids, _paths_from_here(_root(ctx), outcome.claim_files), strict=True))
    status = exit_status(found, strict)
    renderers: dict[str, Callable[[], str | Iterable[str]]] = {
        "text": lambda: text.problem_lines(found, _styler(sys.stdout)),
        "json": lambda: jsonout.verify_report(found, status == 0),
        "github": lambda: _ci_format("github", found, checked, strict, ctx),
        "junit": lambda: _ci_format("junit", found, checked, strict, ctx),
        "sarif": lambda: _ci_format("sarif", found, checked, strict, ctx),
    }
    made = renderers[fmt]()
    for piece in [made] if isinstance(made, str) else made:
        click.echo(piece, nl=False)
    if not quiet:
        click.echo(text.counts_line(jsonout.counts(found), len(checked), sources), err=True)
    _exit(status)


def _ci_format(fmt: str, found: list[Problem], checked: list[tuple[str, str]], strict: bool,
               ctx: click.Context) -> str | Iterable[str]:
    """verify's problems in one of the CI formats, its renderer imported only when asked for (JUnit's brings
    in an XML library)."""
    if fmt == "github":
        from factcheck.render import github

        return github.workflow_commands(found)
    if fmt == "junit":
        from factcheck.render import junit

        return junit.report(checked, found, {"error", "warning"} if strict else {"error"})
    from factcheck.render import sarif

    return sarif.report(found, _rules(), automation=_path_prefix(_root(ctx)) or "./")


def _rules() -> list[tuple[str, str, str]]:
    """Every check code with its severity and description, for SARIF's rules."""
    from factcheck.checking.checks import REGISTRY

    return [(c.code, c.severity, c.description) for c in REGISTRY.values()]


@cli.command(epilog=examples(
    'factcheck diff az-defence-output',
    'factcheck diff --rev origin/main..HEAD --format markdown',
))
@click.argument("subjects", nargs=-1, metavar="[SUBJECT]...")
@click.option("--subject", "subject_options", multiple=True, metavar="SUBJECT", help="Only this subject (repeatable).")
@click.option("--rev", metavar="REV[..REV]",
              help="Compare the ledger between git revisions instead (REV alone: REV against the work tree).")
@click.option("--format", "fmt", type=Formats("json", "markdown"), default="text", show_default=True)
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
    from factcheck.overtime.timeline import DEFAULT_ABOUT_BAND, build_series, load_subjects
    from factcheck.render import jsonout, markdown, text

    ledger = load_subjects(_root(ctx))
    found = build_series(ledger, (*subjects, *subject_options), about_band)
    band = about_band or ledger.settings.about_band or DEFAULT_ABOUT_BAND
    renderers: dict[str, Callable[[], str]] = {
        "text": lambda: text.series(found, _styler(sys.stdout)),
        "json": lambda: jsonout.series(found, band),
        "markdown": lambda: markdown.series(found),
    }
    click.echo(renderers[fmt](), nl=False)
    if not found:
        named = " for the subjects named" if subjects or subject_options else ""
        click.echo(f"factcheck: no claims over time to show{named}: a claim is in a series when it has a subject "
                   "and a quantity", err=True)
    _exit(1 if _report_load_problems(ledger.problems) else 0)


def _diff_revisions(ctx: click.Context, rev: str, fmt: str, summary: bool, exit_code: bool) -> NoReturn:
    from factcheck.overtime.history import diff_ledgers, ledger_at
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
    for note in (*old.notes, *new.notes):
        click.echo(f"factcheck: warning: {terminal(note, one_line=True)}", err=True)
    changes = diff_ledgers(old.ledger, new.ledger, before, after_rev or "work tree")
    renderers: dict[str, Callable[[], str]] = {
        "text": lambda: text.summary_line(changes.counts()) if summary else text.ledger_diff(changes),
        "json": lambda: jsonout.ledger_diff(changes, summary),
        "markdown": lambda: markdown.ledger_diff(changes, summary),
    }
    click.echo(renderers[fmt](), nl=False)
    _exit(1 if exit_code and not changes.empty else 0)


@cli.command(epilog=examples(
    'factcheck report --format html -o report.html',
    'factcheck report --format markdown >> "$GITHUB_STEP_SUMMARY"',
))
@click.option("--format", "fmt", type=click.Choice(["markdown", "html", "json"]), default="markdown", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Write the report to FILE (atomically) instead of stdout.")
@click.option("--stale-after", type=click.IntRange(min=1), metavar="DAYS", help="As for verify.")
@click.option("--charts", type=click.IntRange(min=0), default=40, show_default=True, metavar="N",
              help="HTML: draw charts for the N subjects with the most claims; the others get their tables.")
@click.option("--max-bytes", type=click.IntRange(min=4096), metavar="N",
              help="Markdown: keep the report under N bytes, saying what it leaves out (default: 1,000,000 when "
                   "GITHUB_STEP_SUMMARY is set, as in a GitHub Actions job, whose summary takes at most 1 MiB).")
@click.pass_context
def report(ctx: click.Context, fmt: str, output: str | None, stale_after: int | None, charts: int,
           max_bytes: int | None) -> None:
    """The whole ledger for people: verdicts, problems, claims over time, every claim with its sources."""
    from factcheck.checking.options import Options, exit_status
    from factcheck.render import html, jsonout, markdown
    from factcheck.views.report import read_report

    if output is not None:
        from factcheck.ledger.ledgerfiles import check_output

        check_output(_root(ctx), Path(output))
    module = {"markdown": markdown, "html": html, "json": jsonout}[fmt]
    drawing = html.Charts(charts) if fmt == "html" else None  # drawn from as soon as the claims are read
    made = read_report(_root(ctx), Options(stale_after_days=stale_after), module.claims_part, _progress(),
                       subjects_read=drawing.start if drawing else None)
    if max_bytes is None and os.environ.get("GITHUB_STEP_SUMMARY"):
        max_bytes = SUMMARY_BYTES
    pieces = (html.report(made.data, made.claims, charts, drawing) if fmt == "html"
              else markdown.report(made.data, made.claims, max_bytes) if fmt == "markdown"
              else module.report(made.data, made.claims))
    if output is None:
        for piece in pieces:
            click.echo(piece, nl=False)
    else:
        from factcheck.ledger.files import write_atomic

        write_atomic(Path(output), pieces)
        click.echo(f"factcheck: wrote {output}", err=True)
    status = exit_status(made.problems)
    if status:
        errors = sum(1 for p in made.problems if p.severity == "error")
        click.echo(f"factcheck: the ledger has {errors} error{'s' if errors != 1 else ''} (listed in the report's "
                   "problems; factcheck verify names each): exit status 1", err=True)
    _exit(status)


@cli.command(epilog=examples(
    'factcheck schema claims -o schema/claims.schema.json',
    'factcheck schema source',
))
@click.argument("kind", type=click.Choice(["claims", "source"]), default="claims")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Write the schema to FILE (atomically) instead of stdout.")
def schema(kind: str, output: str | None) -> None:
    """The JSON Schema of claims.yaml (claims) or of sources/<id>.yaml (source), for editors and validators."""
    from factcheck.ledger.schema import json_schema
    from factcheck.render import jsonout

    text = jsonout.dumps(json_schema(kind))
    if output is None:
        click.echo(text, nl=False)
    else:
        from factcheck.ledger.files import write_atomic

        write_atomic(Path(output), text.encode("utf-8"))
    _exit(0)


@cli.command(epilog=examples(
    'factcheck extract azernews-2023-09-29 --untracked',
    'factcheck extract azernews-2023-09-29 --format json',
))
@click.argument("source_id", metavar="SOURCE")
@click.option("--format", "fmt", type=Formats("json"), default="text", show_default=True)
@click.option("--untracked", is_flag=True, help="Only figures no claim tracks yet.")
@click.pass_context
def extract(ctx: click.Context, source_id: str, fmt: str, untracked: bool) -> None:
    """The sentences of a source that state quantities, each parsed into value, bound and unit, and whether
    the ledger already tracks it."""
    from dataclasses import asdict

    from factcheck.checking.extract import extract as find_mentions
    from factcheck.errors import did_you_mean
    from factcheck.render import jsonout, text

    ledger = _load(ctx)
    source = ledger.sources.get(source_id)
    if source is None or source.text is None:
        raise FactcheckError(f"no readable snapshot for source {source_id!r}{did_you_mean(source_id, set(ledger.sources))}")
    mentions = [m for m in find_mentions(ledger, source_id, source.text) if not (untracked and m.tracked_by)]
    if fmt == "json":
        click.echo(jsonout.dumps([{**asdict(m), "tracked_by": list(m.tracked_by)} for m in mentions]), nl=False)
    else:
        from factcheck.ledger.figures import phrase_of

        rows = [{"figure": phrase_of(m.value, m.bound, m.unit, m.ordinal), "as written": m.words,
                 "tracked by": ", ".join(m.tracked_by) or "-", "sentence": m.sentence} for m in mentions]
        click.echo(text.table(rows, ("figure", "as written", "tracked by", "sentence"), max_text=70) + "\n", nl=False)
    _exit(0)


@cli.command(epilog=examples('factcheck lsp'))
def lsp() -> None:
    """Serve the checks to an editor over the Language Server Protocol, on stdin and stdout: diagnostics as
    you type, hover, completion and go to definition in claims files (needs the `lsp` extra: pygls)."""
    try:
        import pygls  # noqa: F401
    except ImportError:
        raise FactcheckError("the language server needs pygls: pip install 'factcheck-ledger[lsp]'") from None
    from factcheck.lsp import serve

    serve()
    _exit(0)
