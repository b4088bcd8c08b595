"""factcheck: a ledger of claims tied to the exact words of their sources.

From Python: `open_ledger`, `verify`, `list_claims` and `show_claim` (see factcheck.api), each taking the
ledger's folder. They are loaded when first used, so that importing factcheck costs nothing.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # importing factcheck imports nothing, not even typing (see pipeline.answers)
    from typing import Any

__version__ = "0.2.0"
__all__ = ["__version__", "list_claims", "open_ledger", "show_claim", "verify"]


def __getattr__(name: str) -> Any:
    if name in ("list_claims", "open_ledger", "show_claim", "verify"):
        from factcheck import api

        return getattr(api, name)
    raise AttributeError(f"module 'factcheck' has no attribute {name!r}")
