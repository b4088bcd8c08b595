"""Candidate claims in a source: the sentences that state quantities, each figure parsed into value, bound, unit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.checking.anchor import Found, Snapshot
from factcheck.ledger.numbers import CURRENCY_CODES, CURRENCY_SIGNS, SCALE_AFTER_DIGITS, read_numbers
from factcheck.pipeline.store import Ledger

_BOUNDS = [
    ("no fewer than", "at-least"), ("no less than", "at-least"), ("no more than", "at-most"),
    ("more than", "more-than"), ("over", "more-than"), ("in excess of", "more-than"), ("upwards of", "more-than"),
    ("at least", "at-least"), ("fewer than", "fewer-than"), ("less than", "fewer-than"), ("under", "fewer-than"),
    ("at most", "at-most"), ("up to", "at-most"), ("about", "about"), ("around", "about"), ("nearly", "about"),
    ("almost", "about"), ("approximately", "about"), ("roughly", "about"), ("some", "about"),
]
_NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
    "billion"
)
_NUMBER = (
    rf"(?:\d{{1,3}}(?:[,\u00a0\u202f ]\d{{3}})+|\d+)(?:\.\d+)?(?:(?:\s+|(?<=\d))(?:hundred|{SCALE_AFTER_DIGITS})\b)?"
    rf"|\d+(?:st|nd|rd|th)\b"  # a position in digits; "first" and "second" are more often not figures
    rf"|(?:{_NUMBER_WORDS})(?:[\s-]+(?:and\s+)?(?:{_NUMBER_WORDS}))*"
)
_CURRENCY = rf"[{re.escape(CURRENCY_SIGNS)}]|\b(?-i:[A-Z]{{3}})\s"
_IS_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)", re.IGNORECASE)
_STOP = {
    "of", "in", "for", "to", "and", "or", "which", "that", "from", "by", "with", "are", "is", "was", "were", "will",
    "the", "a", "an", "on", "at", "as", "should", "would", "can", "could", "may", "might", "must", "has", "have",
    "had", "be", "been", "it", "this", "these", "those", "we", "they", "he", "she", "if", "but", "not", "than",
    "between", "us", "our", "their", "its", "ago",
}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"}
_MENTION = re.compile(
    r"(?<![\w@.,:+\-])(?:(?P<bound>" + "|".join(re.escape(p) for p, _ in _BOUNDS) + r")\s+)?"
    r"(?P<currency>" + _CURRENCY + r")?\s*"
    r"(?P<number>" + _NUMBER + r")(?![\w%:\-])(?P<rest>(?:\s+[A-Za-z][A-Za-z'\-]*){0,4})",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)]*\s+|\n\s*\n|\n")


@dataclass(frozen=True)
class Mention:
    """A figure stated in a source, with the sentence around it and the claims that already track it."""

    sentence: str
    start: int
    end: int
    words: str
    value: float
    bound: str
    unit: str
    tracked_by: tuple[str, ...]
    ordinal: bool = False  # a position ("the 4th edition"), not an amount


def sentences(text: str) -> list[tuple[int, int]]:
    """The spans of the text's sentences (paragraph and line breaks end one too)."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if text[start:match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def extract(ledger: Ledger, source_id: str, text: str) -> list[Mention]:
    """Every quantity stated in the source, in order, with whether a claim of the ledger tracks it."""
    tracked = _tracked_spans(ledger, source_id, text)
    found = []
    for start, end in sentences(text):
        sentence = text[start:end]
        for match in _MENTION.finditer(sentence):
            rest = match.group("rest")
            currency = (match.group("currency") or "").strip()
            if currency.isalpha() and currency not in CURRENCY_CODES:
                currency = ""  # three capitals that are no currency ("ADEX 2022" is caught as a date below)
            unit, consumed = (currency, 0) if currency else _unit(rest)
            if not unit or _is_date(sentence, match):
                continue
            numbers = read_numbers(match.group("number"))
            if len(numbers) != 1:
                continue
            value = numbers.pop()
            phrase = (match.group("bound") or "").lower()
            bound = dict(_BOUNDS).get(phrase, "exactly")
            end_in_rest = list(re.finditer(r"\S+", rest))[consumed - 1].end() if consumed else 0
            begin = match.start() if match.group("bound") or currency else match.start("number")
            span = (start + begin, start + match.start("rest") + end_in_rest)
            claims = tuple(sorted({claim_id for claim_id, (s, e), quoted in tracked
                                   if (s < span[1] and span[0] < e) or (quoted == value and s <= span[0] < e)}))
            found.append(Mention(" ".join(sentence.split()), span[0], span[1], " ".join(text[span[0]:span[1]].split()),
                                 value, bound, unit, claims, bool(_IS_ORDINAL.fullmatch(match.group("number")))))
    return found


def _unit(rest: str) -> tuple[str, int]:
    """The unit after a number ("new weapons", "samples of weapons") and how many words of `rest` it took."""
    words = rest.split()
    skip = 1 if len(words) > 1 and words[0].lower() == "more" else 0  # "two more factories": factories
    unit: list[str] = []
    consumed = skip
    for index in range(skip, len(words)):
        word = words[index]
        clean = word.strip("'-").lower()
        if clean in _STOP:
            if clean == "of" and unit and index + 1 < len(words) and words[index + 1].lower() not in _STOP:
                unit += [word, words[index + 1]]
                consumed += 2
            break
        if clean in _MONTHS:
            return "", 0
        unit.append(word)
        consumed += 1
        if len(unit) >= 2:
            break
    return " ".join(unit).strip("'-"), consumed


def _is_date(sentence: str, match: re.Match[str]) -> bool:
    before = sentence[max(0, match.start() - 12):match.start()].lower().split()
    number = match.group("number")
    looks_like_year = bool(re.fullmatch(r"(1[89]|20)\d\d", number))
    return looks_like_year or bool(before and before[-1] in _MONTHS)


def _tracked_spans(ledger: Ledger, source_id: str, text: str) -> list[tuple[str, tuple[int, int], float | None]]:
    snapshot = Snapshot(text)
    spans = []
    for record in ledger.claims:
        claim = record.claim
        value = claim.quantity.value if claim.quantity else None
        for quote in (*claim.appearances, *claim.evidence):
            if quote.source != source_id:
                continue
            result = snapshot.find(quote.text, quote.prefix, quote.suffix)
            if isinstance(result, Found):
                spans.append((claim.id, (result.start, result.end), value))
    return spans
