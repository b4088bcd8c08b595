"""Changing the ledger: the checked, atomic edits, corrections, sources (from saved pages, PDFs and
addresses), many rows at once, and fmt's layout."""
