"""The comparison behind the capture extra's choice of libraries: `python -m bench.extractors`.

Article extraction, trafilatura against readability-lxml, on the test pages (tests/capture): how many of the
article's sentences reach the text, how much page furniture does, what each gives out, and the time. PDF
text, pypdf against pdfplumber, on a PDF made from text and one printed by Chromium: the sentences found and
the time. readability-lxml and pdfplumber are not dependencies: install them to run this (pip install
readability-lxml pdfplumber).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pdf_material import text_pdf  # noqa: E402
from tests.test_capture import FURNITURE, REPORT_PAGES, article_sentences  # noqa: E402

PAGES = [(ROOT / "tests/capture/newsaz-2024-09-24.html", ROOT / "sources/newsaz-2024-09-24.txt", "px\n", "News.Az"),
         (ROOT / "tests/capture/azernews-2023-09-29.html", ROOT / "sources/azernews-2023-09-29.txt", "Read more\n",
          "Abbas Ganbay is")]


def timed(function: Callable[[], str | None], repeat: int = 20) -> tuple[str | None, float]:
    start = time.perf_counter()
    for _ in range(repeat):
        out = function()
    return out, (time.perf_counter() - start) / repeat


def trafilatura_text(data: bytes) -> str | None:
    import trafilatura

    return trafilatura.extract(data, include_comments=False, deduplicate=False)  # type: ignore[no-any-return]


def readability_text(data: bytes) -> str | None:
    import lxml.html
    from readability import Document

    tree = lxml.html.fromstring(Document(data.decode("utf-8")).summary())
    for element in tree.iter("p", "div", "li", "h1", "h2", "h3", "br"):
        element.tail = "\n" + (element.tail or "")
    return tree.text_content()  # type: ignore[no-any-return]


def pages() -> None:
    print("article extraction    sentences   furniture leaked   text out   metadata it gives            ms a page")
    offers = {"trafilatura": "title author date url sitename", "readability-lxml": "title (the rest: htmldate)"}
    outputs = {"trafilatura": "text", "readability-lxml": "HTML"}
    for name, extract in (("trafilatura", trafilatura_text), ("readability-lxml", readability_text)):
        found = total = leaked = 0
        seconds = 0.0
        for page, snapshot, start, end in PAGES:
            text, took = timed(lambda page=page, extract=extract: extract(page.read_bytes()))
            flat = " ".join((text or "").split())
            wanted = article_sentences(snapshot, start, end)
            found += sum(s in flat for s in wanted)
            total += len(wanted)
            leaked += sum(word in (text or "") for word in FURNITURE)
            seconds += took
        print(f"{name:20}  {found:>4}/{total:<4}   {leaked:>8}           {outputs[name]:8}   {offers[name]:28} "
              f"{1000 * seconds / len(PAGES):.1f}")


def pdfs() -> None:
    made = [("from text", text_pdf(REPORT_PAGES))]
    chromium = shutil.which("chromium")
    if chromium:
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "page.pdf"
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                            f"--print-to-pdf={out}", (ROOT / "tests/capture/azernews-2023-09-29.html").as_uri()],
                           capture_output=True, check=True, timeout=60)
            made.append(("printed by Chromium", out.read_bytes()))
    wanted = article_sentences(ROOT / "sources/azernews-2023-09-29.txt", "Read more\n", "Abbas Ganbay is")
    print("\nPDF text          PDF                   sentences   ms a PDF")
    for name, extract in (("pypdf", pypdf_text), ("pdfplumber", pdfplumber_text)):
        for label, data in made:
            text, took = timed(lambda data=data, extract=extract: extract(data), repeat=5)
            flat = " ".join(re.sub(r"(\w)-\n(\w)", r"\1-\2", text or "").split())
            found = sum(s in flat for s in wanted) if label != "from text" else sum(
                line in flat for page in REPORT_PAGES for line in page if line and not line.endswith("-"))
            total = len(wanted) if label != "from text" else sum(1 for page in REPORT_PAGES for line in page
                                                                 if line and not line.endswith("-"))
            print(f"{name:16}  {label:20}  {found:>4}/{total:<4}    {1000 * took:.1f}")


def pypdf_text(data: bytes) -> str:
    import io

    import pypdf

    return "\n\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def pdfplumber_text(data: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n\n".join(page.extract_text() or "" for page in pdf.pages)


if __name__ == "__main__":
    pages()
    pdfs()
