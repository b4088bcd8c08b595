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


SCALE_WORDS = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


def ordinal(value: float) -> str:
    """A position as people write it: 1st, 2nd, 3rd, 4th, 11th, 22nd; a position that is not whole, as digits."""
    if not float(value).is_integer():
        return format_number(value)
    n = int(value)
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def readable(value: float) -> str:
    """A figure as a report writes it: 800, 2.5, and from a million up with its scale word when that is exact
    in three decimals or fewer (1.2 billion, 300 million); 1234567891 stays in digits."""
    from decimal import Decimal

    for scale, word in SCALE_WORDS:
        if abs(value) >= scale:
            mantissa = Decimal(repr(float(value))) / scale
            if mantissa == round(mantissa, 3):
                return f"{format_number(float(mantissa))} {word}"
            break
    return format_number(value)


def phrase_of(value: float, bound: str, unit: str | None, is_ordinal: bool = False) -> str:
    """The figure with its bound in words, from the parts of a quantity: "more than 800 weapons", "the 4th
    edition" is "4th edition", "1.2 billion AZN"."""
    figure = ordinal(value) if is_ordinal else readable(value)
    return f"{BOUND_WORDS[bound]}{figure}{f' {unit}' if unit else ''}"
