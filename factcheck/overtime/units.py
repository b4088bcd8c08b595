"""Physical units that convert exactly (300 km is 300000 m), read by pint, and only those.

A unit of a claim is most often a thing counted ("weapons", "military products"), which never converts. pint
reads many words as units that a news text does not mean ("points" as a printer's length, "units" as a
luminance, "tons" as the US short ton, "mt" as a thousandth of a tonne, "kt" as a knot), so a unit converts
only when pint reads every part of it as one of the SI units, or a plain metric or imperial unit whose size no
one disputes, listed below. Currencies never convert (pint does not know them). pint is imported only when a
subject has figures in two different units, so most commands never load it.
"""

from __future__ import annotations

import functools
from typing import Any

# The units a text means one way only: pint's names, with the SI prefixes allowed on the first group.
_PREFIXED = frozenset({"meter", "gram", "liter", "watt", "watt_hour", "second", "joule", "volt", "ampere", "hertz"})
_PLAIN = frozenset({"metric_ton", "hectare", "minute", "hour", "day", "week", "mile", "foot", "inch", "yard", "acre",
                    "nautical_mile", "kilometer", "kilogram", "kilowatt_hour", "square_meter"})


@functools.cache
def _registry() -> Any:
    import pint

    return pint.UnitRegistry(cache_folder=None)


@functools.lru_cache(maxsize=1024)
def _parsed(unit: str) -> Any | None:
    """pint's units for `unit` when every part is one that converts without doubt, else None."""
    registry = _registry()
    try:
        parsed = registry.parse_units(unit.strip())
    except Exception:  # pint raises several kinds for words it does not know: none is a unit here
        return None
    if parsed.dimensionless:
        return None  # percent, count, degree (of angle): nothing to convert
    for name in parsed._units:
        prefix, root, _suffix = registry.parse_unit_name(name)[0]
        if not ((root in _PREFIXED) or (root in _PLAIN and not prefix)):
            return None
    return parsed


def dimension(unit: str | None) -> str | None:
    """What a physical unit measures, for grouping ("[length]" for km and m), or None for anything else."""
    if not unit:
        return None
    parsed = _parsed(unit)
    return None if parsed is None else str(parsed.dimensionality)


def convert(value: float, unit: str, into: str) -> float | None:
    """`value` in `unit` expressed in `into`, or None when the two do not both convert or measure different
    things."""
    source, target = _parsed(unit), _parsed(into)
    if source is None or target is None or source.dimensionality != target.dimensionality:
        return None
    from factcheck.ledger.figures import tidy

    return tidy(float(_registry().Quantity(value, source).to(target).magnitude))
