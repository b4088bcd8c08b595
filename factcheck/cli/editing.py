"""The commands that change the ledger: init, source add, claim add, quote, status, fmt."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from factcheck.cli import (
    STATUSES,
    _exit,
    _given_root,
    _ledgers_for,
    _path_prefix,
    _root,
    as_claim_date,
    as_date,
    as_figure,
    cli,
    done,
    examples,
)
from factcheck.render.escape import terminal

if TYPE_CHECKING:
    from factcheck.ledger.typed import Figure


@cli.command(epilog=examples('factcheck init desk --name "Defence figures desk"', 'factcheck -C desk init'))
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", metavar="TEXT", help="The ledger's name (default: the folder's).")
@click.pass_context
def init(ctx: click.Context, folder: Path, name: str | None) -> None:
    """Start a ledger: claims.yaml with a commented example, sources/, and the JSON Schemas for editors."""
    from factcheck.editing.edits import init_ledger

    given = _given_root(ctx)
    for path in init_ledger(given / folder if given is not None else folder, name):
        click.echo(f"created {path}", err=True)
    _exit(0)


def source_metadata(command: Any) -> Any:
    """The options that give a source's metadata (source add, source register)."""
    for option in reversed([
        click.option("--url", metavar="URL"),
        click.option("--archive-url", metavar="URL"),
        click.option("--title", metavar="TEXT"),
        click.option("--publisher", metavar="TEXT"),
        click.option("--author", "authors", multiple=True, metavar="NAME", help="Repeatable."),
        click.option("--published", callback=as_date, metavar="DATE"),
        click.option("--retrieved", callback=as_date, metavar="DATE", help="Default: today."),
        click.option("--language", metavar="CODE"),
    ]):
        command = option(command)
    return command


@cli.group(epilog=examples(
    'factcheck source add saved-article.txt --id azernews-2023-09-29 --publisher AzerNews',
))
def source() -> None:
    """Sources: verbatim snapshots with their metadata."""


@source.command("add", epilog=examples(
    'factcheck source add saved-article.txt --id azernews-2023-09-29 --publisher AzerNews --published 2023-09-29',
    'factcheck source add saved-page.html --id newsaz-2024-09-24',
    'factcheck source add statement.pdf --id statement-2024 --published 2024-05-02',
    'factcheck source add https://example.org/news/article --id example-2024',
    'factcheck source add - --id statement-2024 < statement.txt',
))
@click.argument("file", metavar="FILE|URL")
@click.option("--id", "source_id", required=True, metavar="ID", help="The source's id (a slug).")
@source_metadata
@click.option("--as", "declared", type=click.Choice(["text", "html", "pdf"]),
              help="What FILE is, when its content does not say (default: found from its content).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              metavar="SECONDS", help="How long to wait for an address to answer.")
@click.pass_context
def source_add(ctx: click.Context, file: str, source_id: str, declared: str | None, timeout: float,
               url: str | None, archive_url: str | None, title: str | None, publisher: str | None,
               authors: tuple[str, ...], published: Any, retrieved: Any, language: str | None) -> None:
    """Add a source from FILE (- for stdin) or from an address.

    Text is copied into sources/ID.txt byte for byte. A saved web page (HTML) or a PDF is kept as it is, as
    sources/ID.html or sources/ID.pdf, and the text that quotes are checked against is derived from it into
    sources/ID.txt: the article without the page around it, or the PDF's pages in order. Title, authors,
    date, address and language are taken from the document unless given. The metadata, sources/ID.yaml,
    records each file's sha256 and the extractor's version. Pages and PDFs need the capture extra.
    """
    from factcheck import settings
    from factcheck.editing.fetch import fetch, is_address
    from factcheck.editing.sourcing import add_saved

    root = _root(ctx)
    meta = {"url": url, "archive_url": archive_url, "title": title, "publisher": publisher, "authors": list(authors),
            "published": published, "retrieved": retrieved, "language": language}
    limit = settings.max_file_bytes()
    fetched = None
    if file == "-":
        data = sys.stdin.buffer.read(limit + 1)
    elif is_address(file):
        fetched = fetch(file, timeout, limit)
        data = fetched.data
    else:
        data = _read_saved(Path(file), limit)
    outcome = add_saved(root, data, file, source_id, meta, declared, fetched)
    for warning in outcome.warnings:
        click.echo(f"factcheck: warning: {terminal(warning, one_line=True)}", err=True)
    click.echo(f"factcheck: {terminal(outcome.message, one_line=True)}", err=True)
    _exit(0)


def _read_saved(path: Path, limit: int) -> bytes:
    """A saved file's bytes, up to one more than the limit (its size is then refused)."""
    from factcheck.errors import FactcheckError

    try:
        with path.open("rb") as handle:
            return handle.read(limit + 1)
    except FileNotFoundError:
        raise FactcheckError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FactcheckError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise FactcheckError(f"{path}: cannot read: {exc.strerror}") from None


@cli.group(epilog=examples(
    'factcheck claim add --id weapons-2023 --text "..." --claimant "..." --date 2023-09-29',
))
def claim() -> None:
    """Claims: add them from the shell."""


@claim.command("add", epilog=examples(
    'factcheck claim add --id weapons-2023 --text "Azerbaijan is working on more than 800 new weapons." \\',
    '    --claimant "Madat Guliyev" --date 2023-09-29 --subject defence-output --value 800 --bound more-than --unit weapons',
    'factcheck claim add --from new-claims.csv --dry-run',
))
@click.option("--id", "claim_id", metavar="ID", help="The claim's id (a slug). Required, with --text, --claimant "
                                                      "and --date, unless --from gives the claims.")
@click.option("--text", metavar="TEXT", help="The claim in one sentence.")
@click.option("--claimant", metavar="WHO")
@click.option("--date", "date_", callback=as_claim_date, metavar="DATE",
              help="YYYY-MM-DD (or 2021-7-20, a date-time, \"July 20, 2021\"); YYYY-MM or YYYY when no day is known.")
@click.option("--subject", metavar="SUBJECT")
@click.option("--value", callback=as_figure, metavar="FIGURE",
              help="800, 1,000, 2.5; 1.2 billion, 300 mln; AZN 300 million or $1.2bn (the currency is the unit); "
                   "4th for a position.")
@click.option("--bound", type=click.Choice(["exactly", "about", "more-than", "at-least", "fewer-than", "at-most"]))
@click.option("--unit", metavar="TEXT")
@click.option("--measure", metavar="TEXT", help="What the number counts.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Repeatable.")
@click.option("--note", metavar="TEXT")
@click.option("--from", "rows", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
              help="Add every row of a YAML, JSON or CSV file (the same fields; value, bound, unit for the figure; "
                   "tags comma-separated in CSV), all in one write or none.")
@click.option("--dry-run", is_flag=True, help="Write nothing; show the change as a unified diff.")
@click.pass_context
def claim_add(ctx: click.Context, claim_id: str | None, text: str | None, claimant: str | None, date_: Any,
              subject: str | None, value: Figure | None, bound: str | None, unit: str | None, measure: str | None,
              tags: tuple[str, ...], note: str | None, rows: Path | None, dry_run: bool) -> None:
    """Append a claim to the ledger (or every row of a file, with --from); warn when an existing claim reads
    nearly the same."""
    from factcheck.editing.edits import add_claim

    given = [name for name, v in (("--id", claim_id), ("--text", text), ("--claimant", claimant), ("--date", date_),
                                  ("--subject", subject), ("--value", value), ("--unit", unit), ("--measure", measure),
                                  ("--note", note), ("--tag", tags or None), ("--bound", bound)) if v is not None]
    if rows is not None:
        from factcheck.editing.batches import add_claims_from, read_rows

        if given:
            raise click.UsageError(f"--from gives the claims: {', '.join(given)} cannot be given with it")
        done(add_claims_from(_root(ctx), read_rows(rows), dry_run), dry_run)
    missing = [name for name, v in (("--id", claim_id), ("--text", text), ("--claimant", claimant),
                                    ("--date", date_)) if v is None]
    if missing:
        raise click.UsageError(f"missing {', '.join(missing)} (or give the claims with --from FILE)")
    if value is not None and value.ordinal and bound is None:
        bound = "exactly"  # a position is exact
    if (value is None) != (bound is None) or (unit is not None and value is None):
        raise click.UsageError("--value and --bound go together (and --unit needs them)")
    fields: dict[str, Any] = {"id": claim_id, "text": text, "claimant": claimant, "date": date_,
                              "subject": subject, "measure": measure, "tags": list(tags), "note": note}
    if value is not None:
        if value.unit is not None and unit is not None and value.unit != unit:
            raise click.UsageError(f"--value gives the unit {value.unit!r} and --unit {unit!r}: give one")
        number = int(value.value) if value.value.is_integer() else value.value
        fields["quantity"] = {"value": number, "bound": bound, "unit": unit or value.unit}
        if value.ordinal:
            fields["quantity"]["ordinal"] = True
    outcome = add_claim(_root(ctx), {k: v for k, v in fields.items() if v is not None}, dry_run)
    if dry_run:

        done(outcome, dry_run)
    for warning in outcome.warnings:
        click.echo(f"factcheck: warning: {terminal(warning, one_line=True)}", err=True)
    click.echo(f"factcheck: {outcome.message}", err=True)
    _exit(0)


class _QuoteGroup(type(cli)):  # type: ignore[misc]
    """`quote` is `quote add` unless its first word names another of its commands (remove, replace, fix)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["add", *args]
        return super().parse_args(ctx, args)  # type: ignore[no-any-return]


@cli.group(cls=_QuoteGroup, epilog=examples(
    'factcheck quote weapons-2023 azernews-2023-09-29 "more than 800 new weapons"',
    'factcheck quote remove weapons-2023 2',
    'factcheck quote fix weapons-2023 --yes',
))
def quote() -> None:
    """Quotes of a claim: `quote ID SOURCE TEXT` (that is, `quote add`) attaches the source's own words;
    remove, replace and fix correct them."""


@quote.command("add", epilog=examples(
    'factcheck quote weapons-2023 azernews-2023-09-29 "more than 800 new weapons"',
    'factcheck quote weapons-2023 azernews-2023-09-29 "the figure is realistic" --stance supports',
))
@click.argument("claim_id", metavar="ID")
@click.argument("source_id", metavar="SOURCE")
@click.argument("words", metavar="TEXT")
@click.option("--stance", type=click.Choice(["supports", "refutes", "context"]),
              help="Attach as evidence with this stance (without it: an appearance of the claim).")
@click.pass_context
def quote_add(ctx: click.Context, claim_id: str, source_id: str, words: str, stance: str | None) -> None:
    """Find TEXT in the source (forgiving whitespace, quotes, dashes, case, small typos) and attach the
    source's own exact words to the claim.

    What was typed is shown beside what was stored when they differ. Reworded text is refused (a word
    added, dropped or replaced, or a sentence end crossed), and so is evidence too short to bear on a claim.
    An ellipsis (..., \u2026 or [...]) leaves out words within one paragraph, at most 300 characters between
    parts."""
    from factcheck.editing.edits import add_quote

    outcome = add_quote(_root(ctx), claim_id, source_id, words, stance)
    shown = "\n".join(terminal(line, one_line=True) for line in outcome.message.split("\n"))
    click.echo(f"factcheck: {shown}", err=True)
    _exit(0)


@cli.command(epilog=examples(
    "factcheck status weapons-2023 supported --note \"The ministry's list names 812 designs\"",
    'factcheck status weapons-2023 unverifiable --note "No list has been published" --by "A. Editor"',
))
@click.argument("claim_id", metavar="ID", required=False)
@click.argument("status", type=click.Choice(STATUSES), required=False)
@click.option("--note", metavar="TEXT", help="Why: kept in the history (required).")
@click.option("--by", metavar="NAME", help="Who (default: git's user.name).")
@click.option("--date", "date_", callback=as_date, metavar="DATE", help="Default: today.")
@click.option("--force", is_flag=True, help="Set it even though verify would flag it as status-unsupported.")
@click.option("--from", "rows", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
              help="Give every verdict of a YAML, JSON or CSV file (id, status, note; by and date when given), all in "
                   "one write or none.")
@click.option("--dry-run", is_flag=True, help="Write nothing; show the change as a unified diff.")
@click.pass_context
def status(ctx: click.Context, claim_id: str | None, status: str | None, note: str | None, by: str | None,
           date_: Any, force: bool, rows: Path | None, dry_run: bool) -> None:
    """Set a claim's verdict and append it to the claim's history (or many, with --from)."""
    from factcheck.editing.edits import set_status
    from factcheck.overtime.history import git_user_name

    root = _root(ctx)
    if rows is not None:
        from factcheck.editing.batches import read_rows, set_statuses_from

        if claim_id is not None or status is not None or note is not None or date_ is not None:
            raise click.UsageError("--from gives the verdicts: ID, STATUS, --note and --date cannot be given with it")
        done(set_statuses_from(root, read_rows(rows), by or git_user_name(root), force, dry_run), dry_run)
    if claim_id is None or status is None or note is None:
        raise click.UsageError("give ID STATUS --note TEXT (or the verdicts with --from FILE)")
    outcome = set_status(root, claim_id, status, note, by or git_user_name(root), date_, force, dry_run)
    if dry_run:

        done(outcome, dry_run)
    click.echo(f"factcheck: {outcome.message}", err=True)
    _exit(0)


@cli.command(epilog=examples('factcheck fmt', 'factcheck fmt --check -C desk', 'factcheck fmt --diff'))
@click.option("--check", is_flag=True, help="Change nothing; name the files that would change (and the first line "
                                            "that differs) and exit 1.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Change nothing; show what would change as a unified diff and exit 1 if anything would.")
@click.option("--for-files", is_flag=True,
              help="The arguments are files (as pre-commit passes them): each ledger that holds one, with paths "
                   "from this folder. With -C, that ledger alone.")
@click.argument("files", nargs=-1, metavar="[FILE]...")
@click.pass_context
def fmt(ctx: click.Context, check: bool, show_diff: bool, for_files: bool, files: tuple[str, ...]) -> None:
    """Rewrite the ledger's YAML in one canonical layout (key order, indentation, quoting), keeping comments;
    only the claims out of layout are rewritten."""
    from factcheck.editing.layout import format_ledger

    if files and not for_files:
        raise click.UsageError("fmt takes files only with --for-files (it formats the whole ledger)")
    check = check or show_diff
    roots = _ledgers_for(ctx, files) if for_files else [_root(ctx)]
    changed = [(_path_prefix(root) + r.path, r) for root in roots for r in format_ledger(root, check) if r.changed]
    for path, result in changed:
        if show_diff:
            click.echo(terminal(result.diff(path)), nl=False)
        elif check:
            click.echo(f"would reformat {path} (from line {result.first_difference})")
        else:
            click.echo(f"reformatted {path}")
    if not changed:
        click.echo("factcheck: every file is in canonical layout", err=True)
    _exit(1 if check and changed else 0)
