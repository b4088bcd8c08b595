"""Claims over time: interval arithmetic for every pair of bounds, comparability, the example's series."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from factcheck.ledger.model import Quantity, replace
from factcheck.overtime.timeline import Interval, Point, allowed_values, change_between, comparability, describe_change
from tests.conftest import run

INF = math.inf


def q(bound: str, value: float) -> Quantity:
    return Quantity(value=value, bound=bound)  # type: ignore[arg-type]


@pytest.mark.parametrize("before, after, interval, words", [
    (q("exactly", 800), q("exactly", 1000), Interval(200, 200), "a rise of exactly 200"),
    (q("exactly", 1000), q("exactly", 800), Interval(-200, -200), "a fall of exactly 200"),
    (q("exactly", 5), q("exactly", 5), Interval(0, 0), "no change"),
    (q("exactly", 800), q("more-than", 1000), Interval(200, INF, True, True), "a rise of more than 200"),
    (q("exactly", 800), q("at-least", 1000), Interval(200, INF, False, True), "a rise of at least 200"),
    (q("more-than", 800), q("more-than", 1000), Interval(-INF, INF, True, True),
     "undetermined: the bounds allow a fall, no change or a rise"),
    (q("at-least", 800), q("at-most", 1000), Interval(-INF, 200, True, False),
     "undetermined: anything from a fall of any size to a rise of at most 200"),
    (q("at-most", 800), q("at-least", 1000), Interval(200, INF, False, True), "a rise of at least 200"),
    (q("fewer-than", 800), q("more-than", 1000), Interval(200, INF, True, True), "a rise of more than 200"),
    (q("more-than", 1000), q("fewer-than", 800), Interval(-INF, -200, True, True), "a fall of more than 200"),
    (q("exactly", 1000), q("at-most", 800), Interval(-INF, -200, True, False), "a fall of at least 200"),
    (q("more-than", 800), q("exactly", 1000), Interval(-INF, 200, True, True),
     "undetermined: anything from a fall of any size to a rise of less than 200"),
    (q("fewer-than", 800), q("exactly", 1000), Interval(200, INF, True, True), "a rise of more than 200"),
    (q("at-most", 1000), q("exactly", 800), Interval(-200, INF, False, True),
     "undetermined: anything from a fall of at most 200 to a rise of any size"),
    (q("about", 800), q("about", 1000), Interval(20, 380), "a rise of at least 20 and at most 380"),
    (q("about", 1000), q("about", 1050), Interval(-155, 255),
     "undetermined: between a fall of 155 and a rise of 255"),
    (q("about", 800), q("exactly", 1000), Interval(120, 280), "a rise of at least 120 and at most 280"),
    (q("exactly", 800), q("about", 1000), Interval(100, 300), "a rise of at least 100 and at most 300"),
    (q("about", 800), q("more-than", 1000), Interval(120, INF, True, True), "a rise of more than 120"),
])
def test_change_allowed_by_the_bounds(before: Quantity, after: Quantity, interval: Interval, words: str) -> None:
    found = change_between(allowed_values(before), allowed_values(after))
    assert found.low == pytest.approx(interval.low) and found.high == pytest.approx(interval.high)
    assert (found.low_open, found.high_open) == (interval.low_open, interval.high_open)
    assert describe_change(found) == words


def test_about_band_is_a_setting() -> None:
    assert allowed_values(q("about", 1000), 0.25) == Interval(750, 1250)


def point(**fields: object) -> Point:
    base: dict[str, object] = dict(claim="a", date="2023-01-01", figure="f", value=1.0, bound="exactly",
                                   unit="weapons", measure="designs", claimant="Minister", status="unverified",
                                   sources=("s",))
    return Point(**{**base, **fields})  # type: ignore[arg-type]


def test_comparability_rules() -> None:
    assert comparability(point(), point(claim="b", unit="Weapons", measure=" designs ", claimant="minister")) == []
    kinds = [(d.kind, d.breaks) for d in comparability(point(), point(unit="products", measure="in production",
                                                                      claimant="President"))]
    assert kinds == [("unit", True), ("measure", True), ("claimant", False)]
    missing = comparability(point(), point(claim="b", measure=None))
    assert [(d.kind, d.breaks) for d in missing] == [("measure", True)]
    assert "'b' is not recorded" in missing[0].message


def test_example_defence_output_series(example: Path) -> None:
    result = run("-C", example, "diff", "az-defence-output", "--format", "json")
    assert result.exit_code == 0
    (series,) = json.loads(result.stdout)["subjects"]
    assert [c["claim"] for c in series["claims"]] == ["az-weapons-in-development-2023", "az-military-products-2024"]
    (step,) = series["steps"]
    # the two count different things: the step is shown, with no percentage and no rate
    assert step["stated_change"] == {"absolute": 200, "relative": None, "per_year": None,
                                     "no_rate": "no percentage or rate: the two count different things"}
    assert step["days"] == 361
    assert step["allowed_change"] == {"low": None, "high": None, "low_open": True, "high_open": True,
                                      "words": "undetermined: the bounds allow a fall, no change or a rise"}
    assert step["comparable"] is False
    assert [w["kind"] for w in step["warnings"]] == ["unit", "measure", "claimant"]
    assert series["trend"] is None and series["verdict"].startswith("2 series that count different things")
    assert [(line["counted"], line["claims"]) for line in series["lines"]] == [
        ("weapons (new weapon designs under development)", ["az-weapons-in-development-2023"]),
        ("military products (military products in production)", ["az-military-products-2024"])]


def test_example_adex_series_is_consistent(example: Path) -> None:
    (series,) = json.loads(run("-C", example, "diff", "--subject", "adex-edition", "--format", "json").stdout)[
        "subjects"]
    (step,) = series["steps"]
    assert step["comparable"] is True and step["allowed_change"]["words"] == "a rise of exactly 1"
    assert series["verdict"] == "consistent: every step compares like for like"
    assert series["trend"]["stated_change"] == 1


def test_table_and_markdown_say_it_in_words(example: Path) -> None:
    table = run("-C", example, "diff").stdout
    assert "true change       undetermined: the bounds allow a fall, no change or a rise" in table
    assert "NOT COMPARABLE    different measures: 'new weapon designs under development' then " in table
    assert "+200 (no percentage or rate: the two count different things) over 361 days" in table
    markdown = run("-C", example, "diff", "--format", "markdown").stdout
    assert "## adex-edition" in markdown and "**Not comparable**: different units" in markdown


def test_single_claim_subject_has_no_steps(example: Path) -> None:
    (series,) = json.loads(run("-C", example, "diff", "az-arms-buyers", "--format", "json").stdout)["subjects"]
    assert series["steps"] == [] and len(series["claims"]) == 1


def test_unknown_subject_is_exit_2(example: Path) -> None:
    result = run("-C", example, "diff", "adex")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("factcheck: error: unknown subject 'adex': no claim in the ledger has it; "
                             "did you mean 'adex-edition'?\n")


def test_same_day_claims_keep_ledger_order_and_no_rate(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(
        "claims:\n"
        "  - {id: b, text: t, claimant: c, date: 2024-01-01, subject: s, quantity: {value: 10, bound: exactly}}\n"
        "  - {id: a, text: t, claimant: c, date: 2024-01-01, subject: s, quantity: {value: 0, bound: exactly}}\n"
        "  - {id: z, text: t, claimant: c, date: 2023-01-01, subject: s}\n")
    (series,) = json.loads(run("-C", tmp_path, "diff", "--format", "json").stdout)["subjects"]
    assert [c["claim"] for c in series["claims"]] == ["b", "a"]
    assert series["steps"][0]["stated_change"] == {"absolute": -10, "relative": -1.0, "per_year": None, "no_rate": None}
    assert series["without_figure"] == ["z"]


def test_diff_reads_only_the_claims_with_a_subject_and_gives_the_same_series(tmp_path: Path) -> None:
    from unittest import mock

    from bench.generate import generate
    from factcheck.overtime.timeline import build_series, load_subjects, series_data
    from factcheck.pipeline.store import load_ledger

    generate(tmp_path, 600)
    whole = load_ledger(tmp_path, fill_cache=False)
    expected = [series_data(s) for s in build_series(whole)]
    assert len(whole.claims) == 600 and expected
    # read in two shares; in one process from the files (filling the cache); then from the cache
    for share_from in (0, 1 << 40, 1 << 40):
        with mock.patch("factcheck.pipeline.store.CHUNK", 50), \
                mock.patch("factcheck.pipeline.shares.SHARE_FROM_BYTES", share_from):
            subjects = load_subjects(tmp_path)
        assert all(r.claim.subject is not None for r in subjects.claims)
        assert len(subjects.claims) == sum(1 for r in whole.claims if r.claim.subject is not None) < 600
        assert [series_data(s) for s in build_series(subjects)] == expected
    assert list((tmp_path / ".factcheck-cache").glob("claims.*"))  # the claims file's data, for other commands
    assert [r.claim for r in load_ledger(tmp_path).claims] == [r.claim for r in whole.claims]


def test_figure_counts_are_the_points_of_each_series(tmp_path: Path) -> None:
    # the report chooses its charts from these counts before it makes the series
    from bench.generate import generate
    from factcheck.overtime.timeline import build_series, figure_counts
    from factcheck.pipeline.store import ClaimRecord, load_ledger

    generate(tmp_path, 1000)
    ledger = load_ledger(tmp_path)
    subject_claims = [i for i, r in enumerate(ledger.claims) if r.claim.subject]
    for i in subject_claims[::7]:  # some claims with a subject and no figure
        record = ledger.claims[i]
        ledger.claims[i] = ClaimRecord(replace(record.claim, quantity=None), record.doc, record.path)
    counts = figure_counts(ledger)
    series = build_series(ledger)
    assert list(sorted(counts)) == [one.subject for one in series]
    assert [counts[one.subject] for one in series] == [len(one.points) for one in series]
    assert any(len(one.without_figure) for one in series) and len(set(counts.values())) > 1


FOUR = """\
claims:
  - {id: w2022, text: t, claimant: Minister, date: 2022-09-01, subject: s, measure: weapon designs,
     quantity: {value: 600, bound: exactly, unit: weapons}}
  - {id: w2023, text: t, claimant: Minister, date: 2023-09-29, subject: s, measure: weapon designs,
     quantity: {value: 800, bound: more-than, unit: weapons}}
  - {id: p2024, text: t, claimant: President, date: 2024-09-24, subject: s, measure: military products made,
     quantity: {value: 1000, bound: more-than, unit: military products}}
  - {id: w2025, text: t, claimant: Minister, date: 2025-09-01, subject: s, measure: Weapon  designs,
     quantity: {value: 1200, bound: about, unit: Weapon}}
"""


def test_claims_are_compared_with_the_last_that_counts_the_same(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(FOUR)
    (series,) = json.loads(run("-C", tmp_path, "diff", "--format", "json").stdout)["subjects"]
    steps = [(st["from"], st["to"], st["comparable"], st["stated_change"]["relative"] is None,
              st["stated_change"]["per_year"] is None) for st in series["steps"]]
    assert steps == [
        ("w2022", "w2023", True, False, False),
        ("w2023", "p2024", False, True, True),  # across series: shown, no percentage, no rate
        ("p2024", "w2025", False, True, True),
        ("w2023", "w2025", True, False, False),  # like for like, over the claim between them
    ]
    like = series["steps"][3]
    assert like["stated_change"]["absolute"] == 400 and like["stated_change"]["relative"] == 0.5
    weapons, products = series["lines"]
    assert weapons["claims"] == ["w2022", "w2023", "w2025"] and products["claims"] == ["p2024"]
    assert weapons["trend"]["stated_change"] == 600 and products["trend"] is None
    assert series["trend"] is None
    text = run("-C", tmp_path, "diff").stdout
    assert "series weapons (weapon designs): w2022, w2023, w2025: +600 (+100.0%) over 1096 days" in text
    markdown = run("-C", tmp_path, "diff", "--format", "markdown").stdout
    assert "- **Series** weapons \\(weapon designs\\): w2022, w2023, w2025: +600 \\(+100.0%\\) over 1096 days" in markdown


def test_a_chart_of_many_points_labels_the_ones_a_reader_looks_for(tmp_path: Path) -> None:
    import datetime as dt
    import re

    from factcheck.render.chart import MAX_LABELS

    values = [1000 + (i * 37) % 120 for i in range(120)]  # the lowest and highest fall inside the series
    claims = ["claims:"]
    for i, value in enumerate(values):
        day = dt.date(2020, 1, 1) + dt.timedelta(days=7 * i)
        claims += [f"  - id: c{i:03d}", f"    text: The count was {value}.", "    claimant: Ministry",
                   f"    date: {day.isoformat()}", "    subject: output",
                   f"    quantity: {{value: {value}, bound: exactly, unit: products}}"]
    (tmp_path / "claims.yaml").write_text("\n".join(claims) + "\n", encoding="utf-8")
    out = tmp_path / "report.html"
    run("-C", tmp_path, "report", "--format", "html", "-o", out)
    svg = out.read_text(encoding="utf-8").split("<svg", 1)[1].split("</svg>", 1)[0]
    labels = [re.sub(r"<[^>]+>", "", t) for t in re.findall(r'<text[^>]*class="[^"]*label[^"]*"[^>]*>(.*?)</text>', svg, re.S)]
    shown = {int(n.replace(",", "")) for t in labels for n in re.findall(r"\d[\d,]*", t) if int(n.replace(",", "")) >= 1000}
    assert 4 <= len(shown) <= MAX_LABELS
    assert {values[0], values[-1], min(values), max(values)} <= shown  # first, last, lowest, highest
