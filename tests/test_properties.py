"""Property-based tests: whatever ledger text is generated, the command line ends with exit 0, 1 or 2 and a
message, never a traceback or a hang, within a time and memory bound."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from factcheck.cli import cli

SNAPSHOT = "Today more than 1000 military products are produced in Azerbaijan.\n"
BUDGET = int(os.environ.get("FACTCHECK_FUZZ_EXAMPLES", "120"))
MEMORY_LIMIT = 256 * 1024 * 1024

KEYS = ["id", "text", "claimant", "date", "status", "subject", "quantity", "value", "bound", "unit", "measure",
        "appearances", "evidence", "source", "stance", "prefix", "suffix", "tags", "note", "history", "by", "claims",
        "ledger", "name", "publisher", "rating_scale", "<<", "? complex"]
SCALARS = ["c1", "c2", "src", "2024-09-24", "2023-02-30", "2024-09-24T10:00:00", "yes", "no", "on", "~", "null",
           "1000", "1:30", "017", "0x1F", ".inf", "-.nan", "more-than", "about", "supported", "refuted",
           "conflicting", "misleading", "unverifiable", "supports", "refutes", "context", "'quoted: text'",
           '"esc \\e[31m \\u202e \\x00"', "&anchor x", "*anchor", "!!python/object:os.system", "!tag x", "[", "]",
           "{", "}", "|", ">-", "- item", "\"unterminated", "%", "@", "`", "#comment", "more than 1000 military"]
FORMATS = [["verify", "--format", "json"], ["verify", "--format", "github"], ["verify", "--format", "junit"],
           ["verify", "--format", "sarif"], ["list", "--format", "csv"], ["report", "--format", "markdown"],
           ["report", "--format", "html"], ["diff", "--format", "json"], ["export", "--format", "annotations"],
           ["export", "--format", "claimreview"], ["show", "c1"], ["fmt", "--check"]]


@st.composite
def yamlish(draw: st.DrawFn) -> str:
    """Text shaped like a ledger, with every kind of trap mixed in."""
    lines = ["claims:"] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(0, 25))):
        indent = " " * draw(st.sampled_from([0, 2, 4, 6, 8, 3, 5]))
        dash = draw(st.sampled_from(["", "- ", "  - "]))
        key = draw(st.sampled_from(KEYS))
        value = draw(st.one_of(st.sampled_from(SCALARS), st.text(max_size=20).map(json.dumps), st.just("")))
        lines.append(f"{indent}{dash}{key}: {value}")
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n", "\n---\n", "\n..."]))


LEDGER_TEXT = st.one_of(yamlish(), st.text(max_size=300), st.binary(max_size=300).map(
    lambda b: b.decode("latin-1")))


def run_everything(claims: bytes, meta: bytes | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "claims.yaml").write_bytes(claims)
        (root / "sources").mkdir()
        (root / "sources" / "src.txt").write_text(SNAPSHOT)
        (root / "sources" / "src.yaml").write_bytes(
            meta if meta is not None else f"sha256: {hashlib.sha256(SNAPSHOT.encode()).hexdigest()}\n".encode())
        tracemalloc.start()
        try:
            for args in FORMATS:
                result = CliRunner().invoke(cli, ["-C", str(root), *args], catch_exceptions=False)
                assert result.exit_code in (0, 1, 2), (args, result.exit_code)
                if result.exit_code == 2:
                    assert result.stderr.startswith(("factcheck: error: ", "Usage:", "Error:")), (args, result.stderr)
            assert tracemalloc.get_traced_memory()[1] < MEMORY_LIMIT
        finally:
            tracemalloc.stop()


@settings(max_examples=BUDGET, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
@given(LEDGER_TEXT)
def test_any_claims_file_ends_in_a_clean_exit(text: str) -> None:
    run_everything(text.encode("utf-8", errors="surrogatepass"), None)


@settings(max_examples=BUDGET // 2, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_end_in_a_clean_exit(data: bytes) -> None:
    run_everything(data, None)


GOOD_CLAIM = ("claims:\n  - id: c1\n    text: t\n    claimant: c\n    date: 2024-09-24\n"
              "    appearances:\n      - {source: src, text: more than 1000 military products}\n")


@settings(max_examples=BUDGET // 2, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
@given(yamlish())
def test_any_source_metadata_ends_in_a_clean_exit(meta: str) -> None:
    run_everything(GOOD_CLAIM.encode(), meta.encode("utf-8", errors="surrogatepass"))


@settings(max_examples=BUDGET, deadline=2_000)
@given(st.text(max_size=200), st.text(max_size=40))
def test_quote_matching_never_fails_or_lies(snapshot: str, quote: str) -> None:
    from factcheck.checking.anchor import Found, Snapshot

    found = Snapshot(snapshot).find(quote)
    if isinstance(found, Found):
        assert 0 <= found.start <= found.end <= len(snapshot)
        if found.kind == "exact" and len(found.spans) == 1:
            assert snapshot[found.start:found.end] == quote.strip()
        assert found.repeated() is (found.fits > 1)  # (asked first: it must not need the count)


@settings(max_examples=BUDGET, deadline=2_000)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(" \t\u200b\u3000\u00a0\u0301eE1")), max_size=12))
def test_a_quote_has_no_visible_characters_exactly_when_folding_leaves_none(quote: str) -> None:
    from factcheck.checking.anchor import Missing, Snapshot, fold

    found = Snapshot("text " + quote).find(quote)
    invisible = isinstance(found, Missing) and found.reason.startswith("the quote has no visible characters")
    assert invisible is (bool(quote.strip()) and not fold(quote.strip()).strip())


@settings(max_examples=BUDGET, deadline=2_000)
@given(st.text(alphabet="ab \n\u2019", max_size=30), st.text(alphabet="ab \u2019", min_size=1, max_size=4))
def test_a_quote_is_repeated_exactly_when_its_words_occur_twice(snapshot: str, quote: str) -> None:
    from factcheck.checking.anchor import Found, Snapshot

    found = Snapshot(snapshot).find(quote)
    if isinstance(found, Found) and found.kind == "exact":
        assert found.repeated() is (snapshot.count(quote.strip()) > 1)


def _loaded(claims: bytes, meta: bytes) -> tuple[Any, ...]:
    from factcheck.ledger.rows import row_values
    from factcheck.pipeline.store import build_ledger
    from factcheck.views.listing import _Rows

    files = {"claims.yaml": claims, "sources/src.yaml": meta, "sources/src.txt": SNAPSHOT.encode()}
    ledger = build_ledger(files)
    listed = _Rows()
    build_ledger(files, each=listed)
    assert listed.ordered() == [row_values(r.claim) for r in ledger.claims]
    problems = sorted((p.code, str(p.location), p.message) for p in ledger.problems)
    return ([r.claim for r in ledger.claims], ledger.settings, ledger.sources["src"].meta, problems,
            [str(r.locate("text")) for r in ledger.claims])


@settings(max_examples=BUDGET, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
@given(yamlish(), yamlish())
def test_the_fast_reader_agrees_with_the_exact_one(claims: str, meta: str) -> None:
    from unittest import mock

    from factcheck.yamlio import fastyaml

    data = claims.encode("utf-8", errors="surrogatepass"), meta.encode("utf-8", errors="surrogatepass")
    fast = _loaded(*data)
    with mock.patch.object(fastyaml, "yaml_rs", None):
        exact = _loaded(*data)
    assert fast == exact


SLUGS = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,12}", fullmatch=True)
# Numbers in every spelling YAML 1.1 and 1.2 read differently (or alike), and each class of control character.
NUMBER_SPELLINGS = ["1000", "1_000", "017", "0o17", "0b101", "0x1F", "1:30", "1e3", "1e+3", "1.5e3", "1.0e3", "1.5E+3",
                    ".5", "+.5", "-.5", ".5e3", "1.", "+12", "-0", ".inf", "-.inf", ".NaN", "12e03", "0.1e-2"]
CONTROLS = ["\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9d", "\x9f",
            "\u2028", "\u2029", "\u202e", "\u2066", "\u200b", "\ufeff", "\ufffe", "\uffff", "\U000e0041"]
WORDS = st.one_of(st.text(min_size=1, max_size=30), st.sampled_from(["no", "yes", "2024-09-24", "~", "null", "on", "#x",
                                                                     *NUMBER_SPELLINGS]))


@st.composite
def plain_ledger(draw: st.DrawFn) -> str:
    """A well-formed ledger as PyYAML writes it, with awkward words inside."""
    import yaml

    claims = []
    for _ in range(draw(st.integers(1, 6))):
        claim: dict[str, Any] = {"id": draw(SLUGS), "text": draw(WORDS), "claimant": draw(WORDS),
                                 "date": draw(st.dates())}
        if draw(st.booleans()):
            claim["quantity"] = {"value": draw(st.one_of(st.integers(-10**6, 10**6), st.floats(-1e6, 1e6))),
                                 "bound": draw(st.sampled_from(["exactly", "about", "more-than"]))}
        if draw(st.booleans()):
            claim["appearances"] = [{"source": "src", "text": draw(WORDS)}]
        if draw(st.booleans()):
            claim["tags"] = draw(st.lists(WORDS, max_size=3))
        claims.append(claim)
    return str(yaml.safe_dump({"claims": claims}, allow_unicode=draw(st.booleans()),
                              default_flow_style=draw(st.sampled_from([False, None, True]))))


@settings(max_examples=BUDGET, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
@given(plain_ledger())
@example("claims:\n- claimant: '0'\n  date: 2000-01-01\n  id: '0'\n  text: '0'\n- claimant: '\x85    '\n"
         "  date: 2000-01-01\n  id: '0'\n  text: '0'\n- claimant: '0'\n  date: 2000-01-01\n  id: '0'\n  text: '0'\n")
def test_the_fast_reader_agrees_on_well_formed_ledgers(claims: str) -> None:
    from unittest import mock

    from factcheck.yamlio import fastyaml

    meta = f"sha256: {hashlib.sha256(SNAPSHOT.encode()).hexdigest()}\n".encode()
    with mock.patch("factcheck.pipeline.store.CHUNK", 2):  # read the claims in several chunks
        fast = _loaded(claims.encode("utf-8", errors="surrogatepass"), meta)
    with mock.patch.object(fastyaml, "yaml_rs", None):
        exact = _loaded(claims.encode("utf-8", errors="surrogatepass"), meta)
    assert fast == exact


@settings(max_examples=BUDGET)
@given(st.text())
def test_html_escaping_is_the_standard_librarys(text: str) -> None:
    import html as standard

    from factcheck.render.escape import html, without_controls

    assert html(text) == standard.escape(without_controls(text), quote=True)


TEMPLATE = ("claims:\n  - id: c1\n    text: {text}\n    claimant: c\n    date: 2024-09-24\n"
            "    quantity: {{value: {value}, bound: about}}\n"
            "    appearances:\n      - {{source: src, text: {quote}}}\n")


def _both_readers(claims: str) -> tuple[Any, Any]:
    from unittest import mock

    from factcheck.yamlio import fastyaml

    meta = f"sha256: {hashlib.sha256(SNAPSHOT.encode()).hexdigest()}\n".encode()
    fast = _loaded(claims.encode("utf-8", errors="surrogatepass"), meta)
    with mock.patch.object(fastyaml, "yaml_rs", None):
        exact = _loaded(claims.encode("utf-8", errors="surrogatepass"), meta)
    return fast, exact


@pytest.mark.parametrize("spelling", NUMBER_SPELLINGS)
@pytest.mark.parametrize("field", ["value", "text", "quote"])
def test_both_readers_take_every_number_spelling_alike(spelling: str, field: str) -> None:
    words = {"value": "1", "text": "t", "quote": "more than 1000 military products", field: spelling}
    fast, exact = _both_readers(TEMPLATE.format(**words))
    assert fast == exact


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
@pytest.mark.parametrize("style", ["plain", "double-quoted", "single-quoted", "block"])
def test_both_readers_refuse_or_keep_every_control_character_alike(char: str, style: str) -> None:
    text = {"plain": f"a{char}b", "double-quoted": f'"a{char}b"', "single-quoted": f"'a{char}b'",
            "block": f"|\n      a{char}b"}[style]
    document = TEMPLATE.format(text=text, value=1, quote="more than 1000 military products")
    fast, exact = _both_readers(document)
    assert fast == exact
    refused = [p for p in exact[3] if p[0] == "yaml-syntax"]
    if ord(char) < 0x20 or (0x7f <= ord(char) <= 0x9f and char != "\x85") or char in "\ufffe\uffff":
        at = document.index(char)
        where = f"claims.yaml:{document.count(chr(10), 0, at) + 1}:{at - document.rfind(chr(10), 0, at)}"
        assert [(p[1], f"U+{ord(char):04X}" in p[2]) for p in refused] == [(where, True)]
    elif char in "\x85\u2028\u2029" and style in ("plain", "block"):  # a line break to YAML 1.1, said so
        assert [p[2].endswith("which YAML 1.1 reads as a line break (inside double quotes they stay text)")
                for p in refused] == [True]
    else:
        assert refused == []


_WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_SCALARS = st.one_of(_WORDS, st.sampled_from(["yes", "no", "- x", "a: b", "#c", "'q'", '"d"', "[e]", "{f}", "1e3",
                                              "2021-07", "null", "~", "", " lead", "trail "]),
                     st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                     st.dates(), st.booleans(), st.none())
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["source", "text", "by", "a", "b"]), inner, max_size=3)),
    max_leaves=12)


@settings(max_examples=1000, deadline=None)
@example({"id": "\U00010800", "text": "\ufeff", "note": "a\u2028b"})
@example({"id": [[{"source": [""]}]]})
@given(st.dictionaries(st.sampled_from(["id", "text", "claimant", "date", "review", "appearances", "tags", "note"]),
                       _VALUES, min_size=1))
def test_the_quick_writer_writes_what_the_python_emitter_writes(value: dict[str, object]) -> None:
    from factcheck.yamlio import yamledit

    quick = yamledit.block(value, 4)
    kept = yamledit._CEmitter
    try:
        yamledit._CEmitter = None  # type: ignore[assignment]
        slow = yamledit.block(value, 4)
    finally:
        yamledit._CEmitter = kept  # type: ignore[misc]
    assert quick == slow


def _both_ways(text: str) -> tuple[Any, Any]:
    """What the line reader and libyaml's composer give for one claim cut out of a file (the composer's
    positions as the line reader keys them), or None for either that gives nothing."""
    from factcheck.yamlio.positions import block_positions
    from factcheck.yamlio.yamlsrc import node_positions

    lines = block_positions(text, ("claims", 7), 10)
    composed = node_positions(text.encode("utf-8"), (0, "id"))
    if composed is None:
        return lines, None
    shifted = [{("claims", 7, *sub[1:]): (line + 10, column) for sub, (line, column) in table.items() if sub and sub[0] == 0}
               for table in composed[1:]]
    return lines, (str(composed[0]) if composed[0] is not None else None, *shifted)


CLAIM_LINES = [
    "    text: Azerbaijan is working on more than 800 new weapons.", '    text: "a quoted text"', "    text: 'it''s quoted'",
    "    text: >-", "      folded over", "      two lines", "    note: |", "      # not a comment", "      kept",
    "    text: a plain text", "      continued on a second line", "    note: a value # and a comment",
    '    note: "quoted" # and a comment', "    note: |2", "      indented by an indicator", "    note:",
    "    tags: [units, batch-0]", '    tags: ["a, b", c]', "    tags: [a, [b]]", "    tags: [a, b,]", "    tags: []",
    "    quantity: {value: 800, bound: more-than, unit: weapons}", '    history: {date: 2024-01-01, note: "x, y"}',
    "    quantity: {value: 8, unit: a: b}", "    appearances:", "      - source: s1", "        text: quoted words",
    "      - source: s2", "        text: \"more words\"", "    - source: s3", "    evidence:", "    -", "      source: s4",
    "    \"quoted key\": v", "    &anchor key: v", "    text: *alias", "    text: !tag x", "    text:\tx", "    id: again",
    "    # a comment line", "", "    text: ends with a colon:", "    text: a: b", "    text: -5", "      - a", "    ? complex",
    "    text: C# is a word", "    note: \"esc \\\" q\"", "    tags:", "      - a", "      - b", "   odd: indentation",
]


@settings(max_examples=BUDGET * 4, deadline=2_000)
@given(st.lists(st.sampled_from(CLAIM_LINES), max_size=14), st.sampled_from(["c1", "'c2'", '"c3"', "c 4"]))
@example(["    text: >-", "      two", "      lines", "    tags: [a, b]"], "c1")
def test_a_claim_located_from_its_lines_is_where_the_composer_puts_it(lines: list[str], claim_id: str) -> None:
    # the line reader answers for a claim only when it gives exactly the composer's positions
    text = "\n".join([f"  - id: {claim_id}", *lines]) + "\n"
    from_lines, composed = _both_ways(text)
    if from_lines is not None:
        assert composed is not None and from_lines == composed, text


def test_every_claim_of_the_usual_layouts_is_located_from_its_lines(tmp_path: Path) -> None:
    from bench.generate import generate
    from factcheck.editing.layout import format_text
    from factcheck.yamlio.spans import claim_starts

    generate(tmp_path / "plain", 300)
    generate(tmp_path / "findings", 300, findings=True)
    texts = [(tmp_path / shape / "claims.yaml").read_bytes() for shape in ("plain", "findings")]
    texts.append((Path(__file__).resolve().parent.parent / "claims.yaml").read_bytes())  # fmt's layout
    texts.append(format_text(texts[1].decode("utf-8"), "claims").encode("utf-8"))
    for raw in texts:
        starts = claim_starts(raw)
        assert starts is not None
        for begin, end in itertools.pairwise(starts):
            from_lines, composed = _both_ways(raw[begin:end].decode("utf-8"))
            assert from_lines is not None and from_lines == composed


def _example_claims() -> list[str]:
    from factcheck.yamlio.spans import claim_starts

    raw = (Path(__file__).resolve().parent.parent / "claims.yaml").read_bytes()
    starts = claim_starts(raw)
    assert starts is not None
    return [raw[begin:end].decode("utf-8") for begin, end in itertools.pairwise(starts)]


@settings(max_examples=BUDGET * 4, deadline=2_000)
@given(st.data())
def test_a_claim_changed_a_character_at_a_time_is_located_as_the_composer_locates_it(data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(_example_claims()))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text) - 1))
        typed = data.draw(st.sampled_from([*" -:#\"'[]{}|>\n,&*!\\\t", ""]))
        text = text[:at] + typed + text[at + data.draw(st.integers(0, 1)):]
    from_lines, composed = _both_ways(text)
    if from_lines is not None:
        assert from_lines == composed, text


_CHARACTERS = st.text(alphabet=st.one_of(st.characters(codec="utf-8", exclude_categories=("Cs",)),
                                         st.sampled_from([*CONTROLS, "\t", "é", "—", "\U0001f600"])), max_size=60)


@settings(max_examples=2000)
@example("\x01claims: []")
@example("\ufffe")
@example("\x85a")
@given(_CHARACTERS)
def test_the_fast_readers_byte_scan_finds_what_its_text_scan_finds(text: str) -> None:
    """The fast reader scans a chunk's bytes for what needs the exact reader, looking only past the
    printable ASCII: it refuses exactly the texts whose characters the scan of the text refuses, wherever
    the character is (the first one too)."""
    from factcheck.yamlio import fastyaml
    from factcheck.yamlio.yamlsrc import unprintable

    data = text.encode("utf-8")
    refused = "\t" in text or "\x00" in text or any(brk in text for brk in "\x85\u2028\u2029") \
        or unprintable(text) is not None
    assert fastyaml._plain_characters(text) is not refused
    assert fastyaml._plain_bytes(data) is not refused
    assert fastyaml._plain_bytes(data + b"\xff") is False  # not UTF-8
    if refused:
        assert fastyaml.read_plain(data) is fastyaml._REFUSED and not fastyaml.is_plain(text)


_METADATA = st.one_of(yamlish(), st.text(max_size=60), st.sampled_from([
    "---\ntitle: a\n", "title: a\n...\n", "%YAML 1.2\n---\ntitle: a\n", "title: |\n  x\n\n  y\n", "note: |2\n   x\n",
    "title: a\rurl: b\n", "- a\n- b\n", "", "# only a comment\n", "title: [a,\n b]\n", "\ufefftitle: x\n",
    "title: a\n  b\n", "title: a\nurl:\n", "title: {a: 1,\nb: 2}\n", "? title\n: a\n", "title: 'a\n\n  b'\n",
    "sha256: 00ff\npublished: 2024-09-24\n", "title: a\ntitle: b\n", "title: a #c\n#d\n"]))


@st.composite
def _plain_metadata(draw: st.DrawFn) -> str:
    """A source's metadata as people write it: fields, comments, blank lines, block and quoted text."""
    lines = []
    for key in draw(st.lists(st.sampled_from(["title", "publisher", "url", "published", "sha256", "note", "authors"]),
                             max_size=6, unique=True)):
        value = draw(st.one_of(st.text(alphabet="abc é1-:#'\"", max_size=12).map(json.dumps),
                               st.sampled_from(["plain words", "2024-09-24", "[a, b]", "|\n  two\n\n  lines",
                                                ">-\n  folded\n   more", "'it''s'", "12", "-1.5", "~", "a #c",
                                                "\n  - x\n  - y", "x\n  continued"])))
        lines.append(f"{key}: {value}")
        lines += draw(st.sampled_from([[], [""], ["# a comment"], ["  # indented comment"]]))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@settings(max_examples=1500, deadline=None)
@example(["", "?"])  # a lone `?`: refused alone, read as an item of a list
@example(["title: a\n", "note: |\n"])
@given(st.one_of(st.lists(st.one_of(_METADATA, _plain_metadata()), min_size=2, max_size=6),
                 st.lists(_plain_metadata(), min_size=2, max_size=4),
                 st.lists(st.one_of(st.text(alphabet="?:-[]{}#&*!|>'\"abc \n", max_size=12), _plain_metadata()),
                          min_size=2, max_size=4)))
def test_source_metadata_read_together_is_what_each_file_gives_alone(texts: list[str]) -> None:
    """Small files read together as the items of one list (sources' metadata) give each file's own data, and
    never take a file the fast reader sends to the exact reader when it is read alone."""
    from factcheck.yamlio.fastyaml import fast_parse, read_together

    pieces = [text.encode("utf-8", errors="surrogatepass") for text in texts]
    together = read_together(pieces)
    if together is None:
        return
    alone = [fast_parse(piece, f"sources/s{n}.yaml") for n, piece in enumerate(pieces)]
    assert all(doc is not None for doc in alone)
    assert together == [doc.data for doc in alone if doc is not None]
