"""The report as one self-contained HTML page: no scripts, no network, escaped by the template engine."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from factcheck.render.chart import series_chart
from factcheck.render.escape import safe_url
from factcheck.render.numbers import per_year, percent, signed


def report(data: dict[str, Any], claims: Sequence[bytes], max_charts: int = 40) -> list[bytes]:
    """The HTML page for a report value (see factcheck.report) and its claims rendered by `claims_part`
    (UTF-8), as pieces of UTF-8 to write one after the other; at most `max_charts` charts."""
    import secrets

    from markupsafe import Markup

    # pygal writes the SVG with an XML library, so every text in it is already escaped.
    band = data["about_band"]
    largest = sorted(range(len(data["series"])), key=lambda i: -len(data["series"][i]["claims"]))[:max_charts]
    drawn = _draw(data["series"], sorted(largest), band)
    charts = [Markup(drawn[i]) if drawn.get(i) else None for i in range(len(data["series"]))]
    series = [{**s, "steps": [{**step, "stated_change_words": _change_words(step)} for step in s["steps"]]}
              for s in data["series"]]
    ledger = data["ledger"]
    title = ledger["name"] or "Ledger report"
    publisher = (ledger["publisher"] or {}).get("name")
    marker = f"<!--claims-{secrets.token_hex(16)}-->"  # where the claims go: text from the ledger cannot make it
    page = _environment().get_template("report.html").render(
        report={**data, "series": series}, charts=charts, title=title, publisher=publisher, max_charts=max_charts,
        uncharted=sum(1 for s, c in zip(data["series"], charts, strict=True) if s["claims"] and c is None),
        claims=Markup(marker))
    head, tail = page.split(marker)
    return [head.encode("utf-8"), *claims, tail.encode("utf-8")]


def claims_part(claims: list[dict[str, Any]]) -> str:
    """A chunk of the report's claims (each as factcheck.report.claim_data gives it), as HTML."""
    return str(_environment().get_template("claims.html").render(claims=claims))


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
    return environment


def _draw(series: list[dict[str, Any]], chosen: list[int], band: float) -> dict[int, str | None]:
    """The SVG chart of each chosen series, by index; many charts are drawn half here, half in a fork."""
    from factcheck import forked

    def draw(indexes: list[int]) -> dict[int, str | None]:
        return {i: series_chart(series[i], band, name=str(i + 1)) for i in indexes}

    mine, theirs = chosen[::2], chosen[1::2]
    helper = forked.start(lambda: draw(theirs)) if len(chosen) >= FORK_CHARTS_FROM else None
    if helper is None:
        mine, theirs = chosen, []
    drawn = draw(mine)
    if helper is not None:
        shared = helper()
        drawn.update(draw(theirs) if shared is forked.FAILED else shared)
    return drawn


FORK_CHARTS_FROM = 8  # charts from which half are drawn in a forked process (each takes about 0.1 s)


def _change_words(step: dict[str, Any]) -> str:
    stated = step["stated_change"]
    return f"{signed(stated['absolute'])} ({percent(stated['relative'])}, {per_year(stated['per_year'])})"
