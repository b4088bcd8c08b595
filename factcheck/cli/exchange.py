"""The commands that trade claims with other tools: export and import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from factcheck.cli import _exit, _load, _report_load_problems, _root, cli, examples
from factcheck.errors import FactcheckError
from factcheck.render.escape import terminal


@cli.command(epilog=examples(
    'factcheck export --format claimreview -o reviews.json',
    'factcheck export --format csv > claims.csv',
))
@click.option("--format", "fmt", type=click.Choice(["claimreview", "annotations", "csv"]), required=True,
              help="claimreview: schema.org ClaimReview JSON-LD; annotations: W3C Web Annotations; csv: one row a "
                   "claim.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Write to FILE (atomically) instead of stdout.")
@click.option("--include-unsupported", is_flag=True,
              help="Also publish verdicts verify calls unsupported (status-unsupported); left out by default.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: str | None, include_unsupported: bool) -> None:
    """The ledger in standard forms, for publishing and for other tools.

    ClaimReview leaves out unverified claims, and verdicts verify calls unsupported unless
    --include-unsupported, counting each on stderr; it warns of reviews without a url, an author or a
    date. Its JSON is safe to paste into a <script type="application/ld+json"> element."""
    from factcheck.exchange import interop
    from factcheck.ledger.ledgerfiles import check_output
    from factcheck.render import csvout, jsonout
    from factcheck.views import listing

    if output is not None:
        check_output(_root(ctx), Path(output))
    ledger = _load(ctx)
    if fmt == "csv":
        text = csvout.rows([listing.row(r) for r in ledger.claims], listing.COLUMNS)
    else:
        exported = (interop.claimreview(ledger, include_unsupported) if fmt == "claimreview"
                    else interop.web_annotations(ledger))
        documents = exported.documents
        text = jsonout.dumps_embeddable(documents if fmt == "claimreview" else documents[0])
        for why, count in exported.left_out.items():
            things = f"claim{'s' if count != 1 else ''}" if fmt == "claimreview" else ""
            click.echo(f"factcheck: left out {count} {things + ' ' if things else ''}{why}", err=True)
        for why, count in exported.warnings.items():
            click.echo(f"factcheck: warning: {count} review{'s' if count != 1 else ''} {why}", err=True)
    if output is None:
        click.echo(text, nl=False)
    else:
        from factcheck.ledger.files import write_atomic

        write_atomic(Path(output), text.encode("utf-8"))
        click.echo(f"factcheck: wrote {output}", err=True)
    _exit(1 if _report_load_problems(ledger.problems) else 0)


@cli.command("import", epilog=examples(
    'factcheck import reviews.json --format claimreview --dry-run',
    'factcheck import reviews.json --format claimreview',
))
@click.argument("file", type=click.File("rb"))
@click.option("--format", "fmt", type=click.Choice(["claimreview"]), required=True)
@click.option("--dry-run", is_flag=True, help="Show what would be added; write nothing.")
@click.pass_context
def import_command(ctx: click.Context, file: Any, fmt: str, dry_run: bool) -> None:
    """Add published ClaimReview markup (JSON-LD of any shape: an object, a list, a @graph, a DataFeed) to
    the ledger as claims, keeping each reviewer's own label, number, scale, url and date.

    A verdict is read from the rating's words only (see the README's vocabulary); a label not known leaves
    the claim unverified. Reviews already in the ledger, or repeated in the file, add nothing; --dry-run
    prints exactly what a real run does."""
    import json

    from factcheck.editing.edits import import_claims
    from factcheck.exchange.reviews import Imported, import_claimreview
    from factcheck.ledger.model import RatingScale
    from factcheck.render import text

    name = getattr(file, "name", "-")
    try:
        document = json.loads(file.read().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FactcheckError(f"{name}: not UTF-8 (byte offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise FactcheckError(f"{name}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    except RecursionError:
        raise FactcheckError(f"{name}: nested too deeply to be read (no ClaimReview feed nests that far)") from None
    read: list[Imported] = []

    def reviews(scale: RatingScale) -> list[dict[str, Any]]:
        try:
            read.append(import_claimreview(document, scale))
        except RecursionError:
            raise FactcheckError(f"{name}: nested too deeply to be read (no ClaimReview feed nests that far)") from None
        except FactcheckError as exc:
            raise FactcheckError(f"{name}: {exc}") from None
        return read[-1].claims

    done = import_claims(_root(ctx), reviews, dry_run)
    found = read[-1]
    say = [*(f"skipped {why}" for why in found.skipped), *(f"warning: {why}" for why in found.warnings),
           *(f"left out {why}" for why in found.repeats),
           *(f"already in the ledger: {new} is {there}" if new != there else f"already in the ledger: {there}"
             for new, there in done.present)]
    for line in say:
        click.echo(f"factcheck: {terminal(line, one_line=True)}", err=True)
    rows = [{"id": c.id, "status": c.status, "label": c.review.label or "" if c.review else "",
             "claimant": c.claimant, "date": c.date.isoformat(), "text": c.text} for c in done.new]
    if rows:
        click.echo(text.table(rows, ("id", "status", "label", "claimant", "date", "text")) + "\n", nl=False)
    verb = "would add" if dry_run else "added"
    click.echo(f"factcheck: {verb} {len(done.new)} claim{'s' if len(done.new) != 1 else ''}; {len(done.present)} "
               f"already in the ledger; {len(found.repeats)} repeated in the file; {len(found.skipped)} skipped",
               err=True)
    _exit(0)
