"""The ledger's sources: each one's metadata and snapshot, read and checked for what a file can hold."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import ValidationError

from factcheck.errors import Location, Problem
from factcheck.fastyaml import fast_parse
from factcheck.ledgerfiles import SOURCES_DIR, Deferred, Refused, as_bytes
from factcheck.model import SLUG_RE, SourceMeta
from factcheck.validation import schema_problems, validate_read
from factcheck.yamlsrc import Document, parse, without_bom


@dataclass
class SourceRecord:
    """One source: its metadata and its snapshot, either of which may be missing."""

    id: str
    meta: SourceMeta | None = None
    meta_doc: Document | None = None
    meta_path: str | None = None
    snapshot_path: str | None = None
    snapshot: bytes | Deferred | None = None

    @cached_property
    def _content(self) -> tuple[str | None, str | None, Problem | None]:
        """The snapshot's digest, its text (None when it is not UTF-8) and the encoding problem, read when
        first needed (listing a ledger never reads them); the bytes themselves are not kept."""
        raw = self.snapshot.read() if isinstance(self.snapshot, Deferred) else self.snapshot
        if raw is None:
            return None, None, None
        digest = hashlib.sha256(raw).hexdigest()
        try:
            return digest, raw.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            if self.snapshot_path is None:
                return digest, None, None
            problem = Problem("source-encoding", "error",
                              f"the snapshot is not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}",
                              _offset_location(self.snapshot_path, raw, exc.start), source=self.id)
            return digest, None, problem

    @property
    def digest(self) -> str | None:
        return self._content[0]

    @property
    def text(self) -> str | None:
        """The snapshot as text, or None when it is missing or not UTF-8 (see `encoding_error`)."""
        return self._content[1]

    def encoding_error(self) -> Problem | None:
        """A located `source-encoding` problem when the snapshot is not UTF-8."""
        return self._content[2]

    def locate(self, *sub: str | int) -> Location:
        if self.meta_doc is not None:
            return self.meta_doc.locate(tuple(sub), key=False)
        return Location(self.snapshot_path or f"{SOURCES_DIR}/{self.id}.txt")


def load_sources(files: Mapping[str, bytes | Deferred | Refused],
                 cached: dict[str, Any] | None = None) -> tuple[dict[str, SourceRecord], list[Problem]]:
    """Every source of the ledger's files, by id, with the problems met reading them; with `cached` (the
    validated metadata from the cache for exactly these files), the metadata is not parsed again."""
    sources: dict[str, SourceRecord] = {}
    problems: list[Problem] = []
    prefix = SOURCES_DIR + "/"
    for name in sorted(files):
        if not name.startswith(prefix) or "/" in name[len(prefix):]:
            continue
        stem, _, suffix = name[len(prefix):].rpartition(".")
        if not SLUG_RE.fullmatch(stem):
            problems.append(Problem(
                "schema", "error",
                f"{stem!r} is not a valid source id: name source files with lowercase letters, digits, '.', '_' and '-'",
                Location(name),
            ))
            continue
        record = sources.setdefault(stem, SourceRecord(stem))
        data = files[name]
        if isinstance(data, Refused):
            problems.append(Problem(data.code, "error", data.reason, Location(name), source=stem))
            if suffix == "txt":
                record.snapshot_path = name
            else:
                record.meta_path = name
            continue
        if suffix == "txt":
            record.snapshot_path, record.snapshot = name, data
        elif suffix == "yaml" and cached is not None:
            record.meta, record.meta_path = SourceMeta.model_validate(cached[stem]), name
            record.meta_doc = Document(name, cached[stem], raw=without_bom(as_bytes(data)))
        elif suffix == "yaml":
            data = as_bytes(data)
            fast = fast_parse(data, name)
            if fast is not None and isinstance(fast.data, dict):
                try:
                    record.meta, record.meta_doc, record.meta_path = SourceMeta.model_validate(fast.data), fast, name
                    continue
                except ValidationError:
                    pass
            doc = parse(data, name)
            record.meta_doc, record.meta_path = doc, name
            problems.extend(Problem(p.code, p.severity, p.message, p.location, source=stem) for p in doc.problems)
            if doc.problems and doc.data is None:
                continue
            if not isinstance(doc.data, dict):
                problems.append(Problem(
                    "schema", "error", "source metadata must be a mapping of fields (title, url, sha256, ...)",
                    doc.locate(()), source=stem,
                ))
                continue
            try:
                record.meta = validate_read(SourceMeta, doc.data)
            except ValidationError as exc:
                problems.extend(schema_problems(exc, doc, (), SourceMeta, source_id=stem))
    for record in sources.values():
        if record.meta_path is None:
            problems.append(Problem(
                "source-incomplete", "error",
                f"snapshot without metadata: create {prefix}{record.id}.yaml with at least its sha256",
                Location(record.snapshot_path or prefix), source=record.id,
            ))
        elif record.snapshot_path is None:
            problems.append(Problem(
                "source-incomplete", "error", f"metadata without a snapshot: {prefix}{record.id}.txt is missing",
                Location(record.meta_path), source=record.id,
            ))
    return sources, problems


def _offset_location(path: str, data: bytes, offset: int) -> Location:
    before = data[:offset].decode("utf-8", errors="replace")
    return Location(path, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)
