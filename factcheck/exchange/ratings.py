"""The rating labels fact-checkers publish, read as the ledger's verdicts (the vocabulary is data/ratings.json)."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib import resources

from factcheck.ledger.model import RatingScale

VERDICTS = ("supported", "misleading", "conflicting", "refuted", "unverifiable")
# A label's first sentence (Full Fact: "Incorrect. The figure is for 2019."): read only when it is a whole
# label of the vocabulary that is not a positive verdict, since later sentences may qualify it ("True. But
# the figure is old."); "True, but..." is never read as "True".
_FIRST_WORDS = re.compile(r"^\s*([^.:!?]+?)\s*[.:!?]\s")


def label_key(label: str) -> str:
    """A label by its letters and digits alone, case and accents folded: 'Half-True', 'half true' and
    'HALF_TRUE' are one label, and so are 'pants-fire' and 'Pants Fire'."""
    letters = "".join(c for c in unicodedata.normalize("NFKD", label) if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", letters.casefold())


@cache
def vocabulary() -> dict[str, str]:
    """Every label of data/ratings.json by its key, with its verdict."""
    data = json.loads(resources.files("factcheck").joinpath("data/ratings.json").read_text(encoding="utf-8"))
    return {label_key(label): verdict for verdict, labels in data["verdicts"].items() for label in labels}


def verdict_of(label: str, scale: RatingScale | None = None) -> str | None:
    """The verdict a label's words mean: the ledger's own scale labels first, then the vocabulary, then its
    first words when they are a whole label; None when the words are not known (never guessed)."""
    key = label_key(label)
    if not key:
        return None
    if scale is not None:
        for verdict in VERDICTS:
            if label_key(getattr(scale, verdict).label) == key:
                return verdict
    known = vocabulary()
    if key in known:
        return known[key]
    first = _FIRST_WORDS.match(label)
    if first is not None and known.get(label_key(first.group(1))) not in (None, "supported"):
        return known[label_key(first.group(1))]
    return None


def position(value: float, best: float, worst: float) -> float | None:
    """Where a number sits on its own scale: 0 at the worst rating, 1 at the best; None when off the scale."""
    if best == worst:
        return None
    at = (value - worst) / (best - worst)
    return at if 0 <= at <= 1 else None
