"""The refresh flow: fetch every configured source, extract it, write the run, publish it.

Prefect adds the orchestration (concurrent fetches, named task runs, logs); the work
is done by plain functions in :mod:`docbrief.fetch`, :mod:`extractors` and
:mod:`outputs` (see :mod:`outputs.run` for the output layout and how ``latest`` is
switched only after a complete, fully successful run).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from docbrief.fetch import FetchedSource, read_source
from docbrief.records import ExtractedDocument
from docbrief.runs import SourceResult
from docbrief.sources import Source, load_config
from extractors import extract_document
from outputs.run import RunOutputs, write_run

__all__ = ["RunSummary", "refresh"]


@dataclass
class RunSummary:
    """The outcome of a refresh, as the CLI prints it."""

    run_id: str
    out_dir: str
    sources: list[SourceResult]
    outputs: RunOutputs

    @property
    def failed(self) -> list[SourceResult]:
        return [source for source in self.sources if source.status != "ok"]

    @property
    def status(self) -> str:
        return "failed" if self.failed else "ok"

    @property
    def run_dir(self) -> str:
        return str(self.outputs.run_dir)

    @property
    def published(self) -> bool:
        return self.outputs.published


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
def write_outputs(documents: list[ExtractedDocument], sources: list[SourceResult], out_dir: Path, run_id: str,
                  started_at: datetime, config: str) -> RunOutputs:
    return write_run(documents, sources, out_dir=out_dir, run_id=run_id, started_at=started_at, config=config)


def _new_run_id(now: datetime) -> str:
    suffix = str(flow_run.id or uuid.uuid4())[:8]
    return f"{now:%Y%m%dT%H%M%SZ}-{suffix}"


@flow(name="docbrief-refresh")
def refresh(config: str = "config/sources.toml", out: str | None = None) -> RunSummary:
    """Fetch, extract and publish every source listed in ``config`` into ``out``."""
    logger = get_run_logger()
    started = datetime.now(UTC).replace(microsecond=0)
    cfg = load_config(config)
    out_dir = Path(out or cfg.settings.out).resolve()
    run_id = _new_run_id(started)
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
        result.document_id, result.edition = document.document.id, document.document.edition
        result.sections, result.blocks = len(document.sections), len(document.blocks)
        result.warnings = list(document.warnings)

    outputs = write_outputs(documents, results, out_dir, run_id, started, config)
    if outputs.published:
        logger.info("published %s", out_dir / "latest")
    else:
        failed = [r for r in results if r.status != "ok"]
        logger.error("%d of %d sources failed; latest still points at the previous good run",
                     len(failed), len(results))
    return RunSummary(run_id=run_id, out_dir=str(out_dir), sources=results, outputs=outputs)
