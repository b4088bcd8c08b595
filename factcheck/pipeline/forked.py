"""Share CPU-bound work with a forked copy of this process, which already has all the data it needs.

Python runs one thread at a time, so on a machine with two cores a large ledger's checks (or a report's
charts) are split between this process and a fork of it. The child sends its result back through a pipe,
marshalled, and leaves without running any exit handler. Where this process cannot fork (no fork, or
other threads running, which a fork would not copy), or the child fails in any way, the caller does the
work itself: the result never depends on whether a fork was used.
"""

from __future__ import annotations

import marshal
import os
import threading
from collections.abc import Callable
from typing import Any

FAILED = object()  # what waiting gives when the child did not deliver


def start(work: Callable[[], Any]) -> Callable[[], Any] | None:
    """Run `work` in a forked child; a function that waits for its result (or FAILED), or None if no fork.

    The result must be marshallable: plain values, lists, tuples, dicts.
    """
    if not hasattr(os, "fork") or threading.active_count() != 1:
        return None
    try:
        reading, writing = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child
        status = 1
        try:
            os.close(reading)
            payload = marshal.dumps(work())
            with os.fdopen(writing, "wb") as stream:
                stream.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(writing)

    def wait() -> Any:
        with os.fdopen(reading, "rb") as stream:
            payload = stream.read()
        _, status = os.waitpid(pid, 0)
        if status != 0:
            return FAILED
        try:
            return marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return FAILED

    return wait
