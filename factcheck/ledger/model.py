"""The ledger's values as immutable structs: claims with their quotes, figures and verdicts, the sources'
metadata, the ledger's settings. What every command holds; no I/O, no pydantic.

`accept` takes plain data (as the fast reader or the cache gives it) as one of these values when it is
certainly valid, with msgspec, at C speed and with no schema to build first. Whatever it refuses goes to the
files' rules (rules.py, pydantic), which take it after all (a month for a date, `null` for an empty list, a
date written as text) or find and word every error; the tests hold the two to the same values.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal, TypeVar

import msgspec

from factcheck.ledger.figures import phrase_of

SLUG_PATTERN = "^[a-z0-9][a-z0-9._-]{0,127}$"
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")  # use with fullmatch: "$" would let a final newline in
# Text is what Python calls not blank: anything but whitespace, which for str.isspace includes \x1c-\x1f.
NOT_BLANK_PATTERN = r"[^\s\x1c-\x1f]"
SHA256_PATTERN = "^[0-9a-f]{64}$"

Status = Literal["unverified", "supported", "refuted", "misleading", "conflicting", "unverifiable"]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
Bound = Literal["exactly", "about", "more-than", "at-least", "fewer-than", "at-most"]
BOUNDS: tuple[str, ...] = Bound.__args__  # type: ignore[attr-defined]
Stance = Literal["supports", "refutes", "context"]
STANCES: tuple[str, ...] = Stance.__args__  # type: ignore[attr-defined]

# What `accept` holds each field to. Python's patterns, unlike pydantic's, let "$" match before a final
# newline: \Z ends them instead.
Slug = Annotated[str, msgspec.Meta(pattern=r"\A[a-z0-9][a-z0-9._-]{0,127}\Z")]
Text = Annotated[str, msgspec.Meta(pattern=NOT_BLANK_PATTERN)]
Sha256 = Annotated[str, msgspec.Meta(pattern=r"\A[0-9a-f]{64}\Z")]


class Record(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """A value of the ledger: immutable, its fields named when it is made, unknown fields refused."""


def _finite(*values: float | None) -> None:
    """A figure is a finite number (YAML can write .inf and .nan)."""
    if not all(value is None or math.isfinite(value) for value in values):
        raise ValueError("must be a finite number")


def _flag(value: bool | None) -> None:
    """A flag is written `true`, or left out (the rules word why)."""
    if value is False:
        raise ValueError("write true, or leave the field out")


class Quantity(Record, frozen=True, kw_only=True):
    """A stated figure with the bound the words put on it ("more than 800")."""

    value: float
    bound: Bound
    unit: Text | None = None
    ordinal: bool | None = None  # true for a position (the 4th edition), not an amount: never false

    def __post_init__(self) -> None:
        _finite(self.value)
        _flag(self.ordinal)


class Quote(Record, frozen=True, kw_only=True):
    """Verbatim words of a source; prefix/suffix pin one of several occurrences."""

    source: Slug
    text: Text
    prefix: str | None = None
    suffix: str | None = None


class Evidence(Quote, frozen=True, kw_only=True):
    """A quote that bears on whether a claim is true."""

    stance: Stance


class HistoryEntry(Record, frozen=True, kw_only=True):
    """One status change, as the log records it."""

    date: dt.date
    status: Status
    note: str | None = None
    by: str | None = None
    forced: bool | None = None  # true when the verdict was given lacking its evidence: never false

    def __post_init__(self) -> None:
        _flag(self.forced)


class Review(Record, frozen=True, kw_only=True):
    """Another fact-checker's verdict on the claim, as their ClaimReview published it: who, their own words
    and number, where and when. Kept as they gave it; the claim's status is what the ledger reads it as."""

    by: Text
    label: Text | None = None
    value: float | None = None
    best: float | None = None
    worst: float | None = None
    url: Text | None = None
    identifier: Text | None = None
    date: dt.date | None = None  # a day, or a month or year (typed.PartialDate) when no day is known

    def __post_init__(self) -> None:
        _finite(self.value, self.best, self.worst)


class Claim(Record, frozen=True, kw_only=True):
    """One claim of the ledger with where it appeared and the evidence on it."""

    id: Slug
    text: Text
    claimant: Text
    date: dt.date  # a day, or a month or year (typed.PartialDate) when no day is known
    subject: Slug | None = None
    quantity: Quantity | None = None
    measure: Text | None = None
    status: Status = "unverified"
    appearances: list[Quote] = msgspec.field(default_factory=list)
    evidence: list[Evidence] = msgspec.field(default_factory=list)
    tags: list[Text] = msgspec.field(default_factory=list)
    note: str | None = None
    history: list[HistoryEntry] = msgspec.field(default_factory=list)
    appearance_urls: list[Text] = msgspec.field(default_factory=list)
    review: Review | None = None


class Publisher(Record, frozen=True, kw_only=True):
    """Who publishes the ledger's reviews."""

    name: Text
    url: Text | None = None


class Rating(Record, frozen=True, kw_only=True):
    """How one verdict is published in ClaimReview: a number on the scale (none for no number) and a label."""

    value: float | None = None
    label: Text

    def __post_init__(self) -> None:
        _finite(self.value)


class RatingScale(Record, frozen=True, kw_only=True):
    """The numeric scale of exported reviews and its direction; by default 1 = false ... 5 = true."""

    best: float = 5  # (the rules' defaults, as they give them: whole numbers here, floats in the ratings)
    worst: float = 1
    supported: Rating = Rating(value=5.0, label="True")
    misleading: Rating = Rating(value=2.0, label="Misleading")
    conflicting: Rating = Rating(value=3.0, label="Mixed")
    refuted: Rating = Rating(value=1.0, label="False")
    unverifiable: Rating = Rating(value=None, label="Unverifiable")

    def __post_init__(self) -> None:
        _finite(self.best, self.worst)


class Settings(Record, frozen=True, kw_only=True):
    """The optional top-level `ledger:` mapping of claims.yaml."""

    name: Text | None = None
    publisher: Publisher | None = None
    review_base_url: Text | None = None
    rating_scale: RatingScale | None = None
    stale_after_days: Annotated[int, msgspec.Meta(gt=0)] | None = None
    about_band: Annotated[float, msgspec.Meta(gt=0, lt=1)] | None = None


class Original(Record, frozen=True, kw_only=True):
    """The file a snapshot's text was derived from (an HTML page, a PDF), kept beside it byte for byte."""

    format: Literal["html", "pdf"]
    sha256: Sha256
    extractor: Text
    pages: list[int] | None = None
    fetched_from: Text | None = None
    fetched_at: Text | None = None


class SourceMeta(Record, frozen=True, kw_only=True):
    """The metadata of one snapshot, `sources/<id>.yaml`."""

    title: Text | None = None
    publisher: Text | None = None
    authors: list[Text] = msgspec.field(default_factory=list)
    url: Text | None = None
    archive_url: Text | None = None
    published: dt.date | None = None
    retrieved: dt.date | None = None
    language: Text | None = None
    sha256: Sha256
    note: str | None = None
    original: Original | None = None


RECORD = TypeVar("RECORD", bound=Record)
RECORDS: dict[str, type[Record]] = {kind.__name__: kind for kind in (
    Quantity, Quote, Evidence, HistoryEntry, Review, Claim, Publisher, Rating, RatingScale, Settings, Original,
    SourceMeta)}


def accept(kind: type[RECORD], data: Any) -> RECORD | None:
    """`data` as a `kind` when it is certainly valid; None when the rules must decide (see rules.py).

    Only what the rules take as the very same value is accepted: text where text belongs, numbers (not
    true/false) where figures do, days as dates or YYYY-MM-DD text, lists as lists. The rest, whether invalid or
    written another way they allow, is theirs."""
    try:
        return msgspec.convert(data, kind)
    except msgspec.ValidationError:
        return None


def accept_each(kind: type[RECORD], items: list[Any]) -> list[RECORD | None]:
    """`accept` of each item of a list, in one call when all are valid."""
    try:
        return list(msgspec.convert(items, list[kind]))  # type: ignore[valid-type]
    except msgspec.ValidationError:
        return [accept(kind, item) for item in items]


def replace(record: RECORD, /, **changes: Any) -> RECORD:
    """The record with some fields changed (not checked: give what the rules would take)."""
    return msgspec.structs.replace(record, **changes)


def field_names(kind: type[Record] | Record) -> tuple[str, ...]:
    """The names of a kind's fields, in the order the files write them."""
    return kind.__struct_fields__


def as_data(value: Any, *, dates: Literal["text", "dates"] = "text",
            leave_out: Literal["defaults", "none", "nothing"] = "defaults") -> Any:
    """A value as plain data (mappings, lists, text, numbers), as a claims file would hold it.

    `dates`: as ISO text, or as the dates themselves (for YAML to write); a month or a year is its text
    either way.
    `leave_out`: the fields at their default (what the file need not say), those that are None, or nothing."""
    if dates == "text" and leave_out == "defaults":
        return msgspec.to_builtins(value, enc_hook=_date_text)
    if isinstance(value, Record):
        assert leave_out != "defaults", "a record's defaults are left out as text only"
        found = {}
        for name in value.__struct_fields__:
            field = getattr(value, name)
            if field is not None or leave_out == "nothing":
                found[name] = as_data(field, dates=dates, leave_out=leave_out)
        return found
    if isinstance(value, list):
        return [as_data(item, dates=dates, leave_out=leave_out) for item in value]
    if isinstance(value, dt.date) and (dates == "text" or type(value) is not dt.date):
        return value.isoformat()  # (a month or a year, typed.PartialDate, is written as given, never as a day)
    return value


def _date_text(value: Any) -> Any:
    if isinstance(value, dt.date):  # a month or a year (typed.PartialDate), written as given
        return value.isoformat()
    raise TypeError(f"cannot write a {type(value).__name__}")


def phrase(quantity: Quantity) -> str:
    """The figure with its bound in words: "more than 800 weapons"."""
    return phrase_of(quantity.value, quantity.bound, quantity.unit, bool(quantity.ordinal))
