"""factcheck: a ledger of claims tied to the exact words of their sources."""

__version__ = "0.2.0"
