"""A cache of validated ledger data and of results, keyed by the content of the files, in `.factcheck-cache/`.

Each claims file has entries of its own (its validated claims), and so do the sources' metadata; results
(verify's problems, list's rows) are keyed by every file they depend on. A key is a hash of the files'
bytes (not their time stamps), the tool's version and the Python version, so any change to a file is a
miss for what depends on it and nothing stale is ever served. Entries are written through a
temporary file and a rename, so concurrent runs and a killed writer leave either a whole entry or none;
an entry that cannot be read is ignored. Only ledgers that load without a problem are cached.
Answers (a command's whole output, see answers) are entries too, named by their command line and given
for the ledger's state they hold.

The folder sits in the ledger, where a pull request could add files to it, so every entry is signed with
a key kept outside the repository (in the user's cache folder): an entry this machine did not write is
never unmarshalled. The signature covers the entry's name (its key) and the format as well as the payload,
so an entry this machine wrote for another state of the ledger, copied onto the current key's name, is a
miss. Entries are never read or written through a link, nor read from anything but a regular file.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import stat
import sys
import time

from factcheck import __version__
from factcheck.ledger.folder import SNAPSHOT_SUFFIXES

TYPE_CHECKING = False
if TYPE_CHECKING:  # reading an entry imports nothing more: a stored answer is given with only this (see answers)
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any

CACHE_DIR = ".factcheck-cache"
FORMAT = 5
KEEP = 3  # newest entries kept of each kind (of each claims file, for their entries)


def enabled() -> bool:
    """False when FACTCHECK_NO_CACHE asks for no cache (the CLI's --no-cache sets it)."""
    from factcheck import settings

    return not settings.cache_disabled()


def key(files: Mapping[str, Any], *, snapshots: bool = False, extra: str = "",
        digests: Mapping[str, str] | None = None) -> str:
    """A key that changes with the content of any YAML file of the ledger (and of every snapshot, if asked).

    `digests` gives the sha256 (hex) of files already read and hashed, by name (a ledger's snapshots, as
    its sources hold them once read): they are not read again.
    """
    digest = hashlib.sha256(f"{__version__}|{FORMAT}|{sys.version_info[:2]}|{extra}".encode())
    known = digests or {}
    for name in sorted(files):
        if not (name.endswith(".yaml") or (snapshots and name.endswith(SNAPSHOT_SUFFIXES))):
            continue
        if name in known:
            digest.update(f"{name}\0{known[name]}\0".encode())
            continue
        data = files[name]
        sha256 = getattr(data, "sha256", None)
        if sha256 is not None and not isinstance(data, bytes):  # a file not read yet (ledgerfiles.Deferred)
            from factcheck.errors import FactcheckError

            try:
                digest.update(f"{name}\0{sha256()}\0".encode())
            except FactcheckError:  # unreadable: verify reports it, and a later readable state is another key
                digest.update(f"{name}\0unreadable\0".encode())
            continue
        if isinstance(data, bytes):
            digest.update(f"{name}\0{hashlib.sha256(data).hexdigest()}\0".encode())
        else:
            digest.update(f"{name}\0refused\0".encode())
    return digest.hexdigest()


def file_entry(name: str, data: bytes) -> str:
    """The entry of one claims file in this content: `claims.<name's hash>-<content's hash>`, so that each
    file keeps its own few newest entries (see write)."""
    named = hashlib.sha256(name.encode()).hexdigest()[:16]
    content = hashlib.sha256(f"{__version__}|{FORMAT}|{sys.version_info[:2]}|{name}\0".encode())
    content.update(data)
    return f"claims.{named}-{content.hexdigest()}"


def _secret() -> bytes | None:
    """This user's signing key, made on first use; None when it cannot be kept."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(home, "factcheck", "cache-key")
    secret = _secret_again(path)
    if secret is not None:
        return secret
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        secret = os.urandom(32)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(secret)
        return secret
    except FileExistsError:  # another run made it meanwhile
        return _secret_again(path)
    except OSError:
        return None


def _secret_again(path: str) -> bytes | None:
    try:
        with open(path, "rb") as stream:
            secret = stream.read()
    except OSError:
        return None
    return secret if len(secret) == 32 else None


def _sign(secret: bytes, entry: str, payload: bytes) -> bytes:
    signature = hmac.new(secret, f"factcheck-cache|{FORMAT}|{entry}|".encode(), hashlib.sha256)
    signature.update(payload)
    return signature.digest()


def _read_entry(path: str) -> bytes | None:
    """The bytes of a cache entry: a regular file, opened without following a link and without blocking."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        chunks = []
        while chunk := os.read(handle, 1 << 24):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(handle)


def read(root: str | os.PathLike[str], entry: str) -> Any:
    """The cached value for a key, or None (also for an entry this machine did not sign)."""
    folder = os.path.join(root, CACHE_DIR)
    secret = _secret()
    if secret is None or os.path.islink(folder) or not os.path.isdir(folder):
        return None
    data = _read_entry(os.path.join(folder, f"{entry}.marshal"))
    if data is None:
        return None
    signature, payload = data[:32], data[32:]
    if not hmac.compare_digest(signature, _sign(secret, entry, payload)):
        return None
    if len(payload) < 1 << 20:
        return _loads(payload)
    from factcheck.pipeline import collecting

    with collecting.paused(freeze=False):  # unmarshalling makes many objects and frees none
        return _loads(payload)


def _loads(payload: bytes) -> Any:
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def write(root: str | os.PathLike[str], entry: str, value: Any) -> None:
    """Store a value under a key, keeping the few newest entries; a cache that cannot be written is skipped."""
    from pathlib import Path

    from factcheck.errors import FactcheckError
    from factcheck.ledger.files import TEMP_PREFIX, TEMP_SUFFIX, write_atomic

    folder = Path(root) / CACHE_DIR
    secret = _secret()
    if secret is None:
        return
    try:
        folder.mkdir(exist_ok=True)
        _ignore_itself(folder)
        payload = marshal.dumps(value)
        # signed (checked when read), and written in two pieces: a large entry is never copied whole
        write_atomic(folder / f"{entry}.marshal", (_sign(secret, entry, payload), payload), durable=False, follow=False)
        # (one listing of the folder, matched by prefix and suffix: a glob pattern is a regex compiled anew)
        kind, now = entry.split("-", 1)[0] + "-", time.time()
        entries: list[tuple[float, str]] = []
        with os.scandir(folder) as listing:
            for found in listing:
                if found.name.startswith(kind) and found.name.endswith(".marshal"):
                    entries.append((found.stat(follow_symlinks=False).st_mtime, found.path))
                elif found.name.startswith(TEMP_PREFIX) and found.name.endswith(TEMP_SUFFIX) \
                        and now - found.stat(follow_symlinks=False).st_mtime > 600:  # a writer killed 10 minutes ago
                    Path(found.path).unlink(missing_ok=True)
        for _, old in sorted(entries, reverse=True)[KEEP:]:
            Path(old).unlink(missing_ok=True)
    except (OSError, FactcheckError):
        return


def _ignore_itself(folder: Path) -> None:
    """A `.gitignore` of `*` in the cache folder, as pytest's and mypy's caches have, so no ledger commits it.

    Made once, never through a link (O_EXCL and O_NOFOLLOW), in a folder that is a real folder.
    """
    if folder.is_symlink() or not folder.is_dir():
        raise OSError(f"{folder} is not a folder")
    try:
        handle = os.open(folder / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        return
    with os.fdopen(handle, "wb") as stream:
        stream.write(b"# made by factcheck: this cache is never committed\n*\n")
