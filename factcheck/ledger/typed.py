"""What people type for a date or a figure, read strictly, with messages that say what is wrong in their words."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from factcheck.ledger.numbers import CURRENCY_CODES, CURRENCY_SIGNS, SCALE_ABBREVIATIONS, scaled

_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_PLAIN = re.compile(r"[-+]?\d+(?:\.\d+)?")
_GROUPED = re.compile(r"[-+]?\d{1,3}(?:([, _\u00a0\u202f])\d{3})(?:\1\d{3})*(?:\.\d+)?")
_ORDINAL = re.compile(r"(\d+)(st|nd|rd|th)", re.IGNORECASE)
_SCALE = re.compile(r"(.*?\d)\s*(" + "|".join(sorted(SCALE_ABBREVIATIONS, key=len, reverse=True)) + r"|m)", re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(rf"([{re.escape(CURRENCY_SIGNS)}]|[A-Z]{{3}}(?=[\s\d]))\s*(.+)")
_CURRENCY_AFTER = re.compile(rf"(.+?)\s*([{re.escape(CURRENCY_SIGNS)}]|(?<=[\s\d])[A-Z]{{3}})")
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


@dataclass(frozen=True)
class Figure:
    """A figure as typed, read into its parts: "AZN 1.2 billion" is 1200000000 AZN; "4th" is the position 4."""

    value: float
    unit: str | None = None
    ordinal: bool = False


def read_figure(text: str) -> Figure:
    """A figure as people type it: 1000, 1,000, 2.5; with a scale word (1.2 billion, 1.2bn, 300 mln, 30k; 5m only
    beside a currency); with a currency sign or ISO 4217 code before or after (AZN 300 million, $1.2bn, 300 EUR),
    which becomes the unit; or a position (4th). ValueError saying how to write it."""
    written = " ".join(text.split())
    if (position := _ORDINAL.fullmatch(written)) is not None:
        return Figure(float(position.group(1)), ordinal=True)
    currency = None
    for pattern, where in ((_CURRENCY_BEFORE, 0), (_CURRENCY_AFTER, 1)):
        if (found := pattern.fullmatch(written)) is not None:
            currency, written = found.group(1 + where), found.group(2 - where)
            if currency.isalpha() and currency not in CURRENCY_CODES:
                raise ValueError(f"{text!r}: {currency!r} is not a currency code (ISO 4217: AZN, USD, EUR); put "
                                 "what is counted in --unit")
            break
    scale = 1
    if (scaled_match := _SCALE.fullmatch(written)) is not None:
        word = scaled_match.group(2).lower()
        if word == "m" and currency is None:
            raise ValueError(f"{text!r}: 'm' could be metres or millions; write million")
        scale = SCALE_ABBREVIATIONS.get(word, 1_000_000)
        written = scaled_match.group(1)
    try:
        value = parse_figure(written)
    except ValueError:
        raise ValueError(f"{text!r} is not a figure: write digits, with a point for decimals and, if you like, "
                         "commas or spaces between thousands (1000, 1,000, 2.5), a scale word (1.2 billion, 300 mln), "
                         "a currency (AZN 300 million, $1.2bn) or a position (4th)") from None
    if scale != 1:
        value = scaled(repr(value), scale)
    return Figure(value, currency)
