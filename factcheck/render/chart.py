"""A subject's series as a static SVG chart drawn by pygal: points labelled, bounds drawn, breaks marked."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

COMPARABLE = "#1f5fa8"
NOT_COMPARABLE = "#c0392b"
BOUND = "#7f8c8d"
SVG = "http://www.w3.org/2000/svg"


def series_chart(series: dict[str, Any], about_band: float, name: str = "1") -> str | None:
    """An inline SVG for one series (as `series_data` gives it), or None when it has no figure.

    The SVG's id is `chart-<name>` (pygal would draw a random one), so a page of charts needs a distinct
    name for each, and the same report comes out byte for byte the same.
    """
    claims = series["claims"]
    if not claims:
        return None
    from pygal.style import Style

    values = [c["value"] for c in claims]
    top = max(values) * 1.35 if max(values) > 0 else 1.0
    bottom = min(0.0, min(values) * 1.35)
    colours: list[str] = []
    chart = _static_date_line()(
        js=[], disable_xml_declaration=True, width=760, height=360, print_labels=True, print_values=False,
        legend_at_bottom=True, legend_at_bottom_columns=1, truncate_legend=-1, truncate_label=-1, show_y_guides=True,
        range=(bottom, top), x_label_rotation=0, dots_size=5, explicit_size=False, margin_right=250, margin_left=20,
        x_labels=sorted({dt.date.fromisoformat(c["date"]) for c in claims}),
        x_value_formatter=lambda d: d.isoformat(), title=None,
        style=Style(background="white", plot_background="white", font_family="system-ui, sans-serif",
                    label_font_size=12, major_label_font_size=12, legend_font_size=12, value_label_font_size=12,
                    stroke_width=3, colors=("#000000",)),
    )
    chart.uuid = name
    points = {c["claim"]: c for c in claims}
    labelled: set[str] = set()

    def point(claim_id: str) -> dict[str, Any]:  # each point labelled once, in the first line that reaches it
        claim = points[claim_id]
        shown = {"value": (dt.date.fromisoformat(claim["date"]), claim["value"])}
        if claim_id not in labelled:
            labelled.add(claim_id)
            shown["label"] = claim["figure"]
        return shown

    bounds: list[Any] = []
    for claim in claims:
        reach = _reach(claim, top, bottom, about_band)
        if reach is not None:
            day = dt.date.fromisoformat(claim["date"])
            bounds += [{"value": (day, reach[0])}, {"value": (day, reach[1]), "label": reach[2]}, None]
    if bounds:
        chart.add("what the bound allows (more than / at least: up; fewer than / at most: down; about: band)",
                  bounds, allow_interruptions=True, dots_size=2, stroke_style={"width": 8, "linecap": "butt"})
        colours.append(BOUND)
    if len(claims) == 1:
        chart.add("stated figure", [point(claims[0]["claim"])], stroke=False)
        colours.append(COMPARABLE)
    # One line for the steps that compare like for like, unbroken while they follow each other, and one
    # dashed line for the steps that do not: two series however long the series (pygal's time grows with
    # the number of its series).
    runs: list[list[str]] = []
    breaks: list[list[str]] = []
    for step in series["steps"]:
        if not step["comparable"]:
            breaks.append([step["from"], step["to"]])
        elif runs and runs[-1][-1] == step["from"]:
            runs[-1].append(step["to"])
        else:
            runs.append([step["from"], step["to"]])
    for lines, title, comparable in ((runs, "steps like for like", True),
                                     (breaks, "steps NOT COMPARABLE: no trend across them", False)):
        if lines:
            shown = [one for line in lines for one in (*(point(claim_id) for claim_id in line), None)][:-1]
            chart.add(title, shown, allow_interruptions=True,
                      stroke_style={"width": 3, "dasharray": "0" if comparable else "8, 6"})
            colours.append(COMPARABLE if comparable else NOT_COMPARABLE)
    chart.config.style.colors = tuple(colours)
    chart.add_xml_filter(_without_scripts)
    return str(chart.render(is_unicode=True))


def load() -> None:
    """Import pygal and make the chart class now (before a fork, so that both processes share them)."""
    _static_date_line()


@functools.cache
def _static_date_line() -> Any:
    import pygal

    class StaticDateLine(pygal.DateLine):  # type: ignore[misc]
        """pygal's date line without what it writes for its script's tooltips (four `desc` elements a point,
        a quarter of the SVG and a fifth of the time to draw it): the report runs no script."""

        def _tooltip_data(self, *args: Any, **kwargs: Any) -> None:
            return None

    return StaticDateLine


def _without_scripts(root: Any) -> Any:
    """pygal's SVG tree without its inline configuration script, before it is written out (the report runs
    no script at all), and without its comments (one carries the day, and a report is the same every day)."""
    for parent in list(root.iter()):
        for child in list(parent):
            if callable(child.tag) or child.tag in ("script", f"{{{SVG}}}script"):  # a comment's tag is a function
                parent.remove(child)
    return root


def _reach(claim: dict[str, Any], top: float, bottom: float, about_band: float) -> tuple[float, float, str] | None:
    """Where the bound lets the true value lie, and the words for the end of that reach."""
    value, bound = claim["value"], claim["bound"]
    if bound in ("more-than", "at-least"):
        return value, top, "\u2191 no upper limit"
    if bound in ("fewer-than", "at-most"):
        return value, bottom, "\u2193 no lower limit"
    if bound == "about":
        spread = abs(value) * about_band
        return value - spread, value + spread, f"about: \u00b1{about_band:.0%}"
    return None
