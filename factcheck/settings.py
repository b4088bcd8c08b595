"""The FACTCHECK_* environment variables, each read and validated in one place: a bad value is an error, not a guess."""

from __future__ import annotations

import math
import os

DEFAULT_LOCK_WAIT = 10.0
DEFAULT_MAX_FILE_MIB = 256.0
DEFAULT_PROGRESS_AFTER = 0.5

# Every variable the tool reads, with what its value means: the README's table and the tests use this list.
VARIABLES = {
    "FACTCHECK_LOCK_WAIT": "seconds a writing command waits for another writer's lock (default 10)",
    "FACTCHECK_MAX_FILE_SIZE": "the largest file read, in MiB (default 256)",
    "FACTCHECK_NO_CACHE": "1 (or true, yes) to neither read nor write the cache; 0, false, no or empty for the default",
    "FACTCHECK_PROGRESS_AFTER": "seconds of work before a progress bar shows on a terminal (default 0.5)",
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def _number(name: str, default: float, unit: str, *, positive: bool = False) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        from factcheck.errors import FactcheckError  # here: reading a setting imports nothing (see answers)

        kind = "a positive number" if positive else "a number"
        raise FactcheckError(f"{name}={raw!r} is not {kind} of {unit}")
    return value


def lock_wait() -> float:
    """How long a writer waits for the ledger's lock, in seconds."""
    return _number("FACTCHECK_LOCK_WAIT", DEFAULT_LOCK_WAIT, "seconds")


def max_file_bytes() -> int:
    """The size limit of one file, in bytes."""
    return int(_number("FACTCHECK_MAX_FILE_SIZE", DEFAULT_MAX_FILE_MIB, "MiB", positive=True) * 1024 * 1024)


def progress_after() -> float:
    """How long work runs before a progress bar is shown, in seconds."""
    return _number("FACTCHECK_PROGRESS_AFTER", DEFAULT_PROGRESS_AFTER, "seconds")


def cache_disabled() -> bool:
    """True when FACTCHECK_NO_CACHE asks for no cache (the CLI's --no-cache sets it)."""
    raw = os.environ.get("FACTCHECK_NO_CACHE")
    if raw is None:
        return False
    word = raw.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    from factcheck.errors import FactcheckError

    raise FactcheckError(f"FACTCHECK_NO_CACHE={raw!r} is not one of 1, true, yes, on or 0, false, no, off")
