"""Writing a run's outputs and publishing them as ``OUT/latest``.

    OUT/runs/<run-id>/docbrief.xlsx      the workbook
    OUT/runs/<run-id>/briefs/*.docx      a brief per document, a "what changed" brief per pair
    OUT/runs/<run-id>/bundle/...         the data package (see outputs.bundle)
    OUT/runs/<run-id>/bundle.zip
    OUT/runs/<run-id>/manifest.json      run id, status, every file (path, kind, bytes, sha256), every source
    OUT/latest -> runs/<run-id>

Everything is written under ``runs/<run-id>.partial`` first. Only when every file is
complete is the folder renamed and ``latest`` switched, in one atomic rename. A writer
that fails part-way leaves ``latest`` — the last good outputs — exactly as it was.
A source whose fetch failed is in the outputs with its last good version, marked stale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docbrief.compare import Comparison
from docbrief.records import SCHEMA_VERSION, ExtractedDocument
from docbrief.runs import SourceResult, describe_build
from outputs.briefs import write_briefs
from outputs.bundle import write_bundle
from outputs.files import OutputFile, describe_file, publish_latest, write_json_atomic
from outputs.workbook import write_workbook

__all__ = ["WORKBOOK_NAME", "RunOutputs", "write_run"]

WORKBOOK_NAME = "docbrief.xlsx"


@dataclass(frozen=True)
class RunOutputs:
    run_dir: Path
    files: tuple[OutputFile, ...]
    published: bool
    build_id: str


def write_run(
    documents: Sequence[ExtractedDocument],
    sources: Sequence[SourceResult],
    *,
    out_dir: Path,
    run_id: str,
    started_at: datetime,
    config: str,
    comparisons: Sequence[Comparison] = (),
    template: Path | None = None,
) -> RunOutputs:
    """Write every output of a run, then publish it (when it has any document)."""
    out_dir = Path(out_dir)
    partial = out_dir / "runs" / f"{run_id}.partial"
    final = out_dir / "runs" / run_id
    build = describe_build(documents, sources, template=template)
    files: list[OutputFile] = []
    if documents:
        write_workbook(documents, partial / WORKBOOK_NAME, build=build, comparisons=comparisons)
        files.append(describe_file(partial / WORKBOOK_NAME, root=partial, kind="workbook"))
        files.extend(write_bundle(documents, partial, build=build, comparisons=comparisons))
        for brief in write_briefs(documents, comparisons, partial / "briefs", build=build, template=template):
            files.append(describe_file(brief, root=partial, kind="brief"))
    statuses = {s.status for s in sources}
    write_json_atomic(partial / "manifest.json", {
        "run_id": run_id,
        "build_id": build.build_id,
        "status": "failed" if "failed" in statuses else "stale" if "stale" in statuses else "ok",
        "started_at": started_at.isoformat(),
        "finished_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "data_as_of": build.data_as_of.isoformat(),
        "config": config,
        "schema_version": SCHEMA_VERSION,
        "files": [f.as_dict() for f in files],
        "sources": [s.as_dict() for s in sources],
    })
    partial.rename(final)
    # Stale sources are in the outputs with their last good version, so the run is complete
    # enough to publish; a source that never worked has nothing to lose.
    published = bool(documents)
    if published:
        publish_latest(out_dir, final)
    return RunOutputs(run_dir=final, files=tuple(files), published=published, build_id=build.build_id)
