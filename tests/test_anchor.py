"""Finding quotes in snapshots: exact, folded, ellipsis parts, prefix/suffix, and the closest passage."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.checking.anchor import (
    Found,
    Located,
    Missing,
    Snapshot,
    fold,
    fold_with_spans,
    locate_forgiving,
    split_ellipsis,
    too_short,
)

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
    from factcheck.checking.anchor import _fold_generally, _fold_quickly

    quick = _fold_quickly(text)
    general = _fold_generally(text)
    if quick is None:  # left to the general way: a character it does not fold one for one, or a run met a space
        return
    assert quick[0] == general[0]
    for k in range(len(general[0])):
        assert (quick[1][k], quick[2][k]) == (general[1][k], general[2][k])


def test_the_quick_fold_takes_the_usual_snapshot() -> None:
    from factcheck.checking.anchor import _fold_quickly

    text = "The “new weapons” — more than 800\n\nsamples — were shown.\n"
    quick = _fold_quickly(text)
    assert quick is not None and quick[0] == 'The "new weapons" - more than 800 samples - were shown. '


def test_a_quote_that_differs_only_in_letter_case_says_so() -> None:
    from factcheck.checking.anchor import Missing, Snapshot

    found = Snapshot("We grow tomatoes here.").find("We grow Tomatoes")
    assert isinstance(found, Missing)
    assert found.reason == "only the letter case differs: 'We grow tomatoes' in the source, 'We grow Tomatoes' in the quote"
    assert found.hint() == ""


def test_the_closest_passage_is_in_the_sources_own_characters() -> None:
    from factcheck.checking.anchor import Missing, Snapshot

    text = "The ministry said that more than 1\u00a0000 military products\u2014all of them—are made."
    found = Snapshot(text).find("more than 1 000 military produce")
    assert isinstance(found, Missing) and found.closest is not None
    assert found.closest in text  # pasted back, it is found exactly
    assert "\u00a0" in found.closest
    assert found.hint() == f"; closest passage ({found.score:g}% similar): '{found.closest}'"


# -- quotes that mean something ---------------------------------------------------------------------------

def test_a_repeated_quote_counts_the_places_its_prefix_and_suffix_fit() -> None:
    snapshot = Snapshot(TEXT)
    found = snapshot.find("ADEX")
    assert isinstance(found, Found) and found.fits == 2
    pinned = snapshot.find("ADEX", prefix="The next")
    assert isinstance(pinned, Found) and pinned.fits == 1 and TEXT[pinned.start - 9:pinned.start] == "The next "


def test_ellipsis_parts_must_lie_in_one_paragraph_and_near_each_other() -> None:
    near = Snapshot("Officials said 45,000 were confirmed dead on Monday, citing a post on Facebook.")
    found = near.find("45,000 were confirmed dead\u2026 on Facebook")
    assert isinstance(found, Found) and found.omitted and len(found.spans) == 2
    filler = "Other news followed. " * 15  # 315 characters between the parts
    far = Snapshot(f"Officials said 45,000 were confirmed dead. {filler}It was shared on Facebook.")
    missing = far.find("45,000 were confirmed dead\u2026 on Facebook")
    assert isinstance(missing, Missing) and "not within 300 characters" in missing.reason
    split = Snapshot("45,000 were confirmed dead.\n\nShared on Facebook.")
    missing = split.find("45,000 were confirmed dead\u2026 on Facebook")
    assert isinstance(missing, Missing) and "one paragraph" in missing.reason
    # the nearest later part is taken, so an earlier far start does not hide a near one
    again = Snapshot(f"dead. {filler}\n\nconfirmed dead, then on Facebook.")
    found = again.find("dead ... on Facebook")
    assert isinstance(found, Found) and found.start > len(filler)


@pytest.mark.parametrize(("quote", "why"), [
    ("e", "characters"), ("2023", "characters"), ("it is not the one", "function words"),
    ("de la 2024 en el", "function words"),
])
def test_evidence_too_short_or_empty_of_meaning(quote: str, why: str) -> None:
    reason = too_short(quote)
    assert reason is not None and why in reason


def test_evidence_that_says_something_is_long_enough() -> None:
    assert too_short("more than 800 new weapons") is None
    assert too_short("Azerbaijan exports arms") is None


PAPER = ("There is no evidence linking childhood vaccination and SIDS, researchers said. This is the first "
         "study of its kind on infant deaths, published on Monday.")


@pytest.mark.parametrize("typed", [
    "Childhood vaccination causes SIDS",  # a paraphrase: 90% similar by partial ratio
    "researchers said this is the first study",  # the words, but across a sentence end not typed
    "no evidence linking vaccination and SIDS",  # a word dropped
    "the first study of this kind on infant deaths",  # a word replaced by another
])
def test_quote_refuses_paraphrase(typed: str) -> None:
    located = locate_forgiving(Snapshot(PAPER), typed)
    assert isinstance(located, Missing)


def test_quote_forgives_typos_word_for_word_and_names_them() -> None:
    located = locate_forgiving(Snapshot(PAPER), "no evidnece linking childhood vacination and SIDS")
    assert isinstance(located, Located) and located.how == "typos"
    assert located.text == "no evidence linking childhood vaccination and SIDS"
    assert located.differences == (("evidnece", "evidence"), ("vacination", "vaccination"))
    assert 90 <= located.similarity < 100


def test_quote_accepts_an_ellipsis_quote_as_verify_matches_it() -> None:
    located = locate_forgiving(Snapshot(PAPER), "There is no evidence \u2026 researchers said")
    assert isinstance(located, Located) and located.omitted
    assert located.text == "There is no evidence \u2026 researchers said"
    assert isinstance(Snapshot(PAPER).find(located.text), Found)
