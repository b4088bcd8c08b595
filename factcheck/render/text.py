"""Text for a person at a terminal: tables, `verify` lines, one claim whole."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from factcheck.errors import Problem
from factcheck.render.escape import terminal

Styler = Callable[[str, str], str]


def plain(text: str, _style: str) -> str:
    """No styling: the default outside a terminal."""
    return text


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, max_text: int = 60) -> str:
    """A grid of rows for reading; long text is shortened, cells are made terminal-safe."""
    from tabulate import tabulate

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        text = terminal(str(value), one_line=True)
        return text if len(text) <= max_text else text[: max_text - 1] + "…"

    body = [[cell(r.get(c)) for c in columns] for r in rows]
    return tabulate(body, headers=list(columns), tablefmt="simple", disable_numparse=True)


def problems(found: Iterable[Problem], style: Styler = plain) -> str:
    """`path:line:col: severity code: message`, one line each, in the order given."""
    lines = []
    for p in found:
        severity = style(p.severity, p.severity)
        lines.append(f"{terminal(str(p.location), one_line=True)}: {severity} {p.code}: {terminal(p.message, one_line=True)}")
    return "\n".join(lines) + ("\n" if lines else "")


def counts_line(counts: dict[str, int], claims: int, sources: int) -> str:
    """The summary of a verify run, for stderr."""
    parts = ", ".join(f"{n} {sev}{'s' if n != 1 and sev != 'info' else ''}" for sev, n in counts.items())
    return f"{claims} claims, {sources} sources: {parts}"


def claim(view: dict[str, Any], style: Styler = plain) -> str:
    """One claim whole, each quote shown in its place in the source."""
    t = terminal
    out = [f"{style(t(view['id'], one_line=True), 'bold')}  [{view['status']}]  {t(view['location'])}"]
    out += _wrap(t(view["text"]), "  ")
    fields = [("claimant", view.get("claimant")), ("date", view.get("date")), ("subject", view.get("subject")),
              ("figure", view.get("figure")), ("measure", view.get("measure")),
              ("tags", ", ".join(view.get("tags", [])) or None)]
    out += [f"  {name:<9} {t(str(value), one_line=True)}" for name, value in fields if value]
    if view.get("note"):
        out += _wrap(t(view["note"], one_line=True), "  note      ", "            ")
    for kind in ("appearances", "evidence"):
        quotes = view.get(kind) or []
        if not quotes:
            continue
        out += ["", f"{kind} ({len(quotes)})"]
        for number, quote in enumerate(quotes, 1):
            out += _quote(number, quote, style)
    if view.get("history"):
        out += ["", "history"]
        for entry in view["history"]:
            by = f" by {t(entry['by'], one_line=True)}" if entry.get("by") else ""
            note = f": {t(entry['note'], one_line=True)}" if entry.get("note") else ""
            out.append(f"  {entry['date']}  {entry['status']}{by}{note}")
    return "\n".join(out) + "\n"


def _quote(number: int, quote: dict[str, Any], style: Styler) -> list[str]:
    t = terminal
    meta = quote.get("source_meta", {})
    about = ", ".join(t(str(meta[k]), one_line=True) for k in ("publisher", "published") if k in meta)
    stance = f"[{quote['stance']}] " if quote.get("stance") else ""
    match = quote["match"]
    kind = match["kind"]
    label = {"exact": "exact", "normalized": "normalised (whitespace, quotes or dashes differ)",
             "not-found": "NOT FOUND", "unknown-source": "UNKNOWN SOURCE"}[kind]
    head = f"  {number}. {stance}{t(quote['source'], one_line=True)}" + (f" ({about})" if about else "")
    lines = [f"{head}: {style(label, 'error' if kind in ('not-found', 'unknown-source') else kind)}"]
    if kind in ("exact", "normalized"):
        shown = f"{t(match['before'], one_line=True)}«{style(t(match['exact'], one_line=True), 'bold')}»" \
                f"{t(match['after'], one_line=True)}"
        lines += _wrap(shown, "     ")
        if match.get("occurrences", 1) > 1:
            lines.append(f"     (the words occur {match['occurrences']} times; this is the first that fits)")
    else:
        lines += _wrap(f"quote: {t(quote['text'], one_line=True)}", "     ")
        if kind == "not-found":
            lines += _wrap(t(match["reason"], one_line=True), "     ")
            if match.get("closest"):
                lines += _wrap(f"closest passage ({match['score']:g}% similar): "
                               f"{t(match['closest'], one_line=True)}", "     ")
    return lines


def _wrap(text: str, indent: str, subsequent: str | None = None) -> list[str]:
    return textwrap.wrap(text, width=100, initial_indent=indent, subsequent_indent=subsequent or indent,
                         break_long_words=False, break_on_hyphens=False) or [indent.rstrip()]
