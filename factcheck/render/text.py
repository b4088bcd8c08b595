"""Text for a person at a terminal: tables, `verify` lines, one claim whole."""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from factcheck.errors import Problem
from factcheck.ledger.figures import count_of
from factcheck.render.escape import terminal

if TYPE_CHECKING:
    from factcheck.overtime.history import LedgerDiff
    from factcheck.overtime.timeline import Series

Styler = Callable[[str, str], str]


def plain(text: str, _style: str) -> str:
    """No styling: the default outside a terminal."""
    return text


LARGE_TABLE = 500


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], *, max_text: int = 60) -> str:
    """A grid of rows for reading; long text is shortened, cells are made terminal-safe."""
    return grid({c: [r.get(c) for r in rows] for c in columns}, max_text=max_text)


def grid(columns: Mapping[str, Sequence[Any]], *, max_text: int = 60, only: Sequence[str] | None = None) -> str:
    """`table` given a column at a time: the values of each column, by its header (only some, if asked)."""
    headers = list(only if only is not None else columns)
    cells = [_column(columns[header], max_text) for header in headers]
    rows = len(cells[0]) if cells else 0
    if rows > LARGE_TABLE:
        return simple_table(cells, headers)
    from tabulate import tabulate

    return tabulate(list(zip(*cells, strict=True)), headers=headers, tablefmt="simple", disable_numparse=True)


def _column(values: Sequence[Any], max_text: int) -> Sequence[str]:
    """One column's cells: lists joined, made terminal-safe and shortened, a column at a time."""
    texts: Sequence[str]
    if set(map(type, values)) <= {str}:  # the usual column: text already
        texts = values
    else:
        texts = ["" if v is None else ", ".join(map(str, v)) if isinstance(v, list) else str(v) for v in values]
    if not "".join(texts).isprintable():  # only then is any cell changed by escaping
        texts = [terminal(text, one_line=True) for text in texts]
    if max(map(len, texts), default=0) <= max_text:
        return texts
    return [text if len(text) <= max_text else text[: max_text - 1] + "…" for text in texts]


def simple_table(columns: Sequence[Sequence[str]], headers: list[str]) -> str:
    """tabulate's "simple" layout for text cells, written out directly: tabulate takes seconds on 100,000 rows."""
    widths = [max(len(h) + 2, max(map(len, column), default=0)) for h, column in zip(headers, columns, strict=True)]
    padded = [list(map(str.ljust, column, itertools.repeat(width))) for column, width in zip(columns, widths, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += map(str.rstrip, map("  ".join, zip(*padded, strict=True)))
    return "\n".join(lines)


def problem_lines(found: Iterable[Problem], style: Styler = plain, every: int = 2000) -> Iterator[str]:
    """`path:line:col: severity code: message`, one line each, in the order given, `every` lines a piece:
    half a million problems (a ledger right after a new check) are printed without ever being one string."""
    lines = []
    for p in found:
        severity = style(p.severity, p.severity)
        lines.append(f"{terminal(str(p.location), one_line=True)}: {severity} {p.code}: {terminal(p.message, one_line=True)}\n")
        if len(lines) == every:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def counts_line(counts: dict[str, int], claims: int, sources: int) -> str:
    """The summary of a verify run, for stderr."""
    parts = ", ".join(count_of(n, sev, "info" if sev == "info" else None) for sev, n in counts.items())
    return f"{count_of(claims, 'claim')}, {count_of(sources, 'source')}: {parts}"


def review_line(review: dict[str, Any]) -> str:
    """An imported review in words: who, their label, their number on their scale, when, where."""
    parts = [f"by {review['by']}"]
    if review.get("label") is not None:
        parts.append(f"rated {review['label']!r}")
    if review.get("value") is not None:
        scale = f" on {review['worst']:g} (worst) to {review['best']:g} (best)" \
            if review.get("best") is not None and review.get("worst") is not None else ""
        parts.append(f"{review['value']:g}{scale}")
    if review.get("date"):
        parts.append(f"on {review['date']}")
    if review.get("url"):
        parts.append(review["url"])
    return ", ".join(parts)


def claim(view: dict[str, Any], style: Styler = plain) -> str:
    """One claim whole, each quote shown in its place in the source."""
    t = terminal
    out = [f"{style(t(view['id'], one_line=True), 'bold')}  [{view['status']}]  {t(view['location'])}"]
    out += _wrap(t(view["text"]), "  ")
    fields = [("claimant", view.get("claimant")), ("date", view.get("date")), ("subject", view.get("subject")),
              ("figure", view.get("figure")), ("measure", view.get("measure")),
              ("tags", ", ".join(view.get("tags", [])) or None)]
    out += [f"  {name:<9} {t(str(value), one_line=True)}" for name, value in fields if value]
    if view.get("note"):
        out += _wrap(t(view["note"], one_line=True), "  note      ", "            ")
    if view.get("review"):
        out += _wrap(t(review_line(view["review"]), one_line=True), "  review    ", "            ")
    number = 0  # quotes are numbered on from appearances into evidence, as `quote remove` and `replace` take them
    for kind in ("appearances", "evidence"):
        quotes = view.get(kind) or []
        if not quotes:
            continue
        out += ["", f"{kind} ({len(quotes)})"]
        for quote in quotes:
            number += 1
            out += _quote(number, quote, style)
    if view.get("history"):
        out += ["", "history"]
        for entry in view["history"]:
            by = f" by {t(entry['by'], one_line=True)}" if entry.get("by") else ""
            note = f": {t(entry['note'], one_line=True)}" if entry.get("note") else ""
            out.append(f"  {entry['date']}  {entry['status']}{by}{note}")
    return "\n".join(out) + "\n"


def _quote(number: int, quote: dict[str, Any], style: Styler) -> list[str]:
    t = terminal
    meta = quote.get("source_meta", {})
    about = ", ".join(t(str(meta[k]), one_line=True) for k in ("publisher", "published") if k in meta)
    stance = f"[{quote['stance']}] " if quote.get("stance") else ""
    match = quote["match"]
    kind = match["kind"]
    label = {"exact": "exact", "normalized": "normalised (whitespace, quotes or dashes differ)",
             "not-found": "NOT FOUND", "unknown-source": "UNKNOWN SOURCE"}[kind]
    head = f"  {number}. {stance}{t(quote['source'], one_line=True)}" + (f" ({about})" if about else "")
    if match.get("omissions"):
        label += ", with words left out (\u2026)"
    if match.get("page"):
        label += f", page {match['page']}"
    lines = [f"{head}: {style(label, 'error' if kind in ('not-found', 'unknown-source') else kind)}"]
    if kind in ("exact", "normalized"):
        shown = f"{t(match['before'], one_line=True)}«{style(t(match['exact'], one_line=True), 'bold')}»" \
                f"{t(match['after'], one_line=True)}"
        lines += _wrap(shown, "     ")
        if match.get("occurrences", 1) > 1:
            lines.append(f"     (the words occur {match['occurrences']} times; this is the first that fits)")
    else:
        lines += _wrap(f"quote: {t(quote['text'], one_line=True)}", "     ")
        if kind == "not-found":
            lines += _wrap(t(match["reason"], one_line=True), "     ")
            if match.get("closest"):
                lines += _wrap(f"closest passage ({match['score']:g}% similar): "
                               f"{t(match['closest'], one_line=True)}", "     ")
    return lines


def _wrap(text: str, indent: str, subsequent: str | None = None) -> list[str]:
    return textwrap.wrap(text, width=100, initial_indent=indent, subsequent_indent=subsequent or indent,
                         break_long_words=False, break_on_hyphens=False) or [indent.rstrip()]


def series(all_series: Sequence[Series], style: Styler = plain) -> str:
    """Each subject's claims oldest first, then every step between neighbours."""
    from factcheck.render.numbers import stated, trend_change, trend_over

    t = terminal
    out: list[str] = []
    for one in all_series:
        plural = "" if len(one.points) == 1 else "s"
        out.append(style(t(one.subject, one_line=True), "bold") + f"  ({len(one.points)} claim{plural} with a figure)")
        out.append(f"  {t(one.verdict, one_line=True)}")
        rows = [{"date": p.date, "figure": p.figure, "claimant": p.claimant, "status": p.status,
                 "source": ", ".join(p.sources), "claim": p.claim} for p in one.points]
        if rows:
            out += ["  " + line for line in table(rows, ("date", "figure", "claimant", "status", "source", "claim"),
                                                    max_text=48).splitlines()]
        for number, step in enumerate(one.steps, 1):
            out.append(f"  step {number}: {t(step.before.claim)} -> {t(step.after.claim)}")
            out.append(f"    stated change     {stated(step.stated_change, step.relative, step.per_year, step.no_rate)} "
                       f"over {count_of(step.days, 'day')}")
            out.append(f"    true change       {step.allowed_words}")
            for difference in step.warnings:
                label = "NOT COMPARABLE" if difference.breaks else "caution"
                out.append(f"    {style(f'{label:<17}', 'warning' if difference.breaks else 'info')} "
                           f"{t(difference.message, one_line=True)}")
        if len(one.lines) > 1:
            for line in one.lines:
                trend_words = (f": {trend_change(line.trend.stated_change, line.trend.relative, line.trend.no_rate)} over "
                               f"{count_of(line.trend.days, 'day')}; true change: {line.trend.allowed_words}"
                               if line.trend else "")
                out.append(f"  series {t(line.counted, one_line=True)}: {t(', '.join(line.claims))}{trend_words}")
        if one.trend is not None:
            trend = one.trend
            over = trend_over(trend.stated_change, trend.relative, trend.per_year, count_of(trend.days, 'day'), trend.no_rate)
            out.append(f"  trend: {over}; true change: {trend.allowed_words}")
        if one.without_figure:
            out.append(f"  without a figure: {t(', '.join(one.without_figure))}")
        out.append("")
    return "\n".join(out)


def summary_line(counts: dict[str, int]) -> str:
    """The counts of a ledger diff in one line."""
    c = counts
    return (f"claims: {c['claims_added']} added, {c['claims_removed']} removed, {c['claims_changed']} changed; "
            f"sources: {c['sources_added']} added, {c['sources_removed']} removed, {c['sources_changed']} changed\n")


def ledger_diff(diff: LedgerDiff) -> str:
    """What changed between two revisions, claim by claim."""
    t = terminal
    out = [f"ledger {t(diff.before, one_line=True)} -> {t(diff.after, one_line=True)}"]
    if diff.empty:
        return out[0] + ": no changes\n"
    for label, ids in (("claim added", diff.added), ("claim removed", diff.removed)):
        out += [f"{label}: {t(i)}" for i in ids]
    for change in diff.changed:
        out.append(f"claim changed: {t(change.claim)}")
        for field in change.changes:
            shown = _either(field.single) if field.single is not None else \
                f"{_either(field.before)} -> {_either(field.after)}"
            out.append(f"  {t(field.field)}: {shown}")
    out += [f"source added: {t(s)}" for s in diff.sources_added]
    out += [f"source removed: {t(s)}" for s in diff.sources_removed]
    for source in diff.sources_changed:
        detail = f" ({_either(source.before)} -> {_either(source.after)})" if source.before or source.after else ""
        out.append(f"source {t(source.what)}: {t(source.source)}{detail}")
    out.append(summary_line(diff.counts()).rstrip("\n"))
    return "\n".join(out) + "\n"


def _either(value: str | None) -> str:
    return "(none)" if value is None else terminal(value, one_line=True)
