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
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
# The scale words and their abbreviations in news copy, after a figure in digits: "1.2 billion", "1.2bn", "300 mln".
SCALE_ABBREVIATIONS = {
    "k": 1_000, "thousand": 1_000, "million": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "mio": 1_000_000,
    "billion": 10**9, "bn": 10**9, "bln": 10**9, "trillion": 10**12, "tn": 10**12, "trn": 10**12,
}
SCALE_AFTER_DIGITS = "thousand|million|billion|trillion|mln|mn|mio|bln|bn|trn|tn"
# Currencies, as units that never convert into one another: the signs, and the ISO 4217 codes in use.
CURRENCY_SIGNS = "$\u20ac\u00a3\u00a5\u20bc\u20bd\u20b9\u20ba\u20b4\u20a9\u20a6\u20aa\u20ab\u20b1\u20b8\u20be"
_ISO_4217 = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF
    CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG
    HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
    MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD
    RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
    USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
"""
CURRENCY_CODES = frozenset(_ISO_4217.split())
_SCALE_ORDINALS = {"hundredth": 100, "thousandth": 1_000, "millionth": 1_000_000}
_WORDS = set(_UNITS) | set(_TENS) | set(_ORDINALS) | set(_SCALES) | set(_SCALE_ORDINALS)

_DIGITS = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[,\u00a0\u202f\u2009 ]\d{3})+|\d+)(\.\d+)?(?:st|nd|rd|th)?"
    r"(?:(?:[\s\u00a0-]+|(?<=\d))(hundred|thousand|million|billion|trillion|mln|mn|bln|bn|trn|tn)\b)?",
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
            scale = match.group(3).lower()
            value = scaled(whole + (match.group(2) or ""), _SCALES.get(scale) or SCALE_ABBREVIATIONS[scale])
        found.add(value)
    found.update(_read_words(_DIGITS.sub(" # ", text)))  # "2.5 million" is not also "million"
    return found


def scaled(digits: str, scale: int) -> float:
    """Digits times a scale word, exactly: 1.2 billion is 1200000000, not 1200000000.0000002."""
    from decimal import Decimal

    return float(Decimal(digits) * scale)


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
