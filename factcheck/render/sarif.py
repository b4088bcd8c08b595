"""SARIF 2.1.0 for code-scanning tools: one rule per check code, results at file, line and column."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from factcheck import __version__
from factcheck.errors import Problem
from factcheck.render.jsonout import dumps

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def report(found: Sequence[Problem], rules: Sequence[tuple[str, str, str]], automation: str = "./") -> str:
    """A SARIF log with one run; `rules` are (code, severity, description) for every check code; paths are
    the problems' own (from the current folder). `automation` names what was verified (the ledger's folder)."""
    index = {code: i for i, (code, _, _) in enumerate(rules)}
    driver: dict[str, Any] = {
        "name": "factcheck", "version": __version__, "semanticVersion": __version__,
        "rules": [{
            "id": code, "name": "".join(word.capitalize() for word in code.split("-")),
            "shortDescription": {"text": description}, "fullDescription": {"text": description},
            "help": {"text": f"{description} Run `factcheck verify` to see each one at its line; the README's "
                             f"table of checks describes `{code}`.",
                     "markdown": f"{description} Run `factcheck verify` to see each one at its line; the README's "
                                 f"table of checks describes `{code}`."},
            "defaultConfiguration": {"level": LEVELS[severity]},
        } for code, severity, description in rules],
    }
    results = []
    seen: dict[str, int] = {}
    for p in found:
        identity = fingerprint(p)
        seen[identity] = seen.get(identity, 0) + 1
        results.append({
            "ruleId": p.code, "ruleIndex": index[p.code], "level": LEVELS[p.severity], "message": {"text": p.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": quote(p.location.path), "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": p.location.line, "startColumn": p.location.column},
            }}],
            "partialFingerprints": {"factcheckProblem/v1": f"{identity}:{seen[identity]}"},
            **({"properties": {k: v for k, v in (("claim", p.claim), ("source", p.source)) if v}}
               if p.claim or p.source else {}),
        })
    run = {"tool": {"driver": driver}, "automationDetails": {"id": f"factcheck/verify/{automation}"},
           "columnKind": "unicodeCodePoints", "results": results}
    return dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]})


_PLACES = re.compile(r"\S+:\d+:\d+")


def fingerprint(p: Problem) -> str:
    """What identifies a problem across edits: its code, claim, source and message (which holds the quote's
    words), never a line or column, here or in a place the message names; the file, for problems of no claim."""
    where = "" if p.claim or p.source else p.location.path
    text = "\x1f".join((p.code, p.claim or "", p.source or "", where, _PLACES.sub("", p.message)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
