"""Claims over time: each subject's series, what the bounds allow between neighbours, and comparability."""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factcheck.errors import FactcheckError, did_you_mean
from factcheck.ledger.figures import difference, format_number, product, tidy
from factcheck.ledger.model import Quantity, Settings, phrase, replace
from factcheck.pipeline.read import ChunkWork, read
from factcheck.pipeline.store import ClaimRecord, Ledger

DEFAULT_ABOUT_BAND = 0.10
ACROSS = "no percentage or rate: the two count different things"
POSITIONS = "positions, not amounts: no percentage or rate"
DAYS_PER_YEAR = 365.25
INF = math.inf


@dataclass(frozen=True)
class Interval:
    """A range of real numbers; either end may be infinite or open."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    @property
    def bounded(self) -> bool:
        return math.isfinite(self.low) and math.isfinite(self.high)


def allowed_values(quantity: Quantity, about_band: float = DEFAULT_ABOUT_BAND) -> Interval:
    """The values the words allow: a point, a floor, a ceiling, or a band around an `about` figure."""
    value, bound = quantity.value, quantity.bound
    if bound == "exactly":
        return Interval(value, value)
    if bound == "about":
        spread = product(abs(value), about_band)
        return Interval(difference(value, spread), difference(value, -spread))
    if bound == "more-than":
        return Interval(value, INF, low_open=True, high_open=True)
    if bound == "at-least":
        return Interval(value, INF, high_open=True)
    if bound == "fewer-than":
        return Interval(-INF, value, low_open=True, high_open=True)
    return Interval(-INF, value, low_open=True)  # at-most


def change_between(before: Interval, after: Interval) -> Interval:
    """The interval of `after - before` over every pair of values the two intervals allow."""
    low = -INF if math.isinf(after.low) or math.isinf(before.high) else difference(after.low, before.high)
    high = INF if math.isinf(after.high) or math.isinf(before.low) else difference(after.high, before.low)
    return Interval(low, high, after.low_open or before.high_open, after.high_open or before.low_open)


def describe_change(change: Interval) -> str:
    """The change in words: "a rise of more than 200", or why it is undetermined."""
    low, high = change.low, change.high
    if math.isinf(low) and math.isinf(high):
        return "undetermined: the bounds allow a fall, no change or a rise"
    if low == high:
        if low == 0:
            return "no change"
        return f"a {'rise' if low > 0 else 'fall'} of exactly {format_number(abs(low))}"
    if low > 0 or (low == 0 and change.low_open):
        words = f"a rise of {'more than' if change.low_open else 'at least'} {format_number(low)}"
        if math.isfinite(high):
            words += f" and {'less than' if change.high_open else 'at most'} {format_number(high)}"
        return words
    if high < 0 or (high == 0 and change.high_open):
        words = f"a fall of {'more than' if change.high_open else 'at least'} {format_number(-high)}"
        if math.isfinite(low):
            words += f" and {'less than' if change.low_open else 'at most'} {format_number(-low)}"
        return words
    if math.isinf(low):
        return (f"undetermined: anything from a fall of any size to a rise of "
                f"{'less than' if change.high_open else 'at most'} {format_number(high)}")
    if math.isinf(high):
        return (f"undetermined: anything from a fall of {'less than' if change.low_open else 'at most'} "
                f"{format_number(-low)} to a rise of any size")
    return f"undetermined: between a fall of {format_number(-low)} and a rise of {format_number(high)}"


@dataclass(frozen=True)
class Point:
    """One claim of a series, as the series shows it."""

    claim: str
    date: str
    figure: str
    value: float
    bound: str
    unit: str | None
    measure: str | None
    claimant: str
    status: str
    sources: tuple[str, ...]
    ordinal: bool = False  # a position (4th), not an amount
    plotted: float | None = None  # the value in the unit of its line, when it was stated in another that converts


@dataclass(frozen=True)
class Difference:
    """One difference between neighbours; `breaks` when it makes the numbers not like for like."""

    kind: str
    message: str
    breaks: bool


@dataclass(frozen=True)
class Step:
    """The change between two neighbouring claims of a series."""

    before: Point
    after: Point
    days: int
    stated_change: float
    relative: float | None
    per_year: float | None
    allowed: Interval
    allowed_words: str
    warnings: tuple[Difference, ...]
    no_rate: str | None = None  # why the step has no percentage and no rate

    @property
    def comparable(self) -> bool:
        return not any(w.breaks for w in self.warnings)


@dataclass(frozen=True)
class Trend:
    """First to last over a series whose every step is like for like."""

    days: int
    stated_change: float
    relative: float | None
    per_year: float | None
    allowed_words: str
    no_rate: str | None = None


@dataclass(frozen=True)
class Line:
    """The claims of a subject that count the same thing (see `counted`), with their first-to-last change."""

    counted: str  # the unit and measure, in words
    claims: tuple[str, ...]
    trend: Trend | None


@dataclass(frozen=True)
class Series:
    """A subject's claims oldest first, the steps between them, and a trend when one may be drawn.

    Each claim is compared with the previous claim that counts the same thing (its line), whoever stands
    between them; a step to a claim that counts something else is shown too, flagged not comparable, with
    no percentage and no rate."""

    subject: str
    points: tuple[Point, ...]
    steps: tuple[Step, ...]
    trend: Trend | None
    verdict: str
    without_figure: tuple[str, ...]
    lines: tuple[Line, ...] = ()


def load_subjects(root: Path) -> Ledger:
    """The ledger at `root` with only its claims that have a subject, all a series needs: the others are
    dropped a chunk at a time as they are read."""
    from factcheck.ledger.ledgerfiles import find_files

    return read(root, find_files(root), _WithSubject).ledger


class _WithSubject(ChunkWork):
    """Keeps, of each chunk of claims read, those with a subject (a read.ChunkWork)."""

    def chunk(self, ledger: Ledger, records: list[ClaimRecord], settings: Settings) -> list[ClaimRecord]:
        return [record for record in records if record.claim.subject is not None]


def build_series(ledger: Ledger, subjects: Sequence[str] = (), about_band: float | None = None) -> list[Series]:
    """The series of every subject (or of those named, which must exist), in subject order."""
    band = about_band if about_band is not None else (ledger.settings.about_band or DEFAULT_ABOUT_BAND)
    grouped: dict[str, list[ClaimRecord]] = {}
    for record in ledger.claims:
        if record.claim.subject is not None:
            grouped.setdefault(record.claim.subject, []).append(record)
    for name in subjects:
        if name not in grouped:
            raise FactcheckError(f"unknown subject {name!r}: no claim in the ledger has it{did_you_mean(name, set(grouped))}")
    chosen = list(dict.fromkeys(subjects)) if subjects else sorted(grouped)
    return [series_of(name, grouped[name], band) for name in chosen]


def figure_counts(ledger: Ledger) -> dict[str, int]:
    """How many claims with a figure each subject has (the points its series will have), by subject."""
    counts: dict[str, int] = {}
    for record in ledger.claims:
        subject = record.claim.subject
        if subject is not None:
            counts[subject] = counts.get(subject, 0) + (record.claim.quantity is not None)
    return counts


def series_of(subject: str, records: Iterable[ClaimRecord], about_band: float) -> Series:
    """One subject's series; claims without a figure are named but take no part in the steps."""
    ordered = sorted(records, key=lambda r: r.claim.date)  # stable: ledger order breaks ties
    with_figure = [r for r in ordered if r.claim.quantity is not None]
    points = tuple(_point(r) for r in with_figure)
    quantities = [r.claim.quantity for r in with_figure]
    keys = _line_keys(points)
    steps: list[Step] = []
    last_of: dict[tuple[str, str, bool], int] = {}  # each line's latest claim so far
    members: dict[tuple[str, str, bool], list[int]] = {}
    for i, point in enumerate(points):
        key = keys[i]
        before = last_of.get(key)
        if i and before != i - 1:  # the neighbour counts something else: shown, never compared
            steps.append(_step(points[i - 1], point, quantities[i - 1], quantities[i], about_band, across=True))
        if before is not None:
            steps.append(_step(points[before], point, quantities[before], quantities[i], about_band))
        last_of[key] = i
        members.setdefault(key, []).append(i)
    points = _plotted(points, members.values())
    lines = tuple(Line(_counted_words(points[found[0]]), tuple(points[j].claim for j in found),
                       _trend(points, quantities, found, about_band)) for found in members.values())
    trend = lines[0].trend if len(lines) == 1 and all(step.comparable for step in steps) else None
    return Series(subject, points, tuple(steps), trend, _verdict(points, steps, lines),
                  tuple(r.claim.id for r in ordered if r.claim.quantity is None), lines)


def _trend(points: Sequence[Point], quantities: Sequence[Quantity | None], found: Sequence[int],
           band: float) -> Trend | None:
    if len(found) < 2:
        return None
    whole = _step(points[found[0]], points[found[-1]], quantities[found[0]], quantities[found[-1]], band)
    if not whole.comparable:
        return None
    return Trend(whole.days, whole.stated_change, whole.relative, whole.per_year, whole.allowed_words, whole.no_rate)


def counted_key(point: Point) -> tuple[str, str, bool]:
    """What a figure counts, for grouping: its unit and measure with case, spacing and plural endings folded
    ("Weapons", "weapon" and "weapons " are one unit; "factories" is "factory"), and whether it is a position."""
    return _unit_key(point.unit), _norm(point.measure), point.ordinal


def _line_keys(points: Sequence[Point]) -> list[tuple[str, str, bool]]:
    """Each point's line: what it counts, where physical units that convert (km and m) are one line."""
    keys = [counted_key(point) for point in points]
    if len({key[0] for key in keys}) < 2:
        return keys  # one unit: nothing to convert (and pint is not loaded)
    from factcheck.overtime.units import dimension

    dimensions = {point.unit: dimension(point.unit) for point in points}
    return [(f"\0{found}", key[1], key[2]) if (found := dimensions[point.unit]) is not None else key
            for key, point in zip(keys, points, strict=True)]


def _plotted(points: tuple[Point, ...], lines: Iterable[list[int]]) -> tuple[Point, ...]:
    """The points, each stated in another unit than its line's first claim given its value in that unit."""
    changed = list(points)
    for found in lines:
        first = points[found[0]]
        for i in found[1:]:
            if _unit_key(points[i].unit) != _unit_key(first.unit):
                converted = _in_unit(points[i].value, points[i].unit, first.unit)
                if converted is not None:
                    changed[i] = dataclasses.replace(points[i], plotted=converted)
    return tuple(changed)


def _in_unit(value: float, unit: str | None, into: str | None) -> float | None:
    if not unit or not into:
        return None
    from factcheck.overtime.units import convert

    return convert(value, unit, into)


@functools.lru_cache(maxsize=4096)
def _unit_key(unit: str | None) -> str:
    return " ".join(_singular(word) for word in _norm(unit).split())


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _counted_words(point: Point) -> str:
    unit = point.unit or "no unit"
    return f"{unit} ({point.measure})" if point.measure else unit


def _verdict(points: Sequence[Point], steps: Sequence[Step], lines: Sequence[Line]) -> str:
    if len(points) < 2:
        return "one claim with a figure: nothing to compare"
    broken = [i for i, step in enumerate(steps, 1) if not step.comparable]
    if len(lines) > 1:
        names = ", ".join(str(i) for i in broken)
        return (f"{len(lines)} series that count different things: each claim is compared with the last one that "
                f"counts the same; step {names} across series {'does' if len(broken) == 1 else 'do'} not compare")
    if broken:
        names = ", ".join(str(i) for i in broken)
        return f"not comparable at step {names}: no trend is drawn across it"
    return "consistent: every step compares like for like"


def _point(record: ClaimRecord) -> Point:
    claim = record.claim
    quantity = claim.quantity
    assert quantity is not None
    sources = tuple(dict.fromkeys(q.source for q in claim.appearances))
    return Point(claim.id, claim.date.isoformat(), phrase(quantity), quantity.value, quantity.bound, quantity.unit,
                 claim.measure, claim.claimant, claim.status, sources, bool(quantity.ordinal))


def _step(before: Point, after: Point, q_before: Quantity | None, q_after: Quantity | None, band: float,
          across: bool = False) -> Step:
    """The step between two claims; `across` two series, or between positions, it has no percentage and no
    rate; a figure in a unit that converts into the earlier one's (m into km) is compared in the earlier unit."""
    assert q_before is not None and q_after is not None
    days = (_date(after.date) - _date(before.date))
    warnings = comparability(before, after)
    after_value = after.value
    if not across and _unit_key(before.unit) != _unit_key(after.unit):
        converted = _in_unit(after.value, after.unit, before.unit)
        if converted is not None:
            after_value = converted
            q_after = replace(q_after, value=converted, unit=before.unit)
            warnings = [w for w in warnings if w.kind != "unit"]
            warnings.insert(0, Difference("unit", f"{after.figure} is {format_number(converted)} {before.unit}, "
                                                  "compared in that unit", False))
    no_rate = ACROSS if across else POSITIONS if before.ordinal and after.ordinal else None
    change = difference(after_value, before.value)
    relative = tidy(change / before.value) if before.value and no_rate is None else None
    per_year = tidy(change / (days / DAYS_PER_YEAR)) if days and no_rate is None else None
    allowed = change_between(allowed_values(q_before, band), allowed_values(q_after, band))
    return Step(before, after, days, change, relative, per_year, allowed, describe_change(allowed),
                tuple(warnings), no_rate)


@functools.lru_cache(maxsize=4096)  # the same few days for many claims
def _date(iso: str) -> int:
    import datetime as dt

    return dt.date.fromisoformat(iso).toordinal()


def comparability(before: Point, after: Point) -> list[Difference]:
    """Each difference between two claims that makes their numbers less than like for like."""
    found = []
    if _unit_key(before.unit) != _unit_key(after.unit):
        found.append(Difference("unit", f"different units: {_shown(before.unit)} then {_shown(after.unit)}", True))
    if _norm(before.measure) != _norm(after.measure):
        if before.measure and after.measure:
            message = f"different measures: {before.measure!r} then {after.measure!r}"
        else:
            missing = before.claim if not before.measure else after.claim
            message = f"the measure of {missing!r} is not recorded, so it cannot be shown to count the same thing"
        found.append(Difference("measure", message, True))
    if before.ordinal != after.ordinal:
        found.append(Difference("position", f"{(before if before.ordinal else after).figure!r} is a position and "
                                            f"{(after if before.ordinal else before).figure!r} an amount", True))
    if _norm(before.claimant) != _norm(after.claimant):
        found.append(Difference(
            "claimant", f"different claimants: {before.claimant!r} then {after.claimant!r}; they may count "
                        "differently", False))
    return found


@functools.lru_cache(maxsize=4096)  # the same units, measures and claimants on every step
def _norm(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def _shown(unit: str | None) -> str:
    return repr(unit) if unit else "no unit"


def series_data(series: Series) -> dict[str, Any]:
    """A series as plain JSON-ready values; infinite interval ends become None."""

    def end(value: float) -> float | None:
        return value if math.isfinite(value) else None

    return {
        "subject": series.subject,
        "verdict": series.verdict,
        "claims": [{**vars(p), "sources": list(p.sources)} for p in series.points],  # vars: asdict's deep copy is slow
        "steps": [{
            "from": step.before.claim, "to": step.after.claim, "days": step.days,
            "stated_change": {"absolute": step.stated_change, "relative": step.relative, "per_year": step.per_year,
                              "no_rate": step.no_rate},
            "allowed_change": {"low": end(step.allowed.low), "high": end(step.allowed.high),
                               "low_open": step.allowed.low_open, "high_open": step.allowed.high_open,
                               "words": step.allowed_words},
            "comparable": step.comparable,
            "warnings": [dict(vars(w)) for w in step.warnings],
        } for step in series.steps],
        "trend": dict(vars(series.trend)) if series.trend else None,
        "lines": [{"counted": line.counted, "claims": list(line.claims),
                   "trend": dict(vars(line.trend)) if line.trend else None} for line in series.lines],
        "without_figure": list(series.without_figure),
    }
