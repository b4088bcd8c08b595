"""Read the numbers a text states, in digits or words: "1,000", "1 000", "one thousand", "4th", "two"."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
    "eightieth": 80, "ninetieth": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SCALE_ORDINALS = {"hundredth": 100, "thousandth": 1_000, "millionth": 1_000_000}
_WORDS = set(_UNITS) | set(_TENS) | set(_ORDINALS) | set(_SCALES) | set(_SCALE_ORDINALS)

_DIGITS = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[,\u00a0\u202f\u2009 ]\d{3})+|\d+)(\.\d+)?(?:st|nd|rd|th)?"
    r"(?:[\s\u00a0-]+(hundred|thousand|million|billion)\b)?",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[A-Za-z]+")


def read_numbers(text: str) -> set[float]:
    """Every number stated in `text`, as a float."""
    found: set[float] = set()
    for match in _DIGITS.finditer(text):
        whole = re.sub(r"[,\u00a0\u202f\u2009 ]", "", match.group(1))
        value = float(whole + (match.group(2) or ""))
        if match.group(3):
            value *= _SCALES[match.group(3).lower()]
        found.add(value)
    found.update(_read_words(text))
    return found


def _read_words(text: str) -> set[float]:
    found: set[float] = set()
    run: list[str] = []
    last_end = 0
    for match in _TOKEN.finditer(text):
        word = match.group().lower()
        if word == "and" and run:
            continue  # "one hundred and twenty": the gap test below sees the "and"
        gap = text[last_end:match.start()]
        joined = not run or gap.strip(" -\u00a0") == "" or gap.strip().lower() == "and"
        if word in _WORDS and joined:
            run.append(word)
        else:
            _flush(run, found)
            run = [word] if word in _WORDS else []
        last_end = match.end()
    _flush(run, found)
    return found


def _flush(run: list[str], found: set[float]) -> None:
    if not run:
        return
    total, current, seen = 0, 0, False
    for word in run:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in _ORDINALS:
            current += _ORDINALS[word]
        elif word in ("hundred", "hundredth"):
            current = max(current, 1) * 100
        else:
            scale = _SCALES.get(word) or _SCALE_ORDINALS[word]
            total += max(current, 1) * scale
            current = 0
        seen = True
    if seen:
        found.add(float(total + current))
    run.clear()
