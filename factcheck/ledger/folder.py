"""A ledger's folder: the names of its files, and which ledger holds a folder. Nothing but `os.path`, so that
a kept answer is found with it before anything else is imported (see pipeline.answers)."""

from __future__ import annotations

import os

CLAIMS_FILE = "claims.yaml"
CLAIMS_DIR = "claims"
SOURCES_DIR = "sources"
# The files of a source: its text, its metadata, and the saved page or PDF its text was derived from.
SNAPSHOT_SUFFIXES = (".txt", ".html", ".pdf")  # read only when a command needs their bytes
SOURCE_SUFFIXES = (".yaml", *SNAPSHOT_SUFFIXES)


def holds_ledger(folder: str | os.PathLike[str]) -> bool:
    """True when the folder holds a ledger: a claims.yaml file or a claims/ folder."""
    return os.path.isfile(os.path.join(folder, CLAIMS_FILE)) or os.path.isdir(os.path.join(folder, CLAIMS_DIR))


def find_root(start: str | os.PathLike[str]) -> str | None:
    """The ledger that holds `start`, as git finds its repository: `start` itself, else the nearest parent
    folder with a ledger, looking no higher than the root of the git repository `start` is in (or of the
    file system); its real path. None when there is none."""
    folder = os.path.realpath(start)
    while True:
        if holds_ledger(folder):
            return folder
        if os.path.exists(os.path.join(folder, ".git")):
            return None
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
