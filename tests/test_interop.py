"""ClaimReview, W3C Web Annotations and CSV out; ClaimReview in, through the safe write path."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from factcheck.exchange.interop import check_scale
from factcheck.ledger.model import RatingScale
from factcheck.ledger.validation import checked
from factcheck.pipeline.store import load_ledger
from tests.conftest import REPO, meta_for, run

CLAIMREVIEW_SCHEMA = json.loads((REPO / "tests" / "schemas" / "claimreview.schema.json").read_text())
SNAPSHOT = "The minister said 800. The audit found 812. Critics said 800 was low.\n"


def verdict_ledger(root: Path) -> Path:
    """A ledger with one claim for each verdict, evidence where a verdict needs it, and a source url."""
    root.mkdir()
    (root / "sources").mkdir()
    (root / "sources" / "s.txt").write_text(SNAPSHOT)
    (root / "sources" / "s.yaml").write_text(meta_for(SNAPSHOT, url="https://news.example.org/a",
                                                      published="2024-01-01", retrieved="2024-01-02"))
    ev = "    evidence:\n      - {source: s, text: The audit found 812, stance: %s}\n"
    claims = ["ledger:\n  name: Desk\n  publisher: {name: The Desk, url: 'https://desk.example.org'}\n"
              "  review_base_url: https://desk.example.org/checks/\nclaims:\n"]
    for status, extra in (("supported", ev % "supports"), ("refuted", ev % "refutes"),
                          ("misleading", ev % "context" + "    note: half the story\n"),
                          ("conflicting", ev % "supports" + "      - {source: s, text: Critics said 800, stance: "
                                                            "refutes}\n"),
                          ("unverifiable", "    note: no records\n"), ("unverified", "")):
        claims.append(f"  - id: c-{status}\n    text: The claim rated {status}.\n    claimant: The Minister\n"
                      f"    date: 2024-01-01\n    status: {status}\n"
                      "    appearances:\n      - {source: s, text: The minister said 800}\n" + extra +
                      f"    history:\n      - {{date: 2024-02-0{len(claims)}, status: {status}}}\n")
    (root / "claims.yaml").write_text("".join(claims))
    return root


def test_claimreview_meets_google_s_required_and_recommended_properties(tmp_path: Path) -> None:
    root = verdict_ledger(tmp_path / "l")
    assert run("-C", root, "verify").exit_code == 0
    result = run("-C", root, "export", "--format", "claimreview")
    assert result.exit_code == 0
    assert result.stderr == "factcheck: left out 1 claim without a verdict (unverified)\n"
    reviews = json.loads(result.stdout)
    assert [r["identifier"] for r in reviews] == ["c-supported", "c-refuted", "c-misleading", "c-conflicting",
                                                  "c-unverifiable"]
    for review in reviews:
        jsonschema.Draft202012Validator(CLAIMREVIEW_SCHEMA, format_checker=jsonschema.FormatChecker()).validate(review)
        assert review["itemReviewed"]["firstAppearance"]["url"] == "https://news.example.org/a"
        assert review["author"] == {"@type": "Organization", "name": "The Desk", "url": "https://desk.example.org"}
        assert review["url"] == f"https://desk.example.org/checks/{review['identifier']}"
    by_id = {r["identifier"]: r["reviewRating"] for r in reviews}
    assert by_id["c-supported"] == {"@type": "Rating", "alternateName": "True", "ratingValue": 5, "bestRating": 5,
                                    "worstRating": 1}
    assert by_id["c-refuted"]["ratingValue"] == 1 and by_id["c-unverifiable"] == {"@type": "Rating",
                                                                                   "alternateName": "Unverifiable"}
    assert reviews[0]["datePublished"] == "2024-02-01"
    assert "unverified" not in result.stdout.lower().replace("unverifiable", "")


@pytest.mark.parametrize("scale, message", [
    ("{best: 5, worst: 1, supported: {value: 1, label: 'True'}, refuted: {value: 5, label: 'False'}}",
     "supported (label 'True') is rated 1, nearer the worst rating 1 than the best 5: the scale reads reversed"),
    ("{refuted: {value: 1, label: 'True'}}", "the label of refuted, 'True', reads as true"),
    ("{supported: {value: 5, label: 'Fake'}}", "the label of supported, 'Fake', reads as false"),
    ("{supported: {value: 7, label: 'True'}}", "supported is rated 7, outside the scale 1 to 5"),
])
def test_a_scale_whose_numbers_and_labels_disagree_is_refused(tmp_path: Path, scale: str, message: str) -> None:
    root = verdict_ledger(tmp_path / "l")
    claims = root / "claims.yaml"
    claims.write_text(claims.read_text().replace("ledger:\n", f"ledger:\n  rating_scale: {scale}\n"))
    result = run("-C", root, "export", "--format", "claimreview")
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr


def test_a_scale_may_run_the_other_way_when_it_says_so() -> None:
    reversed_scale = checked(RatingScale, {
        "best": 1, "worst": 5, "supported": {"value": 1, "label": "True"}, "refuted": {"value": 5, "label": "False"},
        "misleading": {"value": 4, "label": "Misleading"}, "conflicting": {"value": 3, "label": "Mixed"}})
    assert check_scale(reversed_scale) == []
    assert check_scale(RatingScale()) == []


def test_round_trip_through_claimreview(tmp_path: Path) -> None:
    root = verdict_ledger(tmp_path / "l")
    exported = tmp_path / "reviews.json"
    assert run("-C", root, "export", "--format", "claimreview", "-o", exported).exit_code == 0
    fresh = tmp_path / "fresh"
    assert run("init", fresh).exit_code == 0
    assert run("-C", fresh, "import", exported, "--format", "claimreview").exit_code == 0
    original = {(c.claim.text, c.claim.claimant, c.claim.date, c.claim.status) for c in load_ledger(root).claims
                if c.claim.status != "unverified"}
    imported = load_ledger(fresh)
    assert imported.problems == []
    assert {(c.claim.text, c.claim.claimant, c.claim.date, c.claim.status) for c in imported.claims} == original
    assert all(c.claim.appearance_urls == ["https://news.example.org/a"] for c in imported.claims)
    before = (fresh / "claims.yaml").read_bytes()
    again = run("-C", fresh, "import", exported, "--format", "claimreview")
    assert again.exit_code == 0 and "added 0 claims; 5 already in the ledger" in again.stderr
    assert (fresh / "claims.yaml").read_bytes() == before


FEED = {
    "@context": "https://schema.org",
    "@type": "DataFeed",
    "dataFeedElement": [
        {"@type": "ClaimReview", "url": "https://checks.example.net/1", "claimReviewed": "The bridge cost 2 billion.",
         "author": {"@type": "Organization", "name": "Checkers"},
         "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A Mayor"},
                          "datePublished": "2023-05-01",
                          "appearance": [{"@type": "CreativeWork", "url": "https://a.example/1"},
                                         {"@type": "CreativeWork", "url": "https://a.example/2"}]}},
        {"@type": "ClaimReview", "url": "https://checks.example.net/2", "claimReviewed": "Crime fell by half.",
         "datePublished": "2023-06-02",
         "itemReviewed": {"@type": "Claim", "author": "A Minister",
                          "firstAppearance": {"@type": "CreativeWork", "url": "https://b.example/x"}},
         "reviewRating": {"@type": "Rating", "ratingValue": 4, "bestRating": 1, "worstRating": 5,
                          "alternateName": "Four Pinocchios"}},
        {"@type": "ClaimReview", "url": "https://checks.example.net/3", "claimReviewed": "Taxes doubled.",
         "itemReviewed": {"@type": "Claim", "author": {"name": "A Senator"}, "datePublished": "2023-07-03",
                          "appearance": {"@type": "CreativeWork", "url": "https://c.example/y"}},
         "reviewRating": {"@type": "Rating", "alternateName": "Needs more study"}},
        {"@type": "ClaimReview", "url": "https://checks.example.net/4", "claimReviewed": "Unemployment is 3%.",
         "itemReviewed": {"@type": "Claim", "author": {"name": "A Governor"}, "datePublished": "2023-08-04"},
         "reviewRating": {"@type": "Rating", "alternateName": "Pants on Fire"}},
        {"@type": "ClaimReview", "claimReviewed": "No date anywhere."},
    ],
}


def test_import_of_an_awkward_data_feed(tmp_path: Path) -> None:
    root = tmp_path / "l"
    run("init", root)
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"@graph": [FEED]}))
    dry = run("-C", root, "import", feed, "--format", "claimreview", "--dry-run")
    assert dry.exit_code == 0 and "would add 4 claims; 0 already in the ledger; 0 repeated in the file; 1 skipped" in dry.stderr
    assert load_ledger(root).claims == []
    result = run("-C", root, "import", feed, "--format", "claimreview")
    assert result.exit_code == 0
    assert "skipped review #5 ('No date anywhere.'): no date to give the claim: neither the claim nor the review " \
           "has a date" in result.stderr
    claims = {c.claim.text: c.claim for c in load_ledger(root).claims}
    bridge = claims["The bridge cost 2 billion."]
    assert (bridge.status, bridge.claimant, bridge.appearance_urls) == (
        "unverified", "A Mayor", ["https://a.example/1", "https://a.example/2"])
    assert "The review gives no rating." in (bridge.note or "")
    assert bridge.review is not None and (bridge.review.by, bridge.review.url) == ("Checkers", "https://checks.example.net/1")
    crime = claims["Crime fell by half."]  # the words decide; the number, on the review's own reversed scale, agrees
    assert crime.status == "refuted" and crime.date.isoformat() == "2023-06-02"
    assert crime.review is not None
    assert (crime.review.label, crime.review.value, crime.review.best, crime.review.worst) == ("Four Pinocchios", 4, 1, 5)
    assert "The claim's own date is not given" in (crime.note or "")
    assert "warning" not in result.stderr
    taxes = claims["Taxes doubled."]
    assert taxes.status == "unverified" and "'Needs more study' is not a label this ledger knows" in (taxes.note or "")
    assert taxes.review is not None and taxes.review.label == "Needs more study"
    assert taxes.appearance_urls == ["https://c.example/y"]
    assert claims["Unemployment is 3%."].status == "refuted"


@pytest.mark.parametrize("content, message", [
    (b"{not json", "feed.json:1:2: not JSON"),
    (b"\xff\xfe", "feed.json: not UTF-8"),
])
def test_import_of_a_broken_file_is_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    run("init", tmp_path / "l")
    feed = tmp_path / "feed.json"
    feed.write_bytes(content)
    result = run("-C", tmp_path / "l", "import", feed, "--format", "claimreview")
    assert result.exit_code == 2 and message in result.stderr


def test_annotation_selectors_locate_exactly_the_quoted_characters(example: Path) -> None:
    result = run("-C", example, "export", "--format", "annotations")
    assert result.exit_code == 0
    collection = json.loads(result.stdout)
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld" and collection["type"] == "AnnotationCollection"
    items = collection["first"]["items"]
    ledger = load_ledger(example)
    assert len(items) == sum(len(r.claim.appearances) + len(r.claim.evidence) for r in ledger.claims)
    for item in items:
        source_id = item["target"]["source"].rsplit(":", 1)[1]
        text = ledger.sources[source_id].text
        assert text is not None
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        assert text[position["start"]:position["end"]] == quote["exact"]
        assert text[:position["start"]].endswith(quote["prefix"]) and text[position["end"]:].startswith(quote["suffix"])
        assert item["target"]["state"]["type"] == "TimeState"
        assert item["target"]["state"]["sourceDate"] in ("2024-07-13T00:00:00Z", "2024-09-24T00:00:00Z")
    evidence = [i for i in items if i["motivation"] == "assessing"]
    assert {b["value"] for i in evidence for b in i["body"] if b["purpose"] == "tagging"} == {"supports", "context"}


def test_csv_export_is_safe_to_open_in_a_spreadsheet(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(
        'claims:\n  - {id: a, text: "=HYPERLINK(\\"http://evil\\",\\"x\\")", claimant: "+cmd", date: 2024-01-01,'
        ' tags: ["@sum", "-1", "ok"]}\n  - {id: b, text: "plain, with comma", claimant: "Ünïcode", date: 2024-01-02}\n')
    result = run("-C", tmp_path, "export", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["text"] == "'=HYPERLINK(\"http://evil\",\"x\")" and rows[0]["claimant"] == "'+cmd"
    assert rows[0]["tags"] == "'@sum; -1; ok"
    assert rows[1]["text"] == "plain, with comma" and rows[1]["claimant"] == "Ünïcode"
    assert list(rows[0]) == ["id", "date", "status", "claimant", "subject", "figure", "measure", "sources", "tags",
                             "text", "review"]
    assert result.stdout == run("-C", tmp_path, "list", "--format", "csv").stdout


@pytest.mark.parametrize("cell", [" =1+1", "  +cmd", "\u00a0@sum", " \t-2", "\n=HYPERLINK(1)"])
def test_a_formula_behind_leading_spaces_is_neutralised_too(cell: str) -> None:
    from factcheck.render.escape import csv_cell

    assert csv_cell(cell) == "'" + cell
    assert csv_cell(" plain") == " plain"
