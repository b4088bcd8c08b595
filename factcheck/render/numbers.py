"""How changes read in every format: signed, with the same rounding everywhere."""

from __future__ import annotations

import math

from factcheck.ledger.figures import format_number


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


def stated(absolute: float, relative: float | None, rate: float | None, no_rate: str | None) -> str:
    """A step's stated change: +200 (+25.0%, +202.2 a year); a step across series, or between positions, has
    neither percentage nor rate, and says why."""
    if no_rate is not None:
        return f"{signed(absolute)} ({no_rate})"
    return f"{signed(absolute)} ({percent(relative)}, {per_year(rate)})"


def trend_change(absolute: float, relative: float | None, no_rate: str | None) -> str:
    """A trend's change: +200 (+25.0%), or +1 (positions, not amounts: ...)."""
    return f"{signed(absolute)} ({no_rate if no_rate is not None else percent(relative)})"


def trend_over(absolute: float, relative: float | None, rate: float | None, days: str, no_rate: str | None) -> str:
    """A trend over its days: +200 (+25.0%) over 361 days (+202.2 a year); a trend of positions has no rate."""
    words = f"{trend_change(absolute, relative, no_rate)} over {days}"
    return words if no_rate is not None else f"{words} ({per_year(rate)})"
