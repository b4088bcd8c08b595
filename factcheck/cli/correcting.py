"""The commands that correct what exists: claim set, rename, remove; quote remove, replace, fix; source list,
register, reextract, rename, remove."""

from __future__ import annotations

from typing import Any

import click

from factcheck.cli import DRY_RUN, _exit, _root, done, examples
from factcheck.cli.editing import claim, quote, source, source_metadata
from factcheck.render.escape import terminal


@claim.command("set", epilog=examples(
    'factcheck claim set weapons-2023 value=850 bound=about',
    'factcheck claim set weapons-2023 "claimant=Madat Guliyev, Minister" tags+=ministry note=',
))
@click.argument("claim_id", metavar="ID")
@click.argument("assignments", nargs=-1, required=True, metavar="FIELD=VALUE...")
@DRY_RUN
@click.pass_context
def claim_set(ctx: click.Context, claim_id: str, assignments: tuple[str, ...], dry_run: bool) -> None:
    """Change fields of a claim: text, claimant, date, subject, measure, note; its figure's value (as --value
    takes it: 1,000, 1.2 billion, AZN 300 million, 4th), bound, unit, ordinal; tags=a,b, tags+=TAG, tags-=TAG.
    FIELD= removes an optional field. Validated as claim add validates, with the same near-duplicate warning."""
    from factcheck.editing.corrections import set_claim

    done(set_claim(_root(ctx), claim_id, assignments, dry_run), dry_run)


@claim.command("rename", epilog=examples('factcheck claim rename weapons-2023 az-weapons-2023'))
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@DRY_RUN
@click.pass_context
def claim_rename(ctx: click.Context, old: str, new: str, dry_run: bool) -> None:
    """Give a claim a new id; refused when NEW exists."""
    from factcheck.editing.corrections import rename_claim

    done(rename_claim(_root(ctx), old, new, dry_run), dry_run)


@claim.command("remove", epilog=examples('factcheck claim remove weapons-2023', 'factcheck claim remove old-1 --force'))
@click.argument("claim_id", metavar="ID")
@click.option("--force", is_flag=True, help="Remove it even though it has verdicts on record.")
@DRY_RUN
@click.pass_context
def claim_remove(ctx: click.Context, claim_id: str, force: bool, dry_run: bool) -> None:
    """Remove a claim and say what was removed; a claim with verdicts on record (its history) only with
    --force."""
    from factcheck.editing.corrections import remove_claim

    done(remove_claim(_root(ctx), claim_id, force, dry_run), dry_run)


@quote.command("remove", epilog=examples('factcheck quote remove weapons-2023 2',
                                         'factcheck quote remove weapons-2023 --text "800 samples"'))
@click.argument("claim_id", metavar="ID")
@click.argument("number", type=click.IntRange(min=1), required=False, metavar="[N]")
@click.option("--text", "words", metavar="WORDS", help="The quote that holds these words (instead of N).")
@click.option("--force", is_flag=True, help="Remove it even though the verdict then lacks its evidence.")
@DRY_RUN
@click.pass_context
def quote_remove(ctx: click.Context, claim_id: str, number: int | None, words: str | None, force: bool,
                 dry_run: bool) -> None:
    """Remove quote N of a claim (numbered as show lists them: appearances, then evidence), or the one that
    holds WORDS."""
    from factcheck.editing.corrections import remove_quote

    if (number is None) == (words is None):
        raise click.UsageError("give the quote's number N or --text WORDS (one of them)")
    done(remove_quote(_root(ctx), claim_id, number, words, force, dry_run), dry_run)


@quote.command("replace", epilog=examples(
    'factcheck quote replace weapons-2023 1 "Azerbaijan is currently working on more than 800 new weapons"'))
@click.argument("claim_id", metavar="ID")
@click.argument("number", type=click.IntRange(min=1), metavar="N")
@click.argument("words", metavar="TEXT")
@DRY_RUN
@click.pass_context
def quote_replace(ctx: click.Context, claim_id: str, number: int, words: str, dry_run: bool) -> None:
    """Replace quote N's words with TEXT from the same source, found as quote finds words (forgiving typos,
    refusing paraphrase); its stance is kept."""
    from factcheck.editing.corrections import replace_quote

    done(replace_quote(_root(ctx), claim_id, number, words, dry_run), dry_run)


@quote.command("fix", epilog=examples('factcheck quote fix weapons-2023', 'factcheck quote fix weapons-2023 --yes'))
@click.argument("claim_id", metavar="ID")
@click.option("--yes", "-y", is_flag=True, help="Make every change without asking.")
@DRY_RUN
@click.pass_context
def quote_fix(ctx: click.Context, claim_id: str, yes: bool, dry_run: bool) -> None:
    """Replace each quote of the claim that is not found in its source by the closest passage, in the
    source's own characters: each change is shown, and made when you agree (or with --yes)."""
    from factcheck.editing.corrections import Fix, fix_quotes, proposed_fixes

    root = _root(ctx)
    for fix in proposed_fixes(root, claim_id):
        if fix.new is None:
            click.echo(f"factcheck: quote {fix.place.number} ({terminal(fix.source)}) is not found and no passage is "
                       f"close enough to propose: {terminal(fix.old, one_line=True)!r}", err=True)

    def accept(fix: Fix) -> bool:
        assert fix.new is not None
        click.echo(f"quote {fix.place.number} ({terminal(fix.source)}), {fix.score:g}% similar:\n"
                   f"  - {terminal(fix.old, one_line=True)!r}\n  + {terminal(fix.new, one_line=True)!r}", err=True)
        if yes or dry_run:
            return True
        return click.confirm("Replace it?", default=False, err=True)

    done(fix_quotes(root, claim_id, accept, dry_run), dry_run)


@source.command("list", epilog=examples('factcheck source list', 'factcheck source list --format json'))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.pass_context
def source_list(ctx: click.Context, fmt: str) -> None:
    """Every source: id, title, publisher, published and retrieved dates, how many claims quote it, and
    whether its snapshot is intact (its sha256 as recorded)."""
    from factcheck.editing.sourcing import source_rows
    from factcheck.render import csvout, jsonout, text

    rows = source_rows(_root(ctx))
    if fmt == "json":
        click.echo(jsonout.dumps(rows), nl=False)
    elif fmt == "csv":
        click.echo(csvout.rows(rows, list(rows[0]) if rows else ["id"]), nl=False)
    else:
        shown = [{**row, "quoted_by": str(row["quoted_by"])} for row in rows]
        columns = ("id", "title", "publisher", "published", "retrieved", "quoted_by", "integrity")
        click.echo(text.table(shown, columns, max_text=40) + "\n" if rows else "no sources\n", nl=False)
    _exit(0)


@source.command("register", epilog=examples('factcheck source register statement-2024 --publisher "Ministry"'))
@click.argument("source_id", metavar="ID")
@source_metadata
@click.pass_context
def source_register(ctx: click.Context, /, source_id: str, **meta: Any) -> None:
    """Write the metadata (with its sha256) of a snapshot already in sources/ID.txt, dropped there by hand."""
    from factcheck.editing.sourcing import register_source

    meta["authors"] = list(meta["authors"])
    done(register_source(_root(ctx), source_id, meta), False)


@source.command("reextract", epilog=examples('factcheck source reextract newsaz-2024-09-24 --check',
                                             'factcheck source reextract newsaz-2024-09-24'))
@click.argument("source_id", metavar="ID")
@click.option("--check", is_flag=True, help="Write nothing: say whether the installed extractor would derive another "
                                            "text, and which quotes it would lose (exit 1 if it would change).")
@click.option("--diff", "show_diff", is_flag=True, help="Also print the change to the text as a unified diff.")
@click.option("--force", is_flag=True, help="Write the new text even when quotes would no longer be found.")
@click.pass_context
def source_reextract(ctx: click.Context, source_id: str, check: bool, show_diff: bool, force: bool) -> None:
    """Derive a source's text again from its kept original (the saved page or PDF), with the extractor
    installed now; refused when a quote would no longer be found, unless --force."""
    from factcheck.editing.sourcing import reextract_source

    result = reextract_source(_root(ctx), source_id, check, force)
    if show_diff:
        click.echo(terminal(result.outcome.diff), nl=False)
    click.echo(f"factcheck: {terminal(result.outcome.message, one_line=True)}", err=True)
    for broken in result.broken:
        click.echo(f"factcheck:   {terminal(broken, one_line=True)}", err=True)
    _exit(1 if check and result.changed else 0)


@source.command("rename", epilog=examples('factcheck source rename azernews-1 azernews-2023-09-29'))
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@DRY_RUN
@click.pass_context
def source_rename(ctx: click.Context, old: str, new: str, dry_run: bool) -> None:
    """Give a source a new id: its snapshot and metadata files, and every quote that names it."""
    from factcheck.editing.sourcing import rename_source

    done(rename_source(_root(ctx), old, new, dry_run), dry_run)


@source.command("remove", epilog=examples('factcheck source remove draft-2024'))
@click.argument("source_id", metavar="ID")
@DRY_RUN
@click.pass_context
def source_remove(ctx: click.Context, source_id: str, dry_run: bool) -> None:
    """Remove a source's snapshot and metadata; refused while a claim quotes it."""
    from factcheck.editing.sourcing import remove_source

    done(remove_source(_root(ctx), source_id, dry_run), dry_run)
