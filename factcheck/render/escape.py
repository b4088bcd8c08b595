"""The escaping rules of each output, one function per format, so no text reaches an output raw."""

from __future__ import annotations

import functools
import re

# C0 and C1 controls, and the characters that reorder or hide text on a terminal: bidi overrides, isolates
# and marks, zero-width joiners and the invisible operators (U+2060-U+2064), the deprecated format
# characters, interlinear annotation marks, and the tag block (U+E0000-U+E007F), which can spell hidden text.
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\U000e0000-\U000e007f]"
)


def without_controls(text: str) -> str:
    """The text less every character `terminal` strips (line breaks and tabs kept)."""
    return text if text.isprintable() else _TERMINAL_UNSAFE.sub("", text)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal(text: str, *, one_line: bool = False) -> str:
    """Text safe to print on a terminal: no escape sequences, no reordering characters."""
    if text.isprintable():  # no control, format (bidi) or separator characters: nothing to strip
        return text
    if one_line:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _TERMINAL_UNSAFE.sub("", text)


def csv_cell(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    if text.startswith(_FORMULA_START) or text.lstrip().startswith(_FORMULA_START):  # trimmed, it would still run
        return "'" + text
    return text


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()<>|#~!{}])")


# What GitHub turns into links or notifications in text after rendering, so that no escape can stop it:
# autolinks (http://, https://, www., e-mail addresses), @mentions, and issue references (#123, GH-123,
# owner/repo#123). Such a run of ledger text is put in a code span, where GitHub links and notifies nothing.
_GITHUB_LIVE = re.compile(
    r"(?:https?://|www\.)[^\s<>`|]+"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_{}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|(?<![\w`])@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9_.-]+)?"
    r"|(?<![\w&])(?:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)?#\d+|(?<!\w)GH-\d+", re.IGNORECASE)


def markdown(text: str) -> str:
    """Inline Markdown text that renders as the characters given: no markup, no HTML, no table breaks, and
    nothing GitHub would link or notify (see _GITHUB_LIVE)."""
    text = " ".join(without_controls(text).split())  # a newline would end a table row or a list item
    if "@" not in text and "#" not in text and "://" not in text and "www." not in text.lower() \
            and "gh-" not in text.lower():
        return _MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))
    out, at = [], 0
    for live in _GITHUB_LIVE.finditer(text):
        out.append(_MARKDOWN_SPECIAL.sub(r"\\\1", text[at:live.start()].replace("&", "&amp;")))
        out.append(f"`{live.group()}`")  # a code span: its text is shown as it is, and never linked
        at = live.end()
    out.append(_MARKDOWN_SPECIAL.sub(r"\\\1", text[at:].replace("&", "&amp;")))
    return "".join(out)



def html(text: str) -> str:
    """Text for HTML, in an element or a quoted attribute: `& < > " '` become references (as the standard
    library's html.escape writes them, spelt out here to save a call on each of a report's million texts),
    and control and hiding characters (ESC, bidi overrides, the tag block) are dropped."""
    if not text.isprintable():  # controls and hiding characters go, as for a terminal (newlines stay)
        text = _TERMINAL_UNSAFE.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#x27;")


_URL_UNSAFE = re.compile(r'[\x00-\x20<>"`]')


@functools.lru_cache(maxsize=1 << 16)  # a report links each source once per quote of it, and lists it once
def safe_url(url: str | None) -> str | None:
    """The url when it is an http(s) address fit for a link; None for anything else (javascript:, data:, ...)."""
    if not url:
        return None
    from urllib.parse import urlsplit

    cleaned = url.strip()
    if _URL_UNSAFE.search(cleaned):
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    return cleaned if parts.scheme.lower() in ("http", "https") and parts.netloc else None
