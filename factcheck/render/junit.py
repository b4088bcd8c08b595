"""JUnit XML: one test case per claim, failing with its problems; the shape CI test reporters read."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from factcheck.errors import Problem

# XML 1.0 allows tab, LF, CR and the characters from U+0020 up, less surrogates and U+FFFE/U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text with the characters XML 1.0 cannot hold replaced by U+FFFD (escaping is the XML writer's job)."""
    return _XML_ILLEGAL.sub("\ufffd", text)


def report(claims: Sequence[tuple[str, str]], found: Sequence[Problem], failing: set[str]) -> str:
    """A testsuites document with one case per claim, named by its id and the file that holds it whether it
    passes or fails (so test history follows the claim); problems not tied to a claim become cases named
    after their source or file. `claims` are (id, file) pairs."""
    cases: dict[str, tuple[str, list[Problem]]] = {f"claim {claim_id}": (path, []) for claim_id, path in claims}
    for p in found:
        name = f"claim {p.claim}" if p.claim else f"source {p.source}" if p.source else f"file {p.location.path}"
        cases.setdefault(name, (p.location.path, []))[1].append(p)
    failures = sum(1 for _, problems in cases.values() if any(p.severity in failing for p in problems))
    root = ET.Element("testsuites", name="factcheck verify", tests=str(len(cases)), failures=str(failures),
                      errors="0", time="0")
    suite = ET.SubElement(root, "testsuite", name="factcheck verify", tests=str(len(cases)), failures=str(failures),
                          errors="0", skipped="0", time="0")
    for name, (path, problems) in cases.items():
        case = ET.SubElement(suite, "testcase", name=xml_text(name), classname=xml_text(path), time="0")
        bad = [p for p in problems if p.severity in failing]
        if bad:
            failure = ET.SubElement(case, "failure", message=xml_text(f"{bad[0].code}: {bad[0].message}"),
                                    type=bad[0].code)
            failure.text = xml_text("\n".join(_line(p) for p in bad))
        rest = [p for p in problems if p.severity not in failing]
        if rest:
            ET.SubElement(case, "system-out").text = xml_text("\n".join(_line(p) for p in rest))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _line(p: Problem) -> str:
    return f"{p.location}: {p.severity} {p.code}: {p.message}"
