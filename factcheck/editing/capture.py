"""Sources from what people save: a web page or a PDF is kept as it is, and the text that quotes are checked
against is derived from it, the same way every time, by trafilatura (pages) or pypdf (PDFs).

Both come with the `capture` extra and are imported only here, when a page or a PDF is read. What a
document says about itself (title, authors, date, address, language) is offered as its metadata; nothing
is guessed beyond it.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import import_module, metadata
from typing import Any

from factcheck.errors import FactcheckError

FORMATS = ("html", "pdf")
KINDS = ("text", *FORMATS)
SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf"}
EXTRACTORS = {"html": "trafilatura", "pdf": "pypdf"}

# Files that are plainly something else, by their first bytes.
_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"BM", "a BMP image"),
    (b"PK\x03\x04", "a ZIP archive (a Word or OpenDocument file is one)"), (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
]
_HTML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                         rb"<(?:!doctype\s+html|html|head|body|meta|title)\b", re.IGNORECASE | re.DOTALL)
_SVG = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+svg[^>]*>\s*)?<svg\b",
                  re.IGNORECASE | re.DOTALL)


class CaptureError(FactcheckError):
    """A saved page or PDF from which no text can be derived: it names the file and why."""


@dataclass(frozen=True)
class Derived:
    """The text derived from an original, with what the document says about itself."""

    text: str
    extractor: str  # the library and its version: "trafilatura 2.3.1"
    meta: dict[str, Any]  # title, authors, published, url, publisher, language: only what the document holds
    pages: list[int] | None = None  # a PDF's: where each page begins in `text`
    warnings: list[str] = field(default_factory=list)


def kind_of(data: bytes, name: str, declared: str | None = None) -> str:
    """What a saved file is, by its content: "text", "html" or "pdf". Its name decides only between a page and
    text (a `.txt` file is text even when it holds markup); `declared` (--as) decides outright."""
    if declared is not None:
        return declared
    head = data[:4096]
    if head.startswith(b"%PDF-") or (b"%PDF-" in head[:1024] and not _HTML_START.match(head)):
        return "pdf"  # a PDF's header may stand anywhere in its first 1024 bytes; a page may name it too
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise CaptureError(f"{name}: is {what}, not a web page, a PDF or text; nothing was written")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        raise CaptureError(f"{name}: is a WebP image, not a web page, a PDF or text; nothing was written")
    if _SVG.match(head):
        raise CaptureError(f"{name}: is an SVG image, not a web page, a PDF or text; nothing was written")
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if SUFFIXES.get(suffix) == "text":
        return "text"
    if _HTML_START.match(head):
        return "html"
    if SUFFIXES.get(suffix) == "html":
        raise CaptureError(f"{name}: is named as a web page but holds no HTML (it does not begin with <!DOCTYPE html> "
                           "or <html>); add it with --as text if it is text; nothing was written")
    if SUFFIXES.get(suffix) == "pdf":
        raise CaptureError(f"{name}: is named as a PDF but is not one (no %PDF- header); nothing was written")
    return "text"


def derive(data: bytes, kind: str, name: str) -> Derived:
    """The text of an HTML page or a PDF, with its metadata; a CaptureError when there is none to take."""
    return _html(data, name) if kind == "html" else _pdf(data, name)


def extractor_of(kind: str) -> str:
    """The library that derives the text of this kind of original, with its installed version."""
    library = EXTRACTORS[kind]
    _library(library)
    return f"{library} {metadata.version(library)}"


def _library(name: str) -> Any:
    try:
        return import_module(name)
    except ImportError:
        raise FactcheckError(f"reading {'web pages' if name == 'trafilatura' else 'PDFs'} needs {name}, which comes "
                             "with the capture extra: pip install 'factcheck-ledger[capture]'") from None


# --- web pages ---------------------------------------------------------------------------------------------

# Settings fixed here so that the same page always gives the same text: the article's paragraphs and
# tables, no comments, links, images or formatting, no deduplication across pages (it keeps a memory).
_HTML_OPTIONS: dict[str, Any] = {"include_comments": False, "include_tables": True, "include_images": False,
                                 "include_links": False, "include_formatting": False, "deduplicate": False,
                                 "favor_precision": False, "favor_recall": False}
# What counts as an article: a paragraph of running text, or enough text in sentences. A section front,
# a search page or a login wall gives lines of headlines and menus.
_PARAGRAPH_WORDS = 25
_ARTICLE_WORDS = 80


def _html(data: bytes, name: str) -> Derived:
    trafilatura = _library("trafilatura")
    from trafilatura.settings import set_date_params, use_config

    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # a signal-based timeout: not in a library call
    dates = set_date_params(extensive=False)  # the date the page states, never one guessed from its text
    try:
        document = trafilatura.bare_extraction(data, with_metadata=True, config=config, date_extraction_params=dates,
                                               **_HTML_OPTIONS)
    except Exception as exc:  # a library's failure on a hostile page is this file's error, not a traceback
        raise CaptureError(f"{name}: the page cannot be read ({type(exc).__name__}: {exc}); nothing was written") from None
    body = getattr(document, "text", None) or ""
    paragraphs = [" ".join(line.split()) for line in body.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    words = [len(p.split()) for p in paragraphs]
    if not words or (max(words) < _PARAGRAPH_WORDS and sum(n for n in words if n >= 8) < _ARTICLE_WORDS):
        raise CaptureError(f"{name}: no article found in the page (only menus, headlines or short lines); save the "
                           "article's own page, or add its text as a .txt file; nothing was written")
    title = _clean(getattr(document, "title", None))
    if title and paragraphs[0] != title:
        paragraphs.insert(0, title)  # the headline is part of the article, and often quoted
    meta: dict[str, Any] = {
        "title": title,
        "authors": [a for a in (_clean(part) for part in re.split(r"[;|]", getattr(document, "author", None) or "")) if a],
        "url": _clean(getattr(document, "url", None)),
        "publisher": _clean(getattr(document, "sitename", None)),
        "published": _day(getattr(document, "date", None)),
        "language": _page_language(data),
    }
    return Derived("\n\n".join(paragraphs) + "\n", extractor_of("html"), {k: v for k, v in meta.items() if v})


def _page_language(data: bytes) -> str | None:
    """The page's own `<html lang>`, as a language code."""
    match = re.search(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)", data[:8192], re.IGNORECASE)
    return match.group(1).decode("ascii") if match else None


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _clean(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None


# --- PDFs --------------------------------------------------------------------------------------------------

_LINE_END_HYPHEN = re.compile(r"(\w+)[ ]?([-\u2010\u00ad])\n(\w+)")


def _pdf(data: bytes, name: str) -> Derived:
    pypdf = _library("pypdf")
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    if b"%%EOF" not in data[-2048:]:
        raise CaptureError(f"{name}: the PDF is cut short (it has no end-of-file marker): save or download it again; "
                           "nothing was written")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its notes on odd files are not the user's errors
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # only restricted (printing, copying), readable without a password
            except DependencyError:
                raise CaptureError(f"{name}: the PDF is encrypted with AES, which pypdf reads only with the "
                                   "cryptography package: pip install cryptography; nothing was written") from None
            except (FileNotDecryptedError, NotImplementedError):
                opened = 0
            if not opened:
                raise CaptureError(f"{name}: the PDF is encrypted with a password; save an unencrypted copy (print it "
                                   "to PDF) and add that; nothing was written")
        pages = [_page_text(page.extract_text() or "") for page in reader.pages]
        info = reader.metadata or {}
        root = reader.trailer.get("/Root")
        language = root.get_object().get("/Lang") if root is not None else None
    except CaptureError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as exc:
        raise CaptureError(f"{name}: cannot be read as a PDF ({type(exc).__name__}: {exc}); nothing was written") from None
    if not pages:
        raise CaptureError(f"{name}: the PDF has no pages; nothing was written")
    blank = [number for number, text in enumerate(pages, 1) if not text.strip()]
    if len(blank) == len(pages):
        raise CaptureError(f"{name}: the PDF has no text layer (a scan, or pictures of pages): run text recognition "
                           "(OCR) on it and add the text it gives as a .txt file; nothing was written")
    text, starts = "", []
    for page in pages:
        starts.append(len(text))
        text += page.strip("\n") + "\n\n"
    joined, starts = _rejoin_hyphens(text.rstrip("\n") + "\n", starts)
    warnings = [f"{name}: page{'s' if len(blank) > 1 else ''} {', '.join(map(str, blank))} "
                f"{'have' if len(blank) > 1 else 'has'} no text (scanned?): quotes from {'them' if len(blank) > 1 else 'it'} "
                "cannot be checked"] if blank else []
    meta: dict[str, Any] = {
        "title": _clean(info.get("/Title")),
        "authors": [a for a in (_clean(part) for part in re.split(r";", str(info.get("/Author") or ""))) if a],
        "language": _clean(language) if isinstance(language, str) else None,
    }
    return Derived(joined, extractor_of("pdf"), {k: v for k, v in meta.items() if v}, starts, warnings)


def _page_text(text: str) -> str:
    """A page's text with the spaces at the ends of its lines taken off."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _rejoin_hyphens(text: str, starts: list[int]) -> tuple[str, list[int]]:
    """A line that ends in a hyphen between letters joined to the next. The hyphen is taken out only where
    the break is certain: a soft hyphen, or a word the document writes whole elsewhere and never hyphenated.
    Otherwise it is the document's own character and stays ("high-precision"): only the line break goes,
    which would read as a space inside the word. The page starts move with the characters taken out."""
    words = Counter(re.findall(r"\w+(?:[-\u2010]\w+)*", text.replace("\u00ad\n", "").replace("\n", " ")))
    out: list[str] = []
    removed: list[tuple[int, int]] = []  # (where in the old text, how many characters were taken out)
    last = 0
    for match in _LINE_END_HYPHEN.finditer(text):
        before, hyphen, after = match.group(1), match.group(2), match.group(3)
        joined = before + after
        certain = hyphen == "\u00ad" or (words[joined] > 0 and words[f"{before}-{after}"] == 0
                                          and words[f"{before}\u2010{after}"] == 0 and after[0].islower())
        replacement = joined if certain else before + hyphen + after
        out.append(text[last:match.start()])
        out.append(replacement)
        removed.append((match.end(), len(match.group(0)) - len(replacement)))
        last = match.end()
    out.append(text[last:])
    moved = [start - sum(n for at, n in removed if at <= start) for start in starts]
    return "".join(out), moved
