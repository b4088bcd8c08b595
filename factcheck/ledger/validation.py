"""Data read from YAML as the ledger's values, and the rules' errors as located problems.

`valid` takes plain data from the fast reader or the cache: accepted at once when it is certainly valid
(model.accept, no pydantic), else as the rules take it (rules.py, pydantic imported then), else None, and
the file is read exactly to learn why; `checked` takes what a command is given, or says every error. The
exact reader keeps plain scalars as written (see yamlsrc): `validate_read` gives a number or date written
where text belongs its characters before validation, and `schema_problems` words each remaining error for
a person and places it at the node at fault.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from factcheck.errors import Problem
from factcheck.ledger.model import NOT_BLANK_PATTERN, RECORD, SLUG_PATTERN, accept, accept_each
from factcheck.yamlio.yamlsrc import Document, Path_, YamlBool

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

MODEL = TypeVar("MODEL", bound="BaseModel")


def valid(kind: type[RECORD], data: Any) -> RECORD | None:
    """`data` as a `kind` when it is valid: accepted at once (model.accept) or taken by the rules; None when
    the rules refuse it (read it exactly to learn where and why)."""
    found = accept(kind, data)
    return found if found is not None else _by_the_rules(kind, data)


def valid_each(kind: type[RECORD], items: list[Any]) -> list[RECORD] | None:
    """`valid` of each item of a list; None when the rules refuse any."""
    found = accept_each(kind, items)
    taken = [one if one is not None else _by_the_rules(kind, item) for one, item in zip(found, items, strict=True)]
    return None if any(one is None for one in taken) else taken  # type: ignore[return-value]


class Invalid(ValueError):
    """What a command was given is not valid: the rules' errors, worded (see `checked`)."""


def checked(kind: type[RECORD], data: Any) -> RECORD:
    """`data` given to a command (a new claim, a verdict, a source's metadata) as a `kind`; Invalid, with
    every error the rules find, worded, when it is not valid."""
    found = accept(kind, data)
    if found is not None:
        return found
    from pydantic import ValidationError

    from factcheck.ledger import rules

    try:
        return rules.validate(kind, data)
    except ValidationError as exc:
        raise Invalid(validation_message(exc)) from None


def validation_message(exc: ValidationError) -> str:
    """Each of pydantic's errors, with the field at fault: "quantity.bound: ...; date: ..."."""
    parts = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(p) for p in error["loc"] if "[" not in str(p))
        message = error_message(error)
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _by_the_rules(kind: type[RECORD], data: Any) -> RECORD | None:
    from pydantic import ValidationError

    from factcheck.ledger import rules

    try:
        return rules.validate(kind, data)
    except ValidationError:
        return None


def validate_read(model: type[MODEL], data: Any) -> MODEL:
    """`model.model_validate(data)` for data from the exact reader, which keeps plain scalars as written.

    A number or date written where text belongs is text: its characters, not its value (`claimant: 1984`
    is the claimant "1984"). Each value refused as not text but kept with its characters is replaced by
    them, in place, and the data validated again; a true/false word is left to be refused.
    """
    from pydantic import ValidationError

    for _ in range(_MAX_REPAIRS):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            repaired = False
            for error in exc.errors(include_url=False):
                value = error.get("input")
                raw = getattr(value, "raw", None)
                if error["type"] == "string_type" and isinstance(raw, str) and not isinstance(value, YamlBool):
                    repaired = _replace(data, error["loc"], raw) or repaired
            if not repaired:
                raise
    return model.model_validate(data)


_MAX_REPAIRS = 8  # each round repairs every value pydantic reported; a second is rarely needed


def _replace(data: Any, loc: tuple[int | str, ...], value: Any) -> bool:
    """Set the node at `loc` (pydantic's path, internal steps skipped) to `value`; False if it is not there."""
    steps = [part for part in loc if isinstance(part, int) or not _is_internal(part)]
    node = data
    for step in steps[:-1]:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return False
    if not steps or not isinstance(node, dict | list):
        return False
    try:
        node[steps[-1]] = value  # type: ignore[index]
    except (IndexError, TypeError):
        return False
    return True


_VALUE_ERROR_PREFIX = re.compile(r"^(Value error|Assertion failed), ")


def schema_problems(
    exc: ValidationError,
    doc: Document,
    base: Path_,
    model: type[BaseModel],
    *,
    claim_id: str | None = None,
    source_id: str | None = None,
) -> Iterable[Problem]:
    """Turn pydantic's errors into located `schema` problems, one per error."""
    at_base = _node_at(doc.data, base)
    for error in exc.errors(include_url=False):
        loc = _data_path(at_base, error["loc"])
        path = (*base, *loc)
        field_name = _field_name(loc)
        kind = error["type"]
        if kind == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}" + _known_fields_hint(model, loc[:-1])
            location = doc.locate(path, key=True)
        elif kind == "missing":
            parent = path[:-1]
            what = "this mapping"
            if len(parent) == len(base) and base[:1] == ("claims",):
                what = f"claim {claim_id!r}" if claim_id else f"claim #{int(base[-1]) + 1} of this file"
            message = f"{what} lacks the required field {loc[-1]!r}"
            location = doc.locate(parent)
        else:
            message = f"{field_name}: {error_message(error)}" if field_name else error_message(error)
            location = doc.locate(path)
        yield Problem("schema", "error", message, location, claim=claim_id, source=source_id)


def _node_at(data: Any, path: Path_) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _data_path(node: Any, loc: tuple[int | str, ...]) -> Path_:
    """The steps of pydantic's error location that are keys and indexes of the data itself.

    pydantic adds steps of its own ('function-before[...]', a union member's type); a key that the user
    wrote may look just like one (`a[b`), so each step is checked against the data rather than its spelling.
    A step that leads nowhere in the data (a missing field) is kept as the last one.
    """
    path: list[int | str] = []
    for number, part in enumerate(loc):
        in_data = (isinstance(node, dict) and part in node) or \
            (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node))
        if in_data:
            path.append(part)
            node = node[part]
        elif number == len(loc) - 1 or not _is_internal(part):
            path.append(part)
            node = None
    return tuple(path)


def _is_internal(part: int | str) -> bool:
    # pydantic adds steps such as 'function-before[...]' or a union member's type to a loc
    return isinstance(part, str) and ("[" in part or part[:1].isupper() or part in _TYPE_STEPS)


_TYPE_STEPS = {"str", "int", "float", "bool", "date", "datetime", "list", "dict", "none", "literal", "url"}


def _field_name(loc: Path_) -> str:
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


def error_message(error: Any) -> str:
    """One of pydantic's errors in the words of this tool (without the field's name)."""
    message = _VALUE_ERROR_PREFIX.sub("", str(error["msg"]))
    kind = error["type"]
    value = error.get("input")
    if kind == "string_type":
        if isinstance(value, YamlBool):
            return (f"{value.raw!r} is read by YAML as a true/false value, not as text; "
                    "put it in quotes if it is meant as text")
        from factcheck.ledger.rules import kind_of

        return "is empty; write the text" if value is None else f"must be text, not a {kind_of(value)}"
    if kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern")
        if pattern == NOT_BLANK_PATTERN:
            return "is blank; write the text"
        if pattern == SLUG_PATTERN:
            return (f"{value!r} is not a valid id: use lowercase letters, digits, '.', '_' and '-', "
                    "starting with a letter or digit (at most 128 characters)")
        return f"{_shown(value)} is not a lowercase hexadecimal sha256 digest of 64 characters"
    if isinstance(value, YamlBool) and kind != "value_error":
        return f"{value.raw!r} is read by YAML as a true/false value; {message[0].lower()}{message[1:]}"
    if kind == "literal_error":
        return f"{_shown(value)} is not allowed; {message[0].lower()}{message[1:]}"
    if kind in ("model_type", "dict_type"):
        return "must be a mapping of fields"
    if kind == "list_type":
        return "must be a list"
    return message


def _shown(value: Any) -> str:
    raw = getattr(value, "raw", value)
    return repr(raw)


def _known_fields_hint(model: type[BaseModel], loc: Path_) -> str:
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return ""
        if isinstance(part, int):
            continue
        field_info = current.model_fields.get(part)
        current = _inner_model(field_info.annotation) if field_info else None
    if current is None:
        return ""
    return "; the fields are " + ", ".join(current.model_fields)


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
