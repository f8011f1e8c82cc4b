"""The ``docbrief`` command: a thin layer over the library and the refresh flow.

Every error docbrief raises on purpose becomes one line on stderr and exit status 1.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from docbrief.compare import compare_documents
from docbrief.errors import ConfigError, DocbriefError
from docbrief.fetch import read_source
from docbrief.records import ExtractedDocument, record_json_schema
from docbrief.sources import load_config
from docbrief.state import State
from extractors import extract_document
from flows.progress import watching
from outputs.changes import render_comparison_text
from outputs.files import json_bytes, write_bytes_atomic
from outputs.site import serve_outputs

app = typer.Typer(
    name="docbrief",
    help="Turn the Diplomatic Bluebook and the Defense of Japan white paper into data and briefings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stdout = Console()
stderr = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., object])


class PublicationOption(StrEnum):
    bluebook = "bluebook"
    white_paper = "white_paper"


def _clear_errors(command: F) -> F:
    """Turn docbrief's errors into one clear line on stderr and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return command(*args, **kwargs)
        except DocbriefError as exc:
            stderr.print(f"Error: {exc}", highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(code=1) from exc

    return wrapper  # type: ignore[return-value]


def _use_prefect_defaults() -> None:
    """Quiet, patient defaults for the temporary Prefect server a local run starts."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    if os.environ.get("PREFECT_HOME"):  # its server will not start in a folder whose parent is missing
        Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)


@app.command()
@_clear_errors
def extract(
    source: Annotated[str, typer.Argument(help="File path or http(s) URL of a Bluebook page or white-paper PDF.")],
    publication: Annotated[
        PublicationOption | None, typer.Option(help="Publication; inferred from the URL and content if omitted.")
    ] = None,
    edition: Annotated[int | None, typer.Option(help="Edition year; inferred if omitted.")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the JSON here, not to stdout.")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes reading a PDF's pages (same output).")] = 1,
) -> None:
    """Extract one document into JSON: {"document": ..., "sections": [...], "blocks": [...]}."""
    document = _read_and_extract(source, publication=publication, edition=edition, workers=workers)
    _write_or_print(json_bytes(document.model_dump(mode="json")), output)
    if output is not None:
        stderr.print(
            f"{document.document.id}: {len(document.sections)} sections, {len(document.blocks)} blocks -> {output}",
            highlight=False,
        )


def _read_and_extract(source: str, *, publication: PublicationOption | None = None, edition: int | None = None,
                      workers: int = 1) -> ExtractedDocument:
    """Read a file or URL and extract it, with a progress bar for a PDF's pages and warnings on stderr."""
    fetched = read_source(source)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=stderr, transient=True, disable=not stderr.is_terminal) as bar:
        pages = bar.add_task(f"reading pages of {Path(source).name}", total=None, visible=False)
        document = extract_document(
            fetched.data, source_url=source, fetched_at=fetched.fetched_at, content_type=fetched.content_type,
            charset=fetched.charset, publication=publication.value if publication else None, edition=edition,
            workers=workers, progress=lambda done, total: bar.update(pages, completed=done, total=total,
                                                                     visible=True),
        )
    for warning in document.warnings:
        stderr.print(f"[yellow]warning:[/] {warning}", highlight=False)
    return document


def _write_or_print(data: bytes, output: Path | None) -> None:
    """To ``output`` (atomically), or to stdout."""
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        write_bytes_atomic(output, data)


# Options several commands share, defined once.
ConfigOption = Annotated[Path, typer.Option(help="TOML source list.")]
OutOption = Annotated[Path | None, typer.Option(help="Output folder (default: settings.out in the config).")]
DEFAULT_CONFIG = Path("config/sources.toml")


class TaskRunnerOption(StrEnum):
    threads = "threads"
    dask = "dask"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
@_clear_errors
def compare(
    old: Annotated[str, typer.Argument(help="The older edition: file path or URL (HTML page or PDF).")],
    new: Annotated[str, typer.Argument(help="The newer edition: file path or URL.")],
    format: Annotated[ReportFormat, typer.Option("--format", help="text (a report) or json.")] = ReportFormat.text,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here, not to stdout.")] = None,
    publication: Annotated[
        PublicationOption | None, typer.Option(help="Publication of both; inferred if omitted.")] = None,
    old_edition: Annotated[int | None, typer.Option(help="Edition year of OLD; inferred if omitted.")] = None,
    new_edition: Annotated[int | None, typer.Option(help="Edition year of NEW; inferred if omitted.")] = None,
) -> None:
    """Compare two editions: sections new and dropped, sentences and figures changed."""
    comparison = compare_documents(_read_and_extract(old, publication=publication, edition=old_edition),
                                   _read_and_extract(new, publication=publication, edition=new_edition))
    if format is ReportFormat.json:
        _write_or_print(json_bytes(comparison.model_dump(mode="json")), output)
    else:
        _write_or_print(render_comparison_text(comparison).encode("utf-8"), output)


@app.command()
@_clear_errors
def refresh(
    config: ConfigOption = DEFAULT_CONFIG,
    out: OutOption = None,
    template: Annotated[Path | None, typer.Option(help="A .docx whose styles the briefs use.")] = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait for another refresh of OUT to finish.")] = 0.0,
    task_runner: Annotated[TaskRunnerOption, typer.Option(
        help="threads (one machine) or dask (a local cluster, or --dask-address).")] = TaskRunnerOption.threads,
    dask_address: Annotated[str | None, typer.Option(
        help="Scheduler address of an existing Dask cluster, e.g. tcp://10.0.0.5:8786.")] = None,
) -> None:
    """Fetch and extract every source in CONFIG, write the run, and publish OUT/latest."""
    load_config(config)  # a mistake in the source list fails before Prefect starts
    _use_prefect_defaults()
    from flows.refresh import refresh as refresh_flow  # imports Prefect: only when needed

    if template is not None and not template.is_file():
        raise ConfigError("no such file (the brief template)", path=str(template))
    if task_runner is TaskRunnerOption.dask or dask_address:
        from prefect_dask import DaskTaskRunner

        runner = DaskTaskRunner(address=dask_address) if dask_address else DaskTaskRunner(
            cluster_kwargs={"n_workers": 2, "threads_per_worker": 1})
        refresh_flow = refresh_flow.with_options(task_runner=runner)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=stderr, transient=True, disable=not stderr.is_terminal) as bars:
        stages: dict[str, TaskID] = {}

        def show(stage: str, done: int, total: int) -> None:
            if stage not in stages:
                stages[stage] = bars.add_task(stage, total=total)
            bars.update(stages[stage], completed=done, total=total)

        with watching(show):
            summary = refresh_flow(config=str(config), out=str(out) if out else None,
                                   template=str(template) if template else None, wait=wait)
    table = Table(title=f"run {summary.run_id}", title_justify="left")
    for column in ("source", "status", "document", "blocks", "note"):
        table.add_column(column)
    colours = {"ok": "green", "stale": "yellow", "failed": "red"}
    for source in summary.sources:
        label = source.change if source.status == "ok" and source.change else source.status
        status = f"[{colours[source.status]}]{label}[/]"
        note = source.error or "; ".join(source.warnings)
        if source.status == "ok" and not summary.unchanged:
            note = note or ("extracted" if source.extracted else "records reused")
        table.add_row(source.name, status, source.document_id or "", str(source.blocks or ""), note)
    stdout.print(table)
    latest = Path(summary.out_dir) / "latest"
    stdout.print(Markdown(summary.markdown()))
    if summary.unchanged:
        stdout.print(f"unchanged: nothing to extract; outputs untouched in {latest}", highlight=False)
    else:
        stdout.print(f"extracted {summary.extracted} of {len(summary.sources)} documents", highlight=False)
        stdout.print(f"run folder: {summary.run_dir}", highlight=False)
        if summary.published:
            stdout.print(f"latest:     {latest} -> runs/{summary.run_id}", highlight=False)
            stdout.print(f"manifest:   {latest / 'manifest.json'}", highlight=False)
    stdout.print(f"downloads:  {Path(summary.out_dir) / 'index.html'} (docbrief web --out {summary.out_dir})",
                 highlight=False)
    if summary.failed:
        stale = sum(s.status == "stale" for s in summary.sources)
        stderr.print(f"{len(summary.failed)} source(s) could not be fetched or read"
                     f"{f'; {stale} used their last good version (stale)' if stale else ''}.", highlight=False)
        raise typer.Exit(code=1)


@app.command()
@_clear_errors
def history(
    url: Annotated[str, typer.Argument(help="The source's URL (or path) as written in the config.")],
    out: Annotated[Path, typer.Option(help="Output folder holding state.sqlite.")] = Path("out"),
    state: Annotated[Path | None, typer.Option(help="The state database (default OUT/state.sqlite).")] = None,
    fetches: Annotated[int, typer.Option(help="How many recent fetches to list.")] = 10,
) -> None:
    """Show every version of a source seen so far, and its recent fetches."""
    path = state or out / "state.sqlite"
    if not path.exists():
        raise ConfigError("no state database here (run docbrief refresh first, or pass --state)", path=str(path))
    with State(path) as db:
        versions, recent = db.versions(url), db.fetches(url)[-fetches:]
    if not versions and not recent:
        raise ConfigError(f"no fetch of {url!r} recorded", path=str(path))
    table = Table(title=f"versions of {url}", title_justify="left")
    for column in ("first seen (UTC)", "last seen (UTC)", "sha256", "bytes", "type", "via"):
        table.add_column(column)
    for version in versions:
        table.add_row(f"{version.first_seen:%Y-%m-%d %H:%M:%S}", f"{version.last_seen:%Y-%m-%d %H:%M:%S}",
                      version.sha256[:16], f"{version.bytes:,}" if version.bytes else "", version.content_type or "",
                      version.via or "")
    stdout.print(table)
    log = Table(title="recent fetches", title_justify="left")
    for column in ("at (UTC)", "status", "outcome", "sha256", "error"):
        log.add_column(column)
    for row in recent:
        log.add_row(row["at"][:19].replace("T", " "), str(row["status"] or ""), row["outcome"],
                    (row["sha256"] or "")[:16], row["error"] or "")
    stdout.print(log)


@app.command()
@_clear_errors
def serve(
    config: ConfigOption = DEFAULT_CONFIG,
    out: OutOption = None,
    cron: Annotated[str | None, typer.Option(help="Cron schedule (default: settings.schedule, weekly).")] = None,
    timezone: Annotated[str | None, typer.Option(help="Time zone (default: settings.timezone, Asia/Tokyo).")] = None,
    port: Annotated[int | None, typer.Option(help="Port of the local Prefect server (default: a free one).")] = None,
) -> None:
    """Run the refresh on its schedule (starts a local Prefect server unless PREFECT_API_URL is set)."""
    cfg = load_config(config)
    _use_prefect_defaults()
    from flows.serve import local_prefect_server, serve_refresh

    cron, timezone = cron or cfg.settings.schedule, timezone or cfg.settings.timezone
    arguments = (str(config), str(out) if out else None)
    if os.environ.get("PREFECT_API_URL"):
        stdout.print(f"scheduling on {os.environ['PREFECT_API_URL']}: '{cron}' ({timezone})", highlight=False)
        serve_refresh(*arguments, cron=cron, timezone=timezone)
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    home = Path(os.environ.get("PREFECT_HOME") or Path.cwd() / ".prefect")
    with local_prefect_server(home, port=port) as url, temporary_settings(updates={PREFECT_API_URL: url}):
        stdout.print(f"local Prefect server: {url.removesuffix('/api')} (UI), state in {home}", highlight=False)
        stdout.print(f"refresh scheduled: '{cron}' ({timezone}); Ctrl-C to stop", highlight=False)
        serve_refresh(*arguments, cron=cron, timezone=timezone)


@app.command()
@_clear_errors
def web(
    out: Annotated[Path, typer.Option(help="The output folder to serve.")] = Path("out"),
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port on 127.0.0.1.")] = 8000,
) -> None:
    """Serve the output folder (the download page and files) read-only on loopback."""
    if not out.is_dir():
        raise ConfigError("no such folder (run docbrief refresh first)", path=str(out))
    if not (out / "index.html").exists():
        raise ConfigError("no download page here yet (run docbrief refresh first)", path=str(out))
    try:
        server = serve_outputs(out, port=port)
    except OSError as exc:
        raise ConfigError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror or exc})", path=str(out)) from exc
    stdout.print(f"serving {out} at http://127.0.0.1:{port}/ (read-only; Ctrl-C to stop)", highlight=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@app.command()
@_clear_errors
def schema(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write it here, not to stdout.")] = None,
) -> None:
    """Print the JSON Schema (2020-12) of the records docbrief writes."""
    _write_or_print(json_bytes(record_json_schema()), output)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
