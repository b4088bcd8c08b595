"""Markdown for people and CI summaries (CommonMark with GFM tables); every text escaped."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from factcheck.ledger.figures import count_of
from factcheck.overtime.history import LedgerDiff
from factcheck.overtime.timeline import Series, series_data
from factcheck.render.escape import markdown as md
from factcheck.render.escape import safe_url
from factcheck.render.numbers import stated, trend_change, trend_over

if TYPE_CHECKING:
    from factcheck.ledger.model import Claim
    from factcheck.views.report import Linked, Matches


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, head: bool = True) -> str:
    """A GFM table of already-escaped cells; without `head`, only its rows (to follow a table's head)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"] if head else []
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n" if lines else ""


def series(all_series: Sequence[Series]) -> str:
    """Each subject as a section: its claims in a table, then its steps as a list."""
    out = ["# Claims over time", ""]
    for one in all_series:
        out += _series_section(series_data(one), "##")
    return "\n".join(out)


def _series_section(s: dict[str, Any], heading: str) -> list[str]:
    out = [f"{heading} {md(s['subject'])}", "", f"*{md(s['verdict'])}*", ""]
    if s["claims"]:
        out.append(table(("Date", "Figure", "Claimant", "Status", "Source", "Claim"), [
            (md(c["date"]), md(c["figure"]), md(c["claimant"]), md(c["status"]), md(", ".join(c["sources"])),
             md(c["claim"])) for c in s["claims"]]))
    for number, step in enumerate(s["steps"], 1):
        change = step["stated_change"]
        words = stated(change["absolute"], change["relative"], change["per_year"], change.get("no_rate"))
        out.append(f"- **Step {number}**, {md(step['from'])} → {md(step['to'])}: stated change "
                   f"{md(words)} over {count_of(step['days'], 'day')}; true change: {md(step['allowed_change']['words'])}.")
        for warning in step["warnings"]:
            label = "**Not comparable**" if warning["breaks"] else "Caution"
            out.append(f"  - {label}: {md(warning['message'])}")
    if len(s.get("lines", [])) > 1:
        for line in s["lines"]:
            lt = line["trend"]
            trend_words = (f": {md(trend_change(lt['stated_change'], lt['relative'], lt.get('no_rate')))} over "
                           f"{count_of(lt['days'], 'day')}; true change: {md(lt['allowed_words'])}" if lt else "")
            out.append(f"- **Series** {md(line['counted'])}: {md(', '.join(line['claims']))}{trend_words}.")
    trend = s["trend"]
    if trend is not None:
        over = trend_over(trend["stated_change"], trend["relative"], trend["per_year"], count_of(trend["days"], "day"),
                          trend.get("no_rate"))
        out.append(f"- **Trend**: {md(over)}; true change: {md(trend['allowed_words'])}.")
    if s["without_figure"]:
        out.append(f"- Without a figure: {md(', '.join(s['without_figure']))}")
    out.append("")
    return out


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
            shown = _either(f.single) if f.single is not None else f"{_either(f.before)} → {_either(f.after)}"
            out.append(f"  - {md(f.field)}: {shown}")
    out += [f"- Source added: {md(s)}" for s in diff.sources_added]
    out += [f"- Source removed: {md(s)}" for s in diff.sources_removed]
    for source in diff.sources_changed:
        detail = f" ({_either(source.before)} → {_either(source.after)})" if source.before or source.after else ""
        out.append(f"- Source {md(source.what)}: {md(source.source)}{detail}")
    return "\n".join(out) + "\n"


def _either(value: str | None) -> str:
    return "*(none)*" if value is None else md(value)


def report(data: dict[str, Any], claims: Iterable[bytes], max_bytes: int | None = None) -> Iterator[bytes]:
    """The report for a CI job summary or a wiki page, as pieces of UTF-8 to write one after the other; its
    claims are the rows `claims_part` rendered (UTF-8).

    With `max_bytes`, the report keeps under that many bytes (GitHub takes at most 1 MiB of a step's
    summary, and drops all of it past that): the counts, then the problems, the series and the claims as
    room allows, each part cut at a whole row or section, and a closing line saying what was left out.
    """
    ledger = data["ledger"]
    counts = data["counts"]
    room = _Room(max_bytes)
    out = [f"# {md(ledger['name'] or 'Ledger report')}", ""]
    out.append(f"Generated on {md(data['generated_on'])} by {md(data['generator'])}: {count_of(counts['claims'], 'claim')}, "
               f"{count_of(counts['sources'], 'source')}.")
    out += ["", "## Verdicts", ""]
    out.append(table([md(s) for s in counts["by_status"]], [[str(n) for n in counts["by_status"].values()]]))
    problems = data["problems"]
    tally = problems["counts"]
    out += ["## Problems", "",
            f"{count_of(tally['error'], 'error')}, {count_of(tally['warning'], 'warning')}, {tally['info']} info.", ""]
    room.take("\n".join(out) + "\n")
    if problems["items"]:
        headers = ("Where", "Severity", "Check", "Message")
        rows = [table(headers, [(md(f"{p['path']}:{p['line']}:{p['column']}"), md(p["severity"]), md(p["code"]),
                                 md(p["message"]))], head=False) for p in problems["items"]]
        kept = room.fill(rows, share=0.25) if room.take(table(headers, [])) else 0
        if kept:
            out.append((table(headers, []) + "".join(rows[:kept])).rstrip("\n"))
        if kept < len(rows):
            room.left_out["problems"] = len(rows) - kept
            out += ["", f"*... and {len(rows) - kept} more problems: `factcheck verify` lists every one.*"]
    out += ["", "## Claims over time", ""]
    sections = ["\n".join(_series_section(one, "###")) + "\n" for one in data["series"]]
    room.take("## Claims over time\n\n")
    kept = room.fill(sections, share=0.5)
    out += [section.rstrip("\n") for section in sections[:kept]]
    if kept < len(sections):
        room.left_out["series"] = len(sections) - kept
    out += ["## Claims", ""]
    out.append(table(CLAIM_HEADERS, []))
    head = "\n".join(out)
    yield head.encode("utf-8")
    if max_bytes is None:
        yield from claims
        return
    room.used = len(head.encode("utf-8"))
    shown = total = 0
    for part in claims:
        for row in part.decode("utf-8").splitlines(keepends=True):
            total += 1
            if not room.left_out.get("claims") and room.take(row if row.endswith("\n") else row + "\n"):
                shown += 1
                yield (row if row.endswith("\n") else row + "\n").encode("utf-8")
            else:
                room.left_out["claims"] = total - shown
    if room.left_out:
        totals = {"claims": total, "problems": len(problems["items"]), "series": len(data["series"])}
        parts = [f"{room.left_out[noun]:,} of the {totals[noun]:,} {noun}" for noun in ("claims", "problems", "series")
                 if room.left_out.get(noun)]
        yield (f"\n*This summary leaves out {', '.join(parts)} to stay under {max_bytes:,} bytes (GitHub's limit for a "
               "job summary is 1 MiB). The full report: `factcheck report --format html`, kept by the CI workflow "
               "as its `ledger-report` artifact.*\n").encode()


class _Room:
    """How much of a byte budget is used, with room kept for the closing line."""

    CLOSING = 400

    def __init__(self, max_bytes: int | None) -> None:
        self.max_bytes, self.used = max_bytes, 0
        self.left_out: dict[str, int] = {}

    def take(self, text: str) -> bool:
        size = len(text.encode("utf-8"))
        if self.max_bytes is not None and self.used + size > self.max_bytes - self.CLOSING:
            return False
        self.used += size
        return True

    def fill(self, pieces: list[str], share: float) -> int:
        """How many of the pieces fit in `share` of the room left; they are taken."""
        if self.max_bytes is None:
            return len(pieces)
        limit = self.used + (self.max_bytes - self.CLOSING - self.used) * share
        kept = 0
        for piece in pieces:
            size = len(piece.encode("utf-8"))
            if self.used + size > limit:
                break
            self.used += size
            kept += 1
        return kept


CLAIM_HEADERS = ("Claim", "Verdict", "Why, by whom, when", "Claimant", "Date", "Text", "Sources")
MATCH_WORDS = {"exact": "found exactly", "normalized": "found after folding", "omissions": "found, words left out",
               "not-found": "NOT FOUND in the source", "no-snapshot": "source not readable"}


def claims_part(claims: Sequence[Claim], linked: Mapping[str, Linked], matches: Sequence[Matches] = ()) -> str:
    """Rows of the report's claims table for a chunk of claims."""
    from factcheck.views.report import claim_data

    shown = (claim_data(claim, linked, matches[i] if i < len(matches) else ()) for i, claim in enumerate(claims))
    return table(CLAIM_HEADERS, [
        (md(c["id"]), md(c["status"]), verdict_words(c["verdict"]), md(c["claimant"]), md(c["date"]), md(c["text"]),
         "; ".join(_source_link(q) for q in c["quotes"]))
        for c in shown], head=False)


def verdict_words(verdict: dict[str, Any] | None) -> str:
    """The reason for a verdict, who gave it and when, forced or not, and the review it was imported from."""
    if verdict is None:
        return ""
    parts = [md(verdict["reason"]) if verdict.get("reason") else "no reason recorded"]
    if verdict.get("by"):
        parts.append(f"by {md(verdict['by'])}")
    if verdict.get("date"):
        parts.append(md(verdict["date"]))
    if verdict.get("forced"):
        parts.append("**forced** (without the evidence verify asks of it)")
    imported = verdict.get("imported")
    if imported and safe_url(imported.get("url")):
        parts.append(f"[the review](<{safe_url(imported['url'])}>)")
    return "; ".join(parts)


def _source_link(quote: dict[str, Any]) -> str:
    name = md(quote["title"] or quote["source"])
    url = safe_url(quote["url"])
    link = f"[{name}](<{url}>)" if url else name
    retrieved = f", retrieved {md(quote['retrieved'])}" if quote["retrieved"] else ""
    match = quote.get("match")
    found = f", **{MATCH_WORDS[match]}**" if match in ("not-found", "no-snapshot") else \
        (f", {MATCH_WORDS[match]}" if match else "")
    return f"{link} ({md(quote['kind'])}{retrieved}{found})"
