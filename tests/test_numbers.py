"""Reading stated numbers in digits and words."""

from __future__ import annotations

import pytest

from factcheck.numbers import read_numbers


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
