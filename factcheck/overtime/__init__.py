"""Claims over time and history: series per subject, the physical units that convert, and git revisions of the
ledger."""
