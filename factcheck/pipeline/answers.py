"""Answers: the whole output of a command that only reads the ledger and prints (`list`, `verify`, `show`,
`diff`, `report`), kept in the cache and given again while nothing it depends on has changed, before anything else is imported.

A command line is answerable when its output goes to a file or a pipe (not a terminal: no colours, no
progress bar), the cache is on, and the ledger is named by -C or found from this folder as the command
line finds it. Its answer is named by everything the output can depend on besides the ledger: the tool
(version, and the size and time of each of its files), Python, the command line, this folder, the whole
environment but the shell's bookkeeping, today's date and the output's encoding. The answer holds the
ledger's state (the name and kind of every entry of claims/ and sources/, and the bytes of every file
the tool reads there, hashed), its folder, stdout, stderr and the exit status. It is given only when the
state is the same now; otherwise the command runs, and what it printed is kept as the new answer, unless
a file changed while it ran, the command failed (exit 2), or it read another folder than the one found here.
A ledger with a link where a claims file, claims/, sources/ or a source file should be is never answered.

Entries are the cache's own, signed and written whole (see cache). This module imports only what Python
starts with, then, for a question, hashlib, hmac and marshal; it reads only the ledger's files and the one
entry.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import time

from factcheck import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    import hashlib
    from collections.abc import Sequence

COMMANDS = ("list", "verify", "show", "diff", "report")
# options that change which ledger is read, make the command read more than its ledger (the files named, git's
# history) or write a file
_NOT_ANSWERED = ("-C", "--root", "--no-cache", "--for-files", "--rev", "-o", "--output", "-h", "--help", "--version")
_VOLATILE = {"_", "OLDPWD", "PWD", "SHLVL"}  # what a shell changes between two identical command lines
_READ = (".yaml", ".txt", ".html", ".pdf")  # the files of claims/ and sources/ a command reads
_LARGEST = 256 * 1024 * 1024  # a larger file is not hashed here: its ledger is not answered
_NO = ("", "0", "false", "no", "off")


class Question:
    """An answerable command line: its entry's name, the ledger's folder, and the ledger's state now."""

    def __init__(self, entry: str, root: str, state: tuple[bytes, list[tuple[int, ...]]]) -> None:
        self.entry, self.root, self.state = entry, root, state


def asked(argv: Sequence[str]) -> Question | None:
    """The question this command line asks, when it is answerable (see the module's text); else None."""
    try:
        return _asked(argv)
    except (OSError, ValueError):  # no current folder, a NUL in a path: the command line says what is wrong
        return None


def _asked(argv: Sequence[str]) -> Question | None:
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
    root = os.path.realpath(os.path.join(here, given)) if given is not None else _found(here)
    if root is None:
        return None
    state = _state(root)
    if state is None:
        return None
    return Question(f"answers.{argv[at]}-{_named(argv, here, root)}", root, state)


def give(question: Question) -> int | None:
    """Print the kept answer to the question and give its exit status; None when there is none for the
    ledger's state now."""
    from factcheck.pipeline import cache

    kept = cache.read(question.root, question.entry)
    if not (isinstance(kept, tuple) and len(kept) == 5 and kept[0] == question.state[0] and kept[1] == question.root
            and isinstance(kept[2], bytes) and isinstance(kept[3], bytes) and isinstance(kept[4], int)):
        return None
    try:
        sys.stdout.buffer.write(kept[2])
        sys.stdout.flush()
        sys.stderr.buffer.write(kept[3])
        sys.stderr.flush()
    except BrokenPipeError:
        return kept[4] or 1
    return kept[4]


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
        ledger is as it was when the command began."""
        if status not in (0, 1) or root is None or os.path.realpath(root) != self.question.root:
            return
        now = _state(self.question.root)
        if now is None or now[1] != self.question.state[1]:
            return
        from factcheck.pipeline import cache

        cache.write(self.question.root, self.question.entry,
                    (now[0], self.question.root, b"".join(self.out), b"".join(self.err), status))


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


def _found(here: str) -> str | None:
    """The ledger that holds this folder, as ledgerfiles.find_root finds it; None when there is none or it is
    this folder's own (the command line then reads "." and names it so)."""
    folder = here
    while True:
        if os.path.isfile(os.path.join(folder, "claims.yaml")) or os.path.isdir(os.path.join(folder, "claims")):
            return folder
        if os.path.exists(os.path.join(folder, ".git")):
            return None
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


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


def _state(root: str) -> tuple[bytes, list[tuple[int, ...]]] | None:
    """The ledger's state: a digest of what its commands read (see the module's text), and each file's
    stat, by which a change while a command runs is seen; None for a ledger that is not answered."""
    import hashlib  # here, as the cache is: a command line that asks nothing imports neither

    digest = hashlib.sha256()
    stats: list[tuple[int, ...]] = []
    for name in ("claims.yaml", "claims", "sources"):
        path = os.path.join(root, name)
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            digest.update(f"{name}\0none\0".encode())
            continue
        except OSError:
            return None
        if stat.S_ISLNK(info.st_mode):
            return None
        if name == "claims.yaml":
            if not _hashed(digest, stats, name, path, info):
                return None
        elif stat.S_ISDIR(info.st_mode):
            digest.update(f"{name}/\0".encode())
            try:
                with os.scandir(path) as scan:
                    entries = sorted(scan, key=lambda entry: entry.name)
            except OSError:
                return None
            for entry in entries:
                try:
                    inner = entry.stat(follow_symlinks=False)
                except OSError:
                    return None
                inside = f"{name}/{entry.name}"
                if entry.name.endswith(_READ):
                    if not _hashed(digest, stats, inside, entry.path, inner):
                        return None
                else:
                    digest.update(f"{inside}\0{stat.S_IFMT(inner.st_mode)}\0".encode())
        else:
            digest.update(f"{name}\0{stat.S_IFMT(info.st_mode)}\0".encode())
    return digest.digest(), stats


def _hashed(digest: hashlib._Hash, stats: list[tuple[int, ...]], name: str, path: str, info: os.stat_result) -> bool:
    """Add a file's kind and bytes to the digest and its stat to the list; False when it is not read here (a
    link, or larger than any ledger file is read)."""
    import hashlib

    if stat.S_ISLNK(info.st_mode) or info.st_size > _LARGEST:
        return False
    stats.append((info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns))
    if not stat.S_ISREG(info.st_mode):
        digest.update(f"{name}\0{stat.S_IFMT(info.st_mode)}\0".encode())
        return True
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        data = os.read(handle, info.st_size + 1)
    except OSError:
        return False
    finally:
        os.close(handle)
    if len(data) != info.st_size:  # changing as it is read
        return False
    digest.update(f"{name}\0{len(data)}\0".encode())
    digest.update(hashlib.sha256(data).digest())
    return True
