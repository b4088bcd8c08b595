"""Sources from saved web pages and PDFs: the original kept, the text derived from it holding the article
and not the page around it, the metadata the document gives, and every bad file a clear error."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import http.server
import io
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from tests.conftest import REPO, run
from tests.pdf_material import scanned_pdf, text_pdf

PAGES = REPO / "tests" / "capture"
NEWSAZ = PAGES / "newsaz-2024-09-24.html"
AZERNEWS = PAGES / "azernews-2023-09-29.html"

# What the two pages carry around their articles: none of it may reach the text.
FURNITURE = ["cookies", "Accept all", "Politics", "Economy", "Related news", "Most read", "All rights reserved",
             "Advertisement", "Share on", "Telegram", "Tags:", "16 px", "Search news", "Oil prices", "gtag", "dataLayer",
             "Subscribe", "Log in", "Got it", "Latest", "Central bank", "Electric buses", "Podcasts", "_paq",
             "Copyright", "Next page"]


def article_sentences(snapshot: Path, start: str, end: str) -> list[str]:
    """The sentences of the article as the example ledger's snapshot holds them, between two markers."""
    text = snapshot.read_text(encoding="utf-8").split(start, 1)[1].split(end, 1)[0]
    text = text.replace("industry.President", "industry. President").replace("countries.In", "countries. In")
    return [s for s in re.split(r"(?<=[.!?\"”])\s+", " ".join(text.split())) if len(s) > 30]


def new_ledger(root: Path) -> Path:
    assert run("-C", root, "init").exit_code == 0
    return root


def meta_of(root: Path, source_id: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((root / "sources" / f"{source_id}.yaml").read_text(encoding="utf-8"))


def test_a_saved_page_gives_the_article_and_not_the_page_around_it(tmp_path: Path) -> None:
    root = new_ledger(tmp_path)
    added = run("-C", root, "source", "add", NEWSAZ, "--id", "newsaz-2024-09-24")
    assert added.exit_code == 0, added.stderr
    assert "the text of a web page, by trafilatura," in added.stderr
    text = (root / "sources" / "newsaz-2024-09-24.txt").read_text(encoding="utf-8")
    flat = " ".join(text.split())
    sentences = article_sentences(REPO / "sources" / "newsaz-2024-09-24.txt", "px\n", "News.Az")
    assert len(sentences) >= 8
    assert [s for s in sentences if s not in flat] == []
    assert [word for word in FURNITURE if word in text] == []
    assert text.startswith("President Ilham Aliyev's congratulatory letter to the participants of ADEX-2024 and "
                           "Securex Caspian\n\n“The government pays")
    # the original, byte for byte, with its own sha256; the metadata from the page itself
    assert (root / "sources" / "newsaz-2024-09-24.html").read_bytes() == NEWSAZ.read_bytes()
    meta = meta_of(root, "newsaz-2024-09-24")
    assert meta["original"]["format"] == "html"
    assert meta["original"]["sha256"] == hashlib.sha256(NEWSAZ.read_bytes()).hexdigest()
    assert meta["original"]["extractor"].startswith("trafilatura ")
    assert meta["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert meta["title"].startswith("President Ilham Aliyev's congratulatory letter")
    assert (meta["publisher"], meta["url"], meta["language"]) == ("News.Az", "https://news.example/news/adex-2024-letter", "en")
    assert str(meta["published"]) == "2024-09-24"
    assert run("-C", root, "verify").exit_code == 0
    assert run("-C", root, "fmt", "--check").exit_code == 0


def test_the_second_page_too_and_the_options_override_what_the_page_says(tmp_path: Path) -> None:
    root = new_ledger(tmp_path)
    added = run("-C", root, "source", "add", AZERNEWS, "--id", "azernews", "--publisher", "AzerNews (Baku)",
                "--published", "2023-09-30", "--url", "https://www.azernews.az/analysis/215436.html")
    assert added.exit_code == 0, added.stderr
    text = (root / "sources" / "azernews.txt").read_text(encoding="utf-8")
    sentences = article_sentences(REPO / "sources" / "azernews-2023-09-29.txt", "Read more\n", "Abbas Ganbay is")
    assert len(sentences) >= 35
    assert [s for s in sentences if s not in " ".join(text.split())] == []
    assert [word for word in FURNITURE if word in text] == []
    meta = meta_of(root, "azernews")
    assert (meta["publisher"], str(meta["published"]), meta["url"]) == \
        ("AzerNews (Baku)", "2023-09-30", "https://www.azernews.az/analysis/215436.html")
    assert meta["authors"] == ["Abbas Ganbay"]  # from the page, not given


def test_a_quote_from_the_captured_page_verifies_and_names_its_source(tmp_path: Path) -> None:
    root = new_ledger(tmp_path)
    assert run("-C", root, "source", "add", NEWSAZ, "--id", "newsaz").exit_code == 0
    assert run("-C", root, "claim", "add", "--id", "products-2024", "--text", "More than 1000 military products.",
               "--claimant", "Ilham Aliyev", "--date", "2024-09-24").exit_code == 0
    quoted = run("-C", root, "quote", "products-2024", "newsaz", "today more than 1000 military products are produced")
    assert quoted.exit_code == 0, quoted.stderr
    assert run("-C", root, "verify").exit_code == 0


@pytest.mark.parametrize("name", ["saved-page", "article.php", "page.HTM", "page.xhtml"])
def test_a_page_is_known_by_its_content_whatever_its_name(tmp_path: Path, name: str) -> None:
    root = new_ledger(tmp_path / "ledger")
    saved = tmp_path / name
    saved.write_bytes(NEWSAZ.read_bytes())
    assert run("-C", root, "source", "add", saved, "--id", "page").exit_code == 0
    assert (root / "sources" / "page.html").read_bytes() == NEWSAZ.read_bytes()


def test_markup_in_a_txt_file_or_from_stdin_as_text_is_kept_as_text(tmp_path: Path) -> None:
    root = new_ledger(tmp_path / "ledger")
    saved = tmp_path / "notes.txt"
    saved.write_text("<html> is how a page begins; these notes say so.\n", encoding="utf-8")
    assert run("-C", root, "source", "add", saved, "--id", "notes").exit_code == 0
    assert (root / "sources" / "notes.txt").read_bytes() == saved.read_bytes()
    assert "original" not in meta_of(root, "notes")
    from click.testing import CliRunner

    from factcheck.cli import cli

    piped = CliRunner().invoke(cli, ["-C", str(root), "source", "add", "-", "--id", "piped", "--as", "text"],
                               input=NEWSAZ.read_bytes())
    assert piped.exit_code == 0, piped.stderr
    assert (root / "sources" / "piped.txt").read_bytes() == NEWSAZ.read_bytes()
    detected = CliRunner().invoke(cli, ["-C", str(root), "source", "add", "-", "--id", "detected"], input=NEWSAZ.read_bytes())
    assert detected.exit_code == 0 and (root / "sources" / "detected.html").is_file()


def written(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "sources").iterdir())


@pytest.mark.parametrize(("data", "name", "says"), [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "page.html", "is a PNG image, not a web page"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "capture.html", "is a JPEG image"),
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "page.html", "is an SVG image"),
    (b"PK\x03\x04" + b"\x00" * 64, "report.pdf", "is a ZIP archive"),
    (b"Just some words that someone saved.\n", "page.html", "is named as a web page but holds no HTML"),
    (b"Just some words.\n", "report.pdf", "is named as a PDF but is not one"),
])
def test_a_file_that_is_something_else_is_refused_naming_it(tmp_path: Path, data: bytes, name: str, says: str) -> None:
    root = new_ledger(tmp_path / "ledger")
    saved = tmp_path / name
    saved.write_bytes(data)
    before = written(root)
    refused = run("-C", root, "source", "add", saved, "--id", "bad")
    assert refused.exit_code != 0
    assert str(saved) in refused.stderr and says in refused.stderr and "Traceback" not in refused.stderr
    assert written(root) == before


def test_a_page_with_no_article_is_refused(tmp_path: Path) -> None:
    root = new_ledger(tmp_path)
    before = written(root)
    refused = run("-C", root, "source", "add", PAGES / "section-front.html", "--id", "front")
    assert refused.exit_code != 0
    assert "section-front.html: no article found in the page" in refused.stderr
    assert written(root) == before


REPORT_PAGES = [
    ["Annual report on the defence industry", "",
     "The ministry reports that more than 1000 military prod-",
     "ucts are now made in the country, and that military products",
     "are shown at a well-", "known exhibition each autumn. A well-known exhibition",
     "is one that buyers visit."],
    ["Exports", "", "Thirty countries have asked to buy weapons from the country,",
     "the ministry says in this report."],
]


def test_a_pdf_gives_its_pages_in_order_with_where_each_begins(tmp_path: Path) -> None:
    root = new_ledger(tmp_path / "ledger")
    saved = tmp_path / "report.pdf"
    saved.write_bytes(text_pdf(REPORT_PAGES, title="Annual report on the defence industry",
                               author="Ministry of Defence Industry"))
    added = run("-C", root, "source", "add", saved, "--id", "report-2024", "--published", "2024-05-02")
    assert added.exit_code == 0, added.stderr
    assert "PDF of 2 pages, by pypdf," in added.stderr
    text = (root / "sources" / "report-2024.txt").read_text(encoding="utf-8")
    # a word broken at a line end is joined where the document writes it whole elsewhere; a hyphenated
    # word stays hyphenated where the document writes it so elsewhere
    assert "more than 1000 military products are now made" in text
    assert "a well-known exhibition each autumn" in text
    meta = meta_of(root, "report-2024")
    assert meta["title"] == "Annual report on the defence industry"
    assert meta["authors"] == ["Ministry of Defence Industry"]
    assert str(meta["published"]) == "2024-05-02"
    pages = meta["original"]["pages"]
    assert pages[0] == 0 and text[pages[1]:].startswith("Exports")
    assert (root / "sources" / "report-2024.pdf").read_bytes() == saved.read_bytes()
    # a quote names the page it is on
    assert run("-C", root, "claim", "add", "--id", "exports", "--text", "Thirty countries want to buy weapons.",
               "--claimant", "Ministry", "--date", "2024-05-02").exit_code == 0
    assert run("-C", root, "quote", "exports", "report-2024", "Thirty countries have asked to buy weapons").exit_code == 0
    shown = run("-C", root, "show", "exports")
    assert "exact, page 2" in shown.stdout
    assert run("-C", root, "verify").exit_code == 0


def test_a_hyphen_at_a_line_end_is_kept_where_the_document_does_not_say_it_is_a_break() -> None:
    from factcheck.editing import capture

    derived = capture.derive(text_pdf([["The co-", "operation agreement was signed. Its high-", "precision parts",
                                        "are made in a fac-", "tory, the only factory of its kind, and in a work-",
                                        "shop."]]), "pdf", "doc.pdf")
    # neither "cooperation" nor "highprecision" elsewhere: the document's hyphen stays, the line break goes
    assert "The co-operation agreement was signed. Its high-precision parts" in derived.text
    assert "are made in a factory, the only factory" in derived.text  # written whole elsewhere: certain
    assert "in a work-shop." in derived.text
def encrypted(data: bytes, password: str, algorithm: str = "RC4-128") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password="owner", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_restricted_only_by_its_owner_is_read(tmp_path: Path) -> None:
    root = new_ledger(tmp_path / "ledger")
    saved = tmp_path / "restricted.pdf"
    saved.write_bytes(encrypted(text_pdf(REPORT_PAGES), ""))
    assert run("-C", root, "source", "add", saved, "--id", "restricted").exit_code == 0
    assert "Thirty countries" in (root / "sources" / "restricted.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(("make", "says"), [
    (lambda: text_pdf(REPORT_PAGES)[:900], "the PDF is cut short"),
    (lambda: encrypted(text_pdf(REPORT_PAGES), "secret"), "the PDF is encrypted with a password"),
    (lambda: scanned_pdf(), "the PDF has no text layer (a scan"),
    (lambda: b"%PDF-1.4\n" + b"garbage " * 200 + b"\n%%EOF\n", "cannot be read as a PDF"),
])
def test_a_pdf_without_text_to_take_is_a_clear_error(tmp_path: Path, make, says: str) -> None:  # type: ignore[no-untyped-def]
    root = new_ledger(tmp_path / "ledger")
    saved = tmp_path / "statement.pdf"
    saved.write_bytes(make())
    before = written(root)
    refused = run("-C", root, "source", "add", saved, "--id", "statement")
    assert refused.exit_code != 0
    assert f"{saved}: {says}" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert written(root) == before


def test_a_pdf_with_some_pages_scanned_warns_which(tmp_path: Path) -> None:
    from factcheck.editing import capture

    data = text_pdf([["The first page has words on it."], [], ["So does the third page of it."]])
    derived = capture.derive(data, "pdf", "mixed.pdf")
    assert derived.warnings == ["mixed.pdf: page 2 has no text (scanned?): quotes from it cannot be checked"]
    assert derived.pages is not None and len(derived.pages) == 3


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = new_ledger(tmp_path / "ledger")
    monkeypatch.setenv("FACTCHECK_MAX_FILE_SIZE", "0.01")  # MiB
    big = tmp_path / "huge.html"
    big.write_bytes(NEWSAZ.read_bytes() * 3)
    before = written(root)
    refused = run("-C", root, "source", "add", big, "--id", "huge")
    assert refused.exit_code != 0
    assert f"{big}: larger than the limit of 10485 bytes (FACTCHECK_MAX_FILE_SIZE, in MiB)" in refused.stderr
    assert written(root) == before


def test_verify_checks_the_original_is_the_one_recorded(tmp_path: Path) -> None:
    root = new_ledger(tmp_path)
    assert run("-C", root, "source", "add", NEWSAZ, "--id", "newsaz").exit_code == 0
    original = root / "sources" / "newsaz.html"
    original.write_bytes(original.read_bytes().replace(b"1000 military", b"2000 military"))
    checked = run("-C", root, "verify")
    assert checked.exit_code == 1
    assert re.search(r"sources/newsaz.yaml:\d+:\d+: error source-modified: the original sources/newsaz.html has sha256",
                     checked.stdout), checked.stdout
    assert "ORIGINAL ALTERED" in run("-C", root, "source", "list").stdout
    original.unlink()
    checked = run("-C", root, "verify")
    assert "error source-incomplete: the original sources/newsaz.html that the metadata records is missing" in checked.stdout
    stray = root / "sources" / "other.pdf"
    stray.write_bytes(text_pdf(REPORT_PAGES))
    checked = run("-C", root, "verify")
    assert "sources/other.pdf" in checked.stdout and checked.exit_code == 1


def test_rename_and_remove_carry_the_original(tmp_path: Path) -> None:
    root = new_ledger(tmp_path)
    assert run("-C", root, "source", "add", NEWSAZ, "--id", "newsaz").exit_code == 0
    assert run("-C", root, "source", "rename", "newsaz", "newsaz-2024").exit_code == 0
    assert written(root) == ["newsaz-2024.html", "newsaz-2024.txt", "newsaz-2024.yaml"]
    assert run("-C", root, "verify").exit_code == 0
    assert run("-C", root, "source", "remove", "newsaz-2024").exit_code == 0
    assert written(root) == []


def as_if_an_older_extractor(root: Path, source_id: str, text: str, extractor: str) -> None:
    """The source as an older extractor left it: another text, recorded with its sha256."""
    (root / "sources" / f"{source_id}.txt").write_text(text, encoding="utf-8")
    path = root / "sources" / f"{source_id}.yaml"
    meta = path.read_text(encoding="utf-8")
    meta = re.sub(r"^sha256: \w+", f"sha256: {hashlib.sha256(text.encode()).hexdigest()}", meta, flags=re.MULTILINE)
    meta = re.sub(r"extractor: .*", f"extractor: {extractor}", meta)
    path.write_text(meta, encoding="utf-8")


def test_reextract_says_whether_the_text_would_change_and_which_quotes_it_would_lose(tmp_path: Path) -> None:
    root = new_ledger(tmp_path)
    assert run("-C", root, "source", "add", NEWSAZ, "--id", "newsaz").exit_code == 0
    same = run("-C", root, "source", "reextract", "newsaz", "--check")
    assert same.exit_code == 0 and "derives the same text" in same.stderr
    current = (root / "sources" / "newsaz.txt").read_text(encoding="utf-8")
    older = current + "\nNews.Az\n\nRelated news: Caspian ports see growth in container traffic\n"
    as_if_an_older_extractor(root, "newsaz", older, "trafilatura 1.6.0")
    assert run("-C", root, "claim", "add", "--id", "ports", "--text", "Caspian ports grow.", "--claimant", "News.Az",
               "--date", "2024-09-24").exit_code == 0
    assert run("-C", root, "quote", "ports", "newsaz", "Caspian ports see growth in container traffic").exit_code == 0
    assert run("-C", root, "verify").exit_code == 0
    checked = run("-C", root, "source", "reextract", "newsaz", "--check", "--diff")
    assert checked.exit_code == 1
    assert "derives another text from sources/newsaz.html than trafilatura 1.6.0 did" in checked.stderr
    assert "ports quote 1: 'Caspian ports see growth in container traffic'" in checked.stderr
    assert "-Related news: Caspian ports see growth in container traffic" in checked.stdout
    assert (root / "sources" / "newsaz.txt").read_text(encoding="utf-8") == older  # --check writes nothing
    refused = run("-C", root, "source", "reextract", "newsaz")
    assert refused.exit_code != 0 and "1 quote would no longer be found" in refused.stderr
    assert (root / "sources" / "newsaz.txt").read_text(encoding="utf-8") == older
    forced = run("-C", root, "source", "reextract", "newsaz", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert (root / "sources" / "newsaz.txt").read_text(encoding="utf-8") == current
    meta = meta_of(root, "newsaz")
    assert meta["sha256"] == hashlib.sha256(current.encode()).hexdigest()
    assert meta["original"]["extractor"].startswith("trafilatura 2.")
    checked = run("-C", root, "verify")
    assert checked.exit_code == 1 and "quote-not-found" in checked.stdout  # the quote the new text lost


def test_reextract_without_lost_quotes_writes_and_keeps_the_ledger_valid(tmp_path: Path) -> None:
    root = new_ledger(tmp_path)
    assert run("-C", root, "source", "add", NEWSAZ, "--id", "newsaz").exit_code == 0
    current = (root / "sources" / "newsaz.txt").read_text(encoding="utf-8")
    as_if_an_older_extractor(root, "newsaz", current.replace("\n\n", "\n"), "trafilatura 1.6.0")
    assert run("-C", root, "verify").exit_code == 0
    done = run("-C", root, "source", "reextract", "newsaz")
    assert done.exit_code == 0 and "written" in done.stderr
    assert (root / "sources" / "newsaz.txt").read_text(encoding="utf-8") == current
    assert run("-C", root, "verify").exit_code == 0
    assert run("-C", root, "fmt", "--check").exit_code == 0


def test_reextract_of_a_source_added_as_text_says_there_is_no_original(tmp_path: Path) -> None:
    root = new_ledger(tmp_path / "ledger")
    saved = tmp_path / "notes.txt"
    saved.write_text("Plain words, saved as they are.\n", encoding="utf-8")
    assert run("-C", root, "source", "add", saved, "--id", "notes").exit_code == 0
    refused = run("-C", root, "source", "reextract", "notes")
    assert refused.exit_code != 0 and "was not added from a web page or a PDF" in refused.stderr


def test_without_the_capture_extra_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from factcheck.editing import capture
    from factcheck.errors import FactcheckError

    monkeypatch.setitem(sys.modules, "trafilatura", None)  # as if it were not installed
    with pytest.raises(FactcheckError, match=r"pip install 'factcheck-ledger\[capture\]'"):
        capture.derive(NEWSAZ.read_bytes(), "html", "page.html")


@pytest.mark.parametrize("command", [["verify"], ["list"], ["report", "--format", "html"]])
def test_commands_that_do_not_read_pages_never_import_the_extractors(example: Path, command: list[str]) -> None:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "factcheck", "-C", str(example), *command],
                          capture_output=True, text=True, check=False)
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "factcheck" in imported
    assert {name.split(".")[0] for name in imported} & {"trafilatura", "pypdf", "htmldate", "justext"} == set()
    assert "urllib.request" not in imported


# --- from an address: a local HTTP server on the loopback address only ------------------------------------

class Site(http.server.BaseHTTPRequestHandler):
    """A small site: an article, a redirect to it, a PDF, text, errors, a slow page, a huge one, and a
    redirect out of http."""

    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            with contextlib.suppress(OSError):
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
            return
        status, headers, body = self.routes.get(self.path, (404, {}, b"not here"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    Site.routes = {
        "/article": (200, {"Content-Type": "text/html; charset=utf-8"}, NEWSAZ.read_bytes()),
        "/moved": (301, {"Location": "/article"}, b""),
        "/report.pdf": (200, {"Content-Type": "application/pdf"}, text_pdf(REPORT_PAGES)),
        "/notes": (200, {"Content-Type": "text/plain"}, b"A statement, as plain text.\n"),
        "/gone": (410, {}, b"gone"),
        "/to-a-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/huge": (200, {"Content-Type": "text/html"}, b"<html>" + b"x" * (2 * 1024 * 1024)),
    }
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = False  # so that server_close waits for every answer (the slow page's too): a
    # thread left running would keep a later test's read path from forking
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def test_a_page_from_its_address_is_kept_with_where_and_when_it_was_fetched(tmp_path: Path, site: str) -> None:
    root = new_ledger(tmp_path)
    added = run("-C", root, "source", "add", f"{site}/moved", "--id", "newsaz")
    assert added.exit_code == 0, added.stderr
    assert (root / "sources" / "newsaz.html").read_bytes() == NEWSAZ.read_bytes()
    meta = meta_of(root, "newsaz")
    assert meta["original"]["fetched_from"] == f"{site}/article"  # after the redirect
    fetched = dt.datetime.fromisoformat(meta["original"]["fetched_at"].replace("Z", "+00:00"))
    assert abs((dt.datetime.now(dt.UTC) - fetched).total_seconds()) < 60
    assert str(meta["retrieved"]) == fetched.date().isoformat()
    assert meta["url"] == "https://news.example/news/adex-2024-letter"  # the page's own address, as it gives it
    assert run("-C", root, "verify").exit_code == 0


def test_a_pdf_and_text_from_their_addresses(tmp_path: Path, site: str) -> None:
    root = new_ledger(tmp_path)
    assert run("-C", root, "source", "add", f"{site}/report.pdf", "--id", "report").exit_code == 0
    assert meta_of(root, "report")["original"]["format"] == "pdf"
    assert run("-C", root, "source", "add", f"{site}/notes", "--id", "notes").exit_code == 0
    meta = meta_of(root, "notes")
    assert "original" not in meta and meta["url"] == f"{site}/notes"
    assert (root / "sources" / "notes.txt").read_bytes() == b"A statement, as plain text.\n"


@pytest.mark.parametrize(("address", "says"), [
    ("/gone", "the server answered HTTP 410"),
    ("/nothing-here", "the server answered HTTP 404"),
    ("/to-a-file", "only http and https addresses are fetched, not file:"),
    ("/slow", "no answer within 0.5 s (--timeout)"),
    ("/huge", "the server announces 2097158 bytes, more than the limit of 1048576"),
    ("/endless", "more than the limit of 1048576 bytes"),
])
def test_an_address_that_fails_is_a_clear_error_and_writes_nothing(tmp_path: Path, site: str, address: str, says: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = new_ledger(tmp_path)
    monkeypatch.setenv("FACTCHECK_MAX_FILE_SIZE", "1")
    before = written(root)
    refused = run("-C", root, "source", "add", f"{site}{address}", "--id", "page", "--timeout", "0.5")
    assert refused.exit_code != 0
    assert f"{site}{address}" in refused.stderr and says in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert written(root) == before


@pytest.mark.parametrize("address", ["file:///etc/passwd", "ftp://127.0.0.1/report.pdf", "data:text/html,<p>hi</p>",
                                     "javascript:alert(1)"])
def test_an_address_that_is_not_http_is_refused(tmp_path: Path, address: str) -> None:
    root = new_ledger(tmp_path)
    refused = run("-C", root, "source", "add", address, "--id", "page")
    assert refused.exit_code != 0
    assert "only http and https addresses are fetched" in refused.stderr
    assert written(root) == []


def test_a_page_in_another_charset_gives_its_text_in_utf8(tmp_path: Path) -> None:
    body = "Министр сообщил, что в стране производится более 1000 видов военной продукции. " * 4
    page = (f'<!DOCTYPE html><html lang="ru"><head><meta charset="windows-1251"><title>Новости</title></head>'
            f'<body><nav>Главная Политика Экономика</nav><article><h1>Более 1000 видов продукции</h1><p>{body}</p>'
            f"</article></body></html>")
    root = new_ledger(tmp_path / "ledger")
    saved = tmp_path / "page.html"
    saved.write_bytes(page.encode("cp1251"))
    assert run("-C", root, "source", "add", saved, "--id", "ru-page").exit_code == 0
    text = (root / "sources" / "ru-page.txt").read_text(encoding="utf-8")  # UTF-8, whatever the page's charset
    assert "более 1000 видов военной продукции" in text and "Главная" not in text
    assert (root / "sources" / "ru-page.html").read_bytes() == page.encode("cp1251")  # the original as saved
    assert meta_of(root, "ru-page")["language"] == "ru"


def test_a_reextraction_interrupted_between_its_two_files_is_completed_by_the_next(tmp_path: Path) -> None:
    root = new_ledger(tmp_path)
    assert run("-C", root, "source", "add", NEWSAZ, "--id", "newsaz").exit_code == 0
    current = (root / "sources" / "newsaz.txt").read_text(encoding="utf-8")
    as_if_an_older_extractor(root, "newsaz", current.replace("\n\n", "\n"), "trafilatura 1.6.0")
    (root / "sources" / "newsaz.txt").write_text(current, encoding="utf-8")  # the new text, its metadata not yet
    assert run("-C", root, "verify").exit_code == 1  # source-modified: the sha256 is the old text's
    done = run("-C", root, "source", "reextract", "newsaz")
    assert done.exit_code == 0 and "derives the same text" in done.stderr and "the metadata now records it" in done.stderr
    assert run("-C", root, "verify").exit_code == 0


def test_a_reextraction_whose_metadata_cannot_be_written_leaves_the_text_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from factcheck.editing import sourcing
    from factcheck.errors import FactcheckError

    root = new_ledger(tmp_path)
    assert run("-C", root, "source", "add", NEWSAZ, "--id", "newsaz").exit_code == 0
    current = (root / "sources" / "newsaz.txt").read_text(encoding="utf-8")
    as_if_an_older_extractor(root, "newsaz", current.replace("\n\n", "\n"), "trafilatura 1.6.0")
    before = {p.name: p.read_bytes() for p in (root / "sources").iterdir()}

    def fails(*_args: object) -> None:
        raise FactcheckError("sources/newsaz.yaml: cannot write: Input/output error")

    monkeypatch.setattr(sourcing, "_record_extraction", fails)
    refused = run("-C", root, "source", "reextract", "newsaz")
    assert refused.exit_code != 0 and "Input/output error" in refused.stderr
    assert {p.name: p.read_bytes() for p in (root / "sources").iterdir()} == before


def test_a_page_that_names_the_pdf_header_is_still_a_page() -> None:
    from factcheck.editing import capture

    page = b"<!DOCTYPE html><html><head><title>Every PDF begins %PDF-1.7</title></head><body></body></html>"
    assert capture.kind_of(page, "about-pdf.html") == "html"
    assert capture.kind_of(b"\n\n%PDF-1.4\n...", "odd.pdf") == "pdf"  # a header a few bytes in, as the format allows
