"""The refresh flow: fetch what changed, extract only that, rebuild and publish the outputs.

Prefect adds the orchestration (named task runs, concurrent extraction, logs); the work
is done by plain functions in :mod:`docbrief.fetch`, :mod:`extractors` and
:mod:`outputs` (see :mod:`outputs.run` for the output layout).

A refresh, per source: a conditional request (or a file read), the body archived by its
sha256, the outcome ``changed`` / ``unchanged`` / ``stale`` (the fetch failed and the last
good version stands in, marked so) / ``failed`` (nothing to fall back on). Then:

* nothing changed and the published outputs were built from exactly these versions by
  this code: nothing is extracted and no file is written — the summary says "unchanged";
* otherwise only changed documents are extracted (unchanged ones reuse the records
  cached in the archive), the outputs are rebuilt and published.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run

from docbrief.archive import Archive
from docbrief.compare import Comparison, compare_documents, consecutive_editions
from docbrief.discovery import discover_sources
from docbrief.errors import DocbriefError
from docbrief.fetch import SourceVersion, fetch_version
from docbrief.http import PoliteClient
from docbrief.lock import RefreshLock
from docbrief.records import SCHEMA_VERSION, ExtractedDocument
from docbrief.runs import SourceResult, build_id, code_fingerprint
from docbrief.sources import Config, Source, load_config
from docbrief.state import State
from extractors import extract_document
from extractors.pdf_pages import PageText, read_pages
from extractors.whitepaper_pdf import PdfOverview, assemble_whitepaper, page_chunks, read_overview
from flows.progress import report
from outputs.changes import change_rows
from outputs.run import RunOutputs, write_run
from outputs.site import write_index

__all__ = ["RunSummary", "refresh"]


@dataclass
class RunSummary:
    """The outcome of a refresh, as the CLI prints it."""

    run_id: str
    out_dir: str
    sources: list[SourceResult]
    outputs: RunOutputs | None  # None when nothing changed
    extracted: int
    changes: int = 0  # differences found between consecutive editions
    seconds: float = 0.0

    @property
    def failed(self) -> list[SourceResult]:
        return [source for source in self.sources if source.status != "ok"]

    @property
    def unchanged(self) -> bool:
        return self.outputs is None

    @property
    def status(self) -> str:
        if any(s.status == "failed" for s in self.sources):
            return "failed"
        if self.failed:
            return "stale"
        return "unchanged" if self.unchanged else "ok"

    @property
    def run_dir(self) -> str | None:
        return str(self.outputs.run_dir) if self.outputs else None

    @property
    def published(self) -> bool:
        return bool(self.outputs and self.outputs.published)

    def markdown(self) -> str:
        """The run in a few lines: what the Prefect UI shows and the CLI ends with."""
        count = {status: sum(s.status == status for s in self.sources) for status in ("ok", "stale", "failed")}
        changed = sum(s.change == "changed" for s in self.sources)
        documents = sum(1 for s in self.sources if s.document_id)
        rows = [
            ("Status", self.status),
            ("Sources", f"{len(self.sources)}: {changed} changed, "
                        f"{sum(s.change == 'unchanged' for s in self.sources)} unchanged, "
                        f"{count['stale']} stale, {count['failed']} failed"),
            ("Documents", f"{documents} ({self.extracted} extracted)" if not self.unchanged else "unchanged"),
            ("Blocks", str(sum(s.blocks for s in self.sources)) if not self.unchanged else "unchanged"),
            ("Changes found", str(self.changes)),
            ("Duration", f"{self.seconds:.1f} s"),
        ]
        lines = [f"### docbrief refresh {self.run_id}", "", "| Run | |", "|:--|:--|"]
        lines += [f"| {name} | {value} |" for name, value in rows]
        return "\n".join(lines) + "\n"


def _records_key(version: SourceVersion) -> str:
    """What extraction depends on besides the bytes: the code, the address, the options."""
    source = version.source
    options = f"{SCHEMA_VERSION}|{code_fingerprint('extractors')}|{source.url}|{source.publication}|" \
              f"{source.edition}|{version.first_seen}|{version.retrieved_from}"
    return hashlib.sha256(options.encode()).hexdigest()[:16]


@task(name="discover", task_run_name="discover {index.url}", tags=["fetch"], cache_policy=NO_CACHE)
def discover(index: Source, client: PoliteClient, state: State) -> tuple[list[Source], str | None]:
    return discover_sources(index, client=client, state=state)


@task(name="fetch", task_run_name="fetch {source.label}", tags=["fetch"], cache_policy=NO_CACHE)
def fetch(source: Source, location: str, client: PoliteClient, state: State, archive: Archive, run_id: str,
          wayback: str) -> SourceVersion:
    """One source's bytes for this run (the HTTP client owns the retry policy, not Prefect)."""
    version = fetch_version(source, location, client=client, state=state, archive=archive, run_id=run_id,
                            wayback=wayback)
    logger = get_run_logger()
    if version.error:
        logger.warning("%s: %s (%s)", source.label, version.outcome, version.error)
    else:
        logger.info("%s: %s", source.label, version.outcome)
    return version


def _annotate(document: ExtractedDocument, version: SourceVersion) -> ExtractedDocument:
    """Provenance the extractor cannot know (a web-archive copy), and the log lines."""
    if version.retrieved_from:
        document = document.model_copy(update={
            "document": document.document.model_copy(update={"retrieved_from": version.retrieved_from})})
    logger = get_run_logger()
    for warning in document.warnings:
        logger.warning(warning)
    logger.info("%s: %d sections, %d blocks", document.document.id, len(document.sections), len(document.blocks))
    return document


@task(name="extract", task_run_name="extract {version.source.label}", tags=["extract"], cache_policy=NO_CACHE)
def extract(data: bytes, version: SourceVersion) -> ExtractedDocument:
    source = version.source
    document = extract_document(
        data, source_url=source.url, fetched_at=version.first_seen, content_type=version.content_type or "",
        charset=version.charset, publication=source.publication, edition=source.edition,
    )
    return _annotate(document, version)


@task(name="read-pdf-pages", task_run_name="read pages {pages.start}-{pages.stop} of {label}", tags=["extract"],
      cache_policy=NO_CACHE)
def read_pdf_pages(data: bytes, pages: range, label: str, source_url: str) -> list[PageText]:
    """One range of a PDF's pages: the expensive part, spread over the task runner's workers."""
    return read_pages(data, pages, source=source_url)


@task(name="assemble-pdf", task_run_name="assemble {version.source.label}", tags=["extract"],
      cache_policy=NO_CACHE)
def assemble_pdf(chunks: list[list[PageText]], overview: PdfOverview, data: bytes,
                 version: SourceVersion) -> ExtractedDocument:
    document = assemble_whitepaper(
        [page for chunk in chunks for page in chunk], overview, data=data, source_url=version.source.url,
        fetched_at=version.first_seen, edition=version.source.edition)
    return _annotate(document, version)


def _submit_extraction(data: bytes, version: SourceVersion) -> PrefectFuture:
    """A task for an HTML page; for a PDF, a task per range of pages and one to assemble them."""
    if version.content_type != "application/pdf":  # as sniffed from the bytes when they were fetched
        return extract.submit(data, version)
    overview = read_overview(data, source_url=version.source.url)
    chunks = read_pdf_pages.map(unmapped(data), page_chunks(overview.page_count), unmapped(version.source.label),
                                unmapped(version.source.url))
    return assemble_pdf.submit(chunks, overview, data, version)


@task(name="compare", task_run_name="compare {old.document.id} -> {new.document.id}", tags=["compare"],
      cache_policy=NO_CACHE)
def compare(old: ExtractedDocument, new: ExtractedDocument) -> Comparison:
    comparison = compare_documents(old, new)
    get_run_logger().info("%s -> %s: %s", old.document.id, new.document.id, comparison.counts())
    return comparison


@task(name="write-outputs", tags=["outputs"], cache_policy=NO_CACHE)
def write_outputs(documents: list[ExtractedDocument], sources: list[SourceResult], out_dir: Path, run_id: str,
                  started_at: datetime, config: str, comparisons: list[Comparison],
                  template: Path | None) -> RunOutputs:
    return write_run(documents, sources, out_dir=out_dir, run_id=run_id, started_at=started_at, config=config,
                     comparisons=comparisons, template=template)


def _new_run_id(now: datetime) -> str:
    suffix = str(flow_run.id or uuid.uuid4())[:8]
    return f"{now:%Y%m%dT%H%M%SZ}-{suffix}"


def _published_build(out_dir: Path) -> str | None:
    try:
        return json.loads((out_dir / "latest" / "manifest.json").read_text(encoding="utf-8")).get("build_id")
    except (OSError, ValueError):
        return None


def _sources(cfg: Config, client: PoliteClient, state: State) -> tuple[list[Source], list[SourceResult]]:
    """The configured sources, index pages expanded into the pages they list."""
    sources: dict[str, Source] = {s.url: s for s in cfg.sources if s.pattern is None}  # listed ones win
    failures: list[SourceResult] = []
    for source in cfg.sources:
        if source.pattern is None:
            continue
        pages, error = discover(source, client, state)
        if error:  # the pages found last time (if any) still follow
            status = "stale" if pages else "failed"
            failures.append(SourceResult(name=source.label, url=source.url, status=status, error=error))
        for page in pages:
            sources.setdefault(page.url, page)
    return list(sources.values()), failures


def _publish_visibility(summary: RunSummary, state: State) -> None:
    """The download page, and the run as Prefect artifacts (summary, sources, links)."""
    index = write_index(Path(summary.out_dir), [dict(row) for row in state.runs()])
    create_markdown_artifact(summary.markdown(), key="docbrief-refresh-summary", description="Refresh summary")
    create_table_artifact(
        [{"source": s.name, "status": s.status, "change": s.change or "", "document": s.document_id or "",
          "blocks": s.blocks, "error": s.error or ""} for s in summary.sources],
        key="docbrief-sources", description="Sources and their status")
    create_link_artifact(index.as_uri(), link_text="Download page", key="docbrief-download-page")
    if summary.outputs is not None:
        for output in summary.outputs.files:
            if output.kind in ("workbook", "bundle-zip"):
                create_link_artifact((summary.outputs.run_dir / output.path).as_uri(), link_text=output.path,
                                     key=f"docbrief-{output.kind}", description=f"{output.kind} of this run")


@flow(name="docbrief-refresh")
def refresh(config: str = "config/sources.toml", out: str | None = None, template: str | None = None,
            wait: float = 0.0) -> RunSummary:
    """Refresh every source listed in ``config`` into ``out``; rebuild outputs only if something changed.

    ``template``: a .docx whose styles the briefs use (default: settings.brief_template).
    ``wait``: seconds to wait for another refresh of the same folder to finish.
    """
    logger = get_run_logger()
    clock = time.monotonic()
    started = datetime.now(UTC).replace(microsecond=0)
    cfg = load_config(config)
    out_dir = Path(out or cfg.settings.out).resolve()
    run_id = _new_run_id(started)
    archive = Archive(cfg.archive_path(out_dir))
    with RefreshLock(out_dir, wait=wait), State(cfg.state_path(out_dir)) as state, \
            PoliteClient(cfg.http) as client:
        state.start_run(run_id, started)
        sources, results = _sources(cfg, client, state)
        logger.info("run %s: %d sources from %s", run_id, len(sources), config)
        versions = []
        for source in sources:
            versions.append(fetch(source, cfg.location(source), client, state, archive, run_id,
                                  cfg.settings.wayback))
            report("fetching sources", len(versions), len(sources))
        for version in versions:
            results.append(SourceResult(
                name=version.source.label, url=version.source.url, sha256=version.sha256,
                status={"changed": "ok", "unchanged": "ok"}.get(version.outcome, version.outcome),
                change=version.outcome if version.outcome in ("changed", "unchanged") else None,
                error=version.error, retrieved_from=version.retrieved_from,
            ))
        failed = sum(r.status != "ok" for r in results)
        brief_template = Path(template) if template else cfg.template_path()
        if all(v.outcome == "unchanged" for v in versions) and not failed \
                and _published_build(out_dir) == build_id(results, template=brief_template):
            logger.info("nothing changed since the published run: nothing extracted, no output rewritten")
            state.finish_run(run_id, status="unchanged", build_id=_published_build(out_dir), changed=0, failed=0,
                             extracted=0, published=False)
            summary = RunSummary(run_id=run_id, out_dir=str(out_dir), sources=results, outputs=None, extracted=0,
                                 seconds=time.monotonic() - clock)
            _publish_visibility(summary, state)
            return summary

        documents: list[ExtractedDocument] = []
        pending = []
        by_url = {r.url: r for r in results}
        for version in versions:
            if version.sha256 is None:
                continue
            key = _records_key(version)
            cached = archive.cached_records(version.sha256, key)
            if cached is not None:
                documents.append(cached)
                continue
            try:
                pending.append((version, key, _submit_extraction(archive.read(version.sha256), version)))
            except DocbriefError as exc:  # a PDF that cannot even be opened
                pending.append((version, key, exc))
        for position, (version, key, future) in enumerate(pending, start=1):
            report("extracting documents", position - 1, len(pending))
            try:
                if isinstance(future, Exception):
                    raise future
                document = future.result()
            except Exception as exc:  # one bad document must not stop the others
                result = by_url[version.source.url]
                result.status, result.error = "failed", str(exc)
                logger.error("extraction failed: %s", exc)
                continue
            archive.cache_records(version.sha256, key, document)
            by_url[version.source.url].extracted = True
            documents.append(document)
        if pending:
            report("extracting documents", len(pending), len(pending))
        for document in documents:
            result = by_url[document.document.source_url]
            result.document_id, result.edition = document.document.id, document.document.edition
            result.sections, result.blocks = len(document.sections), len(document.blocks)
            result.warnings = list(document.warnings)

        comparisons = [compare(old, new) for old, new in consecutive_editions(documents)]
        outputs = write_outputs(documents, results, out_dir, run_id, started, config, comparisons, brief_template)
        summary = RunSummary(run_id=run_id, out_dir=str(out_dir), sources=results, outputs=outputs,
                             extracted=sum(r.extracted for r in results),
                             changes=sum(len(list(change_rows(c))) for c in comparisons),
                             seconds=time.monotonic() - clock)
        state.finish_run(run_id, status=summary.status, build_id=outputs.build_id,
                         changed=sum(v.outcome == "changed" for v in versions),
                         failed=len(summary.failed), extracted=summary.extracted, published=outputs.published)
        _publish_visibility(summary, state)
    if outputs.published:
        logger.info("published %s (%d extracted, %d reused)", out_dir / "latest", summary.extracted,
                    len(documents) - summary.extracted)
    for result in summary.failed:
        logger.error("%s: %s (%s)", result.name, result.status, result.error)
    return summary
