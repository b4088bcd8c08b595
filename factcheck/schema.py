"""The JSON Schema of the ledger's files, generated from the models, for editors and other validators."""

from __future__ import annotations

from typing import Any

from factcheck.model import ClaimsFile, SourceMeta

DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("claims", "source")


def json_schema(kind: str) -> dict[str, Any]:
    """The schema of `claims.yaml` (kind 'claims') or of `sources/<id>.yaml` (kind 'source')."""
    model = ClaimsFile if kind == "claims" else SourceMeta
    schema = model.model_json_schema(mode="validation")
    title = "factcheck claims file" if kind == "claims" else "factcheck source metadata"
    return {"$schema": DIALECT, "title": title, **{k: v for k, v in schema.items() if k != "title"}}
