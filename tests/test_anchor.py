"""Finding quotes in snapshots: exact, folded, ellipsis parts, prefix/suffix, and the closest passage."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from factcheck.anchor import Found, Missing, Snapshot, fold, fold_with_spans, split_ellipsis

TEXT = (
    "\u201cThe government pays special attention,\u201d President of Azerbiajan Ilham Aliyev said.\n"
    "Today  more than 1000 military products are produced \u2014 in Azerbaijan.\n"
    "ADEX is held in Baku. The next ADEX is in 2026.\n"
)


def test_exact_match_gives_the_original_offsets() -> None:
    found = Snapshot(TEXT).find("more than 1000 military products")
    assert isinstance(found, Found) and found.kind == "exact"
    assert TEXT[found.start:found.end] == "more than 1000 military products"


def test_folded_match_maps_back_to_the_source_characters() -> None:
    snapshot = Snapshot(TEXT)
    found = snapshot.find('"The government pays special attention," President')
    assert isinstance(found, Found) and found.kind == "normalized"
    assert TEXT[found.start:found.end] == "\u201cThe government pays special attention,\u201d President"
    found = snapshot.find("Today more than 1000 military products are produced - in Azerbaijan")
    assert isinstance(found, Found) and found.kind == "normalized"
    assert TEXT[found.start:found.end].endswith("\u2014 in Azerbaijan")


def test_compatibility_forms_fold() -> None:
    snapshot = Snapshot("Ｆｕｌｌｗｉｄｔｈ text and a non\u00a0breaking space\u2026 end")
    assert isinstance(snapshot.find("Fullwidth text"), Found)
    assert isinstance(snapshot.find("non breaking space... end"), Found)


def test_case_is_not_folded() -> None:
    assert isinstance(Snapshot(TEXT).find("TODAY more than 1000"), Missing)


def test_a_look_alike_is_never_matched_but_named() -> None:
    missing = Snapshot(TEXT).find("President of Azerbaijan Ilham Aliyev")
    assert isinstance(missing, Missing)
    assert missing.closest == "President of Azerbiajan Ilham Aliyev"
    assert 90 <= missing.score < 100


def test_nothing_similar_and_short_quotes_get_no_suggestion() -> None:
    assert Snapshot(TEXT).find("zzzz qqqq xxxx wwww").closest is None  # type: ignore[union-attr]
    assert Snapshot(TEXT).find("Bakuu").closest is None  # type: ignore[union-attr]


def test_ellipsis_parts_must_occur_in_order() -> None:
    snapshot = Snapshot(TEXT)
    found = snapshot.find("The government pays … Ilham Aliyev said")
    assert isinstance(found, Found) and len(found.spans) == 2
    assert isinstance(snapshot.find("Ilham Aliyev said ... The government pays"), Missing)
    assert isinstance(snapshot.find("more than 1000 [...] in Azerbaijan"), Found)


def test_prefix_and_suffix_pick_among_repeats() -> None:
    snapshot = Snapshot(TEXT)
    first = snapshot.find("ADEX")
    second = snapshot.find("ADEX", prefix="The next")
    assert isinstance(first, Found) and isinstance(second, Found)
    assert first.occurrences == 2 and second.start > first.start
    assert isinstance(snapshot.find("ADEX", suffix="is held"), Found)
    missing = snapshot.find("ADEX", prefix="The last")
    assert isinstance(missing, Missing) and "occur 2 times" in missing.reason


def test_split_ellipsis() -> None:
    assert split_ellipsis("a ... b … c [...] d") == ["a", "b", "c", "d"]
    assert split_ellipsis("no ellipsis") == ["no ellipsis"]


def test_context_shows_the_words_around() -> None:
    snapshot = Snapshot(TEXT)
    found = snapshot.find("military products")
    assert isinstance(found, Found)
    before, exact, after = snapshot.context(found.start, found.end, width=20)
    assert exact == "military products"
    assert before.endswith("1000 ") and after.startswith(" are produced")


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_fold_agrees_with_its_span_map(text: str) -> None:
    folded, starts, ends = fold_with_spans(text)
    assert fold(text) == folded
    spans = [(starts[k], ends[k]) for k in range(len(folded))]
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(spans))  # in the order of the original
    for k, char in enumerate(folded):  # a character copied as it was maps to itself
        if text[spans[k][0]:spans[k][1]] == char:
            assert spans[k][1] - spans[k][0] == 1


_TYPOGRAPHIC = "‘’‚‛‹›′`“”„‟«»″‐‑‒–—―⁃−﹘﹣－´\u00ad\u200b\u0301 \t\n\r\x0b\x0c\x1c\x1f"


@given(st.text(alphabet=st.sampled_from(_TYPOGRAPHIC) | st.characters(max_codepoint=0x7f), max_size=80))
def test_the_quick_fold_of_a_typographic_snapshot_is_the_general_fold(text: str) -> None:
    from factcheck.anchor import _fold_generally, _fold_quickly

    quick = _fold_quickly(text)
    general = _fold_generally(text)
    if quick is None:  # left to the general way: a character it does not fold one for one, or a run met a space
        return
    assert quick[0] == general[0]
    for k in range(len(general[0])):
        assert (quick[1][k], quick[2][k]) == (general[1][k], general[2][k])


def test_the_quick_fold_takes_the_usual_snapshot() -> None:
    from factcheck.anchor import _fold_quickly

    text = "The “new weapons” — more than 800\n\nsamples — were shown.\n"
    quick = _fold_quickly(text)
    assert quick is not None and quick[0] == 'The "new weapons" - more than 800 samples - were shown. '


def test_a_quote_that_differs_only_in_letter_case_says_so() -> None:
    from factcheck.anchor import Missing, Snapshot

    found = Snapshot("We grow tomatoes here.").find("We grow Tomatoes")
    assert isinstance(found, Missing)
    assert found.reason == "only the letter case differs: 'We grow tomatoes' in the source, 'We grow Tomatoes' in the quote"
    assert found.hint() == ""


def test_the_closest_passage_is_in_the_sources_own_characters() -> None:
    from factcheck.anchor import Missing, Snapshot

    text = "The ministry said that more than 1\u00a0000 military products\u2014all of them—are made."
    found = Snapshot(text).find("more than 1 000 military produce")
    assert isinstance(found, Missing) and found.closest is not None
    assert found.closest in text  # pasted back, it is found exactly
    assert "\u00a0" in found.closest
    assert found.hint() == f"; closest passage ({found.score:g}% similar): '{found.closest}'"
