"""The ledger's values (model.py) and the files' rules (rules.py) agree: whatever `accept` takes, the rules take
too, as the very same value, field for field and type for type; and the usual ledger is accepted whole, so a
valid ledger is read without pydantic."""

from __future__ import annotations

import copy
import datetime as dt
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import msgspec.inspect as inspect
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from factcheck.ledger import model, rules
from factcheck.ledger.typed import PartialDate
from factcheck.ledger.validation import Invalid, checked, valid
from tests.conftest import REPO

# What people and programs write in a field: mostly what its kind allows, now and then what it does not.
SLUGS = ["a", "c000001", "x.y_z-1", "0a", "a" * 128]
TEXTS = ["a", "Word words", " x ", "é", "a\n", "x\x1c", "0", "true"]
DIGESTS = ["0" * 64, "f" * 64, "0123456789abcdef" * 4]
ODD_TEXTS = ["", " ", "\t", "\x1c", "\x1f", "\x85", "\u00a0", "\u2028", "\n", "A", "a b", "-a", ".a", "a" * 129, "a\n",
             "F" * 64, "0" * 63, 1, None, True, dt.date(2020, 1, 1)]
NUMBERS = [0, 1, -3, 2.5, 1e-300, 10**20, 0.1, 0.999]
ODD_NUMBERS = [True, False, math.nan, math.inf, -math.inf, "800", "1.5", None, 2.0, 0, -1, 1]
DAYS = [dt.date(2023, 9, 29), dt.date(1999, 1, 1), "2023-09-29"]
ODD_DATES = [dt.datetime(2023, 9, 29, 1, 2), "2023-09", "2023", 2023, 1999, 999, "2023-9-29", " 2023-09-29", "20230929",
             "2023-W39-5", "2023-13-01", "2023-02-30", PartialDate(2021, 7), PartialDate(2021), True, None, 2023.0]
JUNK = [None, 1, "x", [], {}, True, 2.5, dt.date(2020, 1, 1), [None], {"x": 1}]


def _of(kind: Any) -> st.SearchStrategy[Any]:
    """Values for a field of this msgspec type: seven in eight of the kind it allows, the rest odd or junk."""
    name = type(kind).__name__
    if name == "UnionType":
        return st.one_of([_of(one) for one in kind.types])
    if name == "NoneType":
        return st.none()
    if name == "StructType":
        return _record(kind.cls)
    if name == "ListType":
        good: st.SearchStrategy[Any] = st.lists(_of(kind.item_type), max_size=3)
        odd: st.SearchStrategy[Any] = st.sampled_from([None, [None], "x", {}])
    elif name == "StrType":
        pattern = kind.pattern or ""
        good = st.sampled_from(SLUGS if "a-z0-9" in pattern else DIGESTS if "{64}" in pattern else TEXTS)
        good = good if pattern else st.one_of(good, st.text(max_size=4))
        odd = st.one_of(st.sampled_from(ODD_TEXTS), st.text(max_size=3))
    elif name in ("FloatType", "IntType"):
        good = st.sampled_from([n for n in NUMBERS if name == "FloatType" or isinstance(n, int)])
        odd = st.one_of(st.sampled_from(ODD_NUMBERS), st.floats(-2, 2))
    elif name == "DateType":
        good, odd = st.sampled_from(DAYS), st.sampled_from(ODD_DATES)
    elif name == "BoolType":  # a flag, written true or left out
        good, odd = st.just(True), st.sampled_from([False, "true", 1, 1.0])
    elif name == "LiteralType":
        good, odd = st.sampled_from(kind.values), st.sampled_from(["Supported", "", None, True, False, 1, "true", 1.0])
    else:
        raise AssertionError(f"no values for {kind!r}")
    return st.integers(0, 7).flatmap(lambda n: st.one_of(odd, st.sampled_from(JUNK)) if n == 0 else good)


@st.composite
def _mapping(draw: st.DrawFn, kind: type[model.Record]) -> dict[Any, Any]:
    data: dict[Any, Any] = {}
    for field in inspect.type_info(kind).fields:  # type: ignore[attr-defined]
        if draw(st.integers(0, 19)) < (19 if field.required else 8):  # a required field now and then left out
            data[field.name] = draw(_of(field.type))
    if draw(st.integers(0, 29)) == 0:
        data[draw(st.sampled_from(["colour", "Id", 1, "stance"]))] = "x"
    return data


def _record(kind: type[model.Record]) -> st.SearchStrategy[Any]:
    return st.deferred(lambda: _mapping(kind))


def _shape(value: Any) -> Any:
    """A value with the type of each part, so that equal shapes are the same values (a month is not its first
    day, an integer is not a float)."""
    if isinstance(value, msgspec.Struct):
        return type(value).__name__, tuple((name, _shape(getattr(value, name))) for name in value.__struct_fields__)
    if isinstance(value, list):
        return "list", tuple(_shape(item) for item in value)
    if isinstance(value, float) and math.isnan(value):
        return "float", "nan"
    if isinstance(value, dt.date):
        return type(value).__name__, value.isoformat()
    return type(value).__name__, value


def _agree(kind: type[model.Record], data: Any) -> model.Record | None:
    """What `accept` makes of `data`, held to what the rules make of it."""
    accepted = model.accept(kind, copy.deepcopy(data))
    try:
        ruled = rules.validate(kind, copy.deepcopy(data))
    except ValidationError:
        ruled = None
    if accepted is not None:
        assert ruled is not None, f"accepted what the rules refuse: {data!r}"
        assert _shape(accepted) == _shape(ruled), data
    return accepted


KINDS = [model.Claim, model.SourceMeta, model.Settings, model.Quote, model.Evidence, model.Quantity, model.Review,
         model.HistoryEntry, model.RatingScale, model.Original]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_what_accept_takes_the_rules_take_as_the_same_value(kind: type[model.Record], data: st.DataObject) -> None:
    _agree(kind, data.draw(_record(kind)))


@pytest.mark.parametrize(("kind", "data"), [
    (model.Claim, {"id": "c1", "text": "t", "claimant": "c", "date": "2023-09"}),  # a month: the rules' PartialDate
    (model.Claim, {"id": "c1", "text": "t", "claimant": "c", "date": 2023}),
    (model.Claim, {"id": "c1", "text": "t", "claimant": "c", "date": dt.date(2023, 1, 2), "tags": None}),
    (model.Quantity, {"value": math.nan, "bound": "about"}),
    (model.Quantity, {"value": True, "bound": "about"}),
    (model.Quote, {"source": "a\n", "text": "t"}),
    (model.Quote, {"source": "s", "text": "\x1c \x85"}),
    (model.Settings, {"stale_after_days": 2.0}),
    (model.Settings, {"about_band": math.nan}),
    (model.HistoryEntry, {"date": dt.datetime(2023, 1, 2, 3, 4), "status": "supported"}),
])
def test_what_accept_leaves_to_the_rules(kind: type[model.Record], data: dict[str, Any]) -> None:
    assert model.accept(kind, data) is None
    _agree(kind, data)


@example({"value": 10**20, "bound": "exactly", "ordinal": True})
@given(st.fixed_dictionaries({"value": st.integers() | st.floats(allow_nan=False, allow_infinity=False),
                              "bound": st.sampled_from(model.BOUNDS)}))
def test_every_finite_figure_is_accepted_as_the_rules_read_it(data: dict[str, Any]) -> None:
    assert _agree(model.Quantity, data) is not None


def test_the_usual_ledgers_are_accepted_whole(tmp_path: Path) -> None:
    """Every claim of the generated, many-findings and example ledgers, and every source's metadata, is taken
    by `accept` alone: reading them never needs the rules."""
    import yaml_rs

    from bench.generate import generate

    for shape, options in (("plain", {}), ("findings", {"findings": True})):
        generate(tmp_path / shape, 150, **options)
        claims = yaml_rs.loads((tmp_path / shape / "claims.yaml").read_text(encoding="utf-8"))["claims"]
        assert all(_agree(model.Claim, claim) is not None for claim in claims)
        for meta in sorted((tmp_path / shape / "sources").glob("*.yaml"))[:40]:
            assert _agree(model.SourceMeta, yaml_rs.loads(meta.read_text(encoding="utf-8"))) is not None
    example = yaml_rs.loads((REPO / "claims.yaml").read_text(encoding="utf-8"))
    assert all(_agree(model.Claim, claim) is not None for claim in example["claims"])
    assert _agree(model.Settings, example["ledger"]) is not None


def test_a_valid_ledger_is_read_and_checked_without_pydantic_or_pyyaml(tmp_path: Path) -> None:
    """Neither is imported for a plain, valid ledger; the rules for a claim dated by its month, PyYAML for a file
    the fast reader leaves to the exact one (a tab)."""
    import shutil

    root = tmp_path / "desk"
    shutil.copytree(REPO / "sources", root / "sources")
    text = (REPO / "claims.yaml").read_text(encoding="utf-8")

    def modules(claims: str) -> set[str]:
        (root / "claims.yaml").write_text(claims, encoding="utf-8")
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "factcheck", "-C", str(root), "--no-cache",
                               "verify"], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}

    def pyyaml(loaded: set[str]) -> bool:  # (loaded lazily: its own name is not printed, its parts are)
        return any(name.startswith("yaml.") for name in loaded)

    plain = modules(text)
    assert {"pydantic", "factcheck.ledger.rules"} & plain == set() and not pyyaml(plain)
    assert "    date: 2023-09-29\n" in text
    by_month = modules(text.replace("    date: 2023-09-29\n", "    date: 2023-09\n", 1))
    assert {"pydantic", "factcheck.ledger.rules"} <= by_month and not pyyaml(by_month)
    measure = "    measure: new weapon designs under development\n"
    assert measure in text
    tabbed = modules(text.replace(measure, measure.replace("weapon designs", "weapon\tdesigns", 1)))
    assert pyyaml(tabbed)  # a tab in the file: the exact reader (PyYAML) reads it


def test_what_a_command_is_given_is_refused_with_every_error_worded() -> None:
    with pytest.raises(Invalid) as refused:
        checked(model.Claim, {"id": "Bad id", "text": " ", "claimant": "c", "date": "2023-02-30"})
    assert str(refused.value).split("; ")[0].startswith("id: 'Bad id' is not a valid id")
    assert "text: is blank; write the text" in str(refused.value)
    assert "date: " in str(refused.value)
    assert valid(model.Claim, {"id": "Bad id"}) is None
    assert checked(model.HistoryEntry, {"date": "2024-01-02", "status": "refuted"}) == \
        model.HistoryEntry(date=dt.date(2024, 1, 2), status="refuted")


@pytest.mark.parametrize("flag", ["[]", "{}", "false", "'true'"])
def test_a_flag_that_is_not_true_is_a_located_problem(ledger: Any, flag: str) -> None:
    from tests.conftest import run

    root = ledger("claims:\n  - id: c1\n    text: T\n    claimant: C\n    date: 2024-01-02\n"
                  f"    quantity: {{value: 4, bound: exactly, ordinal: {flag}}}\n")
    done = run("-C", root, "verify", "--format", "json")
    import json

    problems = [p for p in json.loads(done.stdout)["problems"] if p["severity"] == "error"]
    assert done.exit_code == 1 and [(p["code"], p["line"]) for p in problems] == [("schema", 6)]
    assert problems[0]["message"].startswith("quantity.ordinal: ")


@pytest.mark.parametrize("date", [PartialDate(2021, 7), PartialDate(2021), "2021-07", 2021])
def test_a_month_or_a_year_stays_one_as_data_and_as_text(date: Any) -> None:
    claim = checked(model.Claim, {"id": "c1", "text": "t", "claimant": "c", "date": date})
    assert type(claim.date) is PartialDate and claim.date.isoformat() == str(date)
    assert model.as_data(claim)["date"] == model.as_data(claim, dates="dates", leave_out="none")["date"] == str(date)
