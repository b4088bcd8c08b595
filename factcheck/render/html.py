"""The report as one self-contained HTML page: no scripts, no network, every text escaped."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from factcheck.ledger.figures import count_of
from factcheck.ledger.model import Claim, phrase
from factcheck.overtime.timeline import build_series, figure_counts, series_data
from factcheck.pipeline import collecting
from factcheck.pipeline.store import Ledger
from factcheck.render.chart import load as load_charts
from factcheck.render.chart import series_chart
from factcheck.render.escape import html, safe_url
from factcheck.render.numbers import stated, trend_over
from factcheck.views.report import Linked, Matches, verdict


class Charts:
    """The report's charts (of the `max_charts` subjects with the most claims with a figure), most of them
    drawn in a forked process while this one makes the rest of the report, where there are many.

    Started from the ledger as soon as its claims are read (`start`), the forked process makes the series
    it draws itself, while this one makes every series, the report value and the page; else they are
    started once the report value is made (see `report`).
    """

    def __init__(self, max_charts: int = 40) -> None:
        self.max_charts = max_charts
        self.charted: set[int] | None = None  # the indexes, in subject order, of the series that get a chart
        self._theirs: list[int] = []
        self._helper: Callable[[], Any] | None = None

    def start(self, ledger: Ledger, band: float) -> None:
        """Choose the charts from the ledger's claims with a subject, and start drawing most of them."""
        counts = figure_counts(ledger)
        subjects = sorted(counts)  # the order of the report's series

        def draw(chosen: list[int]) -> dict[int, str]:
            series = build_series(ledger, [subjects[i] for i in chosen], about_band=band)
            return {i: series_chart(series_data(one), band, name=str(i + 1)) or "" for i, one in zip(chosen, series, strict=True)}

        self._start([counts[subject] for subject in subjects], draw, keep_every=8)

    def start_from(self, series: list[dict[str, Any]], band: float) -> None:
        """Choose the charts from a report's series, and start drawing most of them."""
        self._start([len(one["claims"]) for one in series], lambda chosen: _draw(series, chosen, band), keep_every=4)

    def _start(self, sizes: list[int], draw: Callable[[list[int]], dict[int, str]], keep_every: int) -> None:
        """Choose the charts by the sizes of the series, and start a fork drawing them all but every
        `keep_every`-th, which this process draws (what else each has to do makes the two take as long)."""
        from factcheck.pipeline import forked

        drawable = [i for i in range(len(sizes)) if sizes[i] >= 2]  # one figure is a card, not a chart
        charted = sorted(sorted(drawable, key=lambda i: -sizes[i])[:self.max_charts])  # stable: subject order
        self.charted = set(charted)
        theirs = [i for k, i in enumerate(charted) if k % keep_every != keep_every - 1]
        if len(charted) >= FORK_CHARTS_FROM:
            load_charts()  # once, before the fork, rather than in both processes
            self._helper = forked.start(lambda: draw(theirs))
        self._theirs = theirs if self._helper is not None else []

    def drawn(self, series: list[dict[str, Any]], band: float) -> dict[int, str]:
        """Each chart's SVG, by the index of its series in the report's `series`."""
        from factcheck.pipeline import forked

        assert self.charted is not None  # started
        drawn = _draw(series, sorted(self.charted - set(self._theirs)), band)
        if self._helper is not None:
            shared = self._helper()
            drawn.update(_draw(series, self._theirs, band) if shared is forked.FAILED else shared)
        return drawn


def report(data: dict[str, Any], claims: Iterable[bytes], max_charts: int = 40,
           charts: Charts | None = None) -> Iterator[bytes]:
    """The HTML page for a report value (see factcheck.views.report) and its claims rendered by `claims_part`
    (UTF-8), as pieces of UTF-8 to write one after the other; at most `max_charts` charts, or those of
    `charts` when they were started as the ledger was read (see Charts.start)."""
    import re
    import secrets

    from markupsafe import Markup

    all_series, band = data["series"], data["about_band"]
    if charts is None:
        charts = Charts(max_charts)
    if charts.charted is None:
        charts.start_from(all_series, band)
    assert charts.charted is not None
    # the page is laid out with a mark where each chart goes, while they are drawn
    token = secrets.token_hex(16)  # marks that no text from the ledger can make
    marks = [Markup(f"<!--chart-{i}-{token}-->") if i in charts.charted else None for i in range(len(all_series))]
    ledger = data["ledger"]
    title = ledger["name"] or "Ledger report"
    publisher = (ledger["publisher"] or {}).get("name")
    marker, listed = f"<!--claims-{token}-->", f"<!--problems-{token}-->"
    # the long tables' rows are written here, as the claims are (see claims_part, problem_rows); the page
    # around them by Jinja
    with collecting.paused(freeze=False):  # a page of many pieces, made once
        page = _environment().get_template("report.html").render(
            report=data, charts=marks, title=title, publisher=publisher, max_charts=charts.max_charts,
            uncharted=sum(1 for s, c in zip(all_series, marks, strict=True) if len(s["claims"]) > 1 and c is None),
            rows=[Markup(_series_rows(s)) for s in all_series], steps=[Markup(_step_items(s)) for s in all_series],
            lines=[Markup(_line_items(s)) for s in all_series],
            sources=Markup(_source_rows(data["sources"])), claims=Markup(marker), problems=Markup(listed))
        drawn = charts.drawn(all_series, band)
    head, tail = page.split(marker)
    # pygal writes the SVG with an XML library, so every text in it is already escaped
    head = re.sub(f"<!--chart-([0-9]+)-{token}-->", lambda mark: drawn[int(mark.group(1))], head)
    rows: Iterable[bytes] = ()
    before, after = head, ""
    if listed in head:  # (the table is left out when there is no problem)
        before, after = head.split(listed)
        rows = problem_rows(data["problems"]["items"])
    return itertools.chain((before.encode("utf-8"),), rows, (after.encode("utf-8"),), claims, (tail.encode("utf-8"),))


def problem_rows(items: Sequence[dict[str, Any]], every: int = 2000) -> Iterator[bytes]:
    """The rows of the problems' table (as the report value lists them), as UTF-8, `every` rows a piece: a
    ledger right after a new check can have half a million, which are never one string."""
    for start in range(0, len(items), every):
        yield "".join(
            f'      <tr><td>{html(p["path"])}:{p["line"]}:{p["column"]}</td><td class="sev-{html(p["severity"])}">'
            f'{html(p["severity"])}</td>\n          <td>{html(p["code"])}</td><td>{html(p["message"])}</td></tr>\n'
            for p in items[start:start + every]).encode("utf-8")


MATCH_WORDS = {"exact": "found exactly", "normalized": "found after folding whitespace, quotes or dashes",
               "omissions": "found, with words left out (\u2026)"}


def claims_part(claims: Sequence[Claim], linked: Mapping[str, Linked], matches: Sequence[Matches] = ()) -> str:
    """A chunk of the report's claims as HTML articles, each quote with how it was found and the link to its
    source, the verdict with why, by whom and when.

    Written here rather than by the template engine, which takes three times as long and makes a report
    of a hundred thousand claims seconds slower; every text goes through escape.html, as the engine's
    autoescaping would. A quote not found in its source is never shown in quotation marks.
    """
    out: list[str] = []
    add = out.append
    for number, claim in enumerate(claims):
        claim_id, status = html(claim.id), html(claim.status)
        add(f'  <article class="claim" id="claim-{claim_id}">\n'
            f'    <p><span class="status status-{status}">{status}</span> <strong>{claim_id}</strong></p>\n'
            f'    <p>{html(claim.text)}</p>\n'
            f'    <dl>\n      <dt>Claimant</dt><dd>{html(claim.claimant)}</dd>\n'
            f'      <dt>Date</dt><dd>{claim.date.isoformat()}</dd>\n')
        given = verdict(claim)
        if given is not None:
            add(f'      <dt>Verdict</dt><dd class="verdict">{_verdict_html(given)}</dd>\n')
        if claim.quantity:
            measure = f" ({html(claim.measure)})" if claim.measure else ""
            add(f"      <dt>Figure</dt><dd>{html(phrase(claim.quantity))}{measure}</dd>\n")
        if claim.note:
            add(f"      <dt>Note</dt><dd>{html(claim.note)}</dd>\n")
        add("    </dl>\n")
        found = matches[number] if number < len(matches) else ()
        quotes = [(q, "appearance") for q in claim.appearances] + \
                 [(e, f"evidence ({html(e.stance)})") for e in claim.evidence]
        for index, (quote, kind) in enumerate(quotes):
            match = found[index] if index < len(found) else None
            source = _source_link(quote.source, linked.get(quote.source))
            if match is None or match.kind in MATCH_WORDS:
                words = f' <span class="match">{MATCH_WORDS[match.kind]}</span>' if match is not None else ""
                add(f'      <blockquote>\u201c{html(quote.text)}\u201d<br><span class="muted">{kind}:\n'
                    f"        {source}</span>{words}</blockquote>\n")
                continue
            closest = f'<br>Closest passage in the source: <span class="closest">{html(match.closest)}</span>' \
                if match.closest else ""
            add(f'      <div class="quote-missing"><strong>NOT FOUND in the source</strong> ({kind}: {source}): '
                f'the ledger\'s words <span class="unquoted">{html(quote.text)}</span> are not in it: '
                f"{html(match.reason or '')}{closest}</div>\n")
        add("  </article>\n")
    return "".join(out)


def _verdict_html(given: dict[str, Any]) -> str:
    parts = [html(given["status"])]
    if given.get("date"):
        parts.append(f"on {html(given['date'])}")
    if given.get("by"):
        parts.append(f"by {html(given['by'])}")
    shown = " ".join(parts)
    if given.get("forced"):
        shown += ' <strong class="forced">forced: given without the evidence verify asks of it</strong>'
    shown += f": {html(given['reason'])}" if given.get("reason") else ": no reason recorded"
    imported = given.get("imported")
    if imported:
        href = safe_url(imported.get("url"))
        shown += f' (<a href="{html(href)}">the review</a>)' if href else ""
    return shown


def _source_link(source_id: str, linked: Linked | None) -> str:
    """How a quote names its source: the title (else the id), a link when the source has a safe url, then
    its publisher and dates."""
    if linked is None:
        return html(source_id)
    return _linked_source(source_id, *linked)


@functools.lru_cache(maxsize=16384)  # the same few words for every quote of a source
def _linked_source(source_id: str, title: str | None, publisher: str | None, url: str | None,
                   published: str | None, retrieved: str | None) -> str:
    name = html(title or source_id)
    href = safe_url(url)
    shown = f'<a href="{html(href)}">{name}</a>' if href else name
    for before, value in ((", ", publisher), (", published ", published), (", retrieved ", retrieved)):
        if value:
            shown += before + html(value)
    return shown


def _series_rows(series: dict[str, Any]) -> str:
    """The rows of a series' table: one per claim with a figure, linked to its article."""
    return "".join(
        f'        <tr><td>{html(c["date"])}</td><td>{html(c["figure"])}</td><td>{html(c["claimant"])}</td>\n'
        f'            <td><span class="status status-{html(c["status"])}">{html(c["status"])}</span></td>\n'
        f'            <td><a href="#claim-{html(c["claim"])}">{html(c["claim"])}</a></td></tr>\n'
        for c in series["claims"])


def _step_items(series: dict[str, Any]) -> str:
    """A series' steps as list items: the stated and the true change, and why a step may not compare."""
    out = []
    for step in series["steps"]:
        warnings = "".join(
            f'<br><span class="{"not-comparable" if w["breaks"] else "caution"}">'
            f'{"Not comparable" if w["breaks"] else "Caution"}: {html(w["message"])}</span>' for w in step["warnings"])
        out.append(f'      <li>{html(step["from"])} → {html(step["to"])}: stated change {html(_change_words(step))} '
                   f'over {count_of(step["days"], "day")};\n        true change: {html(step["allowed_change"]["words"])}.\n'
                   f"        {warnings}</li>\n")
    return "".join(out)


def _line_items(series: dict[str, Any]) -> str:
    """A subject's series, by what each counts, with each one's first-to-last change (or the subject's trend
    when all its claims count the same thing)."""
    lines, trend = series.get("lines") or [], series["trend"]
    if len(lines) < 2 and trend is None:
        return ""
    out = []
    for line in lines if len(lines) > 1 else [{**lines[0], "trend": trend}]:
        found = line["trend"]
        if found is None:
            change = "only one claim: no change"
        else:
            over = trend_over(found["stated_change"], found["relative"], found["per_year"],
                              count_of(found["days"], "day"), found.get("no_rate"))
            change = f'{html(over)}; true change: {html(found["allowed_words"])}'

        claims = ", ".join(f'<a href="#claim-{html(c)}">{html(c)}</a>' for c in line["claims"])
        out.append(f'      <li><strong>{html(line["counted"])}</strong>: {claims}: {change}.</li>\n')
    return "".join(out)


def _source_rows(sources: list[dict[str, Any]]) -> str:
    """The rows of the sources' table: each source's title linked to its url when that is a safe one."""
    out = []
    for s in sources:
        href = safe_url(s["url"])
        title = f'<a href="{html(href)}">{html(s["title"] or s["id"])}</a>' if href else html(s["title"] or "")
        out.append(f'      <tr><td>{html(s["id"])}</td><td>{title}</td>\n'
                   f'          <td>{html(s["publisher"] or "")}</td><td>{html(s["published"] or "")}</td>'
                   f'<td>{html(s["retrieved"] or "")}</td></tr>\n')
    return "".join(out)


@functools.cache
def _environment() -> Any:
    import jinja2

    class Environment(jinja2.Environment):
        """Looks `a.b` up as a key first when `a` is a dict: the report is all dicts, and Jinja's usual order
        (an attribute first, then a key) pays a raised AttributeError for each of millions of lookups."""

        def getattr(self, obj: Any, attribute: str) -> Any:
            if type(obj) is dict and attribute in obj:
                return obj[attribute]
            return super().getattr(obj, attribute)

    environment = Environment(
        loader=jinja2.PackageLoader("factcheck", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    environment.filters["safe_url"] = safe_url
    environment.filters["count"] = count_of
    return environment


def _draw(series: list[dict[str, Any]], chosen: list[int], band: float) -> dict[int, str]:
    """The SVG chart of each chosen series (each has a figure), by index."""
    return {i: series_chart(series[i], band, name=str(i + 1)) or "" for i in chosen}


FORK_CHARTS_FROM = 8  # charts from which most are drawn in a forked process (each takes about 0.015 s)


def _change_words(step: dict[str, Any]) -> str:
    change = step["stated_change"]
    return stated(change["absolute"], change["relative"], change["per_year"], change.get("no_rate"))
