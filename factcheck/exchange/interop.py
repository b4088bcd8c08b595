"""Standard forms in and out: schema.org ClaimReview, W3C Web Annotations, and reviews imported as claims."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from factcheck.checking.anchor import Found, Snapshot
from factcheck.checking.checks import missing_support
from factcheck.errors import FactcheckError
from factcheck.exchange.ratings import VERDICTS
from factcheck.ledger.model import Claim, RatingScale, Review
from factcheck.pipeline.store import Ledger

_FALSE_WORDS = re.compile(r"\b(false|fake|wrong|incorrect|untrue|pants on fire|fabricated|bogus)\b", re.IGNORECASE)
_TRUE_WORDS = re.compile(r"\b(true|correct|accurate|right)\b", re.IGNORECASE)
# -- the rating scale ------------------------------------------------------------------------------------

def check_scale(scale: RatingScale) -> list[str]:
    """What is wrong with a declared scale: numbers off the scale, or numbers and labels that disagree."""
    problems = []
    if scale.best == scale.worst:
        return ["the best and the worst rating are the same number"]
    low, high = sorted((scale.worst, scale.best))
    for verdict in VERDICTS:
        rating = getattr(scale, verdict)
        if rating.value is not None and not low <= rating.value <= high:
            problems.append(f"{verdict} is rated {rating.value:g}, outside the scale {scale.worst:g} to {scale.best:g}")
    position = {v: _position(getattr(scale, v).value, scale) for v in VERDICTS}
    if position["supported"] is not None and position["supported"] <= 0.5:
        problems.append(f"supported (label {scale.supported.label!r}) is rated {scale.supported.value:g}, nearer the "
                        f"worst rating {scale.worst:g} than the best {scale.best:g}: the scale reads reversed")
    if position["refuted"] is not None and position["refuted"] >= 0.5:
        problems.append(f"refuted (label {scale.refuted.label!r}) is rated {scale.refuted.value:g}, nearer the best "
                        f"rating {scale.best:g} than the worst {scale.worst:g}: the scale reads reversed")
    top, bottom = position["supported"], position["refuted"]
    for verdict in ("misleading", "conflicting"):
        at = position[verdict]
        if at is not None and ((top is not None and at >= top) or (bottom is not None and at <= bottom)):
            problems.append(f"{verdict} must be rated between refuted and supported")
    if _FALSE_WORDS.search(scale.supported.label):
        problems.append(f"the label of supported, {scale.supported.label!r}, reads as false")
    if _TRUE_WORDS.search(scale.refuted.label) and not _FALSE_WORDS.search(scale.refuted.label):
        problems.append(f"the label of refuted, {scale.refuted.label!r}, reads as true")
    return problems


def _position(value: float | None, scale: RatingScale) -> float | None:
    """0 at the worst rating, 1 at the best, whichever way round the numbers run."""
    if value is None:
        return None
    return (value - scale.worst) / (scale.best - scale.worst)


def checked_scale(ledger: Ledger) -> RatingScale:
    """The ledger's declared scale (or the default), refused when it disagrees with itself."""
    scale = ledger.settings.rating_scale or RatingScale()
    problems = check_scale(scale)
    if problems:
        raise FactcheckError("the rating scale under 'ledger: rating_scale:' is refused: " + "; ".join(problems))
    return scale


# -- ClaimReview out -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Export:
    """Exported documents and what was left out, with why."""

    documents: list[dict[str, Any]]
    left_out: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)  # published, but lacking what consumers expect


def claimreview(ledger: Ledger, include_unsupported: bool = False) -> Export:
    """One schema.org ClaimReview per claim with a verdict. Unverified claims are left out, and so are
    verdicts `verify` calls unsupported unless asked; an imported verdict is credited to its reviewer."""
    scale = checked_scale(ledger)
    settings = ledger.settings
    base = settings.review_base_url
    publisher = settings.publisher
    reviews: list[dict[str, Any]] = []
    left_out = dict.fromkeys(("without a verdict (unverified)", UNSUPPORTED), 0)
    warned = dict.fromkeys((NO_URL, NO_AUTHOR, NO_DATE), 0)
    publishers = {s.meta.publisher for s in ledger.sources.values() if s.meta is not None and s.meta.publisher}
    for record in ledger.claims:
        claim = record.claim
        if claim.status == "unverified":
            left_out["without a verdict (unverified)"] += 1
            continue
        if not include_unsupported and missing_support(claim) is not None:
            left_out[UNSUPPORTED] += 1
            continue
        theirs = claim.review if claim.review is not None and not claim.history else None
        urls = _appearance_urls(ledger, claim)
        kind = "Organization" if claim.claimant in publishers else "Person"
        item: dict[str, Any] = {"@type": "Claim", "datePublished": claim.date.isoformat()}
        if claim.claimant != "unknown":
            item["author"] = {"@type": kind, "name": claim.claimant}
        if urls:
            item["firstAppearance"] = {"@type": "CreativeWork", "url": urls[0]}
            item["appearance"] = [{"@type": "CreativeWork", "url": url} for url in urls]
        review: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "identifier": claim.id,
            "claimReviewed": claim.text,
            "itemReviewed": item,
            "reviewRating": _their_rating(theirs) if theirs is not None else _our_rating(scale, claim.status),
        }
        url = theirs.url if theirs is not None else (
            (base + claim.id if base.endswith(("/", "#", "=")) else f"{base}/{claim.id}") if base else None)
        if url:
            review["url"] = url
        else:
            warned[NO_URL] += 1
        if theirs is not None:
            review["author"] = {"@type": "Organization", "name": theirs.by}
            when = theirs.date.isoformat() if theirs.date else None
        else:
            if publisher is not None:
                review["author"] = {"@type": "Organization", "name": publisher.name,
                                    **({"url": publisher.url} if publisher.url else {})}
            entry = next((e for e in reversed(claim.history) if e.status == claim.status), None)
            when = entry.date.isoformat() if entry is not None else None
        if "author" not in review:
            warned[NO_AUTHOR] += 1
        if when:
            review["datePublished"] = when
        else:
            warned[NO_DATE] += 1
        reviews.append(review)
    return Export(reviews, {k: v for k, v in left_out.items() if v}, {k: v for k, v in warned.items() if v})


UNSUPPORTED = "whose verdict verify calls unsupported (pass --include-unsupported to publish them)"
NO_URL = "without a url (set review_base_url)"
NO_AUTHOR = "without an author (set ledger: publisher:)"
NO_DATE = "without a datePublished (no history entry dates the verdict)"


def _our_rating(scale: RatingScale, status: str) -> dict[str, Any]:
    rating = getattr(scale, status)
    out: dict[str, Any] = {"@type": "Rating", "alternateName": rating.label}
    if rating.value is not None:
        out.update({"ratingValue": _number(rating.value), "bestRating": _number(scale.best),
                    "worstRating": _number(scale.worst)})
    return out


def _their_rating(review: Review) -> dict[str, Any]:
    """The reviewer's own rating, as they gave it: their words, and their number on their own scale."""
    out: dict[str, Any] = {"@type": "Rating"}
    if review.label is not None:
        out["alternateName"] = review.label
    for key, value in (("ratingValue", review.value), ("bestRating", review.best), ("worstRating", review.worst)):
        if value is not None:
            out[key] = _number(value)
    return out


def _appearance_urls(ledger: Ledger, claim: Claim) -> list[str]:
    urls: list[str] = []
    for quote in claim.appearances:
        source = ledger.sources.get(quote.source)
        url = source.meta.url if source is not None and source.meta is not None else None
        if url and url not in urls:
            urls.append(url)
    urls += [url for url in claim.appearance_urls if url not in urls]
    return urls


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


# -- W3C Web Annotations out -----------------------------------------------------------------------------

CONTEXT_CHARS = 32


def web_annotations(ledger: Ledger) -> Export:
    """One W3C Web Annotation per quote, with TextQuote and TextPosition selectors into the snapshot."""
    items, left_out = [], {"quotes not found in their snapshot": 0, "quotes of a source without a snapshot": 0}
    snapshots: dict[str, Snapshot] = {}
    for record in ledger.claims:
        claim = record.claim
        for kind in ("appearances", "evidence"):
            for index, quote in enumerate(getattr(claim, kind)):
                source = ledger.sources.get(quote.source)
                if source is None or source.text is None:
                    left_out["quotes of a source without a snapshot"] += 1
                    continue
                snapshot = snapshots.setdefault(quote.source, Snapshot(source.text))
                found = snapshot.find(quote.text, quote.prefix, quote.suffix)
                if not isinstance(found, Found):
                    left_out["quotes not found in their snapshot"] += 1
                    continue
                items.append(_annotation(ledger, claim, kind, index, quote, source, found))
    collection = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "label": ledger.settings.name or "factcheck ledger",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    return Export([collection], {k: v for k, v in left_out.items() if v})


def _annotation(ledger: Ledger, claim: Any, kind: str, index: int, quote: Any, source: Any,
                found: Found) -> dict[str, Any]:
    text = source.text
    meta = source.meta
    targets = []
    for start, end in found.spans:
        selectors = [
            {"type": "TextQuoteSelector", "exact": text[start:end],
             "prefix": text[max(0, start - CONTEXT_CHARS):start], "suffix": text[end:end + CONTEXT_CHARS]},
            {"type": "TextPositionSelector", "start": start, "end": end},
        ]
        target: dict[str, Any] = {
            "type": "SpecificResource",
            "source": (meta.url if meta is not None and meta.url else f"urn:factcheck:source:{source.id}"),
            "selector": selectors,
        }
        if meta is not None and meta.retrieved is not None:
            target["state"] = {"type": "TimeState", "sourceDate": f"{meta.retrieved.isoformat()}T00:00:00Z"}
        targets.append(target)
    stance = getattr(quote, "stance", None)
    body: dict[str, Any] = {"type": "TextualBody", "value": claim.text, "format": "text/plain",
                            "purpose": "describing" if stance is None else "assessing"}
    annotation: dict[str, Any] = {
        "id": f"urn:factcheck:{claim.id}:{kind}:{index}",
        "type": "Annotation",
        "motivation": "identifying" if stance is None else "assessing",
        "body": [body] + ([{"type": "TextualBody", "value": stance, "purpose": "tagging"}] if stance else []),
        "target": targets[0] if len(targets) == 1 else targets,
    }
    return annotation
