"""What a run read and how each source fared, shared by the flow and the writers.

Outputs must be byte-identical for identical inputs, so what they say about a run is
derived from the inputs, never from the clock: the **build id** hashes every source's
address, checksum and status with the schema version, and **data as of** is the latest
time any source's bytes were fetched. The execution's own id and times live in the
run's ``manifest.json``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from docbrief.records import SCHEMA_VERSION, ExtractedDocument

__all__ = ["Build", "SourceResult", "describe_build"]

_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest time a zip entry can carry


@dataclass
class SourceResult:
    """What happened to one source in a run."""

    name: str
    url: str
    status: str  # "ok" | "failed"
    error: str | None = None
    document_id: str | None = None
    edition: int | None = None
    sha256: str | None = None
    sections: int = 0
    blocks: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name, "url": self.url, "status": self.status, "error": self.error,
            "document_id": self.document_id, "edition": self.edition, "sha256": self.sha256,
            "sections": self.sections, "blocks": self.blocks, "warnings": self.warnings,
        }


@dataclass(frozen=True)
class Build:
    """The identity of a set of outputs: same inputs, same build."""

    build_id: str
    data_as_of: datetime
    sources: tuple[SourceResult, ...]


def describe_build(documents: Sequence[ExtractedDocument], sources: Sequence[SourceResult]) -> Build:
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for source in sorted(sources, key=lambda s: s.url):
        digest.update(f"{source.url}\t{source.sha256}\t{source.status}\n".encode())
    times = [doc.document.fetched_at for doc in documents]
    as_of = max(times, default=_EPOCH).astimezone(UTC)
    return Build(build_id=digest.hexdigest()[:12], data_as_of=max(as_of, _EPOCH), sources=tuple(sources))
