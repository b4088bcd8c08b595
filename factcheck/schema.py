"""The JSON Schema of the ledger's files, generated from the models, for editors and other validators."""

from __future__ import annotations

from typing import Any

from factcheck.model import ClaimsFile, SourceMeta

DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("claims", "source")


def json_schema(kind: str) -> dict[str, Any]:
    """The schema of `claims.yaml` (kind 'claims') or of `sources/<id>.yaml` (kind 'source')."""
    model = ClaimsFile if kind == "claims" else SourceMeta
    schema = _same_on_every_pydantic(model.model_json_schema(mode="validation"))
    title = "factcheck claims file" if kind == "claims" else "factcheck source metadata"
    return {"$schema": DIALECT, "title": title, **{k: v for k, v in schema.items() if k != "title"}}


def _same_on_every_pydantic(node: Any) -> Any:
    """The schema as recent pydantic writes it, whatever version made it: before 2.9 or so, a reference with a
    description or default beside it was wrapped as `allOf: [{$ref}]` (in 2020-12 a `$ref` may have
    siblings), and a constant had no `type` beside it."""
    if isinstance(node, list):
        return [_same_on_every_pydantic(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _same_on_every_pydantic(value) for key, value in node.items()}
    wrapped = out.get("allOf")
    if isinstance(wrapped, list) and len(wrapped) == 1 and isinstance(wrapped[0], dict) \
            and set(wrapped[0]) == {"$ref"} and "$ref" not in out:
        del out["allOf"]
        out = {"$ref": wrapped[0]["$ref"], **out}
    if "const" in out and "type" not in out:  # newer pydantic names the type of a constant as well
        kinds = {bool: "boolean", str: "string", int: "integer", float: "number"}
        if type(out["const"]) in kinds:
            out["type"] = kinds[type(out["const"])]
    return out
