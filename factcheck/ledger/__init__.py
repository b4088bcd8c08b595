"""The ledger and its sources: the models of the files, what people type, figures and stated numbers,
validation, the JSON Schema, finding and reading the files, the sources, atomic writes and the lock, and a
claim's row."""
