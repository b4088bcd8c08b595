"""The HTML report in a real headless Chromium: no console errors, no network, no script runs, charts shown."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, REPO, run

ARTIFACTS = REPO / "build" / "test-artifacts"

if CHROMIUM is None and not os.environ.get("FACTCHECK_REQUIRE_BROWSER"):
    pytest.skip("Chromium is not installed (CI installs it and sets FACTCHECK_REQUIRE_BROWSER)",
                allow_module_level=True)

HOSTILE = '<script>window.__injected = 1</script><img src=x onerror="window.__injected = 2"> & "quotes"'


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
    assert charts.count() == 2  # the subjects with two figures; the three with one get a card
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
    labels = page.locator("figure.chart").nth(1).inner_text()
    assert "more than 800 weapons" in labels and "NOT COMPARABLE" in labels and "what the bound allows" in labels
    assert page.locator(".figure-card").count() == 3
    assert "more than 30 countries" in page.locator("#subject-2 .figure-card").inner_text()
    assert "4th" in page.locator("figure.chart").nth(0).inner_text()
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


def test_problems_are_listed_in_pieces_each_as_written(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The problems' table is written a few rows at a time, outside the template: every problem is a row, in
    order, its message (here quoting a hostile source's own characters) shown as text, never run."""
    import hashlib
    from unittest import mock

    from factcheck.render import html

    said = [f"<script>window.__injected = {n}</script> said \u201cweapons {n}\u201d" for n in range(1, 6)]
    snapshot = "\n".join(said) + "\n"
    typed = [words.replace("\u201c", '"').replace("\u201d", '"') for words in said]  # found only after folding
    claims = "".join(f"  - id: c{n}\n    text: t\n    claimant: c\n    date: 2024-01-0{n}\n    appearances:\n"
                     f"      - source: src\n        text: {json.dumps(typed[n - 1])}\n" for n in range(1, 6))
    (tmp_path / "claims.yaml").write_text("claims:\n" + claims)
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "src.txt").write_text(snapshot)
    digest = hashlib.sha256(snapshot.encode()).hexdigest()
    (tmp_path / "sources" / "src.yaml").write_text(f"title: t\npublished: 2024-01-01\nsha256: {digest}\n")
    report = tmp_path / "report.html"
    rows = html.problem_rows
    with mock.patch.object(html, "problem_rows", lambda items: rows(items, every=2)):
        # (each claim is dated after the source it appears in: four errors)
        assert run("-C", tmp_path, "report", "--format", "html", "-o", report).exit_code == 1
    page, console, _ = open_report(browser, report)
    assert page.evaluate("window.__injected === undefined") and console == []
    assert page.locator("#problems script").count() == 0
    rows = page.locator("#problems tbody tr").all_inner_texts()
    assert len(rows) == 9  # in five pieces
    lines = [int(row.split(":")[1]) for row in rows]
    assert lines == sorted(lines)
    folded = [row for row in rows if "quote-normalized" in row]
    assert len(folded) == 5
    for n, row in enumerate(folded, 1):
        assert row.startswith(f"claims.yaml:{8 + 7 * (n - 1)}:") and f"'{said[n - 1]}'" in row


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


FOUR_CLAIMS = """\
claims:
  - {id: w-2022, text: Azerbaijan makes 600 weapons., claimant: Minister, date: 2022-09-29, subject: output,
     quantity: {value: 600, bound: exactly, unit: weapons}, measure: weapon designs}
  - {id: w-2023, text: Azerbaijan is working on more than 800 new weapons., claimant: Minister, date: 2023-09-29,
     subject: output, quantity: {value: 800, bound: more-than, unit: weapons}, measure: weapon designs}
  - {id: p-2024, text: Azerbaijan makes more than 1000 military products., claimant: President, date: 2024-09-24,
     subject: output, quantity: {value: 1000, bound: more-than, unit: military products},
     measure: products in production}
  - {id: w-2025, text: Azerbaijan has about 1200 weapons., claimant: Minister, date: 2025-01-01, subject: output,
     quantity: {value: 1200, bound: about, unit: weapons}, measure: weapon designs}
  - {id: f-1, text: Three factories., claimant: Minister, date: 2024-09-20, subject: factories,
     quantity: {value: 3, bound: exactly, unit: factories}}
  - {id: f-2, text: Two factories., claimant: Minister, date: 2024-09-24, subject: factories,
     quantity: {value: 2, bound: at-least, unit: factories}}
  - {id: f-3, text: One factory., claimant: Minister, date: 2024-10-01, subject: factories,
     quantity: {value: 1, bound: exactly, unit: factories}}
  - {id: single, text: More than 30 countries., claimant: Minister, date: 2023-09-29, subject: buyers,
     quantity: {value: 30, bound: more-than, unit: countries}}
"""

# Every chart's geometry, as the browser lays it out: the labels' boxes, the lines' points, the date ticks'
# boxes and the rendered size of every text.
GEOMETRY = """() => [...document.querySelectorAll("figure.chart svg")].map(svg => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const labels = [...svg.querySelectorAll(".text-overlay text")].map(t => ({text: t.textContent, box: box(t)}));
  const lines = [...svg.querySelectorAll("path")].filter(p => p.getTotalLength() > 0).map(p => {
    const m = p.getScreenCTM(), points = [];
    for (let at = 0; at <= p.getTotalLength(); at += 1) {
      const q = p.getPointAtLength(at); points.push([m.a * q.x + m.c * q.y + m.e, m.b * q.x + m.d * q.y + m.f]);
    }
    return {cls: p.getAttribute("class"), points};
  });
  const dots = [...svg.querySelectorAll("circle")].map(box);
  const ticks = [...svg.querySelectorAll(".axis.x text")].map(t => ({text: t.textContent, box: box(t)}));
  const fonts = [...svg.querySelectorAll("text")].filter(t => t.textContent.trim()).map(
    t => { const m = t.getScreenCTM();
           return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)}; });
  const guides = svg.querySelectorAll(".guide.line").length;
  return {labels, lines, dots, ticks, fonts, guides, y: [...svg.querySelectorAll(".axis.y text")].map(t => t.textContent)};
})"""


def inside(point: list[float], box: list[float], slack: float = 0.5) -> bool:
    return box[0] + slack < point[0] < box[2] - slack and box[1] + slack < point[1] < box[3] - slack


def apart(one: list[float], other: list[float]) -> bool:
    return one[2] <= other[0] or other[2] <= one[0] or one[3] <= other[1] or other[3] <= one[1]


def test_charts_a_reader_can_trust_at_a_glance(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "claims.yaml").write_text(FOUR_CLAIMS, encoding="utf-8")
    report = tmp_path / "report.html"
    assert run("-C", tmp_path, "report", "--format", "html", "-o", report).exit_code == 0
    for width in (1000, 390):
        page, console, _ = open_report(browser, report, width=width)
        assert console == []
        charts = page.evaluate(GEOMETRY)
        assert len(charts) == 2  # "buyers" has one claim: a card
        assert page.locator("#subject-1 .figure-card").inner_text().startswith("more than 30 countries")
        for chart in charts:
            assert chart["guides"] == 0  # no grid: a dashed line through a figure reads as struck through
            labels = chart["labels"]
            assert labels
            for label in labels:
                for line in chart["lines"]:
                    crossing = [p for p in line["points"] if inside(p, label["box"])]
                    assert not crossing, f"{label['text']!r} lies on a line ({line['cls']}) at {width} px"
                for dot in chart["dots"]:
                    assert apart(label["box"], dot), f"{label['text']!r} covers a point at {width} px"
            for i, one in enumerate(labels):
                for other in labels[i + 1:]:
                    assert apart(one["box"], other["box"]), f"{one['text']!r} and {other['text']!r} overlap"
            ticks = chart["ticks"]
            for i, one in enumerate(ticks):
                for other in ticks[i + 1:]:
                    assert apart(one["box"], other["box"]), f"dates {one['text']} and {other['text']} collide"
            if width == 390:
                small = [f for f in chart["fonts"] if f["px"] < 10]
                assert not small, f"text under 10 px on a phone: {small}"
        factories = charts[0]
        assert factories["y"] == [str(n) for n in range(len(factories["y"]))]  # whole numbers for a count
        assert "factories" in page.locator("#subject-2 figure.chart").inner_text()  # the unit on the axis
        assert "units differ" in " ".join(page.locator("#subject-3 figure.chart").inner_text().split())
        assert {t["text"] for t in factories["ticks"]} >= {"2024-09-20", "2024-10-01"}
        page.screenshot(path=str(ARTIFACTS / f"charts-{width}.png"), full_page=True)
