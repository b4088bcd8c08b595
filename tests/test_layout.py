"""`fmt` lays a file out as ruamel.yaml's round trip of the whole file does, byte for byte, however it gets
there: the fast check of the parts already in layout, ruamel.yaml on the parts that are not, or the whole
file at once. Generated ledgers mix comments, blank lines, flow and block styles, YAML 1.1 words, odd
quoting, odd indentation, keys out of order and texts that need quotes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from factcheck.editing import layout
from factcheck.errors import FactcheckError
from factcheck.ledger import model, rules
from tests.conftest import REPO, run

EXAMPLES = int(os.environ.get("FACTCHECK_FUZZ_EXAMPLES", "120"))

TEXTS = [
    "plain words", "Azerbaijan is working on more than 800 new weapons.", "Madat Guliyev, Minister", "a: b", "a:b",
    "ends with colon:", "x #y", "x#y", "- dash first", "—em dash", "@handle", "`tick", "'single'", '"double"',
    "yes", "no", "on", "Off", "y", "n", "null", "~", "800", "1,000", "1:30", "017", "0x1F", "1e3", ".5", "+1",
    "2024-09-24", "2024-09-24 10:00", "more than 800", "  leading", "trailing ", "tab\there", "line\nbreak",
    "“curly” quotes", "emoji \U0001F600", "x]", "[x", "{x}", "a, b", "what? yes", "?x", ":x", "---x", "...x",
    "ümlaut", "%percent", "=", "<<", "a" * 300, "http://example.org/a?b=c#d", "",
]
VALUES = st.one_of(st.sampled_from(TEXTS), st.integers(-5, 5000), st.sampled_from([2.5, 0.1, 1.0, 3.75]),
                   st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=15))
STYLES = ["plain", "single", "double"]


def scalar(value: object, style: str) -> str:
    """A value written the way a hand-edited file might: plain where YAML allows it, or quoted."""
    if not isinstance(value, str):
        return json.dumps(value)
    if style == "single" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if style == "plain" and value and value == value.strip() and "\n" not in value and not any(
            c in value for c in ":#'\"[]{},&*!|>%@`\t") and not value.startswith(("-", "?")) \
            and value.isprintable() and value not in ("yes", "no", "on", "Off", "y", "n", "null", "~"):
        return value
    return json.dumps(value, ensure_ascii=False)


@st.composite
def claims_file(draw: st.DrawFn) -> str:
    dash = draw(st.sampled_from(["  - ", "- ", "    - "]))
    inner = " " * len(dash)
    lines: list[str] = []
    if draw(st.booleans()):
        lines += ["# A ledger", "#", "# with a comment block", ""]
    if draw(st.booleans()):
        lines += ["ledger:", "  name: " + scalar(draw(st.sampled_from(TEXTS[:4])), draw(st.sampled_from(STYLES)))]
        if draw(st.booleans()):
            lines += ["  publisher:", "    url: https://example.org/", "    name: Desk"]
        if draw(st.booleans()):
            lines += ["  # a comment inside", "  about_band: 0.05"]
    lines.append("claims:")
    if draw(st.booleans()):
        lines.append("  # before the first claim")
    for number in range(draw(st.integers(1, 6))):
        fields: list[tuple[str, list[str]]] = [
            ("id", [f"id: c{number}"]),
            ("text", ["text: " + scalar(draw(VALUES), draw(st.sampled_from(STYLES)))]),
            ("claimant", ["claimant: " + scalar(draw(st.sampled_from(TEXTS[:3])), "plain")]),
            ("date", ["date: " + draw(st.sampled_from(["2024-09-24", "'2024-09-24'", "2024-9-24"]))]),
        ]
        if draw(st.booleans()):
            unit = scalar(draw(st.sampled_from(["weapons", "military products", "no", "a: b"])), "plain")
            if draw(st.booleans()):
                fields.append(("quantity", [f"quantity: {{bound: more-than, value: 800, unit: {unit}}}"
                                            if draw(st.booleans()) else f"quantity: {{value: 800, bound: about, unit: {unit}}}"]))
            else:
                fields.append(("quantity", ["quantity:", "  value: 800", "  bound: more-than", f"  unit: {unit}"]))
        if draw(st.booleans()):
            quote = scalar(draw(VALUES), draw(st.sampled_from(STYLES)))
            fields.append(("appearances", ["appearances:", "  - source: src", f"    text: {quote}"]
                           if draw(st.booleans()) else ["appearances:", "- text: " + quote, "  source: src"]))
        if draw(st.booleans()):
            fields.append(("tags", [draw(st.sampled_from(["tags: [a, b]", "tags: []", "tags:", "tags:\n  - a\n  - 'b'"]))]))
        if draw(st.booleans()):
            fields.append(("history", [draw(st.sampled_from([
                "history:\n  - {date: 2024-01-01, status: supported, note: checked, by: Desk}",
                "history:\n  - date: 2024-01-01\n    status: supported\n    note: 'checked: twice'",
                "history:\n  - {status: supported, date: 2024-01-01}"]))]))
        if draw(st.booleans()):
            fields.append(("note", ["note: " + scalar(draw(VALUES), draw(st.sampled_from(STYLES))) +
                                    draw(st.sampled_from(["", "  # an inline comment"]))]))
        if draw(st.booleans()):
            fields.append(("status", ["status: " + draw(st.sampled_from(["unverified", "supported", "'refuted'"]))]))
        order = draw(st.permutations(range(len(fields)))) if draw(st.integers(0, 3)) == 0 else range(len(fields))
        first = True
        for at in order:
            for raw in fields[at][1]:
                for part in raw.split("\n"):
                    lines.append((dash if first else inner) + part)
                    first = False
        if draw(st.integers(0, 3)) == 0:
            lines += draw(st.sampled_from([[""], ["  # between claims"], ["", "  # a group", ""]]))
    return "\n".join(lines) + "\n"


def laid_out(raw: bytes, kind: str) -> str:
    try:
        return layout._format_whole("claims.yaml", raw, kind).after
    except FactcheckError as exc:
        return f"error: {exc}"


def fast(raw: bytes, kind: str) -> str:
    try:
        return layout._format_file("claims.yaml", raw, kind).after
    except FactcheckError as exc:
        return f"error: {exc}"


@settings(max_examples=EXAMPLES * 2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims_file())
@example("claims:\n  - id: a\n    text: plain\n")
@example("# top\nledger:\n  name: x\nclaims:\n- id: a\n  text: 'quoted'\n")
def test_fmt_lays_out_a_file_as_the_whole_round_trip_does(text: str) -> None:
    raw = text.encode("utf-8")
    whole = laid_out(raw, "claims")
    assert fast(raw, "claims") == whole
    if not whole.startswith("error"):  # a file once laid out is found in layout, and left as it is
        again = whole.encode("utf-8")
        assert layout._fast_layout(again, "claims") in (whole, None)
        assert fast(again, "claims") == whole


@pytest.mark.parametrize("text", [
    "title: Report\npublisher: AzerNews\nurl: https://x.org/1\npublished: 2024-09-24\n"
    "sha256: 2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\n",
    "publisher: AzerNews\ntitle: Report\n",
    "title: 'Report'\n",
    "title: 'yes'\nnote: 800\n",
    "# a comment\ntitle: Report\n",
])
def test_fmt_lays_out_source_metadata_as_the_whole_round_trip_does(text: str) -> None:
    assert fast(text.encode(), "source") == laid_out(text.encode(), "source")


def test_the_example_ledger_is_found_in_layout_as_the_round_trip_finds_it() -> None:
    raw = (REPO / "claims.yaml").read_bytes()
    assert fast(raw, "claims") == laid_out(raw, "claims") == raw.decode("utf-8")


@pytest.mark.parametrize("fields_of", [model.field_names, lambda kind: list(getattr(rules, kind.__name__).model_fields)],
                         ids=["values", "rules"])
def test_the_key_orders_are_the_models(fields_of: Any) -> None:
    assert list(fields_of(model.Claim)) == layout.CLAIM_FIELDS
    assert list(fields_of(model.Settings)) == layout.SETTINGS_FIELDS
    assert list(fields_of(model.Publisher)) == layout.PUBLISHER_FIELDS
    assert list(fields_of(model.SourceMeta)) == layout.SOURCE_FIELDS
    assert list(fields_of(model.Original)) == layout.ORIGINAL_FIELDS
    assert layout.ORDERS["quantity"] == list(fields_of(model.Quantity))
    assert layout.ORDERS["appearances"] == layout.ORDERS["evidence"] == list(fields_of(model.Evidence))
    assert layout.ORDERS["history"] == list(fields_of(model.HistoryEntry))


def test_fmt_rewrites_only_the_claims_out_of_layout(tmp_path: Path) -> None:
    claims = [f"  - id: c{n}\n    text: Claim number {n}.\n    claimant: Desk\n    date: 2024-01-01\n" for n in range(5000)]
    claims[3] = "  - id: c3\n    text: \"Claim number 3.\"\n    claimant: Desk\n    date: 2024-01-01\n"
    claims[4321] = "  - id: c4321\n    claimant: Desk\n    text: Claim number 4321.\n    date: 2024-01-01  # a note\n"
    text = "# kept\nclaims:\n" + "".join(claims)
    (tmp_path / "claims.yaml").write_text(text, encoding="utf-8")
    check = run("-C", tmp_path, "fmt", "--check")
    assert check.exit_code == 1 and check.stdout == "would reformat claims.yaml (from line 16)\n"
    diff = run("-C", tmp_path, "fmt", "--check", "--diff")
    assert diff.exit_code == 1
    assert '-    text: "Claim number 3."\n+    text: Claim number 3.\n' in diff.stdout
    assert "--- claims.yaml\n+++ claims.yaml (formatted)\n" in diff.stdout
    assert run("-C", tmp_path, "fmt").exit_code == 0
    after = (tmp_path / "claims.yaml").read_text(encoding="utf-8")
    claims[3] = "  - id: c3\n    text: Claim number 3.\n    claimant: Desk\n    date: 2024-01-01\n"
    claims[4321] = "  - id: c4321\n    text: Claim number 4321.\n    claimant: Desk\n    date: 2024-01-01  # a note\n"
    assert after == "# kept\nclaims:\n" + "".join(claims)
    assert after == laid_out(text.encode(), "claims")
    assert run("-C", tmp_path, "fmt", "--check").exit_code == 0
