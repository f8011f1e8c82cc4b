"""The refresh flow: fetch every configured source, extract it, write the run, publish it.

Prefect adds the orchestration (concurrent fetches, named task runs, logs); the work
is done by plain functions in :mod:`docbrief.fetch`, :mod:`extractors` and :mod:`outputs`.

Output layout::

    OUT/runs/<run-id>/bundle/...        the run's records (see outputs.bundle)
    OUT/runs/<run-id>/manifest.json     files (path, kind, bytes, sha256) and sources
    OUT/latest -> runs/<run-id>         switched only when every source succeeded

A run is written under ``runs/<run-id>.partial`` and renamed when complete, so a
crash never leaves a run that looks finished, and ``latest`` is never touched by a
failed run: the last good outputs stay where analysts find them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from docbrief.fetch import FetchedSource, read_source
from docbrief.records import SCHEMA_VERSION, ExtractedDocument
from docbrief.sources import Source, load_config
from extractors import extract_document
from outputs.bundle import write_bundle
from outputs.files import OutputFile, publish_latest, write_json_atomic

__all__ = ["RunSummary", "SourceResult", "refresh"]


@dataclass
class SourceResult:
    """What happened to one source in a run."""

    name: str
    url: str
    status: str  # "ok" | "failed"
    error: str | None = None
    document_id: str | None = None
    sha256: str | None = None
    blocks: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name, "url": self.url, "status": self.status, "error": self.error,
            "document_id": self.document_id, "sha256": self.sha256, "blocks": self.blocks,
            "warnings": self.warnings,
        }


@dataclass
class RunSummary:
    """The outcome of a refresh, as the CLI prints it and the manifest records it."""

    run_id: str
    out_dir: str
    run_dir: str
    published: bool
    sources: list[SourceResult]
    files: list[OutputFile]

    @property
    def failed(self) -> list[SourceResult]:
        return [source for source in self.sources if source.status != "ok"]

    @property
    def status(self) -> str:
        return "failed" if self.failed else "ok"


@task(name="fetch", task_run_name="fetch {source.label}", tags=["fetch"], cache_policy=NO_CACHE)
def fetch_source(source: Source, location: str) -> FetchedSource:
    """Read one source's bytes (no Prefect retries: the HTTP client owns its retry policy)."""
    return read_source(location)


@task(name="extract", task_run_name="extract {source.label}", tags=["extract"], cache_policy=NO_CACHE)
def extract_source(fetched: FetchedSource, source: Source) -> ExtractedDocument:
    document = extract_document(
        fetched.data, source_url=source.url, fetched_at=fetched.fetched_at, content_type=fetched.content_type,
        charset=fetched.charset, publication=source.publication, edition=source.edition,
    )
    logger = get_run_logger()
    for warning in document.warnings:
        logger.warning(warning)
    logger.info("%s: %d sections, %d blocks", document.document.id, len(document.sections), len(document.blocks))
    return document


@task(name="write-outputs", tags=["outputs"], cache_policy=NO_CACHE)
def write_outputs(documents: list[ExtractedDocument], run_dir: Path) -> list[OutputFile]:
    return write_bundle(documents, run_dir)


def _new_run_id(now: datetime) -> str:
    suffix = str(flow_run.id or uuid.uuid4())[:8]
    return f"{now:%Y%m%dT%H%M%SZ}-{suffix}"


def _manifest(summary: RunSummary, *, started: datetime, finished: datetime, config: str) -> dict[str, object]:
    return {
        "run_id": summary.run_id,
        "status": summary.status,
        "started_at": started.isoformat(),
        "finished_at": finished.isoformat(),
        "config": config,
        "schema_version": SCHEMA_VERSION,
        "files": [f.as_dict() for f in summary.files],
        "sources": [s.as_dict() for s in summary.sources],
    }


@flow(name="docbrief-refresh")
def refresh(config: str = "config/sources.toml", out: str | None = None) -> RunSummary:
    """Fetch, extract and publish every source listed in ``config`` into ``out``."""
    logger = get_run_logger()
    started = datetime.now(UTC).replace(microsecond=0)
    cfg = load_config(config)
    out_dir = Path(out or cfg.settings.out).resolve()
    run_id = _new_run_id(started)
    partial = out_dir / "runs" / f"{run_id}.partial"
    logger.info("run %s: %d sources from %s", run_id, len(cfg.sources), config)

    results: list[SourceResult] = []
    documents: list[ExtractedDocument] = []
    fetches = fetch_source.map(cfg.sources, [cfg.location(source) for source in cfg.sources])
    extractions = []
    for source, fetch in zip(cfg.sources, fetches, strict=True):
        result = SourceResult(name=source.label, url=source.url, status="ok")
        results.append(result)
        try:
            fetched = fetch.result()
        except Exception as exc:  # one source failing must not stop the others
            result.status, result.error = "failed", str(exc)
            logger.error("fetch failed: %s", exc)
            continue
        result.sha256 = fetched.sha256
        extractions.append((result, extract_source.submit(fetched, source)))
    for result, extraction in extractions:
        try:
            document = extraction.result()
        except Exception as exc:
            result.status, result.error = "failed", str(exc)
            logger.error("extraction failed: %s", exc)
            continue
        documents.append(document)
        result.document_id, result.blocks = document.document.id, len(document.blocks)
        result.warnings = list(document.warnings)

    files = write_outputs(documents, partial) if documents else []
    summary = RunSummary(
        run_id=run_id, out_dir=str(out_dir), run_dir=str(out_dir / "runs" / run_id), published=False,
        sources=results, files=files,
    )
    write_json_atomic(partial / "manifest.json",
                      _manifest(summary, started=started, finished=datetime.now(UTC).replace(microsecond=0),
                                config=config))
    partial.rename(summary.run_dir)
    if summary.failed:
        logger.error("%d of %d sources failed; latest still points at the previous good run",
                     len(summary.failed), len(results))
    else:
        publish_latest(out_dir, Path(summary.run_dir))
        summary.published = True
        logger.info("published %s", out_dir / "latest")
    return summary
