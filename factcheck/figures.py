"""How a figure reads in words: 800, not 800.0; "more than 800 weapons". No models, no I/O."""

from __future__ import annotations

BOUND_WORDS: dict[str, str] = {
    "exactly": "", "about": "about ", "more-than": "more than ", "at-least": "at least ",
    "fewer-than": "fewer than ", "at-most": "at most ",
}


def format_number(value: float) -> str:
    """A number as a person writes it: 800, not 800.0."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def count_of(n: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun in the right number: 1 claim, 2 claims, 0 claims; `plural` for irregular nouns."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def phrase_of(value: float, bound: str, unit: str | None) -> str:
    """The figure with its bound in words, from the parts of a quantity."""
    return f"{BOUND_WORDS[bound]}{format_number(value)}{f' {unit}' if unit else ''}"
