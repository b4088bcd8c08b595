"""Figures people use: positions, scale words, currencies and physical units, typed, read and compared."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import ClassVar

import pytest

from factcheck.checking.extract import extract
from factcheck.ledger.figures import ordinal, phrase_of, readable
from factcheck.ledger.numbers import read_numbers
from factcheck.ledger.typed import Figure, read_figure
from factcheck.overtime.units import convert, dimension
from factcheck.render.chart import nice_ticks, thinned
from tests.conftest import run


@pytest.mark.parametrize("typed, figure", [
    ("1000", Figure(1000)),
    ("1,200 million", Figure(1_200_000_000)),
    ("1.2 billion", Figure(1_200_000_000)),
    ("1.2bn", Figure(1_200_000_000)),
    ("300 mln", Figure(300_000_000)),
    ("30k", Figure(30_000)),
    ("2.5 trillion", Figure(2_500_000_000_000)),
    ("AZN 300 million", Figure(300_000_000, "AZN")),
    ("$1.2bn", Figure(1_200_000_000, "$")),
    ("\u20ac5m", Figure(5_000_000, "\u20ac")),
    ("1.5 bn USD", Figure(1_500_000_000, "USD")),
    ("4th", Figure(4, ordinal=True)),
    ("21st", Figure(21, ordinal=True)),
])
def test_figures_are_typed_as_people_write_them(typed: str, figure: Figure) -> None:
    assert read_figure(typed) == figure


@pytest.mark.parametrize("typed, words", [
    ("5m", "'m' could be metres or millions"),
    ("ABC 300", "'ABC' is not a currency code"),
    ("12 weapons", "'12 weapons' is not a figure"),
    ("1.2 gazillion", "a scale word (1.2 billion, 300 mln)"),
])
def test_a_figure_that_cannot_be_read_says_how_to_write_it(typed: str, words: str) -> None:
    with pytest.raises(ValueError) as raised:
        read_figure(typed)
    assert words in str(raised.value)


def test_scale_words_in_a_text_read_as_one_number() -> None:
    assert read_numbers("spending of 1,200 million manat") == {1_200_000_000}
    assert read_numbers("a budget of 1.2 billion") == {1_200_000_000}
    assert read_numbers("exports of $1.2bn and 300 mln") == {1_200_000_000, 300_000_000}
    assert read_numbers("2.5 million people") == {2_500_000}  # not also "million" on its own


def test_figures_read_back_as_people_write_them() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]
    assert readable(1_200_000_000) == "1.2 billion" and readable(300_000_000) == "300 million"
    assert readable(1_234_567_891) == "1234567891" and readable(999_999) == "999999"
    assert phrase_of(4, "exactly", "edition", True) == "4th edition"
    assert phrase_of(1_200_000_000, "about", "AZN") == "about 1.2 billion AZN"


def test_extract_reads_currencies_scale_words_and_positions() -> None:
    class Empty:
        claims: ClassVar[list[object]] = []

    text = ("The budget is AZN 300 million for new factories. Exports reached $1.2bn. It was the 4th edition. "
            "Spending of 1,200 million manat was approved. ADEX 2022 opened.")
    found = [(m.value, m.unit, m.ordinal, m.words) for m in extract(Empty, "s", text)]  # type: ignore[arg-type]
    assert found == [
        (300_000_000, "AZN", False, "AZN 300 million"),
        (1_200_000_000, "$", False, "$1.2bn"),
        (4, "edition", True, "4th edition"),
        (1_200_000_000, "manat", False, "1,200 million manat"),
    ]


def test_only_units_no_one_reads_two_ways_convert() -> None:
    assert convert(300, "km", "m") == 300_000 and convert(1500, "MW", "GW") == 1.5
    assert convert(2, "weeks", "days") == 14 and dimension("square kilometres") == "[length] ** 2"
    for word in ("tons", "mt", "kt", "points", "units", "hands", "years", "weapons", "AZN", "USD", "percent"):
        assert dimension(word) is None, word
    assert convert(5, "km", "kg") is None


LEDGER = """\
claims:
  - {id: e4, text: The 4th edition., claimant: A, date: 2022-09-29, subject: edition,
     quantity: {value: 4, bound: exactly, unit: edition, ordinal: true}}
  - {id: e5, text: The 5th edition., claimant: A, date: 2024-09-24, subject: edition,
     quantity: {value: 5, bound: exactly, unit: edition, ordinal: true}}
  - {id: e-count, text: Five editions so far., claimant: A, date: 2025-01-01, subject: edition,
     quantity: {value: 5, bound: exactly, unit: edition}}
  - {id: m1, text: "AZN 1,200 million.", claimant: A, date: 2023-01-01, subject: money,
     quantity: {value: 1200000000, bound: about, unit: AZN}}
  - {id: m2, text: AZN 1.5 billion., claimant: A, date: 2024-01-01, subject: money,
     quantity: {value: 1500000000, bound: about, unit: AZN}}
  - {id: m3, text: USD 1 billion., claimant: A, date: 2025-01-01, subject: money,
     quantity: {value: 1000000000, bound: about, unit: USD}}
  - {id: r1, text: A range of 300 km., claimant: A, date: 2022-01-01, subject: range,
     quantity: {value: 300, bound: exactly, unit: km}}
  - {id: r2, text: A range of at least 450000 m., claimant: A, date: 2024-01-01, subject: range,
     quantity: {value: 450000, bound: at-least, unit: m}}
  - {id: t1, text: 300 tons., claimant: A, date: 2022-01-01, subject: load, quantity: {value: 300, bound: exactly, unit: tons}}
  - {id: t2, text: 400 tonnes., claimant: A, date: 2023-01-01, subject: load,
     quantity: {value: 400, bound: exactly, unit: tonnes}}
"""


def series_by_subject(root: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    result = run("-C", root, "diff", "--format", "json")
    assert result.exit_code == 0, result.output
    return {s["subject"]: s for s in json.loads(result.stdout)["subjects"]}


def test_positions_scale_words_currencies_and_units_over_time(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(LEDGER, encoding="utf-8")
    series = series_by_subject(tmp_path)
    edition = series["edition"]
    assert [c["figure"] for c in edition["claims"]] == ["4th edition", "5th edition", "5 edition"]
    first, across = edition["steps"]
    assert first["stated_change"] == {"absolute": 1, "relative": None, "per_year": None,
                                      "no_rate": "positions, not amounts: no percentage or rate"}
    assert first["comparable"] and not across["comparable"]  # a position is never compared with an amount
    assert "is a position and" in " ".join(w["message"] for w in across["warnings"])
    money = series["money"]
    assert [c["figure"] for c in money["claims"]] == ["about 1.2 billion AZN", "about 1.5 billion AZN", "about 1 billion USD"]
    like, other = money["steps"][0], money["steps"][1]
    assert like["comparable"] and like["stated_change"]["relative"] == 0.25
    assert not other["comparable"] and other["stated_change"]["relative"] is None  # currencies never convert
    ranges = series["range"]
    (step,) = ranges["steps"]
    assert step["comparable"] and step["stated_change"]["absolute"] == 150 and step["stated_change"]["relative"] == 0.5
    assert step["warnings"][0]["message"] == "at least 450000 m is 450 km, compared in that unit"
    assert ranges["claims"][1]["plotted"] == 450 and ranges["claims"][0]["plotted"] is None
    (load,) = series["load"]["steps"]
    assert not load["comparable"]  # pint's "tons" is the US short ton: never read as tonnes
    text = run("-C", tmp_path, "diff", "edition").stdout
    assert "+1 (positions, not amounts: no percentage or rate)" in text and "a year" not in text.split("step 2")[0]


def test_a_figure_typed_with_its_scale_currency_or_position(tmp_path: Path) -> None:
    assert run("init", tmp_path / "desk").exit_code == 0
    root = tmp_path / "desk"
    base = ["-C", root, "claim", "add", "--claimant", "A", "--date", "2024-01-01", "--subject", "s", "--text"]
    assert run(*base, "AZN 1.2 billion", "--id", "a", "--value", "AZN 1.2 billion", "--bound", "about").exit_code == 0
    assert run(*base, "The 4th edition", "--id", "b", "--value", "4th", "--unit", "edition").exit_code == 0
    clash = run(*base, "x", "--id", "c", "--value", "$5m", "--bound", "about", "--unit", "AZN")
    assert clash.exit_code == 2 and "--value gives the unit '$' and --unit 'AZN'" in clash.output
    bad = run(*base, "x", "--id", "d", "--value", "5m", "--bound", "about")
    assert bad.exit_code == 2 and "could be metres or millions" in bad.output
    text = (root / "claims.yaml").read_text(encoding="utf-8")
    assert "quantity: {value: 1200000000, bound: about, unit: AZN}" in text
    assert "quantity: {value: 4, bound: exactly, unit: edition, ordinal: true}" in text
    assert "id: c" not in text and "id: d" not in text
    listed = run("-C", root, "list", "--format", "json").stdout
    assert [row["figure"] for row in json.loads(listed)] == ["about 1.2 billion AZN", "4th edition"]


def test_a_figure_in_words_in_the_yaml_says_how_to_write_it(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(
        "claims:\n  - id: a\n    text: t\n    claimant: c\n    date: 2024-01-01\n"
        "    quantity: {value: 1.2 billion, bound: about}\n"
        "  - id: b\n    text: t\n    claimant: c\n    date: 2024-01-01\n    quantity: {value: 4th, bound: exactly}\n",
        encoding="utf-8")
    result = run("-C", tmp_path, "verify")
    assert result.exit_code == 1
    assert "claims.yaml:6:23" in result.output and "write it in plain digits: 1200000000" in result.output
    assert "value: 4, ordinal: true" in result.output


def test_count_axes_have_whole_ticks_and_dates_never_collide() -> None:
    assert nice_ticks(0, 2.6, whole=True) == [0, 1, 2, 3]
    assert nice_ticks(0, 0.26, whole=False) == [0, 0.1, 0.2, 0.3]
    assert all(float(t).is_integer() for t in nice_ticks(0, 1_300, whole=True))
    days = [dt.date(2023, 9, 29), dt.date(2024, 9, 24), dt.date(2025, 1, 1)]
    kept = thinned(days, 390)
    assert kept[0] == days[0] and kept[-1] == days[-1] and dt.date(2024, 9, 24) not in kept
    assert thinned(days, 2000) == days
