"""The rules of the ledger's files as pydantic models (extra fields forbidden). No I/O.

What model.accept refuses comes here: the rules take what they allow written more than one way (a month or
a year for a date, `null` for an empty list, a date written as text) and give it as the same value of
model.py (`to_record`), or find every error for validation.py to word and place. They also give the files'
JSON Schema (schema.py) and check what the editing commands are given.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, StringConstraints, WithJsonSchema

from factcheck.ledger import model
from factcheck.ledger.figures import format_number
from factcheck.ledger.model import NOT_BLANK_PATTERN, SHA256_PATTERN, SLUG_PATTERN, Bound, Stance, Status
from factcheck.ledger.typed import PartialDate, parse_date
from factcheck.yamlio.yamlsrc import BadDate, YamlBool


def _boolean_word(value: YamlBool) -> ValueError:
    return ValueError(
        f"{value.raw!r} is read by YAML as a true/false value, not as text; put it in quotes if it is meant as text"
    )


def _as_date(value: Any) -> Any:
    if isinstance(value, YamlBool):
        raise _boolean_word(value)
    if isinstance(value, BadDate):
        raise ValueError(f"{value.raw!r} is not a real date ({value.reason})")
    if isinstance(value, dt.datetime):
        raise ValueError(f"{getattr(value, 'raw', value)!s} is a date and time; write the date alone, as YYYY-MM-DD")
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD") from None
    raise ValueError(f"must be a date (YYYY-MM-DD), not a {kind_of(value)}")


# Spellings YAML 1.2 reads as numbers and YAML 1.1 as text, or as another number (0o17, 1.5e3, +.5, 017,
# 1_000, 0b101): every reader of the ledger must take a figure the same way, so they are refused in words.
_OTHER_NUMBER = re.compile(r"[-+]?(?:0o[0-7_]+|0b[01_]+|0[0-9_]+|[0-9][0-9_]*_[0-9_]*"
                           r"|(?:[0-9][0-9_]*)?\.?[0-9_]*[eE][-+]?[0-9]+|\.[0-9_]+)")


def _as_number(value: Any) -> Any:
    if isinstance(value, YamlBool):
        raise ValueError(f"{value.raw!r} is read by YAML as a true/false value; write a number")
    if isinstance(value, bool) or not isinstance(value, int | float):
        shown = getattr(value, "raw", value)
        if isinstance(shown, str) and _OTHER_NUMBER.fullmatch(shown.strip()):
            raise ValueError(f"{shown!r} is a number to some YAML readers and text to others (YAML 1.1); "
                             "write it in plain digits, with a point for decimals")
        raise ValueError(f"must be a number, not {shown!r}{_as_digits(shown)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number")
    return int(value) if isinstance(value, int) else float(value)


def _as_digits(shown: Any) -> str:
    """How to write a figure typed in words ("1.2 billion", "4th", "AZN 300 million") in the YAML."""
    if not isinstance(shown, str):
        return ""
    from factcheck.ledger.typed import read_figure

    try:
        figure = read_figure(shown)
    except ValueError:
        return ""
    digits = format_number(figure.value)
    if figure.ordinal:
        return f"; a position is written in digits with ordinal: true (value: {digits}, ordinal: true)"
    unit = f", with unit: {figure.unit}" if figure.unit else ""
    return f"; write it in plain digits: {digits}{unit}"


def _as_positive_int(value: Any) -> Any:
    number = _as_number(value)
    if not isinstance(number, int) or number <= 0:
        raise ValueError(f"must be a whole number of days above 0, not {number!r}")
    return number


def _as_list(value: Any) -> Any:
    if value is None:
        return []
    return value


def kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    return type(value).__name__


# Text fields are checked by pydantic's core alone, with no Python call per value: a ledger of 100,000
# claims holds about a million of them. What the exact reader keeps as written where text belongs (a
# number, a date) is turned back into its characters before validation (see validation.validate_read).
Text = Annotated[str, StringConstraints(pattern=NOT_BLANK_PATTERN), WithJsonSchema({"type": "string", "pattern": "\\S"})]
FreeText = str
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN), WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN})]
Date = Annotated[dt.date, BeforeValidator(_as_date)]


def _as_claim_date(value: Any) -> Any:
    """A day, or a month (2021-07) or a year (2021) when no day is known: kept as given, never a day invented."""
    if isinstance(value, PartialDate):  # (as a command reads `--date 2021-07`): not made the month's first day
        return value
    if isinstance(value, str) and _PARTIAL_DATE.fullmatch(value.strip()):
        return parse_date(value, partial=True)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999 \
            and str(getattr(value, "raw", value)).strip() == str(value):
        return PartialDate(value)
    return _as_date(value)


def _claim_date_out(value: dt.date) -> Any:
    return value.isoformat() if isinstance(value, PartialDate) else value


_PARTIAL_DATE = re.compile(r"\d{4}(?:-\d{1,2})?")
ClaimDate = Annotated[dt.date, BeforeValidator(_as_claim_date), PlainSerializer(_claim_date_out),
                      WithJsonSchema({"anyOf": [{"type": "string", "format": "date"},
                                                {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2})?$"},
                                                {"type": "integer", "minimum": 1000, "maximum": 9999}],
                                      "description": "A day (YYYY-MM-DD), or a month (YYYY-MM) or year (YYYY) when "
                                                     "no day is known."})]


def _as_flag(value: Any) -> Any:
    """`true`, the one word a flag field takes (written `true`, whichever reader read it)."""
    if isinstance(value, YamlBool):
        if value.raw == "true":
            return True
        raise ValueError(f"{value.raw!r}: write true, or leave the field out")
    if isinstance(value, list | dict):  # (refused here: pydantic 2.5 fails on an unhashable value for a literal)
        raise ValueError(f"{value!r} is not allowed; input should be True")
    return value


Flag = Annotated[Literal[True], BeforeValidator(_as_flag)]
Number = Annotated[float, BeforeValidator(_as_number)]
Sha256 = Annotated[str, StringConstraints(pattern=SHA256_PATTERN), WithJsonSchema({"type": "string", "pattern": SHA256_PATTERN})]
TextList = Annotated[list[Text], BeforeValidator(_as_list)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Quantity(_Record):
    """A stated figure with the bound the words put on it ("more than 800")."""

    value: Number = Field(description="The figure as a number, in plain digits: 800 for \"more than 800\".",
                          examples=[800, 2.5])
    bound: Bound = Field(description="What the words put around the figure: exactly, about, more-than, at-least, "
                                     "fewer-than or at-most.")
    unit: Text | None = Field(default=None, description="What is counted, as the claim words it: weapons, "
                                                        "military products.", examples=["new weapons"])
    ordinal: Flag | None = Field(
        default=None, description="Set (true) when the figure is a position, not an amount: the 4th edition. A "
                                  "position gets no percentage and no rate, and reads \"4th\".")


class Quote(_Record):
    """Verbatim words of a source; prefix/suffix pin one of several occurrences."""

    source: Slug = Field(description="The id of the source: sources/<id>.txt holds its words, sources/<id>.yaml "
                                     "its metadata.", examples=["azernews-2023-09-29"])
    text: Text = Field(description="The source's own words, exactly as the snapshot has them (verify checks it); "
                                   "an ellipsis (..., \u2026) leaves out words within one paragraph.")
    prefix: FreeText | None = Field(default=None, description="The words just before the quote, when the same "
                                                              "words occur more than once in the source.")
    suffix: FreeText | None = Field(default=None, description="The words just after the quote, when the same words "
                                                              "occur more than once in the source.")


class Evidence(Quote):
    """A quote that bears on whether a claim is true."""

    stance: Stance = Field(description="How the quote bears on the claim: supports, refutes, or context.")


class HistoryEntry(_Record):
    """One status change, as the log records it."""

    date: Date = Field(description="When the verdict was given (YYYY-MM-DD); entries are kept oldest first.")
    status: Status = Field(description="The verdict this entry gave.")
    note: FreeText | None = Field(default=None, description="Why: the reason for the verdict, shown with it in "
                                                            "every report.")
    by: FreeText | None = Field(default=None, description="Who gave the verdict.")
    forced: Flag | None = Field(
        default=None, description="Set (true) when the verdict was given with --force, lacking the evidence "
                                  "verify asks of it.")


class Review(_Record):
    """Another fact-checker's verdict on the claim, as their ClaimReview published it: who, their own words
    and number, where and when. Kept as they gave it; the claim's status is what the ledger reads it as."""

    by: Text = Field(description="The reviewer: the ClaimReview's author.")
    label: Text | None = Field(default=None, description="The rating's own words (alternateName), exactly.")
    value: Number | None = Field(default=None, description="The rating's number (ratingValue).")
    best: Number | None = Field(default=None, description="The best rating of the review's own scale.")
    worst: Number | None = Field(default=None, description="The worst rating of the review's own scale.")
    url: Text | None = Field(default=None, description="The review's own address.")
    identifier: Text | None = Field(default=None, description="The review's identifier, when it gives one.")
    date: ClaimDate | None = Field(default=None, description="When the review was published.")


class Claim(_Record):
    """One claim of the ledger with where it appeared and the evidence on it."""

    id: Slug = Field(description="The claim's id: lower-case letters, digits, '.', '_' and '-', unique in the "
                                 "ledger.", examples=["minister-weapons-2023"])
    text: Text = Field(description="The claim in one sentence, in the ledger's words.")
    claimant: Text = Field(description="Who made the claim.")
    date: ClaimDate = Field(description="When the claim was made: YYYY-MM-DD, or YYYY-MM or YYYY when no day is "
                                        "known.", examples=["2023-09-29", "2021-07"])
    subject: Slug | None = Field(default=None, description="What the figure is about: claims with one subject are "
                                                           "compared over time by diff.", examples=["defence-output"])
    quantity: Quantity | None = Field(default=None, description="The claim's figure with its bound and unit.",
                                      examples=[{"value": 800, "bound": "more-than", "unit": "weapons"}])
    measure: Text | None = Field(default=None, description="What exactly the figure counts, so that claims counting "
                                                           "different things are not compared.")
    status: Status = Field(default="unverified", description="The verdict. Set it with factcheck status, which "
                                                             "records why in the history; verify checks the "
                                                             "evidence each verdict needs.")
    appearances: Annotated[list[Quote], BeforeValidator(_as_list)] = Field(
        default_factory=list, description="Where the claim was made: the source's own words (factcheck quote).")
    evidence: Annotated[list[Evidence], BeforeValidator(_as_list)] = Field(
        default_factory=list, description="Quotes that bear on whether the claim is true, each with its stance.")
    tags: TextList = Field(default_factory=list, description="Free labels, for list --tag.")
    note: FreeText | None = Field(default=None, description="A note on the claim, for the desk.")
    history: Annotated[list[HistoryEntry], BeforeValidator(_as_list)] = Field(
        default_factory=list, description="Every verdict given, oldest first (factcheck status appends to it).")
    appearance_urls: TextList = Field(default_factory=list, description="Addresses where the claim appeared when "
                                                                        "no snapshot is held (imported reviews).")
    review: Review | None = Field(
        default=None, description="The verdict of the fact-checker this claim was imported from, as they gave it.")


class Publisher(_Record):
    """Who publishes the ledger's reviews."""

    name: Text = Field(description="The publisher's name, credited as the author of exported reviews.")
    url: Text | None = Field(default=None, description="The publisher's address.")


class Rating(_Record):
    """How one verdict is published in ClaimReview: a number on the scale (none for no number) and a label."""

    value: Number | None = Field(default=None, description="The number of this verdict on the scale (none: "
                                                           "published with words only).")
    label: Text = Field(description="The words published for this verdict (alternateName).")


class RatingScale(_Record):
    """The numeric scale of exported reviews and its direction; by default 1 = false ... 5 = true."""

    best: Number = Field(default=5, description="The best rating (bestRating).")
    worst: Number = Field(default=1, description="The worst rating (worstRating).")
    supported: Rating = Field(default=Rating(value=5, label="True"), description="How supported is published.")
    misleading: Rating = Field(default=Rating(value=2, label="Misleading"), description="How misleading is published.")
    conflicting: Rating = Field(default=Rating(value=3, label="Mixed"), description="How conflicting is published.")
    refuted: Rating = Field(default=Rating(value=1, label="False"), description="How refuted is published.")
    unverifiable: Rating = Field(default=Rating(value=None, label="Unverifiable"),
                                 description="How unverifiable is published.")


class Settings(_Record):
    """The optional top-level `ledger:` mapping of claims.yaml."""

    name: Text | None = Field(default=None, description="The ledger's name, the title of its reports.")
    publisher: Publisher | None = Field(default=None, description="Who publishes the ledger's reviews.")
    review_base_url: Text | None = Field(default=None, description="The address of published reviews: a claim's "
                                                                   "review is this plus its id.",
                                         examples=["https://example.org/fact-checks/"])
    rating_scale: RatingScale | None = Field(default=None, description="How verdicts are published as ClaimReview "
                                                                       "ratings.")
    stale_after_days: Annotated[int, BeforeValidator(_as_positive_int),
                                WithJsonSchema({"type": "integer", "minimum": 1})] | None = Field(
        default=None, description="Days without a verdict change after which verify warns (stale).")
    about_band: Annotated[float, BeforeValidator(_as_number), Field(gt=0, lt=1),
                          WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1})] | None = Field(
        default=None, description="How far 'about' reaches either side of a figure, as a fraction (0.1: 10%).")


class Original(_Record):
    """The file a snapshot's text was derived from (an HTML page, a PDF), kept beside it byte for byte as
    `sources/<id>.html` or `sources/<id>.pdf`."""

    format: Literal["html", "pdf"] = Field(description="What the original is: an HTML page or a PDF.")
    sha256: Sha256 = Field(description="The sha256 of the original's bytes; verify checks that it was not altered.")
    extractor: Text = Field(description="The library and version that derived the text from the original, as "
                                        "'trafilatura 2.3.1' or 'pypdf 7.1.1'.")
    pages: list[int] | None = Field(default=None, description="For a PDF: where each page begins in the text, as "
                                                              "character offsets (the first is 0).")
    fetched_from: Text | None = Field(default=None, description="The address it was fetched from, after redirects.")
    fetched_at: Text | None = Field(default=None, description="When it was fetched, in UTC (ISO 8601).")


class SourceMeta(_Record):
    """The metadata of one snapshot, `sources/<id>.yaml`."""

    title: Text | None = Field(default=None, description="The document's title.")
    publisher: Text | None = Field(default=None, description="Who published the document.")
    authors: TextList = Field(default_factory=list, description="Who wrote it.")
    url: Text | None = Field(default=None, description="Where it was published.")
    archive_url: Text | None = Field(default=None, description="An archived copy (web.archive.org, archive.today).")
    published: Date | None = Field(default=None, description="When it was published (YYYY-MM-DD); a claim that "
                                                             "appears in it cannot be dated later.")
    retrieved: Date | None = Field(default=None, description="When the snapshot was taken (YYYY-MM-DD).")
    language: Text | None = Field(default=None, description="Its language, as a code.", examples=["en"])
    sha256: Sha256 = Field(description="The sha256 of the snapshot's bytes, written by factcheck source add; "
                                       "verify checks that the snapshot was not altered.")
    note: FreeText | None = Field(default=None, description="A note on the source.")
    original: Original | None = Field(default=None, description="The saved page or PDF the text was derived from, "
                                                                "when the source was added from one.")


class ClaimsFile(_Record):
    """The whole of a claims file, as editors and JSON Schema validators see it."""

    ledger: Settings | None = Field(default=None, description="The ledger's settings (optional).")
    claims: list[Claim] = Field(description="The claims, each with where it appeared and the evidence on it.")


class ClaimsFileTop(_Record):
    """The top of a claims file: settings and the raw list of claims, each validated on its own."""

    ledger: Settings | None = None
    claims: Annotated[list[Any], BeforeValidator(_as_list)]



def to_record(value: Any) -> Any:
    """A value the rules took, as the value of model.py of the same name (lists and plain values as they are)."""
    if isinstance(value, BaseModel):
        kind = model.RECORDS[type(value).__name__]
        return kind(**{name: to_record(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, list):
        return [to_record(item) for item in value]
    return value


def validate(kind: type[model.RECORD], data: Any) -> model.RECORD:
    """`data` as the rules take it, as a `kind` of model.py; pydantic's ValidationError when they refuse it."""
    rules: type[BaseModel] = globals()[kind.__name__]
    return to_record(rules.model_validate(data))  # type: ignore[no-any-return]
