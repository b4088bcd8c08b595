"""The JSON Schema of the ledger's files, generated from their rules (rules.py), for editors and other validators."""

from __future__ import annotations

from typing import Any

from factcheck.ledger.model import BOUNDS, STANCES, STATUSES
from factcheck.ledger.rules import ClaimsFile, SourceMeta

DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("claims", "source")


def json_schema(kind: str) -> dict[str, Any]:
    """The schema of `claims.yaml` (kind 'claims') or of `sources/<id>.yaml` (kind 'source')."""
    model = ClaimsFile if kind == "claims" else SourceMeta
    schema = _for_editors(_same_on_every_pydantic(model.model_json_schema(mode="validation")))
    title = "factcheck claims file" if kind == "claims" else "factcheck source metadata"
    return {"$schema": DIALECT, "title": title, **{k: v for k, v in schema.items() if k != "title"}}


# What each value of the ledger's closed vocabularies means, for an editor's completion and hover.
MEANINGS: dict[str, str] = {
    "unverified": "Not checked yet (the default).",
    "supported": "The evidence bears the claim out: needs a `supports` evidence quote.",
    "refuted": "The evidence shows the claim false: needs a `refutes` evidence quote.",
    "misleading": "True in part, or in words, but misleading: needs evidence and a note saying why.",
    "conflicting": "The evidence points both ways: needs a `supports` and a `refutes` quote.",
    "unverifiable": "Cannot be checked with what is public: needs a note saying why.",
    "exactly": "The figure as stated: 800.", "about": "Near the figure: about 800.",
    "more-than": "Above the figure: more than 800.", "at-least": "The figure or more: at least 800.",
    "fewer-than": "Below the figure: fewer than 800.", "at-most": "The figure or less: at most 800.",
    "supports": "The quote bears the claim out.", "refutes": "The quote shows the claim false.",
    "context": "The quote bears on the claim without settling it.",
    "html": "A saved web page: the text is its article, derived by trafilatura.",
    "pdf": "A PDF: the text is its pages in order, derived by pypdf.",
}
assert set(MEANINGS) == {*STATUSES, *BOUNDS, *STANCES, "html", "pdf"}


def _for_editors(node: Any) -> Any:
    """Each description also as `markdownDescription`, and each value of an enum described
    (`enumDescriptions`, `markdownEnumDescriptions`), as VS Code's YAML support shows them."""
    if isinstance(node, list):
        return [_for_editors(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _for_editors(value) for key, value in node.items()}
    if isinstance(out.get("description"), str) and "markdownDescription" not in out:
        out["markdownDescription"] = out["description"]
    values = out.get("enum")
    if isinstance(values, list) and values and all(value in MEANINGS for value in values):
        out["enumDescriptions"] = [MEANINGS[value].replace("`", "") for value in values]
        out["markdownEnumDescriptions"] = [MEANINGS[value] for value in values]
    return out


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
