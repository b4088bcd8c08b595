"""A subject's series as a static SVG chart drawn by pygal: points labelled, bounds drawn, breaks marked.

What a reader takes in at a glance must be what the claims say, so the chart has no grid (a dashed guide
through a label reads as a figure struck through); each label is put where it touches no line, no point and
no other label; date ticks are thinned until no two collide; a count gets whole-number ticks; the axis names
the unit when the chart has one; and the chart is drawn at a width whose text stays legible when a phone
shrinks it. A subject with one figure gets no chart (see `html`, which shows it as a card).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from factcheck.ledger.figures import format_number, phrase_of, readable

COMPARABLE = "#1f5fa8"
NOT_COMPARABLE = "#c0392b"
BOUND = "#7f8c8d"
SVG = "http://www.w3.org/2000/svg"
WIDTH, HEIGHT = 500, 330  # at 14 px a letter, text on a 390 px phone (358 px of page) is still 10 px
FONT = 14
CHAR_WIDTH = 0.62  # of the font size: a wide estimate of one letter of a sans-serif face
TICK_GAP = 16  # at least this much between two date ticks, in px
MARGIN_RIGHT = 56  # room for half the last date and for labels right of the last points
WRAP_FROM = 120  # a label wider than this, in px, is written on two lines


def series_chart(series: dict[str, Any], about_band: float, name: str = "1") -> str | None:
    """An inline SVG for one series (as `series_data` gives it), or None when it has fewer than two figures.

    The SVG's id is `chart-<name>` (pygal would draw a random one), so a page of charts needs a distinct
    name for each, and the same report comes out byte for byte the same.
    """
    claims = series["claims"]
    if len(claims) < 2:
        return None
    from pygal.style import Style

    values = [_value(c) for c in claims]
    unit = axis_unit(series)
    top = max(values) * 1.3 if max(values) > 0 else 1.0
    bottom = min(0.0, min(values) * 1.3)
    whole = all(float(v).is_integer() for v in values)
    ticks = nice_ticks(bottom, top, whole)
    days = sorted({dt.date.fromisoformat(c["date"]) for c in claims})
    colours: list[str] = []
    chart = _static_date_line()(
        js=[], disable_xml_declaration=True, width=WIDTH, height=HEIGHT, print_labels=True, print_values=False,
        legend_at_bottom=True, legend_at_bottom_columns=1, truncate_legend=-1, truncate_label=-1,
        show_y_guides=False, show_x_guides=False, range=(ticks[0], ticks[-1]), y_labels=ticks,
        value_formatter=readable, x_label_rotation=0, dots_size=5, explicit_size=False, margin_right=MARGIN_RIGHT,
        margin_left=8, margin_top=12, x_labels=thinned(days, WIDTH - 110), x_value_formatter=lambda d: d.isoformat(),
        y_title=unit or "as stated: units differ", title=None,
        style=Style(background="white", plot_background="white", font_family="system-ui, sans-serif",
                    label_font_size=FONT, major_label_font_size=FONT, legend_font_size=FONT,
                    value_label_font_size=FONT, title_font_size=FONT, stroke_width=3, colors=("#000000",)),
    )
    chart.uuid = name
    points = {c["claim"]: c for c in claims}
    labelled: set[str] = set()

    def point(claim_id: str) -> dict[str, Any]:  # each point labelled once, in the first line that reaches it
        claim = points[claim_id]
        shown: dict[str, Any] = {"value": (dt.date.fromisoformat(claim["date"]), _value(claim))}
        if claim_id not in labelled:
            labelled.add(claim_id)
            shown["label"] = _label(claim, unit)
        return shown

    bounds: list[Any] = []
    for claim in claims:
        reach = _reach(claim, ticks[-1], ticks[0], about_band)
        if reach is not None:
            day = dt.date.fromisoformat(claim["date"])
            bounds += [{"value": (day, reach[0])}, {"value": (day, reach[1])}, None]
    if bounds:
        about = f", about: \u00b1{about_band:.0%}" if any(c["bound"] == "about" for c in claims) else ""
        chart.add(f"grey bar: what the bound allows{about}", bounds, allow_interruptions=True, dots_size=0,
                  stroke_style={"width": 8, "linecap": "butt"})
        colours.append(BOUND)
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
    alone = [claim_id for claim_id in points if claim_id not in labelled]  # in no step: a claim of its own date
    if alone:
        chart.add("stated figure", [point(claim_id) for claim_id in alone], stroke=False)
        colours.append(COMPARABLE)
    chart.config.style.colors = tuple(colours)
    chart.add_xml_filter(_without_scripts)
    chart.add_xml_filter(functools.partial(_labels_clear, thick="serie-0" if bounds else None))
    return str(chart.render(is_unicode=True))


def axis_unit(series: dict[str, Any]) -> str | None:
    """The unit every figure of the chart is drawn in (a converted figure in its line's unit), or None when
    the figures count different things."""
    lines = series.get("lines") or [{"claims": [c["claim"] for c in series["claims"]]}]
    if len(lines) != 1:
        return None
    first = series["claims"][0]
    unit = first["unit"]
    if any(c["unit"] != unit and c.get("plotted") is None for c in series["claims"]):
        return None
    return f"{unit}, as positions" if first.get("ordinal") and unit else unit


def nice_ticks(bottom: float, top: float, whole: bool) -> list[float]:
    """Five or so ticks from at or below `bottom` to at or above `top`, a step of 1, 2 or 5 times a power of
    ten; whole numbers when the figures are (never 0.2 of a weapon)."""
    span = top - bottom if top > bottom else abs(top) or 1.0
    raw = span / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if whole:
        step = max(1.0, float(round(step)))
    low = math.floor(bottom / step) * step
    count = math.ceil((top - low) / step - 1e-9)
    return [float(format_number(low + i * step)) for i in range(count + 1)]


def thinned(days: Sequence[dt.date], plot_width: float) -> list[dt.date]:
    """The date ticks to print, first and last kept, none closer to the last kept than a date's width."""
    if len(days) < 3 and (len(days) < 2 or days[0] == days[-1]):
        return list(days)
    first, last = days[0].toordinal(), days[-1].toordinal()
    room = FONT * CHAR_WIDTH * 10 + TICK_GAP  # "2024-09-24"

    def at(day: dt.date) -> float:
        return (day.toordinal() - first) / (last - first) * plot_width

    kept = [days[0]]
    for day in days[1:]:
        if at(day) - at(kept[-1]) >= room:
            kept.append(day)
    if kept[-1] != days[-1]:  # the last date is kept, in place of the one before it when they would collide
        if len(kept) > 1 and at(days[-1]) - at(kept[-1]) < room:
            kept.pop()
        if at(days[-1]) - at(kept[-1]) >= room:
            kept.append(days[-1])
    return kept


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


def _value(claim: dict[str, Any]) -> float:
    plotted = claim.get("plotted")
    return float(claim["value"] if plotted is None else plotted)


def _label(claim: dict[str, Any], unit: str | None) -> str:
    """A point's label: the figure as stated, without the unit when the axis gives it."""
    if unit is not None and claim.get("plotted") is None:
        return phrase_of(claim["value"], claim["bound"], None, bool(claim.get("ordinal")))
    return str(claim["figure"])


def _without_scripts(root: Any) -> Any:
    """pygal's SVG tree without its inline configuration script, before it is written out (the report runs
    no script at all), without its comments (one carries the day, and a report is the same every day), and
    without the date guides it hides until the mouse is over a date (a line through the labels)."""
    for parent in list(root.iter()):
        for child in list(parent):
            script = callable(child.tag) or child.tag in ("script", f"{{{SVG}}}script")  # a comment's tag is a function
            if script or (_tag(child) == "path" and "guide" in _classes(child)):
                parent.remove(child)
    return root


Box = tuple[float, float, float, float]  # left, top, right, bottom
Segment = tuple[float, float, float, float, float]  # x1, y1, x2, y2, half the stroke's width


def _labels_clear(root: Any, thick: str | None = None) -> Any:
    """Each point's label moved to the nearest place around its point where it touches no line of the chart,
    no point and no label already placed (pygal puts every label below and right of its point), or left out
    where there is none (the table under the chart gives every figure). `thick` is the class of the series
    drawn 8 px wide (the bounds)."""
    parents = {child: parent for parent in root.iter() for child in parent}
    plots = [g for g in root.iter() if _tag(g) == "g" and "plot" in _classes(g)]
    if not plots:
        return root
    segments: list[Segment] = []
    for path in plots[0].iter():
        if _tag(path) == "path" and "line" in _classes(path):
            series = parents.get(path)
            if series is not None and "series" in _classes(series):
                segments += _segments(path.get("d") or "", 4.0 if thick in _classes(series) else 1.5)
    dots = [(float(c.get("cx")), float(c.get("cy")), float(c.get("r") or 3)) for g in plots[1:] for c in g.iter()
            if _tag(c) == "circle"]
    area = next(((float(c.get("width") or WIDTH), float(c.get("height") or HEIGHT)) for c in plots[0]
                 if _tag(c) == "rect"), (float(WIDTH), float(HEIGHT)))
    placed: list[Box] = []
    near, strokes = _Grid(dots, _dot_box), _Grid(segments, _segment_box)
    labels = []
    for overlay in plots[1:]:
        for text in list(overlay.iter()):
            if _tag(text) != "text" or "label" not in _classes(text) or not dots:
                continue
            # pygal writes a label 16 px right of and 21.3 px below its point
            tx, ty = float(text.get("x")) - 16, float(text.get("y")) - FONT * 1.5
            close = near.within((tx - 4, ty - 4, tx + 4, ty + 4)) or dots  # its own point is where pygal says
            labels.append((text, min(close, key=lambda d: (d[0] - tx) ** 2 + (d[1] - ty) ** 2)))
    chosen = _chosen(labels)
    for text, (x, y, r) in labels:
        lines = _wrapped(text.text or "")
        wide = max(len(line.strip()) for line in lines) * FONT * CHAR_WIDTH
        box = _place(x, y, r + 3, wide, len(lines), strokes, near, placed, area) if id(text) in chosen else None
        if box is None:  # a crowded chart: the figure is in the table under it, never over a line
            parents[text].remove(text)
            continue
        text.set("x", f"{box[0]:.1f}")
        text.set("y", f"{box[1] + FONT * 0.85:.1f}")
        text.set("style", "text-anchor:start")
        if len(lines) > 1:
            text.text = lines[0]
            rest = text.makeelement(text.tag.replace("text", "tspan"), {"x": f"{box[0]:.1f}", "dy": f"{FONT * 1.15:.1f}"})
            rest.text = lines[1]
            text.append(rest)
        placed.append(box)
    return root


MAX_LABELS = 30  # a chart of more points labels the first and last, the highest and lowest, and some between


def _chosen(labels: Sequence[tuple[Any, tuple[float, float, float]]]) -> set[int]:
    """The labels a chart tries to place (by id of their element): all, up to MAX_LABELS; of more, the first
    and last points, the highest and the lowest, and others evenly spaced between them."""
    if len(labels) <= MAX_LABELS:
        return {id(text) for text, _ in labels}
    by_x = sorted(range(len(labels)), key=lambda i: labels[i][1][0])
    keep = {by_x[0], by_x[-1], min(by_x, key=lambda i: labels[i][1][1]), max(by_x, key=lambda i: labels[i][1][1])}
    step = (len(by_x) - 1) / (MAX_LABELS - len(keep) + 1)
    keep.update(by_x[round(step * k)] for k in range(1, MAX_LABELS - len(keep) + 1))
    return {id(labels[i][0]) for i in keep}


class _Grid:
    """Things of a chart (points, pieces of line) by the 32 px squares their boxes cover, so that a label's
    box is checked against the things near it alone; what `within` gives is then checked exactly."""

    CELL = 32.0

    def __init__(self, items: Sequence[Any], box_of: Callable[[Any], Box]) -> None:
        self.items = list(items)
        self.cells: dict[tuple[int, int], list[int]] = {}
        for index, item in enumerate(self.items):
            for cell in self._cells(box_of(item)):
                self.cells.setdefault(cell, []).append(index)

    def _cells(self, box: Box) -> Iterator[tuple[int, int]]:
        for i in range(math.floor(box[0] / self.CELL), math.floor(box[2] / self.CELL) + 1):
            for j in range(math.floor(box[1] / self.CELL), math.floor(box[3] / self.CELL) + 1):
                yield i, j

    def any(self, box: Box, touches: Callable[[Box, Any], bool]) -> bool:
        """Whether `touches(box, thing)` holds for a thing near `box`: the things of its squares are tried in
        turn, and the first that touches ends the search."""
        cells, size, items = self.cells, self.CELL, self.items
        for i in range(math.floor(box[0] / size), math.floor(box[2] / size) + 1):
            for j in range(math.floor(box[1] / size), math.floor(box[3] / size) + 1):
                for index in cells.get((i, j), ()):
                    if touches(box, items[index]):
                        return True
        return False

    def within(self, box: Box) -> list[Any]:
        """Every thing whose box touches `box` (and perhaps a few more near it), each once."""
        cells, size = self.cells, self.CELL
        found: set[int] = set()
        for i in range(math.floor(box[0] / size), math.floor(box[2] / size) + 1):
            for j in range(math.floor(box[1] / size), math.floor(box[3] / size) + 1):
                found.update(cells.get((i, j), ()))
        items = self.items
        return [items[index] for index in sorted(found)]  # in the chart's order: the nearest of equals is its first


def _dot_box(dot: tuple[float, float, float]) -> Box:
    return dot[0] - dot[2], dot[1] - dot[2], dot[0] + dot[2], dot[1] + dot[2]


def _segment_box(segment: Segment) -> Box:
    x1, y1, x2, y2, half = segment
    return min(x1, x2) - half, min(y1, y2) - half, max(x1, x2) + half, max(y1, y2) + half


def _wrapped(words: str) -> list[str]:
    """A label on one line, or on two split at the space nearest its middle when it is wide."""
    if len(words) * FONT * CHAR_WIDTH <= WRAP_FROM or " " not in words:
        return [words]
    spaces = [i for i, c in enumerate(words) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(words) / 2))
    return [words[:cut + 1], words[cut + 1:]]  # the space kept at the end of the first: the text reads whole


def _place(x: float, y: float, gap: float, wide: float, rows: int, strokes: _Grid, near: _Grid,
           placed: Sequence[Box], area: tuple[float, float]) -> Box | None:
    """The box of the nearest place around (x, y) that is clear of every line, point and label and inside the
    plot (or the margin right of it); None when there is none."""
    high = FONT * 1.15 * rows
    # only what stands within reach of the candidates can touch one
    reach = (x - wide - gap - 70, y - high - gap - 70, x + wide + gap + 70, y + high + gap + 70)
    placed = [other for other in placed if _overlaps(reach, other)]
    right, bottom = area[0] + MARGIN_RIGHT - 4, area[1] - 2
    for left, top in _around(gap, wide, high):  # the nearest place that is clear
        box = (x + left, y + top, x + left + wide, y + top + high)
        if box[0] < 2 or box[2] > right or box[1] < -6 or box[3] > bottom:
            continue
        if not any(_overlaps(box, other) for other in placed) and not near.any(box, _near_dot) \
                and not strokes.any(box, _crosses):
            return box
    return None


@functools.lru_cache(maxsize=256)
def _around(gap: float, wide: float, high: float) -> list[tuple[float, float]]:
    """The places a label of this size is tried at around its point, nearest first: each box's left and
    top from the point (the same for every point, so found once per size)."""
    candidates = []
    for dy in (0, 6, 12, 20, 30, 44, 60):
        for top in (-gap - high - dy, gap + dy, -high / 2 - dy, -high / 2 + dy):
            for left in (gap, -gap - wide, -wide / 2, gap + dy, -gap - wide - dy):
                candidates.append((math.hypot(left + wide / 2, top + high / 2), left, top))
    candidates.sort(key=lambda c: c[0])
    return [(left, top) for _, left, top in candidates]


def _crosses(box: Box, segment: Segment) -> bool:
    """Whether a line segment (widened by half its stroke) passes through a box: Liang and Barsky's clipping."""
    x1, y1, x2, y2, half = segment
    left, top, right, bottom = box[0] - half, box[1] - half, box[2] + half, box[3] + half
    if max(x1, x2) < left or min(x1, x2) > right or max(y1, y2) < top or min(y1, y2) > bottom:
        return False
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - top), (dy, bottom - y1)):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                return False
    return True


def _near_dot(box: Box, dot: tuple[float, float, float]) -> bool:
    x, y, r = dot
    return box[0] - r <= x <= box[2] + r and box[1] - r <= y <= box[3] + r


def _overlaps(box: Box, other: Box) -> bool:
    return box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]


def _segments(d: str, half: float) -> list[Segment]:
    """The straight pieces of an SVG path of M, L, v and h commands, as pygal draws its lines."""
    import re

    found: list[Segment] = []
    here = (0.0, 0.0)
    for command, numbers in re.findall(r"([MLvh])\s*([-\d.\s]+)", d):
        values = [float(n) for n in numbers.split()]
        if command == "M":
            here, values, command = (values[0], values[1]), values[2:], "L"
        if command == "v":
            found.append((*here, here[0], here[1] + values[0], half))
            here = (here[0], here[1] + values[0])
        elif command == "h":
            found.append((*here, here[0] + values[0], here[1], half))
            here = (here[0] + values[0], here[1])
        else:
            for i in range(0, len(values) - 1, 2):
                found.append((*here, values[i], values[i + 1], half))
                here = (values[i], values[i + 1])
    return found


def _classes(node: Any) -> list[str]:
    return str(node.get("class") or "").split()


def _tag(node: Any) -> str:
    tag = node.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _reach(claim: dict[str, Any], top: float, bottom: float, about_band: float) -> tuple[float, float] | None:
    """Where the bound lets the true value lie (to the edge of the chart when it has no limit)."""
    value, bound = _value(claim), claim["bound"]
    if bound in ("more-than", "at-least"):
        return value, top
    if bound in ("fewer-than", "at-most"):
        return value, bottom
    if bound == "about":
        spread = abs(value) * about_band
        return value - spread, value + spread
    return None
