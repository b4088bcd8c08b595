"""How changes read in every format: signed, with the same rounding everywhere."""

from __future__ import annotations

import math

from factcheck.figures import format_number


def signed(value: float) -> str:
    """+200, -12.5, 0."""
    if value == 0:
        return "0"
    rounded = round(value, 1) if not float(value).is_integer() else value
    return ("+" if value > 0 else "-") + format_number(abs(rounded))


def percent(value: float | None) -> str:
    """+25.0%, or n/a when the starting figure is zero."""
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value * 100:+.1f}%"


def per_year(value: float | None) -> str:
    """+202.2 a year, or n/a when both claims share a date."""
    if value is None:
        return "n/a"
    return f"{value:+.1f} a year"



ACROSS = "no percentage or rate: the two count different things"


def stated(absolute: float, relative: float | None, rate: float | None, comparable: bool) -> str:
    """A step's stated change: +200 (+25.0%, +202.2 a year); a step across series has neither percentage
    nor rate."""
    if not comparable:
        return f"{signed(absolute)} ({ACROSS})"
    return f"{signed(absolute)} ({percent(relative)}, {per_year(rate)})"
