"""Shared helpers: small real ledgers written into tmp_path, and the CLI run in-process."""

from __future__ import annotations

import hashlib
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from factcheck.cli import cli

REPO = Path(__file__).resolve().parent.parent

SNAPSHOT = (
    "The minister said that Azerbaijan is working on more than 800 new weapons. "
    "Critics said the figure was “realistic” only if every design was counted.\n\n"
    "The ministry made 1,000 products in 2024 — by its own count.\n"
)


def meta_for(text: str | bytes, **fields: str) -> str:
    """Source metadata with the right sha256 for `text`, plus any fields given."""
    data = text.encode() if isinstance(text, str) else text
    lines = [f"{key}: {value}" for key, value in fields.items()]
    lines.append(f"sha256: {hashlib.sha256(data).hexdigest()}")
    return "\n".join(lines) + "\n"


def write_ledger(root: Path, claims: str | None, sources: dict[str, str] | None = None,
                 published: str = "2023-09-29") -> Path:
    """A ledger in `root`: claims.yaml (dedented) and sources with matching metadata."""
    root.mkdir(parents=True, exist_ok=True)
    if claims is not None:
        (root / "claims.yaml").write_text(textwrap.dedent(claims).lstrip("\n"), encoding="utf-8")
    sources_dir = root / "sources"
    sources_dir.mkdir(exist_ok=True)
    for source_id, text in (sources if sources is not None else {"src": SNAPSHOT}).items():
        (sources_dir / f"{source_id}.txt").write_text(text, encoding="utf-8")
        (sources_dir / f"{source_id}.yaml").write_text(
            meta_for(text, title=f"Title of {source_id}", published=published), encoding="utf-8")
    return root


@pytest.fixture
def ledger(tmp_path: Path) -> Callable[..., Path]:
    """Write a ledger into a fresh folder and return its path."""
    def make(claims: str | None, sources: dict[str, str] | None = None, **kwargs: str) -> Path:
        return write_ledger(tmp_path / "ledger", claims, sources, **kwargs)

    return make


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the repository's example ledger."""
    target = tmp_path / "example"
    target.mkdir()
    shutil.copy(REPO / "claims.yaml", target / "claims.yaml")
    shutil.copytree(REPO / "sources", target / "sources")
    shutil.copytree(REPO / "schema", target / "schema")
    return target


def run(*args: str | Path) -> Result:
    """The CLI, in-process, with stdout and stderr kept apart."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(autouse=True)
def own_cache_key(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache's signing key lives in a folder of the test run, not in the user's home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium, driven by Playwright (which never downloads a browser of its own)."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None, "Chromium is required: apt-get install chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        yield launched
        launched.close()
