"""The one size rule of the read path: a ledger whose claims files reach SHARE_FROM_BYTES is read in two
shares, the second in a forked process. Knowing it needs no YAML and no models."""

from __future__ import annotations

from collections.abc import Mapping

from factcheck.ledger.ledgerfiles import CLAIMS_DIR, CLAIMS_FILE, Deferred, Refused

SHARE_FROM_BYTES = 8 * 1024 * 1024  # claims files from which a cold command reads them in two shares


def claims_size(files: Mapping[str, bytes | Deferred | Refused]) -> int:
    """The bytes of the ledger's claims files."""
    return sum(len(data) for name, data in files.items() if isinstance(data, bytes) and is_claims_file(name))


def is_claims_file(name: str) -> bool:
    """True for the path of a claims file: claims.yaml, or a file under claims/."""
    return name == CLAIMS_FILE or name.startswith(CLAIMS_DIR + "/")
