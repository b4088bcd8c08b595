"""Reading stated numbers in digits and words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.ledger.numbers import read_numbers


@pytest.mark.parametrize("text, number", [
    ("more than 1,000 products", 1000),
    ("more than 1000 products", 1000),
    ("more than 1 000 products", 1000),
    ("more than 1\u00a0000 products", 1000),
    ("one thousand products", 1000),
    ("two more factories", 2),
    ("the 4th exhibition", 4),
    ("the fifth edition", 5),
    ("forty-four days", 44),
    ("one hundred and twenty countries", 120),
    ("2.5 million people", 2_500_000),
    ("a 44-day war", 44),
    ("three hundred thousand", 300_000),
])
def test_reads(text: str, number: float) -> None:
    assert number in read_numbers(text)


def test_does_not_glue_separate_numbers() -> None:
    assert read_numbers("in 2024 500 products") == {2024, 500}
    assert 1000 not in read_numbers("more than 800 weapons")


@settings(max_examples=300)
@given(st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
       st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_a_computed_figure_reads_as_people_write_it(a: Decimal, b: Decimal) -> None:
    from factcheck.ledger.figures import difference, format_number

    exact = a - b
    written = format(exact.normalize(), "f") if exact != exact.to_integral() else str(int(exact))
    assert format_number(difference(float(a), float(b))) == written


def test_a_step_between_decimal_figures_has_no_float_noise() -> None:
    from factcheck.ledger.figures import format_number
    from factcheck.ledger.model import Quantity
    from factcheck.overtime.timeline import allowed_values, change_between

    before, after = Quantity(value=2.4, bound="exactly"), Quantity(value=3.8, bound="exactly")
    change = change_between(allowed_values(before), allowed_values(after))
    assert (change.low, change.high) == (1.4, 1.4)
    assert format_number(3.8 - 2.4) == "1.4" and format_number(0.1 + 0.2) == "0.3"
    band = allowed_values(Quantity(value=1.1, bound="about"), 0.1)
    assert (band.low, band.high) == (0.99, 1.21)
