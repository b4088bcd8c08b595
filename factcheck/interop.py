"""Standard forms in and out: schema.org ClaimReview, W3C Web Annotations, and reviews imported as claims."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from factcheck.anchor import Found, Snapshot
from factcheck.errors import FactcheckError
from factcheck.model import RatingScale
from factcheck.store import Ledger

VERDICTS = ("supported", "misleading", "conflicting", "refuted", "unverifiable")
_FALSE_WORDS = re.compile(r"\b(false|fake|wrong|incorrect|untrue|pants on fire|fabricated|bogus)\b", re.IGNORECASE)
_TRUE_WORDS = re.compile(r"\b(true|correct|accurate|right)\b", re.IGNORECASE)
# Words seen in published ClaimReview ratings, read as the ledger's verdicts.
_SYNONYMS = {
    "supported": ("true", "correct", "accurate", "mostly true", "verified", "supported", "confirmed"),
    "refuted": ("false", "incorrect", "fake", "pants on fire", "wrong", "untrue", "refuted", "fabricated", "bogus",
                "mostly false"),
    "misleading": ("misleading", "missing context", "out of context", "distorted", "exaggerated", "partly false",
                   "half true"),
    "conflicting": ("mixed", "mixture", "conflicting", "disputed", "contested"),
    "unverifiable": ("unverifiable", "unproven", "unsupported", "no evidence", "cannot be verified"),
}


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


def claimreview(ledger: Ledger) -> Export:
    """One schema.org ClaimReview per claim with a verdict; unverified claims are left out."""
    scale = checked_scale(ledger)
    settings = ledger.settings
    base = settings.review_base_url
    publisher = settings.publisher
    reviews, left_out = [], {"without a verdict (unverified)": 0, "without a url (set review_base_url)": 0}
    publishers = {s.meta.publisher for s in ledger.sources.values() if s.meta is not None and s.meta.publisher}
    for record in ledger.claims:
        claim = record.claim
        if claim.status == "unverified":
            left_out["without a verdict (unverified)"] += 1
            continue
        rating = getattr(scale, claim.status)
        verdict_date = next((e.date for e in reversed(claim.history) if e.status == claim.status), None)
        urls = _appearance_urls(ledger, claim)
        kind = "Organization" if claim.claimant in publishers else "Person"
        item: dict[str, Any] = {
            "@type": "Claim",
            "author": {"@type": kind, "name": claim.claimant},
            "datePublished": claim.date.isoformat(),
        }
        if urls:
            item["firstAppearance"] = {"@type": "CreativeWork", "url": urls[0]}
            item["appearance"] = [{"@type": "CreativeWork", "url": url} for url in urls]
        review_rating: dict[str, Any] = {"@type": "Rating", "alternateName": rating.label}
        if rating.value is not None:
            review_rating.update({"ratingValue": _number(rating.value), "bestRating": _number(scale.best),
                                  "worstRating": _number(scale.worst)})
        review: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "identifier": claim.id,
            "claimReviewed": claim.text,
            "itemReviewed": item,
            "reviewRating": review_rating,
        }
        if base:
            review["url"] = base + claim.id if base.endswith(("/", "#", "=")) else f"{base}/{claim.id}"
        else:
            left_out["without a url (set review_base_url)"] += 1
        if publisher is not None:
            review["author"] = {"@type": "Organization", "name": publisher.name,
                                **({"url": publisher.url} if publisher.url else {})}
        if verdict_date is not None:
            review["datePublished"] = verdict_date.isoformat()
        reviews.append(review)
    return Export(reviews, {k: v for k, v in left_out.items() if v})


def _appearance_urls(ledger: Ledger, claim: Any) -> list[str]:
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


# -- ClaimReview in --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Imported:
    """Claims read from ClaimReview markup, and the reviews that could not become claims."""

    claims: list[dict[str, Any]]
    skipped: list[str]


def reviews_in(document: Any) -> list[dict[str, Any]]:
    """The ClaimReview objects in a JSON-LD document: one object, a list, a @graph or a DataFeed."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if _is_type(node, "ClaimReview"):
                found.append(node)
            for key in ("@graph", "dataFeedElement", "item", "itemListElement", "mainEntity"):
                if key in node:
                    walk(node[key])

    walk(document)
    return found


def _is_type(node: dict[str, Any], name: str) -> bool:
    kinds = node.get("@type", node.get("type"))
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == name for k in kinds)


def import_claimreview(document: Any, scale: RatingScale) -> Imported:
    """Each review as a claim: claimant, date, appearance urls, and the verdict read through the scale."""
    claims, skipped = [], []
    for number, review in enumerate(reviews_in(document), 1):
        text = _text(review.get("claimReviewed"))
        if not text:
            skipped.append(f"review #{number}: no claimReviewed")
            continue
        item: dict[str, Any] = review["itemReviewed"] if isinstance(review.get("itemReviewed"), dict) else {}
        claimant = _name(item.get("author")) or "unknown"
        date = _date(item.get("datePublished")) or _date(review.get("datePublished"))
        if date is None:
            skipped.append(f"review #{number} ({text[:40]!r}): no date for the claim or the review")
            continue
        status, rating_note = _verdict(review.get("reviewRating"), scale)
        urls = [u for u in (_url(a) for a in [*_as_list(item.get("firstAppearance")), *_as_list(item.get("appearance"))])
                if u]
        reviewer = _name(review.get("author"))
        notes = ["Imported from ClaimReview" + (f" by {reviewer}" if reviewer else "")
                 + (f" ({review['url']})" if isinstance(review.get("url"), str) else "") + "."]
        if claimant == "unknown":
            notes.append("The review names no claimant.")
        if not _date(item.get("datePublished")):
            notes.append("The claim's own date is not given; the review's date is used.")
        if rating_note:
            notes.append(rating_note)
        claim: dict[str, Any] = {
            "id": stable_id(review, text), "text": text, "claimant": claimant, "date": date, "status": status,
            "note": " ".join(notes),
        }
        if urls:
            claim["appearance_urls"] = list(dict.fromkeys(urls))
        claims.append(claim)
    return Imported(claims, skipped)


def stable_id(review: dict[str, Any], text: str) -> str:
    """An id derived from the review: the same review gives the same id on every import."""
    key = review.get("url") if isinstance(review.get("url"), str) else None
    if key is None:
        item: dict[str, Any] = review["itemReviewed"] if isinstance(review.get("itemReviewed"), dict) else {}
        key = "|".join([text, _name(item.get("author")) or "", str(item.get("datePublished") or ""),
                        str(review.get("datePublished") or "")])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    words = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = "-".join(re.findall(r"[a-z0-9]+", words))[:48].strip("-") or "claim"
    return f"cr-{slug}-{digest}"


def _verdict(rating: Any, scale: RatingScale) -> tuple[str, str | None]:
    """The verdict a review's rating means: its words first, then its number; unverified when neither tells."""
    if not isinstance(rating, dict):
        return "unverified", "The review gives no rating."
    label = _text(rating.get("alternateName")) or _text(rating.get("name"))
    if label:
        wanted = label.strip().casefold()
        for verdict in VERDICTS:
            if wanted == getattr(scale, verdict).label.casefold() or wanted in _SYNONYMS[verdict]:
                return verdict, None
    value, best, worst = (_float(rating.get(k)) for k in ("ratingValue", "bestRating", "worstRating"))
    if value is not None and best is not None and worst is not None and best != worst:
        position = (value - worst) / (best - worst)
        if 0 <= position <= 1:
            nearest = min((v for v in VERDICTS if getattr(scale, v).value is not None),
                          key=lambda v: abs((_position(getattr(scale, v).value, scale) or 0) - position))
            words = f" ({label!r})" if label else ""
            return nearest, f"Rated {value:g} on a scale from {worst:g} (worst) to {best:g} (best){words}."
    if label:
        return "unverified", f"The review's rating {label!r} maps to no verdict of this ledger."
    return "unverified", "The review's rating could not be read."


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _url(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id")
    return value.strip() if isinstance(value, str) and value.strip().startswith(("http://", "https://")) else None


def _date(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    match = re.match(r"^(\d{4}-\d{2}-\d{2})", value.strip())
    return match.group(1) if match else None


def _float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None
