"""What people type for a date or a figure, read strictly, with messages that say what is wrong in their words."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_PLAIN = re.compile(r"[-+]?\d+(?:\.\d+)?")
_GROUPED = re.compile(r"[-+]?\d{1,3}(?:([, _\u00a0\u202f])\d{3})(?:\1\d{3})*(?:\.\d+)?")
_PARTIAL = re.compile(r"(\d{4})(?:-(\d{1,2}))?")
_STAMP = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?",
                    re.IGNORECASE)
_SLASHED = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
# The written forms of English-language feeds: "July 20, 2021", "Jul 20 2021", "20 July 2021", "20 Jul. 2021".
_MONTHS = {name.casefold(): number for number in range(1, 13)
           for name in (calendar.month_name[number], calendar.month_abbr[number], calendar.month_abbr[number] + "t")}
_WRITTEN = re.compile(r"(?:(?P<m1>[A-Za-z]+)\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{4})"
                      r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>[A-Za-z]+)\.?,?\s+(?P<y2>\d{4}))")


class PartialDate(dt.date):
    """A month (2021-07) or a year (2021) given without a day: it sorts and compares as its first day,
    and is written as given, never with an invented day."""

    precision: str  # "month" or "year"

    def __new__(cls, year: int, month: int | None = None) -> PartialDate:
        made = super().__new__(cls, year, month or 1, 1)
        made.precision = "year" if month is None else "month"
        return made

    def isoformat(self) -> str:
        return f"{self.year:04d}" if self.precision == "year" else f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"PartialDate({self.isoformat()!r})"

    def __reduce__(self) -> tuple[type, tuple[int, int | None]]:
        return PartialDate, (self.year, None if self.precision == "year" else self.month)


def parse_date(text: str, partial: bool = False) -> dt.date:
    """A day written YYYY-MM-DD (month and day may be one digit), as a date-time (its date, as written, in
    its own zone), YYYY/MM/DD, or in words ("July 20, 2021", "20 July 2021"); with `partial`, also a month
    (2021-07) or a year (2021). ValueError saying why otherwise."""
    written = text.strip()
    stamp = _STAMP.fullmatch(written)
    if stamp:
        written = stamp.group(1)
    match = _DAY.fullmatch(written) or _SLASHED.fullmatch(written)
    if match:
        return _day(text, *(int(part) for part in match.groups()))
    words = _WRITTEN.fullmatch(written)
    if words:
        name = (words.group("m1") or words.group("m2")).casefold()
        if name not in _MONTHS:
            raise ValueError(f"{text!r} is not a date: no month is called {name!r}")
        return _day(text, int(words.group("y1") or words.group("y2")), _MONTHS[name],
                    int(words.group("d1") or words.group("d2")))
    some = _PARTIAL.fullmatch(written) if partial else None
    if some:
        year, month = int(some.group(1)), some.group(2)
        if month is not None and not 1 <= int(month) <= 12:
            raise ValueError(f"{text} is not a date (there is no month {int(month)})")
        return PartialDate(year, None if month is None else int(month))
    forms = "YYYY-MM-DD, YYYY-MM or YYYY" if partial else "YYYY-MM-DD"
    raise ValueError(f"{text!r} is not a date: write it as {forms}, for example 2023-09-29")


def _day(text: str, year: int, month: int, day: int) -> dt.date:
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
