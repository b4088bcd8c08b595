"""Markdown for people and CI summaries (CommonMark with GFM tables); every text escaped."""

from __future__ import annotations

from collections.abc import Sequence

from factcheck.history import LedgerDiff
from factcheck.render.escape import markdown as md
from factcheck.render.numbers import per_year, percent, signed
from factcheck.timeline import Series


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GFM table of already-escaped cells."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def series(all_series: Sequence[Series]) -> str:
    """Each subject as a section: its claims in a table, then its steps as a list."""
    out = ["# Claims over time", ""]
    for one in all_series:
        out += [f"## {md(one.subject)}", "", f"*{md(one.verdict)}*", ""]
        if one.points:
            out.append(table(
                ("Date", "Figure", "Claimant", "Status", "Source", "Claim"),
                [(md(p.date), md(p.figure), md(p.claimant), md(p.status), md(", ".join(p.sources)), md(p.claim))
                 for p in one.points],
            ))
        for number, step in enumerate(one.steps, 1):
            out.append(f"- **Step {number}**, {md(step.before.claim)} → {md(step.after.claim)}: stated change "
                       f"{md(signed(step.stated_change))} ({md(percent(step.relative))}) over {step.days} days "
                       f"({md(per_year(step.per_year))}); the bounds allow {md(step.allowed_words)}.")
            for difference in step.warnings:
                label = "**Not comparable**" if difference.breaks else "Caution"
                out.append(f"  - {label}: {md(difference.message)}")
        if one.trend is not None:
            trend = one.trend
            out.append(f"- **Trend**: {md(signed(trend.stated_change))} ({md(percent(trend.relative))}) over "
                       f"{trend.days} days ({md(per_year(trend.per_year))}); the bounds allow "
                       f"{md(trend.allowed_words)}.")
        if one.without_figure:
            out.append(f"- Without a figure: {md(', '.join(one.without_figure))}")
        out.append("")
    return "\n".join(out)


def ledger_diff(diff: LedgerDiff, summary: bool = False) -> str:
    """A pull-request comment: counts first, then each change."""
    c = diff.counts()
    out = [f"### Ledger changes: {md(diff.before)} → {md(diff.after)}", ""]
    out.append(table(("", "added", "removed", "changed"), [
        ("claims", str(c["claims_added"]), str(c["claims_removed"]), str(c["claims_changed"])),
        ("sources", str(c["sources_added"]), str(c["sources_removed"]), str(c["sources_changed"])),
    ]))
    if summary or diff.empty:
        return "\n".join(out)
    out += [f"- Claim added: {md(i)}" for i in diff.added]
    out += [f"- Claim removed: {md(i)}" for i in diff.removed]
    for change in diff.changed:
        out.append(f"- Claim changed: **{md(change.claim)}**")
        for f in change.changes:
            if f.before is None or (f.after is None and f.field.endswith("removed")):
                out.append(f"  - {md(f.field)}: {_either(f.after if f.before is None else f.before)}")
            else:
                out.append(f"  - {md(f.field)}: {_either(f.before)} → {_either(f.after)}")
    out += [f"- Source added: {md(s)}" for s in diff.sources_added]
    out += [f"- Source removed: {md(s)}" for s in diff.sources_removed]
    for source in diff.sources_changed:
        detail = f" ({_either(source.before)} → {_either(source.after)})" if source.before or source.after else ""
        out.append(f"- Source {md(source.what)}: {md(source.source)}{detail}")
    return "\n".join(out) + "\n"


def _either(value: str | None) -> str:
    return "*(none)*" if value is None else md(value)
