"""What a run read and how each source fared, shared by the flow and the writers.

Outputs must be byte-identical for identical inputs, so what they say about a run is
derived from the inputs, never from the clock: the **build id** hashes every source's
address, checksum and status with the schema version and the code that turns them into
outputs, and **data as of** is the latest time any source's bytes were first fetched.
A refresh whose build id equals the published one has nothing to do. The execution's
own id and times live in the run's ``manifest.json``.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from docbrief.records import SCHEMA_VERSION, ExtractedDocument

__all__ = ["Build", "SourceResult", "build_id", "code_fingerprint", "describe_build"]

_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest time a zip entry can carry


@dataclass
class SourceResult:
    """What happened to one source in a run."""

    name: str
    url: str
    status: str  # "ok" | "stale" (the fetch failed; the last good version was used) | "failed"
    change: str | None = None  # "changed" | "unchanged", when there is a version
    error: str | None = None
    document_id: str | None = None
    edition: int | None = None
    sha256: str | None = None
    sections: int = 0
    blocks: int = 0
    extracted: bool = False  # extracted in this run (False: reused from the archive's records)
    retrieved_from: str | None = None  # a web-archive copy's address, when it stood in
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name, "url": self.url, "status": self.status, "change": self.change,
            "error": self.error, "document_id": self.document_id, "edition": self.edition,
            "sha256": self.sha256, "sections": self.sections, "blocks": self.blocks, "extracted": self.extracted,
            "retrieved_from": self.retrieved_from, "warnings": self.warnings,
        }


@dataclass(frozen=True)
class Build:
    """The identity of a set of outputs: same inputs, same build."""

    build_id: str
    data_as_of: datetime
    sources: tuple[SourceResult, ...]


@cache
def code_fingerprint(*packages: str) -> str:
    """A hash of the Python source of ``packages``: it changes whenever their code does."""
    digest = hashlib.sha256()
    for package in packages:
        module = importlib.import_module(package)
        files = [Path(module.__file__)] if not hasattr(module, "__path__") else sorted(
            p for folder in module.__path__ for p in Path(folder).glob("*.py"))
        for path in files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def build_id(sources: Sequence[SourceResult], *, template: Path | None = None) -> str:
    """Same sources (address, checksum, status), schema, code and brief template: same build id."""
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    if template is not None:
        digest.update(hashlib.sha256(Path(template).read_bytes()).digest())
    digest.update(code_fingerprint("docbrief", "extractors", "outputs").encode())
    for source in sorted(sources, key=lambda s: s.url):
        digest.update(f"{source.url}\t{source.sha256}\t{source.status}\n".encode())
    return digest.hexdigest()[:12]


def describe_build(documents: Sequence[ExtractedDocument], sources: Sequence[SourceResult], *,
                   template: Path | None = None) -> Build:
    times = [doc.document.fetched_at for doc in documents]
    as_of = max(times, default=_EPOCH).astimezone(UTC)
    return Build(build_id=build_id(sources, template=template), data_as_of=max(as_of, _EPOCH),
                 sources=tuple(sources))
