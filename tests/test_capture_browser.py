"""Captures checked against what a reader sees: the pages rendered in a real headless Chromium, the words a
reader would copy from them quoted, and a PDF printed by Chromium added as a source."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, run
from tests.test_capture import AZERNEWS, NEWSAZ, meta_of, new_ledger

if CHROMIUM is None and not os.environ.get("FACTCHECK_REQUIRE_BROWSER"):
    pytest.skip("Chromium is not installed (CI installs it and sets FACTCHECK_REQUIRE_BROWSER)",
                allow_module_level=True)



def rendered(browser, path: Path):  # type: ignore[no-untyped-def]
    """The page as a reader's browser shows it, offline: the ads and trackers it names are not fetched."""
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?\"”])\s+", " ".join(text.split())) if len(s) > 30]


def test_words_copied_from_the_rendered_page_verify_against_the_derived_text(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = new_ledger(tmp_path)
    assert run("-C", root, "source", "add", NEWSAZ, "--id", "newsaz").exit_code == 0
    page = rendered(browser, NEWSAZ)
    seen = page.inner_text("article")  # what a reader sees of the article, and would copy
    headline = page.inner_text("h1")
    page.close()
    copied = [s for s in sentences(seen) if "1000 military products" in s or "44-day Patriotic War" in s]
    assert len(copied) == 2
    assert run("-C", root, "claim", "add", "--id", "products-2024", "--text", "More than 1000 military products.",
               "--claimant", "Ilham Aliyev", "--date", "2024-09-24").exit_code == 0
    for words in (*copied, headline):
        quoted = run("-C", root, "quote", "products-2024", "newsaz", words)
        assert quoted.exit_code == 0, quoted.stderr
    checked = run("-C", root, "verify")
    assert checked.exit_code == 0, checked.stdout
    assert "quote-normalized" not in checked.stdout  # the reader's words, character for character


def test_a_pdf_printed_by_chromium_gives_the_text_a_reader_sees(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = rendered(browser, AZERNEWS)
    seen = page.inner_text(".article-text")
    pdf = tmp_path / "azernews.pdf"
    page.pdf(path=str(pdf), format="A4", tagged=True)  # as Chromium prints by default: with the language
    page.close()
    root = new_ledger(tmp_path / "ledger")
    added = run("-C", root, "source", "add", pdf, "--id", "azernews-print")
    assert added.exit_code == 0, added.stderr
    text = (root / "sources" / "azernews-print.txt").read_text(encoding="utf-8")
    meta = meta_of(root, "azernews-print")
    assert meta["original"]["format"] == "pdf" and len(meta["original"]["pages"]) >= 2
    assert meta["title"].startswith("Azerbaijan to become reference point")  # the page's title, kept by the print
    assert meta["language"] == "en"
    flat = " ".join(text.split())
    read = sentences(seen)
    assert len(read) >= 35
    missing = [s for s in read if s not in flat]
    assert missing == []
    # a sentence the reader copies from the page verifies against the PDF's text, and names its page
    last = read[-1]
    assert run("-C", root, "claim", "add", "--id", "adex-2022", "--text", "Military equipment was shown at ADEX 2022.",
               "--claimant", "AzerNews", "--date", "2023-09-29").exit_code == 0
    assert run("-C", root, "quote", "adex-2022", "azernews-print", last).exit_code == 0
    assert run("-C", root, "verify").exit_code == 0
    shown = run("-C", root, "show", "adex-2022").stdout
    assert re.search(r"page [2-9]", shown), shown
