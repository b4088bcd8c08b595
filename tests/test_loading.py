"""Loading real ledgers from tmp_path: every problem located at the YAML node at fault."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from factcheck.errors import FactcheckError
from factcheck.pipeline.store import load_ledger


def located(root: Path) -> list[tuple[str, str, str]]:
    ledger = load_ledger(root)
    return [(p.code, str(p.location), p.message) for p in sorted(ledger.problems, key=lambda p: p.sort_key())]


GOOD = """\
claims:
  - id: c1
    text: Azerbaijan is working on more than 800 new weapons.
    claimant: The minister
    date: 2023-09-29
"""


def test_a_good_ledger_loads(ledger: Callable[..., Path]) -> None:
    root = ledger(GOOD)
    loaded = load_ledger(root)
    assert loaded.problems == []
    assert [r.claim.id for r in loaded.claims] == ["c1"]
    assert loaded.sources["src"].meta is not None


def test_schema_problems_are_located_at_the_node(ledger: Callable[..., Path]) -> None:
    root = ledger("""
        ledger:
          name: x
          colour: blue
        claims:
          - id: c1
            text: 1000
            claimant: no
            date: 2023-02-30
            status: sure
            quantity: {value: lots, bound: more-than}
          - id: Not A Slug
            text: t
            claimant: c
            date: 2023-01-01
          - id: c3
            text: t
            date: 2023-09-29T10:00:00
    """)
    assert located(root) == [
        ("schema", "claims.yaml:3:3", "unknown field 'colour'; the fields are name, publisher, review_base_url, "
                                      "rating_scale, stale_after_days, about_band"),
        ("schema", "claims.yaml:7:15", "claimant: 'no' is read by YAML as a true/false value, not as text; "
                                       "put it in quotes if it is meant as text"),
        ("schema", "claims.yaml:8:11", "date: '2023-02-30' is not a real date (day is out of range for month)"),
        ("schema", "claims.yaml:9:13", "status: 'sure' is not allowed; input should be 'unverified', 'supported', "
                                       "'refuted', 'misleading', 'conflicting' or 'unverifiable'"),
        ("schema", "claims.yaml:10:23", "quantity.value: must be a number, not 'lots'"),
        ("schema", "claims.yaml:11:9", "id: 'Not A Slug' is not a valid id: use lowercase letters, digits, '.', '_' "
                                       "and '-', starting with a letter or digit (at most 128 characters)"),
        ("schema", "claims.yaml:15:5", "claim 'c3' lacks the required field 'claimant'"),
        ("schema", "claims.yaml:17:11", "date: 2023-09-29T10:00:00 is a date and time; write the date alone, "
                                        "as YYYY-MM-DD"),
    ]


def test_numbers_in_text_fields_stay_text(ledger: Callable[..., Path]) -> None:
    root = ledger("""
        claims:
          - id: c1
            text: 1000
            claimant: 1_000
            date: 2023-09-29
            note: 2023-09-29
    """)
    claim = load_ledger(root).claims[0].claim
    assert (claim.text, claim.claimant, claim.note) == ("1000", "1_000", "2023-09-29")


def test_other_claims_load_beside_a_broken_one(ledger: Callable[..., Path]) -> None:
    root = ledger(GOOD + "  - id: c2\n    text: no date\n    claimant: c\n")
    loaded = load_ledger(root)
    assert [r.claim.id for r in loaded.claims] == ["c1"]
    assert [(p.code, str(p.location)) for p in loaded.problems] == [("schema", "claims.yaml:6:5")]


def test_problems_of_all_files_in_one_run(tmp_path: Path) -> None:
    root = tmp_path / "l"
    (root / "claims").mkdir(parents=True)
    (root / "claims" / "a.yaml").write_text("claims:\n  - id: a\n    id: b\n")
    (root / "claims" / "b.yaml").write_text("claims: [\n")
    (root / "claims" / "notes.txt").write_text("ignored: [\n")
    (root / "sources").mkdir()
    (root / "sources" / "s.yaml").write_text("title: t\n")
    assert [(c, loc) for c, loc, _ in located(root)] == [
        ("schema", "claims/a.yaml:2:5"),
        ("schema", "claims/a.yaml:2:5"),
        ("schema", "claims/a.yaml:2:5"),
        ("duplicate-key", "claims/a.yaml:3:5"),
        ("yaml-syntax", "claims/b.yaml:2:1"),
        ("schema", "sources/s.yaml:1:1"),
        ("source-incomplete", "sources/s.yaml:1:1"),
    ]


def test_split_layout_loads_every_file(tmp_path: Path) -> None:
    root = tmp_path / "l"
    (root / "claims").mkdir(parents=True)
    for name in ("b", "a"):
        (root / "claims" / f"{name}.yaml").write_text(
            f"claims:\n  - {{id: {name}1, text: t, claimant: c, date: 2024-01-01}}\n")
    loaded = load_ledger(root)
    assert loaded.problems == []
    assert [r.claim.id for r in loaded.claims] == ["a1", "b1"]
    assert str(loaded.claims[1].locate("id")) == "claims/b.yaml:2:10"


def test_settings_in_two_files_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "l"
    (root / "claims").mkdir(parents=True)
    for name in ("a", "b"):
        (root / "claims" / f"{name}.yaml").write_text("ledger: {name: x}\nclaims: []\n")
    assert [(c, loc) for c, loc, _ in located(root)] == [("schema", "claims/b.yaml:1:1")]


@pytest.mark.parametrize("setup, message", [
    (lambda root: None, "neither claims.yaml nor claims/ exists"),
    (lambda root: ((root / "claims.yaml").write_text("claims: []\n"), (root / "claims").mkdir()),
     "both claims.yaml and claims/ exist"),
])
def test_no_ledger_or_two_layouts_is_an_error(tmp_path: Path, setup: Callable[[Path], object], message: str) -> None:
    setup(tmp_path)
    with pytest.raises(FactcheckError, match=message):
        load_ledger(tmp_path)


@pytest.mark.parametrize("content, expected", [
    ("", "the file is empty"),
    ("- a\n", "the file is a list"),
    ("just text\n", "the file is a single value"),
    ("ledger: {name: x}\n", "the file has no 'claims:' list"),
    ("claims: 5\n", "'claims' must be a list of claims"),
])
def test_the_top_of_the_claims_file(tmp_path: Path, content: str, expected: str) -> None:
    (tmp_path / "claims.yaml").write_text(content)
    assert [m for _, _, m in located(tmp_path)] == [expected + ("; a claims file is a mapping with a 'claims:' list"
                                                                if expected.startswith("the file is") else "")]


def test_source_files(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("claims: []\n")
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "bad.txt").write_bytes(b"ok\n\xc3\x28 text")
    (sources / "bad.yaml").write_text("sha256: " + "0" * 64 + "\n")
    (sources / "Not Slug.txt").write_text("x")
    (sources / "meta.yaml").write_text("sha256: nothex\nauthors: no\npublished: 2023-09-29T10:00:00\n")
    (sources / "meta.txt").write_text("x")
    assert located(tmp_path) == [
        ("schema", "sources/Not Slug.txt:1:1", "'Not Slug' is not a valid source id: name source files with "
                                              "lowercase letters, digits, '.', '_' and '-'"),
        ("schema", "sources/meta.yaml:1:9", "sha256: 'nothex' is not a lowercase hexadecimal sha256 digest of 64 "
                                            "characters"),
        ("schema", "sources/meta.yaml:2:10", "authors: 'no' is read by YAML as a true/false value; input should be "
                                             "a valid list"),
        ("schema", "sources/meta.yaml:3:12", "published: 2023-09-29T10:00:00 is a date and time; write the date "
                                             "alone, as YYYY-MM-DD"),
    ]
    from factcheck.checking.checks import run_checks
    from factcheck.checking.options import Options

    encoding = [p for p in run_checks(load_ledger(tmp_path), Options()) if p.code == "source-encoding"]
    assert [(str(p.location), p.message) for p in encoding] == [
        ("sources/bad.txt:2:1", "the snapshot is not UTF-8: byte 0xc3 at offset 3")]


def _read_both_ways(files: dict[str, Any], chunk: int) -> tuple[Any, Any, int]:
    """The ledger read by the fast path in chunks of `chunk` claims, the same read exactly, and the native reads."""
    from unittest import mock

    from factcheck.pipeline import store
    from factcheck.yamlio import fastyaml

    with mock.patch.object(store, "CHUNK", chunk), \
            mock.patch.object(fastyaml, "read_native", wraps=fastyaml.read_native) as native:
        fast = store.build_ledger(files)
    with mock.patch.object(fastyaml, "yaml_rs", None):
        exact = store.build_ledger(files)
    return fast, exact, native.call_count


def _summary(ledger: Any) -> tuple[Any, ...]:
    return ([r.claim for r in ledger.claims], ledger.settings,
            sorted((p.code, str(p.location), p.message) for p in ledger.problems),
            [str(r.locate("appearances", 0, "text")) for r in ledger.claims])


def test_a_long_ledger_is_read_in_chunks_exactly_as_the_exact_reader_reads_it(tmp_path: Path) -> None:
    from bench.generate import generate
    from factcheck.ledger.ledgerfiles import find_files

    generate(tmp_path, 300)
    files = {name: data.read() if hasattr(data, "read") else data for name, data in find_files(tmp_path).items()}
    fast, exact, reads = _read_both_ways(files, 7)
    assert sum(1 for name in files if name.endswith(".yaml") and name.startswith("sources/")) > 1
    assert reads == 1 + 43 + 1  # the top of the claims file, its 300 claims 7 at a time, the sources together
    assert _summary(fast) == _summary(exact) and len(fast.claims) == 300


@pytest.mark.parametrize(("chunk", "claims"), [(100, 300), (40, 300), (7, 300), (300, 300), (1000, 3)])
def test_a_file_split_between_two_shares_gives_each_as_many_claims(tmp_path: Path, chunk: int, claims: int) -> None:
    """Each share reads every other chunk of a large claims file: the chunks come in an even number, about
    equal, so that neither process reads a chunk more than the other (300 claims in chunks of at most 100
    are four of 75, not three of 100, two of them for one process; 300 in chunks of at most
    7 are 44 of 6 or 7, not 43 of 7, 22 of them for one process)."""
    from unittest import mock

    from bench.generate import generate
    from factcheck.ledger.ledgerfiles import find_files
    from factcheck.pipeline import shares, store

    generate(tmp_path, claims)
    files = {name: data.read() if hasattr(data, "read") else data for name, data in find_files(tmp_path).items()}
    plan = shares.plan(files)
    assert plan["claims.yaml"] is None  # read by both shares
    with mock.patch.object(store, "CHUNK", chunk):
        read = [store.build_share(files, store.Share(which, plan)) for which in (0, 1)]
    assert all(share is not None for share in read)
    counts = [len(share.claims) for share in read if share is not None]
    assert sum(counts) == claims and abs(counts[0] - counts[1]) <= chunk // 2
    ids = sorted(r.claim.id for share in read if share is not None for r in share.claims)
    assert ids == sorted(r.claim.id for r in store.build_ledger(files).claims)


def test_a_mistake_in_a_long_file_is_read_exactly_in_its_chunk_only(tmp_path: Path) -> None:
    """A chunk the fast path cannot take is read again by the exact reader alone: the problems, their
    locations and messages, and every claim are those of the whole file read exactly."""
    from unittest import mock

    from bench.generate import generate
    from factcheck.ledger.ledgerfiles import find_files
    from factcheck.pipeline import store

    generate(tmp_path, 300)
    claims = tmp_path / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    for claim_id, added in [
        ("c000030", "    tags: [no]\n"),  # a YAML 1.1 word: the scan sends the chunk to the exact reader
        ("c000100", "    colour: blue\n"),  # an unknown field: the chunk fails validation
        ("c000160", '    note: "a\tb"\n    note: again\n'),  # a tab, and a key given twice
        ("c000250", "    date: 2024-02-30\n"),  # an impossible date, and a key given twice
    ]:
        text = text.replace(f"  - id: {claim_id}\n", f"  - id: {claim_id}\n{added}", 1)
    claims.write_text(text, encoding="utf-8")
    files = {name: data.read() if hasattr(data, "read") else data for name, data in find_files(tmp_path).items()}
    with mock.patch.object(store, "parse", wraps=store.parse) as exact_reads:
        fast, exact, _ = _read_both_ways(files, 25)
    assert _summary(fast) == _summary(exact)
    assert {p.code for p in fast.problems} >= {"schema", "duplicate-key"} and len(fast.claims) == 297  # 3 refused
    whole = [call for call in exact_reads.call_args_list if len(call.args[0]) >= len(files["claims.yaml"])]
    assert len(whole) == 1  # by the exact pass: the fast one read only the four chunks exactly
    assert len(exact_reads.call_args_list) == 1 + 4


@pytest.mark.parametrize("claims", [
    # a quoted text whose second line looks like the next claim: the piece before it cannot be read alone
    'claims:\n  - id: a\n    text: "one\n  - two"\n    claimant: c\n    date: 2024-01-01\n',
    # the list's items are not the first thing under claims:
    "claims:\n  # note\n  - id: a\n    text: t\n    claimant: c\n    date: 2024-01-01\nledger:\n  name: n\n",
    # an empty claims list before a key whose value is a list of claim-shaped items
    "claims:\nledger:\n  - id: a\n    text: t\n    claimant: c\n    date: 2024-01-01\n",
    # a line break to YAML 1.1 only (NEL), which libyaml folds and a YAML 1.2 parser keeps
    "claims:\n- claimant: '0\x85    '\n  date: 2000-01-01\n  id: '0'\n  text: '0'\n",
    # items at the left margin, then a comment and a top-level key
    "claims:\n- id: a\n  text: t\n  claimant: c\n  date: 2024-01-01\n# end\nledger: {name: n}\n",
])
def test_odd_claim_lists_read_as_the_exact_reader_reads_them(claims: str) -> None:
    fast, exact, _ = _read_both_ways({"claims.yaml": claims.encode()}, 1)
    assert ([r.claim for r in fast.claims], fast.settings, sorted((p.code, str(p.location)) for p in fast.problems)) \
        == ([r.claim for r in exact.claims], exact.settings, sorted((p.code, str(p.location)) for p in exact.problems))


def test_reading_ahead_on_a_thread_or_not_gives_the_same_pieces() -> None:
    from factcheck.yamlio.fastyaml import read_ahead

    pieces = [b"- a: 1\n", b"- b: [2, 3]\n", b"- c: yes\n", b"- d: '4'\n"]
    threaded, here = list(read_ahead(iter(pieces), 2)), list(read_ahead(iter(pieces), 0))
    assert here == threaded and here[0] == [{"a": 1}] and here[3] == [{"d": "4"}]
    assert here[2] is threaded[2]  # the marker of a piece the exact reader must read


def test_sources_read_with_their_metadata_parsed_in_a_fork_are_the_sources_read_here(tmp_path: Path) -> None:
    # many sources: a forked process parses the metadata while this one reads the snapshots
    import os
    from unittest import mock

    from factcheck.ledger.ledgerfiles import find_files
    from factcheck.pipeline import store

    (tmp_path / "claims.yaml").write_text("claims: []\n")
    sources = tmp_path / "sources"
    sources.mkdir()
    for i in range(30):
        (sources / f"s{i}.txt").write_text(f"snapshot {i} “quoted”")
        (sources / f"s{i}.yaml").write_text(f"title: source {i}\npublished: 2024-01-{i % 28 + 1:02d}\nsha256: {'0' * 64}\n")
    (sources / "bad.txt").write_bytes(b"ok\n\xc3\x28 text")
    (sources / "bad.yaml").write_text("sha256: " + "0" * 64 + "\n")
    (sources / "meta.yaml").write_text("sha256: nothex\nauthors: no\npublished: 2023-09-29T10:00:00\n")
    (sources / "meta.txt").write_text("x")
    (sources / "dup.yaml").write_text("title: a\ntitle: b\n")
    (sources / "alone.yaml").write_text("title: no snapshot\n")

    def read(fork_from: int) -> Any:
        with mock.patch.object(store, "FORK_SOURCES_FROM", fork_from), mock.patch("os.fork", wraps=os.fork) as fork:
            ledger = store.read_sources(find_files(tmp_path))
        assert fork.call_count == (1 if fork_from == 0 else 0)
        return ledger

    shared, alone = read(0), read(10**6)
    assert shared.problems == alone.problems and len(alone.problems) >= 6
    assert [(s.id, s.meta, s.meta_path, s.snapshot_path, s.digest, s.text, s.encoding_error())
            for s in shared.sources.values()] == \
           [(s.id, s.meta, s.meta_path, s.snapshot_path, s.digest, s.text, s.encoding_error())
            for s in alone.sources.values()]
    assert [s.locate("title") for s in shared.sources.values()] == [s.locate("title") for s in alone.sources.values()]
