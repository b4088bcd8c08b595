"""Answers: the whole output of a command that only reads the ledger and prints (`list`, `verify`, `show`,
`diff`, `report`), kept in the cache and given again, before anything else is imported, while nothing it
depends on has changed.

A command line is answerable when its output goes to a file or a pipe (not a terminal: no colours, no
progress bar), the cache is on, and the ledger is named by -C or found from this folder as the command
line finds it. Its answer is named by everything the output can depend on besides the ledger: the tool
(version, and the size and time of each of its files), Python, the command line, this folder, the whole
environment but the shell's bookkeeping, today's date and the output's encoding. It holds stdout, stderr
and the exit status, and the ledger's state it was made for: the name, kind and stat (inode, size, times)
of every entry of the ledger's folder the tool looks at and of claims/ and sources/, as git's index keeps
them. An answer is given when every stat is the same. A file changed within a few seconds of the command
could change again and keep its stat (file systems' times step), so then the answer is kept with a digest
of the bytes of every file the tool reads instead, and given when those are the same.

The command runs when there is no answer, and what it printed is kept as the new one, unless a file
changed while it ran, the command failed (exit 2), or it read another folder than the one found here. A
ledger with a link where the tool reads a file or looks into a folder is never answered. Entries are the
cache's own, signed and written whole (see cache). This module imports only what Python starts with and
the names of the ledger's files (ledger.folder), and for a question hashlib, hmac and marshal; it reads
only the ledger's listing, its files when they changed lately, and the one entry.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import time

from factcheck import __version__
from factcheck.ledger.folder import CLAIMS_DIR, CLAIMS_FILE, SOURCE_SUFFIXES, SOURCES_DIR, find_root

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

COMMANDS = ("list", "verify", "show", "diff", "report")
# options that change which ledger is read, make the command read more than its ledger (the files named, git's
# history) or write a file
_NOT_ANSWERED = ("-C", "--root", "--no-cache", "--for-files", "--rev", "-o", "--output", "-h", "--help", "--version")
_VOLATILE = {"_", "OLDPWD", "PWD", "SHLVL"}  # what a shell changes between two identical command lines
_LARGEST = 256 * 1024 * 1024  # a larger file is not hashed here: its ledger is not answered
_NO = ("", "0", "false", "no", "off")


class Question:
    """An answerable command line: its entry's name, the ledger's folder, its listing when asked (see
    _listing), and the digest of its files' bytes when some of them changed too lately for their stat to
    tell a later change (see _racy)."""

    def __init__(self, entry: str, root: str, listing: _Listing) -> None:
        self.entry, self.root, self.listing = entry, root, listing
        self.digest = _digest(listing) if _racy(listing) else None


def asked(argv: Sequence[str]) -> Question | None:
    """The question this command line asks, when it is answerable (see the module's text); else None."""
    try:
        return _asked(argv)
    except (OSError, ValueError):  # no current folder, a NUL in a path: the command line says what is wrong
        return None


def _asked(argv: Sequence[str]) -> Question | None:
    if not (isinstance(sys.stdout, io.TextIOWrapper) and isinstance(sys.stderr, io.TextIOWrapper)):
        return None  # a stream closed (None) or replaced: the command line runs as it is
    if os.isatty(1) or os.isatty(2):
        return None
    if os.environ.get("FACTCHECK_NO_CACHE", "").strip().lower() not in _NO:
        return None  # a bad value is the command's error to give
    given, at = None, 0
    while at < len(argv) and argv[at].startswith("-"):
        word = argv[at]
        if word in ("-C", "--root") and at + 1 < len(argv):
            given, at = argv[at + 1], at + 2
        elif word.startswith("--root="):
            given, at = word[len("--root="):], at + 1
        elif word.startswith("-C") and len(word) > 2:
            given, at = word[2:], at + 1
        else:
            return None
    if at == len(argv) or argv[at] not in COMMANDS or any(w.startswith(_NOT_ANSWERED) for w in argv[at + 1:]):
        return None
    here = os.getcwd()
    root = os.path.realpath(os.path.join(here, given)) if given is not None else find_root(here)
    if root is None:
        return None
    listing = _listing(root)
    if listing is None:
        return None
    return Question(f"answers.{argv[at]}-{_named(argv, here, root)}", root, listing)


def give(question: Question) -> int | None:
    """Print the kept answer to the question and give its exit status; None when there is none for the
    ledger as it is now.

    An answer kept with its ledger's stats is given when every stat is the same now; one kept with a digest
    (its ledger had just changed) when the bytes are the same.
    """
    from factcheck.pipeline import cache

    kept = cache.read(question.root, question.entry)
    if not (isinstance(kept, tuple) and len(kept) == 6 and kept[2] == question.root and isinstance(kept[3], bytes)
            and isinstance(kept[4], bytes) and isinstance(kept[5], int)):
        return None
    if kept[1] is None:
        if kept[0] != question.listing.stamp:
            return None
    elif kept[1] != (question.digest if question.digest is not None else _digest(question.listing)):
        return None
    try:
        sys.stdout.buffer.write(kept[3])
        sys.stdout.flush()
        sys.stderr.buffer.write(kept[4])
        sys.stderr.flush()
    except BrokenPipeError:
        return kept[5] or 1
    return kept[5]


class Recording:
    """What the command prints, kept as it goes to stdout and stderr, to be stored as the question's answer."""

    def __init__(self, question: Question) -> None:
        self.question = question
        self.out: list[bytes] = []
        self.err: list[bytes] = []
        sys.stdout = _teed(sys.stdout, self.out)
        sys.stderr = _teed(sys.stderr, self.err)

    def keep(self, status: int, root: str | None) -> None:
        """Store the answer: when the command ran to its end (status 0 or 1) on the question's ledger, and the
        ledger is as it was when the command began.

        Every stat the same means no file changed meanwhile, unless one had changed so lately that another
        change could leave the same stat (see _racy): then its bytes are compared as well, and the answer is
        kept with their digest instead of the stats.
        """
        if status not in (0, 1) or root is None or os.path.realpath(root) != self.question.root:
            return
        now = _listing(self.question.root)
        if now is None or now.stamp != self.question.listing.stamp:
            return
        digest = None
        if _racy(now):
            digest = _digest(now)
            if digest is None or digest != self.question.digest:
                return
        from factcheck.pipeline import cache

        out, err = b"".join(self.out), b"".join(self.err)
        self.out.clear()  # (the pieces go as soon as they are one: a large output is held twice at most)
        self.err.clear()
        cache.write(self.question.root, self.question.entry, (now.stamp, digest, self.question.root, out, err, status))


class _Tee(io.RawIOBase):
    """Bytes written to a stream, and kept."""

    def __init__(self, stream: io.TextIOWrapper, kept: list[bytes]) -> None:
        super().__init__()
        self.stream, self.kept = stream, kept

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.stream.buffer.write(data)
        self.kept.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        self.stream.buffer.flush()

    def fileno(self) -> int:
        return self.stream.fileno()


def _teed(stream: object, kept: list[bytes]) -> io.TextIOWrapper:
    """A text stream that writes to `stream` (the process's stdout or stderr) and keeps what it wrote."""
    assert isinstance(stream, io.TextIOWrapper)
    stream.flush()
    return io.TextIOWrapper(_Tee(stream, kept), encoding=stream.encoding, errors=stream.errors,  # type: ignore[arg-type]
                            write_through=True)


def _named(argv: Sequence[str], here: str, root: str) -> str:
    """The part of an answer's name that is not the ledger: see the module's text."""
    import hashlib

    from factcheck.pipeline import cache

    digest = hashlib.sha256()
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(names):
            info = os.stat(os.path.join(folder, name))
            digest.update(f"{folder}/{name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    environment = sorted((k, v) for k, v in os.environ.items() if k not in _VOLATILE)
    digest.update(repr((__version__, cache.FORMAT, sys.version, sys.executable, list(argv), here, root,
                        time.strftime("%Y-%m-%d"), sys.stdout.encoding, sys.stdout.errors, sys.stderr.encoding,
                        sys.stderr.errors, environment)).encode())
    return digest.hexdigest()


class _Listing:
    """What a ledger's commands can read: every entry of the ledger's folder they look at (claims.yaml,
    claims/, sources/) and of claims/ and sources/, by name, with its kind and stat (`stamp`); and the paths
    of the files they read (`files`)."""

    def __init__(self) -> None:
        self.stamp: list[tuple[Any, ...]] = []
        self.files: list[tuple[str, str, int]] = []  # name, path, size


# A change to a file leaves the same stat only if it comes within the file system's time step of the last
# one; a file whose last change is older than this (here, by the clock) cannot have changed unseen.
_RACY_NS = 3_000_000_000


def _racy(listing: _Listing) -> bool:
    """True when an entry changed so lately that its stat may not tell a change to come."""
    since = time.time_ns() - _RACY_NS
    return any(entry[4] >= since or entry[5] >= since for entry in listing.stamp if len(entry) > 2)


def _listing(root: str) -> _Listing | None:
    """The ledger's listing (see _Listing); None for a ledger that is not answered."""
    listing = _Listing()
    for name in (CLAIMS_FILE, CLAIMS_DIR, SOURCES_DIR):
        path = os.path.join(root, name)
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            listing.stamp.append((name, "none"))
            continue
        except OSError:
            return None
        if not _add(listing, name, path, info, read=name == CLAIMS_FILE):
            return None
        if name != CLAIMS_FILE and stat.S_ISDIR(info.st_mode):
            try:
                with os.scandir(path) as scan:
                    entries = sorted(scan, key=lambda entry: entry.name)
                inside = [(entry, entry.stat(follow_symlinks=False)) for entry in entries]
            except OSError:
                return None
            for entry, found in inside:
                if not _add(listing, f"{name}/{entry.name}", entry.path, found, read=entry.name.endswith(SOURCE_SUFFIXES)):
                    return None
    return listing


def _add(listing: _Listing, name: str, path: str, info: os.stat_result, *, read: bool) -> bool:
    """Add an entry to the listing; False when its ledger is not answered: a link where the tool looks, or
    a file larger than any ledger file is read."""
    if stat.S_ISLNK(info.st_mode) and (read or "/" not in name):
        return False
    listing.stamp.append((name, stat.S_IFMT(info.st_mode), info.st_ino, info.st_size, info.st_mtime_ns,
                          info.st_ctime_ns, info.st_dev))
    if read and stat.S_ISREG(info.st_mode):
        if info.st_size > _LARGEST:
            return False
        listing.files.append((name, path, info.st_size))
    return True


def _digest(listing: _Listing) -> bytes | None:
    """A digest of the listing's names and kinds and of the bytes of every file it reads; None when a file
    cannot be read whole as it was listed (it is changing, or went)."""
    import hashlib  # here, as the cache is: a command line that asks nothing imports neither

    digest = hashlib.sha256()
    for entry in listing.stamp:
        digest.update(f"{entry[0]}\0{entry[1]}\0".encode())
    for name, path, size in listing.files:
        try:
            handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return None
        try:
            data = os.read(handle, size + 1)
        except OSError:
            return None
        finally:
            os.close(handle)
        if len(data) != size:
            return None
        digest.update(f"{name}\0{size}\0".encode())
        digest.update(hashlib.sha256(data).digest())
    return digest.digest()
