"""YAML text to data with positions: the traps of YAML 1.1 and plain loaders become located problems."""

from __future__ import annotations

import datetime as dt

import pytest

from factcheck.yamlio.yamlsrc import BadDate, DateTime, YamlBool, parse


def problems(text: str | bytes) -> list[tuple[str, int, int]]:
    raw = text.encode() if isinstance(text, str) else text
    return [(p.code, p.location.line, p.location.column) for p in parse(raw, "f.yaml").problems]


def test_positions_of_values_and_keys() -> None:
    doc = parse(b"claims:\n  - id: a\n    text: hello\n", "f.yaml")
    assert doc.data == {"claims": [{"id": "a", "text": "hello"}]}
    assert doc.positions[("claims", 0)] == (2, 5)
    assert doc.positions[("claims", 0, "text")] == (3, 11)
    assert doc.key_positions[("claims", 0, "text")] == (3, 5)
    assert str(doc.locate(("claims", 0, "missing"))) == "f.yaml:2:5"


@pytest.mark.parametrize("text, where", [
    ("a: 1\na: 2\n", (2, 1)),
    ("top:\n  x: 1\n  x: 1\n", (3, 3)),
    ("l:\n  - {k: 1, k: 2}\n", (2, 12)),
])
def test_duplicate_keys_at_every_level(text: str, where: tuple[int, int]) -> None:
    assert problems(text) == [("duplicate-key", *where)]


@pytest.mark.parametrize("other", ["\x85", "\u2028", "\u2029"])
def test_lines_are_counted_as_editors_count_them_not_at_nel_ls_or_ps(other: str) -> None:
    # PyYAML breaks lines at NEL, LS and PS too; an editor (and the fast reader) does not
    doc = parse(f"a: 1\r\nb: 'x{other}y'\nc: 2\nc: 3\n".encode(), "f.yaml")
    assert doc.positions[("c",)] == (3, 4)
    assert [(p.message.split(";")[0], p.location.line, p.location.column) for p in doc.problems] == [
        ("key 'c' appears twice in this mapping (first at line 3, column 1)", 4, 1)]
    broken = parse(f"a: 'x{other}y'\nb: [1\n".encode(), "f.yaml")
    assert [(p.location.line, p.location.column) for p in broken.problems] == [(3, 1)]


def test_duplicate_key_keeps_the_first_value_and_names_it() -> None:
    doc = parse(b"a: first\na: second\n", "f.yaml")
    assert doc.data == {"a": "first"}
    assert "first at line 1, column 1" in doc.problems[0].message


def test_yaml11_words_are_marked_not_converted() -> None:
    data = parse(b"a: no\nb: yes\nc: off\nd: 'no'\n", "f.yaml").data
    assert data["a"] == YamlBool("no") and data["b"] == YamlBool("yes") and data["c"] == YamlBool("off")
    assert data["d"] == "no"


def test_numbers_remember_how_they_were_written() -> None:
    data = parse(b"a: 1000\nb: 1_000\nc: 2.50\nd: 1:30\ne: 017\n", "f.yaml").data
    assert data["a"] == 1000 and data["a"].raw == "1000"
    assert data["b"] == 1000 and data["b"].raw == "1_000"
    assert data["c"] == 2.5 and data["c"].raw == "2.50"
    assert data["d"] == "1:30"  # not 90: YAML 1.1 base-60 is not applied
    assert data["e"] == "017"  # not 15: YAML 1.1 octal is not applied


def test_dates_impossible_dates_and_date_times() -> None:
    data = parse(b"a: 2023-09-29\nb: 2023-13-45\nc: 2023-09-29T10:00:00\n", "f.yaml").data
    assert data["a"] == dt.date(2023, 9, 29)
    assert isinstance(data["b"], BadDate) and "month" in data["b"].reason
    assert isinstance(data["c"], DateTime)


@pytest.mark.parametrize("text, expected", [
    (b"a: [1\n", [("yaml-syntax", 2, 1)]),
    (b"a:\n\t- x\n", [("yaml-syntax", 2, 1)]),
    (b"a: 1\n---\nb: 2\n", [("yaml-syntax", 2, 1)]),
    (b"a: \"\xff\"\n", [("yaml-syntax", 1, 5)]),
    (b"a: x\x00\n", [("yaml-syntax", 1, 5)]),
    (b"a: &x [1]\nb: *x\n", [("yaml-alias", 1, 4), ("yaml-alias", 2, 4)]),
    (b"a: !!python/object:os.system x\n", [("yaml-tag", 1, 4)]),
    (b"a: !custom x\n", [("yaml-tag", 1, 4)]),
    (b"base: {x: 1}\nc:\n  <<: {y: 2}\n", [("yaml-alias", 3, 3)]),
    (b"? [a]\n: b\n", [("schema", 1, 1)]),
])
def test_bad_input_is_a_located_problem(text: bytes, expected: list[tuple[str, int, int]]) -> None:
    assert problems(text) == expected


def test_bom_and_crlf_are_read() -> None:
    doc = parse(b"\xef\xbb\xbfa: 1\r\nb: two\r\n", "f.yaml")
    assert doc.problems == [] and doc.data == {"a": 1, "b": "two"}
    assert doc.positions[("b",)] == (2, 4)


def test_deep_nesting_is_refused_without_recursion() -> None:
    doc = parse(b"a: " + b"[" * 30000, "f.yaml")
    assert [(p.code, p.location.line) for p in doc.problems] == [("yaml-depth", 1)]
    assert "nested deeper" in doc.problems[0].message
    assert doc.data is None


def test_empty_file_has_no_data_and_no_problem() -> None:
    doc = parse(b"", "f.yaml")
    assert doc.data is None and doc.problems == []


@pytest.mark.parametrize("text", [
    "- id: a\n  text: plain\n  appearances:\n    - {source: s, text: 'flow, quoted'}\n"
    "    - source: t\n      text: |\n        block\n",
    "- \"id\": 'b'  # a comment\n  tags: [x, y]\n  quantity:\n    value: 800\n    bound: more-than\n",
    "-   id: c\n    note: >-\n      folded\n      text\n    evidence: []\n",
])
def test_node_positions_are_the_positions_parse_gives(text: str) -> None:
    from factcheck.yamlio.yamlsrc import node_positions

    exact = parse(text.encode(), "f.yaml", typed=False)
    found = node_positions(text.encode(), (0, "id"))
    assert found is not None and not exact.problems
    assert found == (exact.data[0]["id"], exact.positions, exact.key_positions)
    assert node_positions(b"- id: [\n", (0, "id")) is None


def test_the_characters_refused_are_exactly_those_yaml_does_not_print() -> None:
    """YAML 1.1's printable set (c-printable), every code point held to it."""
    from factcheck.yamlio.yamlsrc import unprintable

    def printable(point: int) -> bool:
        return point in (0x09, 0x0A, 0x0D, 0x85) or 0x20 <= point <= 0x7E or 0xA0 <= point <= 0xD7FF \
            or 0xE000 <= point <= 0xFFFD or 0x10000 <= point <= 0x10FFFF

    refused = [point for point in range(0x110000) if (unprintable(chr(point)) is None) != printable(point)]
    assert refused == []
