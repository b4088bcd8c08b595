"""ClaimReview in: JSON-LD of any shape expanded by a JSON-LD processor, each review read as a claim
with the reviewer's own words kept (see ratings for how a label becomes a verdict). No network access: the
schema.org context is bundled (data/schemaorg-context.jsonld) and no other context is fetched."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from factcheck.errors import FactcheckError
from factcheck.exchange.ratings import position, verdict_of
from factcheck.ledger.model import RatingScale
from factcheck.ledger.typed import parse_date

_SCHEMA = ("http://schema.org/", "https://schema.org/")
_CONTEXTS = re.compile(r"https?://schema\.org(?:/|/docs/jsonldcontext\.jsonld?|/docs/jsonldcontext\.json)?")


@dataclass(frozen=True)
class Imported:
    """Claims read from ClaimReview markup, the reviews that could not become claims (with why), warnings
    about reviews imported as their words say, and reviews that repeat an earlier one of the same file."""

    claims: list[dict[str, Any]]
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    repeats: list[str] = field(default_factory=list)


@cache
def _context() -> dict[str, Any]:
    text = resources.files("factcheck").joinpath("data/schemaorg-context.jsonld").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _refuse(url: str) -> FactcheckError:
    return FactcheckError(f"the JSON-LD context {url!r} is not one import knows: only schema.org's is bundled, "
                          "and nothing is fetched over the network")


MAX_NESTING = 64  # levels of JSON: a feed of reviews needs under ten


def _nesting(document: Any) -> int:
    deepest, stack = 0, [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if deepest > MAX_NESTING:
                break
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def expand(document: Any) -> list[dict[str, Any]]:
    """The document expanded by pyld, schema.org's context applied to any part that gives none."""
    from pyld import jsonld

    if _nesting(document) > MAX_NESTING:
        raise FactcheckError(f"nested more than {MAX_NESTING} levels deep: not read (no ClaimReview feed nests "
                             "that far)")

    refused: list[str] = []

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        if _CONTEXTS.fullmatch(url.strip()):
            return {"contextUrl": None, "documentUrl": url, "document": _context()}
        refused.append(url)
        raise _refuse(url)

    try:
        expanded: list[dict[str, Any]] = jsonld.expand(document, {"documentLoader": loader, "expandContext": _context()})
    except jsonld.JsonLdError as exc:
        if refused:
            raise _refuse(refused[0]) from None
        raise FactcheckError(f"not JSON-LD that can be read: {_first_line(exc)}") from None
    return expanded


def _first_line(exc: Exception) -> str:
    return str(exc).strip().split("\n", 1)[0]


def _term(iri: str) -> str | None:
    for base in _SCHEMA:
        if iri.startswith(base):
            return iri[len(base):]
    return None


class _Graph:
    """The expanded document's nodes by @id, so that a reference (`"itemReviewed": {"@id": ...}`) reads as
    the node it names, and every ClaimReview node, in document order."""

    def __init__(self, expanded: list[dict[str, Any]]) -> None:
        self.by_id: dict[str, dict[str, Any]] = {}
        self.reviews: list[dict[str, Any]] = []
        stack: list[Any] = [expanded]
        order: list[dict[str, Any]] = []
        while stack:  # depth first, in order, without recursion
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(reversed(node))
            elif isinstance(node, dict):
                if "@value" in node:
                    continue
                order.append(node)
                children = [value for key, value in node.items() if key not in ("@id", "@type")]
                stack.extend(reversed(children))
        for node in order:
            if "@id" in node and len(node) > 1:
                self.by_id.setdefault(node["@id"], node)
            if any(_term(kind) == "ClaimReview" for kind in node.get("@type", ())):
                self.reviews.append(node)

    def values(self, node: dict[str, Any], name: str) -> list[Any]:
        """A property's values: strings and numbers as they are, nodes with references followed (one step:
        the node named is read the same way, so a cycle of references is never walked)."""
        found: list[Any] = []
        for base in _SCHEMA:
            for value in node.get(base + name, ()):
                if "@value" in value:
                    found.append(value["@value"])
                elif "@list" in value:
                    found.extend(v.get("@value", v) for v in value["@list"])
                elif set(value) == {"@id"}:
                    found.append(self.by_id.get(value["@id"], value))
                else:
                    found.append(value)
        return found

    def text(self, node: dict[str, Any], name: str) -> str | None:
        """The first text value, exactly as written (None when there is none or it is blank)."""
        for value in self.values(node, name):
            if isinstance(value, str) and value.strip():
                return value
            if isinstance(value, dict) and "@id" in value and name in ("url", "sameAs", "identifier"):
                return str(value["@id"])
        return None

    def node(self, node: dict[str, Any], name: str) -> dict[str, Any] | None:
        return next((v for v in self.values(node, name) if isinstance(v, dict)), None)

    def name(self, node: dict[str, Any], name: str) -> str | None:
        """The name of whoever the property names: a person or organisation node, or plain text."""
        names = []
        for value in self.values(node, name):
            if isinstance(value, str) and value.strip():
                names.append(value.strip())
            elif isinstance(value, dict):
                named = self.text(value, "name")
                if named is not None:
                    names.append(named.strip())
        return ", ".join(dict.fromkeys(names)) or None

    def number(self, node: dict[str, Any], name: str) -> float | None:
        for value in self.values(node, name):
            if isinstance(value, bool):
                continue
            if isinstance(value, int | float):
                return float(value)
            if isinstance(value, str):
                try:
                    return float(value.strip())
                except ValueError:
                    continue
        return None

    def url(self, node: Any) -> str | None:
        if isinstance(node, dict):
            node = self.text(node, "url") or node.get("@id")
        if isinstance(node, str) and node.strip().startswith(("http://", "https://")):
            return node.strip()
        return None


def import_claimreview(document: Any, scale: RatingScale) -> Imported:
    """Each review as a claim: its words, claimant and date, appearance urls, the verdict its label's words
    mean, and the review itself (reviewer, label, number and scale, url, identifier, date) kept as given."""
    graph = _Graph(expand(document))
    out = Imported([])
    seen = Matcher()
    for number, review in enumerate(graph.reviews, 1):
        claim = _claim(graph, review, number, scale, out)
        if claim is None:
            continue
        first = seen.find(claim)
        if first is not None:
            out.repeats.append(f"review #{number} ({_short(claim['text'])}) repeats review {first} of this file")
            continue
        seen.add(claim, f"#{number}")
        out.claims.append(claim)
    return out


def _claim(graph: _Graph, review: dict[str, Any], number: int, scale: RatingScale,
           out: Imported) -> dict[str, Any] | None:
    text = graph.text(review, "claimReviewed")
    item = graph.node(review, "itemReviewed") or {}
    if text is None:
        text = graph.text(item, "text") or graph.text(item, "name")
    if text is None:
        out.skipped.append(f"review #{number}: no claimReviewed (nor a text or name of the claim reviewed)")
        return None
    where = f"review #{number} ({_short(text)})"
    claim_date, claim_bad = _date(graph, item, "datePublished")
    if claim_date is None:
        claim_date, _ = _date(graph, item, "dateCreated")
    review_date, review_bad = _date(graph, review, "datePublished")
    if claim_date is None and review_date is None:
        why = "; ".join(b for b in (claim_bad, review_bad) if b) or "neither the claim nor the review has a date"
        out.skipped.append(f"{where}: no date to give the claim: {why}")
        return None
    claimant = graph.name(item, "author")
    rating = graph.node(review, "reviewRating") or {}
    label = graph.text(rating, "alternateName") or graph.text(rating, "name")
    value, best, worst = (graph.number(rating, k) for k in ("ratingValue", "bestRating", "worstRating"))
    verdict = verdict_of(label, scale) if label else None
    reviewer = graph.name(review, "author") or graph.name(review, "publisher") or "unknown"
    notes = []
    if claimant is None:
        notes.append("The review names no claimant.")
    if claim_date is None:
        notes.append(f"The claim's {claim_bad}; the review's date is used." if claim_bad
                     else "The claim's own date is not given; the review's date is used.")
    if not rating:
        notes.append("The review gives no rating.")
    elif label is None:
        notes.append("The review's rating has no words (alternateName or name): its verdict is not read from "
                     "a number alone.")
    elif verdict is None:
        notes.append(f"The review's rating {label!r} is not a label this ledger knows: left unverified.")
    if verdict in ("supported", "refuted") and value is not None and best is not None and worst is not None:
        at = position(value, best, worst)
        if at is not None and ((verdict == "refuted" and at > 0.5) or (verdict == "supported" and at < 0.5)):
            out.warnings.append(
                f"{where}: the label {label!r} says {verdict}, but its number {value:g} on the review's own scale "
                f"({worst:g} worst, {best:g} best) reads {'true' if at > 0.5 else 'false'}: imported as the label says")
    identifier = graph.text(review, "identifier")
    url = graph.url(review)
    kept: dict[str, Any] = {"by": reviewer, "label": label, "value": value, "best": best, "worst": worst, "url": url,
                            "identifier": identifier, "date": review_date}
    claim: dict[str, Any] = {
        "id": stable_id(url or identifier, text, claimant, claim_date or review_date),
        "text": text, "claimant": claimant or "unknown", "date": claim_date or review_date,
        "status": verdict or "unverified",
        "review": {k: v for k, v in kept.items() if v is not None},
    }
    if notes:
        claim["note"] = " ".join(notes)
    urls = [u for u in (graph.url(a) for a in [*graph.values(item, "firstAppearance"), *graph.values(item, "appearance")])
            if u]
    if urls:
        claim["appearance_urls"] = list(dict.fromkeys(urls))
    return claim


def _date(graph: _Graph, node: dict[str, Any], name: str) -> tuple[dt.date | None, str | None]:
    """A date as feeds write it (see typed.parse_date), or None and why it could not be read."""
    written = graph.text(node, name)
    if written is None:
        return None, None
    try:
        return parse_date(written, partial=True), None
    except ValueError as exc:
        return None, f"its {name} {written!r} cannot be read ({exc})"


def match_keys(claim: dict[str, Any]) -> tuple[list[tuple[str, ...]], tuple[str, ...]]:
    """What says an incoming claim is one already there: the review's url or identifier (a ledger's own
    export gives each claim's id as its identifier); and its words, claimant and date, which decide only
    when one of the two has neither url nor identifier (two reviews at two addresses are two reviews)."""
    review = claim.get("review") or {}
    strong: list[tuple[str, ...]] = []
    if review.get("url"):
        strong.append(("url", review["url"]))
    if review.get("identifier"):
        strong += [("identifier", review["identifier"]), ("id", review["identifier"])]
    date = claim["date"]
    return strong, ("words", claim["text"], claim["claimant"], date.isoformat() if isinstance(date, dt.date) else str(date))


class Matcher:
    """Claims already seen, found again by `match_keys`."""

    def __init__(self) -> None:
        self._strong: dict[tuple[str, ...], str] = {}
        self._words: dict[tuple[str, ...], list[tuple[str, bool]]] = {}

    def add(self, claim: dict[str, Any], name: str, claim_id: str | None = None) -> None:
        strong, words = match_keys(claim)
        for key in strong + ([("id", claim_id)] if claim_id else []):
            self._strong.setdefault(key, name)
        self._words.setdefault(words, []).append((name, bool(strong)))

    def find(self, claim: dict[str, Any]) -> str | None:
        strong, words = match_keys(claim)
        for key in strong:
            if key in self._strong:
                return self._strong[key]
        for name, has_strong in self._words.get(words, ()):
            if not strong or not has_strong:
                return name
        return None


def stable_id(key: str | None, text: str, claimant: str | None, date: dt.date | None) -> str:
    """An id derived from the review: the same review gives the same id on every import."""
    key = key or "|".join([text, claimant or "", date.isoformat() if date else ""])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    words = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = "-".join(re.findall(r"[a-z0-9]+", words))[:48].strip("-") or "claim"
    return f"cr-{slug}-{digest}"


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:39] + "\u2026")
