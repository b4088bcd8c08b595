"""The HTML report in a real headless Chromium: no console errors, no network, no script runs, charts shown."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO / "build" / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

if CHROMIUM is None and not os.environ.get("FACTCHECK_REQUIRE_BROWSER"):
    pytest.skip("Chromium is not installed (CI installs it and sets FACTCHECK_REQUIRE_BROWSER)",
                allow_module_level=True)

HOSTILE = '<script>window.__injected = 1</script><img src=x onerror="window.__injected = 2"> & "quotes"'


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None, "Chromium is required: apt-get install chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def open_report(browser, path: Path, width: int = 1000):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": 900})
    console: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, console, requests


def test_example_report_in_chromium(browser, example: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "report.html"
    assert run("-C", example, "report", "--format", "html", "-o", report).exit_code == 0
    page, console, requests = open_report(browser, report)
    assert console == []
    assert requests == [report.as_uri()]
    charts = page.locator("figure.chart svg")
    assert charts.count() == 5
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
    labels = page.locator("figure.chart").nth(2).inner_text()
    assert "more than 800 weapons" in labels and "NOT COMPARABLE" in labels and "no upper limit" in labels
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
    phone, _, _ = open_report(browser, report, width=390)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(ARTIFACTS / "report-phone.png"), full_page=True)
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('table')).minWidth") == "0px"


def test_injected_script_does_not_run(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "claims.yaml").write_text(
        "claims:\n"
        f"  - id: evil\n    text: {json.dumps(HOSTILE)}\n    claimant: {json.dumps(HOSTILE)}\n    date: 2024-01-01\n"
        "    subject: s\n    quantity: {value: 5, bound: about, unit: " + json.dumps(HOSTILE) + "}\n"
        "  - id: evil2\n    text: t\n    claimant: c\n    date: 2024-06-01\n    subject: s\n"
        "    quantity: {value: 9, bound: at-most}\n"
        "    appearances: [{source: src, text: x}]\n")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "src.txt").write_text("x")
    (tmp_path / "sources" / "src.yaml").write_text(
        'url: "javascript:window.__injected=3"\ntitle: ' + json.dumps(HOSTILE) + "\n"
        "sha256: 2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\n")
    report = tmp_path / "report.html"
    run("-C", tmp_path, "report", "--format", "html", "-o", report)
    page, console, requests = open_report(browser, report)
    assert page.evaluate("window.__injected === undefined")
    assert page.locator("script").count() == 0 and page.locator("a[href^='javascript']").count() == 0
    assert HOSTILE in page.locator("#claim-evil").inner_text()
    assert requests == [report.as_uri()]
    assert console == []


def evidence_ledger(example: Path, tmp_path: Path) -> Path:
    """The example with a misquote, a forced verdict and a verdict imported from another fact-checker."""
    claims = example / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    misquoted = text.replace("Azerbaijan cannot purchase Western-made fighter jets",
                             "Azerbaijan can never purchase Western-made fighter jets")
    assert misquoted != text
    claims.write_text(misquoted, encoding="utf-8")
    assert run("-C", example, "status", "az-kaan-cooperation-2023", "supported", "--note", "Both ministries say so",
               "--by", "A. Editor", "--date", "2024-01-05", "--force").exit_code == 0
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({
        "@context": "https://schema.org", "@type": "ClaimReview", "url": "https://checks.example.net/77",
        "claimReviewed": "Azerbaijan makes all of its own rifles.", "datePublished": "2024-03-01",
        "author": {"@type": "Organization", "name": "Checkers"},
        "itemReviewed": {"@type": "Claim", "author": "A Blogger", "datePublished": "2024-02-20"},
        "reviewRating": {"@type": "Rating", "alternateName": "Mostly False"}}))
    assert run("-C", example, "import", feed, "--format", "claimreview").exit_code == 0
    return example


def test_a_report_shows_each_quote_and_verdict_for_what_it_is(browser, example: Path,  # type: ignore[no-untyped-def]
                                                              tmp_path: Path) -> None:
    root = evidence_ledger(example, tmp_path)
    page_file = tmp_path / "report.html"
    run("-C", root, "report", "--format", "html", "-o", page_file)
    page, console, _ = open_report(browser, page_file)
    assert console == []
    card = page.locator("#claim-az-us-fighter-restrictions-2023")
    missing = card.locator(".quote-missing")
    assert missing.count() == 1 and card.locator("blockquote").count() == 0
    shown = missing.inner_text()
    assert "NOT FOUND in the source" in shown and "can never purchase" in shown
    assert "“" not in shown and "”" not in shown
    assert "cannot purchase Western-made fighter jets" in missing.locator(".closest").inner_text()
    found = page.locator("#claim-az-weapons-in-development-2023 blockquote").first.inner_text()
    assert found.startswith("“") and "found exactly" in found
    forced = page.locator("#claim-az-kaan-cooperation-2023 .verdict").inner_text()
    assert "by A. Editor" in forced and "2024-01-05" in forced and "forced" in forced and "Both ministries say so" in forced
    imported = page.locator("article.claim", has_text="Azerbaijan makes all of its own rifles.").locator(".verdict")
    assert "imported: rated 'Mostly False' by Checkers" in imported.inner_text()
    assert imported.locator("a").get_attribute("href") == "https://checks.example.net/77"


def test_every_report_format_carries_the_same_evidence(example: Path, tmp_path: Path) -> None:
    root = evidence_ledger(example, tmp_path)
    data = json.loads(run("-C", root, "report", "--format", "json").stdout)
    claims = {c["id"]: c for c in data["claims"]}
    (quote,) = claims["az-us-fighter-restrictions-2023"]["quotes"]
    assert quote["match"] == "not-found" and "cannot purchase Western-made fighter jets" in quote["closest"]
    assert {q["match"] for q in claims["az-weapons-in-development-2023"]["quotes"]} == {"exact"}
    forced = claims["az-kaan-cooperation-2023"]["verdict"]
    assert (forced["by"], forced["date"], forced["forced"], forced["reason"]) == (
        "A. Editor", "2024-01-05", True, "Both ministries say so")
    imported = next(c for c in data["claims"] if c["text"] == "Azerbaijan makes all of its own rifles.")["verdict"]
    assert imported["imported"]["url"] == "https://checks.example.net/77" and imported["by"] == "Checkers"
    markdown = run("-C", root, "report", "--format", "markdown").stdout
    row = next(line for line in markdown.splitlines() if line.startswith("| az-us-fighter-restrictions-2023 "))
    assert "**NOT FOUND in the source**" in row
    row = next(line for line in markdown.splitlines() if line.startswith("| az-kaan-cooperation-2023 "))
    assert "Both ministries say so; by A. Editor; 2024-01-05; **forced**" in row
    assert "[the review](<https://checks.example.net/77>)" in markdown
