"""How a figure reads in words: 800, not 800.0; "more than 800 weapons". No models, no I/O."""

from __future__ import annotations

import math

BOUND_WORDS: dict[str, str] = {
    "exactly": "", "about": "about ", "more-than": "more than ", "at-least": "at least ",
    "fewer-than": "fewer than ", "at-most": "at most ",
}


def tidy(value: float) -> float:
    """A computed number without binary floating-point noise: 3.8 - 2.4 is 1.4, not 1.3999999999999997.
    Twelve significant digits: more than any stated figure has, fewer than the noise needs."""
    return float(f"{value:.12g}") if math.isfinite(value) else value


def difference(after: float, before: float) -> float:
    """`after - before` as the figures are written: 51.709 - 51.71 is -0.001, not -0.000999999999998
    (computed on their shortest decimal spelling, then made a float again)."""
    after, before = float(after), float(before)
    if after.is_integer() and before.is_integer() and abs(after) < 2**52 and abs(before) < 2**52:
        return after - before  # exact already: the usual figures are whole numbers
    from decimal import Decimal

    return float(Decimal(repr(after)) - Decimal(repr(before)))


def product(value: float, factor: float) -> float:
    """`value * factor` as the figures are written (a band of 10% of 1.1 is 0.11)."""
    from decimal import Decimal

    return float(Decimal(repr(float(value))) * Decimal(repr(float(factor))))


def format_number(value: float) -> str:
    """A number as a person writes it: 800, not 800.0; 1.4, not 1.4000000000000004."""
    value = tidy(float(value))
    return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)


def count_of(n: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun in the right number: 1 claim, 2 claims, 0 claims; `plural` for irregular nouns."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def phrase_of(value: float, bound: str, unit: str | None) -> str:
    """The figure with its bound in words, from the parts of a quantity."""
    return f"{BOUND_WORDS[bound]}{format_number(value)}{f' {unit}' if unit else ''}"
