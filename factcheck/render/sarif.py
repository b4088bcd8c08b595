"""SARIF 2.1.0 for code-scanning tools: one rule per check code, results at file, line and column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from factcheck import __version__
from factcheck.errors import Problem
from factcheck.render.jsonout import dumps

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def report(found: Sequence[Problem], rules: Sequence[tuple[str, str, str]], prefix: str = "") -> str:
    """A SARIF log with one run; `rules` are (code, severity, description) for every check code."""
    index = {code: i for i, (code, _, _) in enumerate(rules)}
    driver: dict[str, Any] = {
        "name": "factcheck", "version": __version__, "semanticVersion": __version__,
        "rules": [{
            "id": code, "name": "".join(word.capitalize() for word in code.split("-")),
            "shortDescription": {"text": description}, "fullDescription": {"text": description},
            "defaultConfiguration": {"level": LEVELS[severity]},
        } for code, severity, description in rules],
    }
    results = [{
        "ruleId": p.code, "ruleIndex": index[p.code], "level": LEVELS[p.severity], "message": {"text": p.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": quote(prefix + p.location.path), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": p.location.line, "startColumn": p.location.column},
        }}],
        **({"properties": {k: v for k, v in (("claim", p.claim), ("source", p.source)) if v}}
           if p.claim or p.source else {}),
    } for p in found]
    return dumps({"$schema": SCHEMA, "version": "2.1.0",
                  "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}]})
