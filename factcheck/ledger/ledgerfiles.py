"""Find the files that make up a ledger and read them within the size limit. No YAML, no models."""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from factcheck import settings
from factcheck.errors import FactcheckError
from factcheck.ledger import folder
from factcheck.ledger.folder import CLAIMS_DIR, CLAIMS_FILE, SNAPSHOT_SUFFIXES, SOURCE_SUFFIXES, SOURCES_DIR


@dataclass
class Deferred:
    """A snapshot found but not read yet: most commands never need its bytes."""

    path: str | os.PathLike[str]
    _kept: bytes | None = field(default=None, compare=False, repr=False)
    _digest: str | None = field(default=None, compare=False, repr=False)

    def read(self) -> bytes:
        """The file's bytes: those kept by `sha256` (once), or read now."""
        return self.read_hashed()[0]

    def read_hashed(self) -> tuple[bytes, str | None]:
        """`read`, with the sha256 of the bytes (hex) when `sha256` gave it for these very bytes."""
        if self._kept is not None:
            data, digest, self._kept, self._digest = self._kept, self._digest, None, None
            return data, digest
        try:
            return _read_up_to(self.path, sys.maxsize)[1], None  # its size was checked when it was found
        except OSError as exc:
            raise FactcheckError(f"{self.path}: cannot read: {exc.strerror}") from None

    def sha256(self) -> str:
        """The sha256 (hex) of the file's bytes, read now and kept, with it, for the next `read`: a cache key
        and the check of the snapshot that follows see the very same bytes, read and hashed once."""
        import hashlib

        data = self.read()
        self._kept, self._digest = data, hashlib.sha256(data).hexdigest()
        return self._digest


def as_bytes(data: bytes | Deferred) -> bytes:
    """The bytes of a file, read now if they were deferred."""
    return data.read() if isinstance(data, Deferred) else data


@dataclass(frozen=True)
class Refused:
    """A ledger file that was not read, and why: it stands in the file map in place of the bytes."""

    code: str
    reason: str


LedgerFiles = Mapping[str, "bytes | Refused"]


def find_root(start: Path) -> Path | None:
    """The ledger that holds `start` (see folder.find_root); None when there is none."""
    found = folder.find_root(start)
    return None if found is None else Path(found)


def check_output(root: Path, output: Path) -> None:
    """Refuse an output file (`-o`) that is one of the ledger's own files: claims.yaml, or anything in
    claims/ or sources/ (a report written there would replace the data it reports on)."""
    target = Path(os.path.realpath(output))
    here = Path(os.path.realpath(root))
    if target == here / CLAIMS_FILE or any(target.is_relative_to(here / folder) for folder in (CLAIMS_DIR, SOURCES_DIR)):
        raise FactcheckError(f"{output} is one of the ledger's own files (claims.yaml, claims/, sources/): "
                             "write the output elsewhere; nothing was written")


def ledgers_of(paths: Iterable[Path]) -> list[Path]:
    """The ledgers that hold these files (as pre-commit passes them), each once, in the order first named;
    a file in no ledger names none."""
    found: dict[Path, None] = {}
    for path in paths:
        root = find_root(path.parent)
        if root is not None:
            found.setdefault(root, None)
    return list(found)


def find_files(root: Path, limit: int | None = None, *,
               sources: bool | Collection[str] = True) -> dict[str, bytes | Deferred | Refused]:
    """Read the files that make up the ledger at `root`, keyed by their path relative to it; without
    `sources`, its claims files alone; with source ids, the claims files and those sources' files.

    Snapshots are only found here and read when a command needs them. A file over the size limit, or a
    source file that is not a regular file (a symbolic link, the only way a file in sources/ can lead
    outside it, or a FIFO, socket, device or folder, which could block a reader), is not read: a Refused
    stands in its place. `claims/` and `sources/` must be real folders, and the claims files regular files.
    """
    limit = settings.max_file_bytes() if limit is None else limit
    if not root.is_dir():
        raise FactcheckError(f"{root}: no such folder")
    single, split = root / CLAIMS_FILE, root / CLAIMS_DIR
    if os.path.lexists(single) and not single.is_file():
        raise FactcheckError(f"{single} is {_kind(single)}, not a claims file")
    if single.is_file() and split.is_dir():
        raise FactcheckError(f"{root}: both {CLAIMS_FILE} and {CLAIMS_DIR}/ exist; a ledger keeps its claims in one of them")
    if single.is_file():
        if single.is_symlink() and not _inside(Path(os.path.realpath(single)), root):
            raise FactcheckError(f"{single} is a symbolic link to a file outside the ledger; factcheck reads and "
                                 "writes only the ledger's own files")
        entries: list[tuple[str, str | Path, str | None]] = [(CLAIMS_FILE, Path(os.path.realpath(single)), None)]
    elif split.is_dir():
        _real_folder(split)
        listed = _listing(split)
        misnamed = [e.name for e in listed if e.name.endswith(".yml")]
        if misnamed:
            raise FactcheckError(f"{split / misnamed[0]}: claims files end in .yaml; rename it to "
                                 f"{misnamed[0][:-4]}.yaml (as it is, it would be left out)")
        entries = [(f"{CLAIMS_DIR}/{e.name}", e.path, None) for e in listed if e.name.endswith(".yaml")]
        for _name, path, _ in entries:
            if not os.path.isfile(path) or os.path.islink(path):
                raise FactcheckError(f"{path} is {_kind(Path(path))}: a ledger's claims files are regular files "
                                     "inside it")
    else:
        raise FactcheckError(f"no ledger in {root}: neither {CLAIMS_FILE} nor {CLAIMS_DIR}/ exists "
                             "(name the ledger's folder with -C DIR)")
    folder = root / SOURCES_DIR
    if sources and os.path.lexists(folder):
        _real_folder(folder)
        entries += [(f"{SOURCES_DIR}/{e.name}", e.path, None if e.is_file(follow_symlinks=False) else _kind(Path(e.path)))
                    for e in _listing(folder) if e.name.endswith(SOURCE_SUFFIXES)
                    and (sources is True or _source_id(e.name) in sources)]
    files: dict[str, bytes | Deferred | Refused] = {}
    for name, path, odd in entries:
        if odd is not None:
            files[name] = Refused("source-unsafe", f"{odd}: snapshots and their metadata must be regular files "
                                                   "inside sources/; it was not read")
            continue
        try:
            if name.endswith(SNAPSHOT_SUFFIXES):
                size, data = os.stat(path).st_size, b""
            else:
                size, data = _read_up_to(path, limit)
        except OSError as exc:
            raise FactcheckError(f"{path}: cannot read: {exc.strerror}") from None
        if size > limit or len(data) > limit:
            files[name] = Refused("file-too-large", f"larger than the limit of {limit} bytes "
                                                    "(FACTCHECK_MAX_FILE_SIZE, in MiB); it was not read")
        elif name.endswith(SNAPSHOT_SUFFIXES):
            files[name] = Deferred(path)
        else:
            files[name] = data
    return files


def _source_id(name: str) -> str:
    """The id of the source a file of sources/ belongs to: its name without the suffix."""
    return next(name[:-len(suffix)] for suffix in SOURCE_SUFFIXES if name.endswith(suffix))


def _read_up_to(path: str | os.PathLike[str], limit: int) -> tuple[int, bytes]:
    """A file's size and, when it is within the limit, its bytes (read to its end, even if it grew meanwhile).

    Opened without blocking and without following a link, and refused unless it is a regular file: a FIFO
    put in a file's place between listing and reading cannot stall the reader.
    """
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        size = info.st_size
        if size > limit:
            return size, b""
        data = os.read(handle, size + 1)
        if len(data) == size:  # the usual case: all of it, in one read
            return size, data
        chunks = [data]
        while chunks[-1] and sum(map(len, chunks)) <= limit:  # a short read, or it grew: read on to its end
            chunks.append(os.read(handle, 1 << 20))
        return size, b"".join(chunks)
    finally:
        os.close(handle)


def _kind(path: Path) -> str:
    """What a path that is not a regular file is, in words."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return "missing"
    if stat.S_ISLNK(mode):
        return "a symbolic link" if path.exists() else "a symbolic link that leads nowhere"
    for test, words in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                        (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return words
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def _inside(path: Path, root: Path) -> bool:
    return path.is_relative_to(root.resolve())


def _real_folder(folder: Path) -> None:
    """Refuse a ledger folder (claims/, sources/) that is a link or not a folder: it could lead outside."""
    if folder.is_symlink() or not folder.is_dir():
        raise FactcheckError(f"{folder} is {_kind(folder)}: a ledger's {folder.name}/ must be a real folder inside it")


def _listing(folder: Path) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as scan:
        return sorted(scan, key=lambda entry: entry.name)
