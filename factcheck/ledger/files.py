"""Writing files so that a crash leaves the old file or the new one, never half of one."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from factcheck.errors import FactcheckError


def write_atomic(path: Path, data: bytes | Iterable[bytes], *, durable: bool = True, follow: bool = True) -> None:
    """Write `data` (bytes, or pieces of them) to `path` through a temporary file in the same folder, fsync,
    then rename over it.

    A symbolic link is followed, so the file it points to is replaced and the link stays; the file keeps
    its permission bits (a new one gets the usual ones under the umask). With `durable=False` nothing is
    forced to disk: readers still see the old file or the new one whole, but a power cut may lose the
    write or leave garbage (for files that are checked when read, such as signed cache entries).
    With `follow=False` a link at `path` is never followed: the new file replaces the link itself (for the
    tool's own files, such as cache entries, whose names a pull request could have taken with a link).
    """
    if follow and path.is_symlink():
        path = Path(os.path.realpath(path))
    folder = path.parent if str(path.parent) else Path(".")
    try:
        mode = path.stat().st_mode & 0o7777 if follow or not path.is_symlink() else _DEFAULT
        if follow and not mode & 0o222:
            raise FactcheckError(f"{path} is read-only (no write permission): make it writable first "
                                 f"(chmod u+w {path}); nothing was written")
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as exc:
        raise FactcheckError(f"cannot write {path}: {exc.strerror}") from None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise FactcheckError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(data, bytes):
                stream.write(data)
            else:
                for piece in data:
                    stream.write(piece)
            stream.flush()
            os.fchmod(stream.fileno(), mode)
            if durable:
                os.fsync(stream.fileno())
        os.replace(temporary, path)
        if durable:
            _sync_folder(folder)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise FactcheckError(f"cannot write {path}: {exc.strerror}; the file is unchanged") from None
    except BaseException:  # making the pieces failed (or the run was interrupted): no half-written file is left
        Path(temporary).unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


_DEFAULT = 0o644
LOCK_NAME = ".factcheck.lock"
# A temporary file is named `.factcheck-tmp.<file>.<random>.tmp`: only the tool makes such names, so only
# its own leftovers are ever removed, never a user's `.draft.v2.tmp`.
TEMP_PREFIX = ".factcheck-tmp."
TEMP_SUFFIX = ".tmp"


class LedgerLock:
    """An exclusive lock on a ledger for the length of one write command.

    It is an advisory `flock` on `.factcheck.lock` in the ledger's folder, so a killed writer never leaves
    a stale lock behind: the system drops it with the process. A second writer waits up to
    `FACTCHECK_LOCK_WAIT` seconds (default 10), then stops with the pid of the holder.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._handle: int | None = None

    def __enter__(self) -> LedgerLock:
        import fcntl
        import time

        from factcheck import settings

        wait = settings.lock_wait()
        path = self.root / LOCK_NAME
        try:
            handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
        except OSError as exc:
            if os.path.islink(path):
                raise FactcheckError(f"the lock {path} is a symbolic link; factcheck never writes through one: "
                                     "remove it (the lock is made anew)") from None
            raise FactcheckError(f"cannot create the lock {path}: {exc.strerror}") from None
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            os.close(handle)
            raise FactcheckError(f"the lock {path} is not a regular file: remove it (the lock is made anew)")
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(handle, 64, 0).decode(errors="replace").strip() or "unknown"
                    os.close(handle)
                    raise FactcheckError(
                        f"the ledger is locked by pid {holder} (another factcheck is writing); try again when it "
                        "is done") from None
                time.sleep(0.05)
        try:
            os.ftruncate(handle, 0)
            os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
            clean_stale_temporaries(self.root)
        except OSError as exc:
            os.close(handle)
            raise FactcheckError(f"cannot take the lock {path}: {exc.strerror}; nothing was changed") from None
        self._handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            os.close(self._handle)  # closing drops the flock
            self._handle = None


def clean_stale_temporaries(root: Path) -> list[Path]:
    """Remove temporary files a killed writer left in the ledger (called with the lock held)."""
    removed = []
    for folder in (root, root / "claims", root / "sources"):
        if not folder.is_dir():
            continue
        for path in folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            if path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed
