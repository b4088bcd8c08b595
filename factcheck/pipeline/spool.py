"""Large output set aside in temporary files as it is made, and read back a piece at a time to be written.

A report of a hundred thousand claims is over a hundred megabytes of text, made a chunk of claims at a
time, partly in a forked process: held in memory, it would double what the command needs. A Spool keeps
it in two unlinked temporary files instead (nothing is left behind, however the process ends), one for
the process that made the Spool and one for a process forked from it, since the two cannot append to one
file without racing for its end.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator

from factcheck.errors import FactcheckError

Span = tuple[int, int, int]  # which file (0: the process that made the Spool, 1: a fork of it), offset, length


class Spool:
    """Two append-only temporary files; `add` returns where its bytes went, `read` gives them back."""

    def __init__(self) -> None:
        self._owner = os.getpid()
        try:
            # open as long as the Spool lives, until it is read back
            self._files = [tempfile.TemporaryFile(buffering=0) for _ in range(2)]  # noqa: SIM115
        except OSError as exc:
            raise FactcheckError(f"cannot make a temporary file in {tempfile.gettempdir()}: {exc.strerror}") from None
        self._ends = [0, 0]

    def add(self, data: bytes) -> Span:
        """Append `data` to this process's file (the second one in a forked process)."""
        which = 0 if os.getpid() == self._owner else 1
        file, at = self._files[which], self._ends[which]
        view = memoryview(data)
        try:
            while view:
                written = file.write(view) or 0
                view = view[written:]
        except OSError as exc:
            raise FactcheckError(f"cannot write to a temporary file in {tempfile.gettempdir()}: {exc.strerror}") from None
        self._ends[which] = at + len(data)
        return which, at, len(data)

    def read(self, spans: Iterable[Span]) -> Iterator[bytes]:
        """The bytes of each span in turn (a fork's spans once it has written them); the files are closed
        once all are read."""
        try:
            for which, at, length in spans:
                data = os.pread(self._files[which].fileno(), length, at)
                while len(data) < length:  # a short read: ask for the rest
                    more = os.pread(self._files[which].fileno(), length - len(data), at + len(data))
                    if not more:
                        raise FactcheckError("a temporary file was cut short while it was read back")
                    data += more
                yield data
        finally:
            self.close()

    def close(self) -> None:
        for file in self._files:
            file.close()
