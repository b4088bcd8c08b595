"""What people type for a date or a figure, read strictly, with messages that say what is wrong in their words."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_PLAIN = re.compile(r"[-+]?\d+(?:\.\d+)?")
_GROUPED = re.compile(r"[-+]?\d{1,3}(?:([, _\u00a0\u202f])\d{3})(?:\1\d{3})*(?:\.\d+)?")


def parse_date(text: str) -> dt.date:
    """A day written YYYY-MM-DD (month and day may be one digit); ValueError saying why otherwise."""
    match = _DAY.fullmatch(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date: write it as YYYY-MM-DD, for example 2023-09-29")
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise ValueError(f"{text} is not a date (there is no month {month})")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(f"{text} is not a date ({calendar.month_name[month]} {year} has {days} days)")
    return dt.date(year, month, day)


def parse_figure(text: str) -> float:
    """A figure as people type it: 1000, 1,000, 1 000, 1_000, 2.5 or -3; ValueError saying how to write it."""
    written = text.strip()
    if _PLAIN.fullmatch(written):
        digits = written
    elif _GROUPED.fullmatch(written):
        digits = re.sub(r"[, _\u00a0\u202f]", "", written)
    else:
        raise ValueError(f"{text!r} is not a figure: write digits, with a point for decimals and, if you like, "
                         "commas or spaces between thousands (1000, 1,000, 1 000, 2.5)")
    return float(digits)
