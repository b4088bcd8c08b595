"""The one size rule of the read path: a ledger whose claims files reach SHARE_FROM_BYTES is read in two
shares, the second in a forked process; and how the claims are shared out. Knowing it needs no YAML and
no models."""

from __future__ import annotations

from collections.abc import Mapping

from factcheck.ledger.folder import CLAIMS_DIR, CLAIMS_FILE
from factcheck.ledger.ledgerfiles import Deferred, Refused

SHARE_FROM_BYTES = 256 * 1024  # claims files from which a cold command reads them in two shares (about 400 claims)
# From about this size, a second process costs less than it saves (measured on two cores: the same time at
# 300 claims either way, a fifth less at 3,000), so there is no step in time at the threshold.


def claims_size(files: Mapping[str, bytes | Deferred | Refused]) -> int:
    """The bytes of the ledger's claims files."""
    return sum(len(data) for name, data in files.items() if isinstance(data, bytes) and is_claims_file(name))


def is_claims_file(name: str) -> bool:
    """True for the path of a claims file: claims.yaml, or a file under claims/."""
    return name == CLAIMS_FILE or name.startswith(CLAIMS_DIR + "/")


SPLIT_FROM_SHARE = 1 / 4  # a claims file with this part of the claims' bytes or more is split between the shares


def plan(files: Mapping[str, bytes | Deferred | Refused]) -> dict[str, int | None]:
    """Which share (0 or 1) reads each claims file whole, or None for a file both read, every other chunk.

    A file with a quarter of the claims' bytes or more is split; the others go whole to the share with
    fewer bytes so far, the largest first, so that a `claims/` ledger of many files is shared out about as
    evenly as one large file, and each file read whole can have its own cache entry. The plan depends only
    on the files' names and sizes, so both processes make the same one.
    """
    sizes = {name: len(data) if isinstance(data, bytes) else 0 for name, data in files.items() if is_claims_file(name)}
    total = sum(sizes.values())
    shared: dict[str, int | None] = {name: None for name, size in sizes.items() if size >= total * SPLIT_FROM_SHARE}
    load = [sum(sizes[name] for name in shared) / 2] * 2
    for name in sorted((n for n in sizes if n not in shared), key=lambda n: (-sizes[n], n)):
        which = 0 if load[0] <= load[1] else 1
        shared[name] = which
        load[which] += sizes[name]
    return shared
