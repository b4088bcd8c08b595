"""A deterministic synthetic ledger: claims with quotes taken from ~5 KB snapshots, a few percent misquoted,
a tenth with figures on shared subjects, and some verdicts with independent evidence."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from pathlib import Path

WORDS = [
    "ministry", "defence", "industry", "production", "weapons", "products", "factories", "exhibition", "country",
    "government", "president", "minister", "report", "figures", "growth", "export", "partners", "companies",
    "equipment", "systems", "units", "plans", "budget", "official", "analysts", "experts", "statement", "letter",
    "conference", "capacity", "sector", "modern", "development", "national", "security", "forces", "agency",
    "contract", "delivery", "supply", "imports", "market", "region", "council", "program", "review", "annual",
    "quarter", "year", "data",
]
NAMES = [f"{first} {last}" for first in ("Ayla", "Rauf", "Leyla", "Orkhan", "Nigar", "Samir", "Aysel", "Elchin",
                                         "Gunel", "Tural") for last in ("Aliyev", "Guliyev", "Mammadov", "Hasanov",
                                                                       "Huseynov", "Ismayilov", "Karimov",
                                                                       "Rzayev", "Babayev", "Jafarov")]
ROLES = ["Minister", "President", "Spokesperson", "Deputy Minister", "Analyst", "Governor", "Director"]
UNITS = ["weapons", "products", "factories", "countries", "contracts", "units", "systems", "partners"]
BOUNDS = ["exactly", "more-than", "about", "at-least", "fewer-than", "at-most"]
BOUND_WORDS = {"exactly": "", "more-than": "more than ", "about": "about ", "at-least": "at least ",
               "fewer-than": "fewer than ", "at-most": "at most "}


def _sentence(rng: random.Random, number: int | None = None) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 18))
    if number is not None:
        at = rng.randint(1, len(words) - 2)
        words[at:at] = [f"{BOUND_WORDS[rng.choice(BOUNDS)]}{number}".strip(), rng.choice(UNITS)]
    text = " ".join(words)
    if rng.random() < 0.15:
        text = text.replace(" ", " \u201c", 1) + "\u201d"  # typographic quotes
    if rng.random() < 0.1:
        text = text.replace(" ", " \u2014 ", 1)
    return text[0].upper() + text[1:] + "."


def _snapshot(rng: random.Random) -> str:
    paragraphs, size = [], 0
    while size < 5000:
        paragraph = " ".join(_sentence(rng, rng.randint(2, 5000) if rng.random() < 0.4 else None)
                             for _ in range(rng.randint(3, 6)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs) + "\n"


def _window(rng: random.Random, text: str, want_number: bool) -> str:
    sentences = [s for s in text.replace("\n\n", " ").split(". ") if len(s.split()) > 8]
    if want_number:
        with_number = [s for s in sentences if any(w.isdigit() for w in s.split())]
        sentences = with_number or sentences
    sentence = rng.choice(sentences).split()
    length = rng.randint(6, min(14, len(sentence)))
    start = rng.randint(0, len(sentence) - length)
    if want_number:
        digits = [i for i, w in enumerate(sentence) if w.isdigit()]
        if digits:
            start = max(0, min(digits[0] - 2, len(sentence) - length))
    return " ".join(sentence[start:start + length]).rstrip(".")


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def generate(folder: Path, claims: int, seed: int = 20261122, findings: bool = False, files: int = 1) -> None:
    """Write claims.yaml and sources/ for a ledger of `claims` claims into `folder`. With `findings`, the
    ledger right after a new check lands or an import: every claim has about five findings (each appearance
    dated after its source: date-order; each quote found only after folding its spaces: quote-normalized;
    a figure in none of its quotes: quantity-not-in-quote). With `files` above 1, the claims are shared out
    over that many files in claims/, the settings in the first."""
    rng = random.Random(seed)
    sources = max(10, claims // 10)
    subjects = max(5, claims // 200)
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    texts, published_on = [], []
    for number in range(sources):
        text = _snapshot(rng)
        texts.append(text)
        data = text.encode()
        (folder / "sources" / f"s{number:05d}.txt").write_bytes(data)
        published = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3600))
        published_on.append(published)
        (folder / "sources" / f"s{number:05d}.yaml").write_text(
            f"title: {_q('Report ' + str(number))}\npublisher: {rng.choice(['AzerNews', 'News.Az', 'Report.az'])}\n"
            f"url: https://news.example.org/{number}\npublished: {published.isoformat()}\n"
            f"retrieved: {(published + dt.timedelta(days=30)).isoformat()}\nsha256: {hashlib.sha256(data).hexdigest()}\n",
            encoding="utf-8")
    lines = ["# A synthetic ledger for the benchmark.", "ledger:", "  name: Benchmark ledger", "claims:"]
    for number in range(claims):
        source = number % sources
        source_date = dt.date(2015, 1, 1)
        with_figure = findings or rng.random() < 0.1
        quotes = [_window(rng, texts[source], with_figure) for _ in range(rng.randint(1, 3))]
        if findings:
            quotes = [quote.replace(" ", "  ", 1) for quote in quotes]
        if rng.random() < 0.03:  # a misquote: one word changed
            words = quotes[0].split()
            words[len(words) // 2] = rng.choice(WORDS) + "s"
            quotes[0] = " ".join(words)
        date = source_date + dt.timedelta(days=rng.randint(0, 30))
        if findings:
            date = published_on[source] + dt.timedelta(days=rng.randint(1, 300))
        lines += [f"  - id: c{number:06d}", f"    text: {_q(_sentence(rng))}",
                  f"    claimant: {rng.choice(NAMES)}, {rng.choice(ROLES)}", f"    date: {date.isoformat()}"]
        if with_figure:
            subject = rng.randrange(subjects)
            digits = [w for w in quotes[0].split() if w.isdigit()]
            value = int(digits[0]) if digits else rng.randint(2, 5000)
            if findings:
                value = 987654
            lines += [f"    subject: subject-{subject:04d}",
                      f"    quantity: {{value: {value}, bound: {rng.choice(BOUNDS)}, unit: {UNITS[subject % len(UNITS)]}}}",
                      f"    measure: {_q('what subject ' + str(subject) + ' counts')}"]
        supported = rng.random() < 0.1
        lines.append(f"    status: {'supported' if supported else 'unverified'}")
        lines.append("    appearances:")
        for quote in quotes:
            lines += [f"      - source: s{source:05d}", f"        text: {_q(quote)}"]
        if supported:
            other = (source + 1) % sources
            lines += ["    evidence:", f"      - source: s{other:05d}",
                      f"        text: {_q(_window(rng, texts[other], False))}", "        stance: supports",
                      "    history:", f"      - {{date: {(date + dt.timedelta(days=40)).isoformat()}, status: supported,"
                                      f" note: {_q('checked against an independent report')}, by: Desk}}"]
        if rng.random() < 0.2:
            lines.append(f"    tags: [{rng.choice(UNITS)}, batch-{number % 7}]")
        if rng.random() < 0.6:
            lines.append(f"    note: {_q(_sentence(rng) + ' ' + _sentence(rng))}")
    if files == 1:
        (folder / "claims.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return
    starts = [i for i, line in enumerate(lines) if line.startswith("  - id: ")]
    per = -(-len(starts) // files)
    (folder / "claims").mkdir(exist_ok=True)
    for part in range(files):
        chunk = starts[part * per:(part + 1) * per]
        if not chunk:
            break
        end = starts[(part + 1) * per] if (part + 1) * per < len(starts) else len(lines)
        head = lines[:4] if part == 0 else ["claims:"]
        body = lines[chunk[0]:end]
        (folder / "claims" / f"part-{part:03d}.yaml").write_text("\n".join(head + body) + "\n", encoding="utf-8")


LABELS = ["False", "Mostly False", "Pants on Fire", "Half True", "Missing context", "True", "Altered image", "Falso",
          "Unproven", "Mixture"]


def claimreview_feed(path: Path, reviews: int, seed: int = 20261201) -> None:
    """A DataFeed of `reviews` ClaimReview items, as publishers' feeds give them, for `import`."""
    import json

    rng = random.Random(seed)
    items = []
    for number in range(reviews):
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 2000))
        items.append({
            "@type": "ClaimReview", "url": f"https://checks.example.net/{number}",
            "claimReviewed": _sentence(rng), "datePublished": (day + dt.timedelta(days=3)).isoformat(),
            "author": {"@type": "Organization", "name": rng.choice(["AFP", "Checkers", "Verificado"])},
            "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": rng.choice(NAMES)},
                             "datePublished": f"{day.year}-{day.month}-{day.day}",
                             "appearance": [{"@type": "CreativeWork", "url": f"https://social.example/{number}"}]},
            "reviewRating": {"@type": "Rating", "ratingValue": rng.randint(1, 5), "bestRating": 5, "worstRating": 1,
                             "alternateName": rng.choice(LABELS)},
        })
    path.write_text(json.dumps({"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": items}),
                    encoding="utf-8")
