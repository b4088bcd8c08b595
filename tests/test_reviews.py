"""Real fact-checkers' reviews in and out: their words decide, their words are kept, and nothing is added twice."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from factcheck.exchange.ratings import label_key, verdict_of, vocabulary
from factcheck.exchange.reviews import import_claimreview
from factcheck.ledger.model import RatingScale
from factcheck.pipeline.store import load_ledger
from tests.conftest import REPO, run

# Labels seen in real feeds, in their real spellings, with the verdict a desk gives them.
REAL_LABELS = [
    ("Altered image", "refuted"), ("Not True", "refuted"), ("Partlyfalse", "misleading"),
    ("Decontextualized", "misleading"), ("Miscaptioned", "misleading"), ("Misattributed", "refuted"),
    ("Correct Attribution", "supported"), ("Half-True", "misleading"), ("Half True", "misleading"),
    ("pants-fire", "refuted"), ("barely-true", "refuted"), ("half-true", "misleading"), ("mostly-true", "supported"),
    ("true", "supported"), ("false", "refuted"), ("Pants on Fire!", "refuted"), ("Mostly False", "refuted"),
    ("FALSE", "refuted"), ("Satire", "misleading"), ("Missing context", "misleading"), ("Unproven", "unverifiable"),
    ("Mixture", "conflicting"), ("Falso", "refuted"), ("Engañoso", "misleading"), ("Verdadero", "supported"),
    ("Faux", "refuted"), ("Trompeur", "misleading"), ("Vrai", "supported"), ("Falsch", "refuted"),
    ("Irreführend", "misleading"), ("Fehlender Kontext", "misleading"), ("Richtig", "supported"),
    ("Falso", "refuted"), ("Enganoso", "misleading"), ("Verdadeiro", "supported"), ("Sem contexto", "misleading"),
    ("Incorrect. The figure is for 2019, not 2023.", "refuted"), ("Four Pinocchios", "refuted"),
]


@pytest.mark.parametrize(("label", "verdict"), REAL_LABELS)
def test_real_labels_read_as_a_desk_reads_them(label: str, verdict: str) -> None:
    assert verdict_of(label) == verdict


@pytest.mark.parametrize("label", ["True, but misleading", "Not false", "Needs more study", "Flip-flop", "", "5"])
def test_a_label_not_known_is_never_guessed(label: str) -> None:
    assert verdict_of(label) is None


def test_every_label_of_the_vocabulary_means_one_verdict() -> None:
    data = json.loads((REPO / "factcheck" / "data" / "ratings.json").read_text(encoding="utf-8"))
    meaning: dict[str, set[str]] = {}
    for verdict, labels in data["verdicts"].items():
        for label in labels:
            meaning.setdefault(label_key(label), set()).add(verdict)
            assert verdict_of(label) == verdict, label
    assert [key for key, verdicts in meaning.items() if len(verdicts) > 1] == []
    assert len(vocabulary()) > 250


def review(label: str | None = None, value: float | None = None, **extra: Any) -> dict[str, Any]:
    rating: dict[str, Any] = {"@type": "Rating"}
    if label is not None:
        rating["alternateName"] = label
    if value is not None:
        rating.update({"ratingValue": value, "bestRating": 5, "worstRating": 1})
    made = {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "A photo shows a flood.",
            "url": "https://check.example/1", "author": {"@type": "Organization", "name": "AFP"},
            "datePublished": "2021-07-21",
            "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A poster"},
                             "datePublished": "2021-07-20"},
            "reviewRating": rating}
    made.update(extra)
    return made


def test_a_number_never_turns_negative_or_unknown_words_positive() -> None:
    imported = import_claimreview(review("Altered image", 5), RatingScale())
    (claim,) = imported.claims
    assert claim["status"] == "refuted"
    assert claim["review"] == {"by": "AFP", "label": "Altered image", "value": 5, "best": 5, "worst": 1,
                               "url": "https://check.example/1", "date": claim["review"]["date"]}
    assert imported.warnings == ["review #1 ('A photo shows a flood.'): the label 'Altered image' says refuted, but its "
                                 "number 5 on the review's own scale (1 worst, 5 best) reads true: imported as the "
                                 "label says"]
    unknown = import_claimreview(review("Wahrscheinlich", 5), RatingScale()).claims[0]
    assert unknown["status"] == "unverified" and unknown["review"]["label"] == "Wahrscheinlich"
    assert "not a label this ledger knows" in unknown["note"]
    bare = import_claimreview(review(None, 5), RatingScale()).claims[0]
    assert bare["status"] == "unverified" and "not read from a number alone" in bare["note"]


@pytest.mark.parametrize(("written", "iso"), [
    ("2021-7-20", "2021-07-20"), ("2021-07-20T23:30:00+02:00", "2021-07-20"), ("2021-07-20T10:00:00Z", "2021-07-20"),
    ("2021-07", "2021-07"), ("2021", "2021"), ("July 20, 2021", "2021-07-20"), ("20 Jul 2021", "2021-07-20"),
])
def test_dates_as_real_feeds_write_them(written: str, iso: str) -> None:
    one = review("False", itemReviewed={"@type": "Claim", "author": "X", "datePublished": written})
    (claim,) = import_claimreview(one, RatingScale()).claims
    assert claim["date"].isoformat() == iso


def test_a_claim_without_a_date_takes_the_review_s_and_says_so() -> None:
    one = review("False", itemReviewed={"@type": "Claim", "author": "X", "datePublished": "someday"})
    (claim,) = import_claimreview(one, RatingScale()).claims
    assert claim["date"].isoformat() == "2021-07-21" and "datePublished 'someday' cannot be read" in claim["note"]
    none = review("False", itemReviewed={"@type": "Claim", "author": "X"})
    del none["datePublished"]
    imported = import_claimreview(none, RatingScale())
    assert imported.claims == [] and "neither the claim nor the review has a date" in imported.skipped[0]


YOAST = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebPage", "@id": "https://site.example/check/#webpage", "url": "https://site.example/check/"},
        {"@type": "ClaimReview", "@id": "https://site.example/check/#review", "url": "https://site.example/check/",
         "claimReviewed": "Vaccines contain microchips.", "itemReviewed": {"@id": "https://site.example/check/#claim"},
         "author": {"@id": "https://site.example/#org"},
         "reviewRating": {"@type": "Rating", "ratingValue": "1", "bestRating": "5", "worstRating": "1",
                          "alternateName": "Falso"}},
        {"@type": "Claim", "@id": "https://site.example/check/#claim", "datePublished": "2021-03-02",
         "author": {"@type": "Person", "name": "A Blogger"}},
        {"@type": "Organization", "@id": "https://site.example/#org", "name": "Verificado"},
    ],
}


def test_a_graph_with_references_is_read_through_them() -> None:
    (claim,) = import_claimreview(YOAST, RatingScale()).claims
    assert (claim["claimant"], claim["date"].isoformat(), claim["status"]) == ("A Blogger", "2021-03-02", "refuted")
    assert claim["review"]["by"] == "Verificado" and claim["review"]["value"] == 1


def test_prefixed_keys_and_both_schema_org_addresses_are_read() -> None:
    prefixed = {"@context": {"schema": "http://schema.org/"}, "@type": "schema:ClaimReview",
                "schema:claimReviewed": "The sea is rising.", "schema:datePublished": "2022-01-02",
                "schema:reviewRating": {"@type": "schema:Rating", "schema:alternateName": "True"}}
    https = {"@context": {"@vocab": "https://schema.org/"}, "@type": "ClaimReview", "claimReviewed": "Ice melts.",
             "datePublished": "2022-01-03", "reviewRating": {"alternateName": "Mostly True"}}
    bare = {"@type": "ClaimReview", "claimReviewed": "No context given.", "datePublished": "2022-01-04"}
    claims = import_claimreview([prefixed, https, bare], RatingScale()).claims
    assert [(c["text"], c["status"]) for c in claims] == [
        ("The sea is rising.", "supported"), ("Ice melts.", "supported"), ("No context given.", "unverified")]


def test_a_context_that_would_be_fetched_is_refused(tmp_path: Path) -> None:
    run("init", tmp_path / "l")
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({**review("False"), "@context": "http://127.0.0.1:9/context.jsonld"}))
    result = run("-C", tmp_path / "l", "import", feed, "--format", "claimreview")
    assert result.exit_code == 2
    assert "is not one import knows" in result.stderr and "nothing is fetched" in result.stderr
    assert "Traceback" not in result.stderr


def test_texts_are_kept_byte_for_byte_and_repeats_in_a_feed_are_named(tmp_path: Path) -> None:
    root = tmp_path / "l"
    run("init", root)
    spaced = review("False", claimReviewed="Two  spaces and\ta tab.")
    again = review("False", claimReviewed="Two  spaces and\ta tab.")
    other = review("True", claimReviewed="Two  spaces and\ta tab.", url="https://check.example/2")  # another review
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([spaced, again, other]))
    dry = run("-C", root, "import", feed, "--format", "claimreview", "--dry-run")
    real = run("-C", root, "import", feed, "--format", "claimreview")
    assert real.exit_code == 0
    assert dry.stderr.replace("would add", "added") == real.stderr and dry.stdout == real.stdout
    assert "review #2 ('Two  spaces and\\ta tab.') repeats review #1 of this file" in real.stderr
    assert "added 2 claims; 0 already in the ledger; 1 repeated in the file" in real.stderr
    texts = [c.claim.text for c in load_ledger(root).claims]
    assert texts == ["Two  spaces and\ta tab.", "Two  spaces and\ta tab."]
    before = (root / "claims.yaml").read_bytes()
    twice = run("-C", root, "import", feed, "--format", "claimreview")
    assert "added 0 claims; 2 already in the ledger; 1 repeated in the file" in twice.stderr
    assert (root / "claims.yaml").read_bytes() == before


def test_a_ledger_s_own_export_adds_nothing_even_without_urls(tmp_path: Path, example: Path) -> None:
    text = (example / "claims.yaml").read_text(encoding="utf-8")
    (example / "claims.yaml").write_text("".join(line for line in text.splitlines(keepends=True)
                                                 if "review_base_url" not in line), encoding="utf-8")
    exported = tmp_path / "reviews.json"
    result = run("-C", example, "export", "--format", "claimreview", "--include-unsupported", "-o", exported)
    assert result.exit_code == 0 and json.loads(exported.read_text())
    before = (example / "claims.yaml").read_bytes()
    again = run("-C", example, "import", exported, "--format", "claimreview")
    assert again.exit_code == 0 and "factcheck: added 0 claims" in again.stderr
    assert (example / "claims.yaml").read_bytes() == before


def imported_ledger(tmp_path: Path) -> Path:
    root = tmp_path / "l"
    run("init", root)
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([review("Pants on Fire", 1), review("Mostly False", 2, url="https://check.example/2",
                                                                    claimReviewed="Another claim.")]))
    assert run("-C", root, "import", feed, "--format", "claimreview").exit_code == 0
    return root


def test_the_reviewer_s_own_words_are_shown_and_exported_as_theirs(tmp_path: Path) -> None:
    root = imported_ledger(tmp_path)
    (first, _) = load_ledger(root).claims
    shown = run("-C", root, "show", first.claim.id)
    assert "review" in shown.stdout and "'Pants on Fire'" in shown.stdout and "AFP" in shown.stdout
    listed = json.loads(run("-C", root, "list", "--format", "json").stdout)
    assert listed[0]["review"]["label"] == "Pants on Fire" and listed[0]["review"]["url"] == "https://check.example/1"
    default = run("-C", root, "export", "--format", "claimreview")
    assert json.loads(default.stdout) == []
    assert "left out 2 claims whose verdict verify calls unsupported" in default.stderr
    published = json.loads(run("-C", root, "export", "--format", "claimreview", "--include-unsupported").stdout)
    assert [(r["author"]["name"], r["url"], r["reviewRating"]["alternateName"], r["reviewRating"]["ratingValue"])
            for r in published] == [("AFP", "https://check.example/1", "Pants on Fire", 1),
                                    ("AFP", "https://check.example/2", "Mostly False", 2)]
    # once the desk gives its own verdict, the review is the desk's
    run("-C", root, "status", first.claim.id, "unverifiable", "--note", "No records either way", "--by", "A. Editor",
        "--date", "2021-08-01")
    mine = json.loads(run("-C", root, "export", "--format", "claimreview", "--include-unsupported").stdout)[0]
    assert mine["reviewRating"]["alternateName"] == "Unverifiable" and "author" not in mine


def test_export_warns_of_what_search_engines_expect(tmp_path: Path) -> None:
    root = imported_ledger(tmp_path)
    run("-C", root, "status", load_ledger(root).claims[0].claim.id, "unverifiable", "--note", "No records",
        "--by", "A. Editor", "--date", "2021-08-01")
    result = run("-C", root, "export", "--format", "claimreview")
    assert "warning: 1 review without a url" in result.stderr
    assert "warning: 1 review without an author (set ledger: publisher:)" in result.stderr


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("FACTCHECK_REQUIRE_BROWSER"),
                    reason="Chromium is not installed (CI installs it and sets FACTCHECK_REQUIRE_BROWSER)")
def test_exported_json_ld_embeds_in_a_page_and_reads_back(tmp_path: Path) -> None:
    import extruct
    from playwright.sync_api import sync_playwright

    root = tmp_path / "l"
    run("init", root)
    hostile = "It ends here </script><script>window.__ran = 1</script> <!-- & more"
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([review("False", claimReviewed=hostile)]))
    run("-C", root, "import", feed, "--format", "claimreview")
    exported = run("-C", root, "export", "--format", "claimreview", "--include-unsupported").stdout
    assert "</script>" not in exported and "<" not in exported
    page_file = tmp_path / "page.html"
    page_file.write_text(f'<!doctype html><html><head><meta charset="utf-8"><title>t</title>'
                         f'<script type="application/ld+json">{exported}</script></head><body><p>after</p></body></html>',
                         encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(page_file.as_uri())
        assert page.evaluate("window.__ran") is None
        assert page.locator("body p").inner_text() == "after"
        dom = page.content()
        browser.close()
    found = extruct.extract(dom, syntaxes=["json-ld"])["json-ld"]
    reviews = [item for block in found for item in (block if isinstance(block, list) else [block])]
    assert [item["claimReviewed"] for item in reviews] == [hostile]
