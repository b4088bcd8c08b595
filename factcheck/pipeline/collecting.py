"""Python's cycle collector paused while a command builds a large, acyclic set of objects.

Reading a ledger or checking it makes millions of objects and frees almost none; the collector would walk
them all again and again for nothing. Once the work is done, what it made is frozen (left out of later
collections), since it lives until the process exits.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(*, freeze: bool = True) -> Iterator[None]:
    """No cycle collection inside the block; what exists at its end is frozen if asked."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if freeze:
                gc.freeze()
            gc.enable()
