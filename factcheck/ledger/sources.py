"""The ledger's sources: each one's metadata and snapshot, read and checked for what a file can hold."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from factcheck.errors import FactcheckError, Location, Problem
from factcheck.ledger.folder import SOURCES_DIR
from factcheck.ledger.ledgerfiles import Deferred, Refused, as_bytes
from factcheck.ledger.model import SLUG_RE, SourceMeta
from factcheck.ledger.validation import valid
from factcheck.yamlio.fastyaml import fast_parse, read_together
from factcheck.yamlio.yamlsrc import Document, parse, without_bom


@dataclass
class SourceRecord:
    """One source: its metadata and its snapshot, either of which may be missing."""

    id: str
    meta: SourceMeta | None = None
    meta_doc: Document | None = None
    meta_path: str | None = None
    snapshot_path: str | None = None
    snapshot: bytes | Deferred | None = None

    original_path: str | None = None  # the saved page or PDF the text was derived from (sources/<id>.html, .pdf)
    original: bytes | Deferred | None = field(default=None, repr=False)

    read: Content | None = field(default=None, repr=False, compare=False)  # see snapshot_content, once read

    @property
    def _content(self) -> Content:
        """What `snapshot_content` makes of the snapshot, read when first needed (listing a ledger never
        reads them), unless it came already read (see read_snapshots)."""
        if self.read is None:
            self.read = _read_content(self.snapshot, self.snapshot_path, self.id)
        return self.read

    @property
    def digest(self) -> str | None:
        return self._content[0]

    @property
    def text(self) -> str | None:
        """The snapshot as text, or None when it is missing or not UTF-8 (see `encoding_error`)."""
        return self._content[1]

    def original_digest(self) -> str | None:
        """The sha256 of the kept original, read now; None when there is none (a FactcheckError when it
        cannot be read)."""
        if self.original is None:
            return None
        return hashlib.sha256(self.original.read() if isinstance(self.original, Deferred) else self.original).hexdigest()

    def encoding_error(self) -> Problem | None:
        """A located `source-encoding` problem when the snapshot is not UTF-8."""
        return self._content[2]

    def locate(self, *sub: str | int) -> Location:
        if self.meta_doc is not None:
            return self.meta_doc.locate(tuple(sub), key=False)
        return Location(self.snapshot_path or f"{SOURCES_DIR}/{self.id}.txt")


Content = tuple[str | None, str | None, Problem | None]  # a snapshot's digest, its text (if UTF-8), its problem


def snapshot_content(raw: bytes | None, path: str | None, source_id: str, digest: str | None = None) -> Content:
    """A snapshot's sha256 (`digest`, when it is known already), its text (None when it is not UTF-8) and
    the located encoding problem; the bytes themselves are not kept."""
    if raw is None:
        return None, None, None
    digest = digest or hashlib.sha256(raw).hexdigest()
    try:
        return digest, raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        if path is None:
            return digest, None, None
        problem = Problem("source-encoding", "error",
                          f"the snapshot is not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}",
                          _offset_location(path, raw, exc.start), source=source_id)
        return digest, None, problem


def read_snapshots(files: Mapping[str, bytes | Deferred | Refused]) -> dict[str, Content]:
    """`snapshot_content` of every snapshot of the ledger's files, by name."""
    return {name: _read_content(data, name, name[len(_PREFIX):-len(".txt")])
            for name, data in files.items() if _is_source_file(name, ".txt") and not isinstance(data, Refused)}


def _read_content(data: bytes | Deferred | None, path: str | None, source_id: str) -> Content:
    """`snapshot_content` of a snapshot read now if it was deferred; a snapshot that cannot be read (no
    permission, an I/O error) is a located problem of its own, not the end of the run."""
    try:
        raw, digest = data.read_hashed() if isinstance(data, Deferred) else (data, None)
    except FactcheckError as exc:
        why = str(exc).rsplit(": cannot read: ", 1)[-1]
        return None, None, Problem("source-unsafe", "error", f"the snapshot cannot be read ({why}); it was not checked",
                                   Location(path or f"{SOURCES_DIR}/{source_id}.txt"), source=source_id)
    return snapshot_content(raw, path, source_id, digest)


def parse_metadata(files: Mapping[str, bytes | Deferred | Refused]) -> dict[str, Any]:
    """The data of each source metadata file the fast reader takes, by name: `load_sources`'s `parsed`.
    The names it leaves out are read by the exact reader. The files are read together when they can be
    (see fastyaml.read_together), else one by one."""
    metadata = {name: data for name, data in files.items() if _is_source_file(name, ".yaml") and isinstance(data, bytes)}
    together = read_together(list(metadata.values())) if len(metadata) > 1 else None
    if together is not None:
        return dict(zip(metadata, together, strict=True))
    parsed = {}
    for name, data in metadata.items():
        fast = fast_parse(data, name)
        if fast is not None:
            parsed[name] = fast.data
    return parsed


_PREFIX = SOURCES_DIR + "/"


def _is_source_file(name: str, suffix: str) -> bool:
    return name.startswith(_PREFIX) and name.endswith(suffix) and "/" not in name[len(_PREFIX):]


def load_sources(files: Mapping[str, bytes | Deferred | Refused], cached: dict[str, Any] | None = None,
                 parsed: Mapping[str, Any] | None = None,
                 contents: Mapping[str, Content] | None = None) -> tuple[dict[str, SourceRecord], list[Problem]]:
    """Every source of the ledger's files, by id, with the problems met reading them; with `cached` (the
    validated metadata from the cache for exactly these files), the metadata is not parsed again. With
    `parsed` (see parse_metadata), the metadata files it holds are not parsed again and those it lacks go
    to the exact reader; with `contents` (see read_snapshots), the snapshots it holds come already read."""
    sources: dict[str, SourceRecord] = {}
    problems: list[Problem] = []
    prefix = _PREFIX
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
            elif suffix in ORIGINAL_FORMATS:
                record.original_path = name
            else:
                record.meta_path = name
            continue
        if suffix in ORIGINAL_FORMATS:
            if record.original_path is not None:
                problems.append(Problem("source-incomplete", "error", f"source {stem!r} has two originals, "
                                        f"{record.original_path} and {name}: keep the one its metadata records",
                                        Location(name), source=stem))
            record.original_path, record.original = name, data
        elif suffix == "txt":
            record.snapshot_path, record.snapshot = name, data
            if contents is not None and name in contents:
                record.read = contents[name]
        elif suffix == "yaml" and cached is not None and (meta := valid(SourceMeta, cached.get(stem))) is not None:
            record.meta, record.meta_path = meta, name
            record.meta_doc = Document(name, cached[stem], raw=without_bom(as_bytes(data)))
        elif suffix == "yaml":
            data = as_bytes(data)
            if parsed is None:
                fast = fast_parse(data, name)
            else:
                fast = Document(name, parsed[name], raw=without_bom(data)) if name in parsed else None
            meta = valid(SourceMeta, fast.data) if fast is not None and isinstance(fast.data, dict) else None
            if meta is not None:
                record.meta, record.meta_doc, record.meta_path = meta, fast, name
                continue
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
            record.meta, found = _meta_exactly(doc, stem)
            problems.extend(found)
    for record in sources.values():
        problems.extend(_original_problems(record))
        if record.meta_path is None:
            problems.append(Problem(
                "source-incomplete", "error",
                f"snapshot without metadata: create {prefix}{record.id}.yaml with at least its sha256",
                Location(record.snapshot_path or record.original_path or prefix), source=record.id,
            ))
        elif record.snapshot_path is None:
            problems.append(Problem(
                "source-incomplete", "error", f"metadata without a snapshot: {prefix}{record.id}.txt is missing",
                Location(record.meta_path), source=record.id,
            ))
    return sources, problems


ORIGINAL_FORMATS = ("html", "pdf")


def _meta_exactly(doc: Document, stem: str) -> tuple[SourceMeta | None, list[Problem]]:
    """A source's metadata read by the exact reader, validated by the rules: the metadata, or the located
    problems that keep them from taking it."""
    from pydantic import ValidationError

    from factcheck.ledger import rules
    from factcheck.ledger.validation import schema_problems, validate_read

    try:
        return rules.to_record(validate_read(rules.SourceMeta, doc.data)), []
    except ValidationError as exc:
        return None, list(schema_problems(exc, doc, (), rules.SourceMeta, source_id=stem))


def _original_problems(record: SourceRecord) -> list[Problem]:
    """An original the metadata does not record, or one it records that is not there."""
    if record.meta is None:
        return []
    recorded = record.meta.original
    expected = f"{_PREFIX}{record.id}.{recorded.format}" if recorded is not None else None
    if record.original_path is not None and record.original_path != expected:
        why = (f"its metadata records a {recorded.format} original, {expected}" if recorded is not None
               else "its metadata records no original (original:)")
        return [Problem("source-incomplete", "error", f"{record.original_path} is not the source's original: {why}; "
                        "remove the stray file, or add the page again with factcheck source add",
                        Location(record.original_path), source=record.id)]
    if recorded is not None and record.original_path is None:
        return [Problem("source-incomplete", "error", f"the original {expected} that the metadata records is missing",
                        record.locate("original"), source=record.id)]
    return []


def _offset_location(path: str, data: bytes, offset: int) -> Location:
    before = data[:offset].decode("utf-8", errors="replace")
    return Location(path, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)
