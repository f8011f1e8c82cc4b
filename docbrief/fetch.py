"""Reading a source's bytes from a file or an http(s) address.

:func:`read_source` reads one source once (``docbrief extract``). :func:`fetch_version`
is what a refresh does: a conditional request with the last ETag/Last-Modified, the
content checked against what the source declares, the body archived, and the outcome
compared with the last version seen — ``changed``, ``unchanged``, ``stale`` (the fetch
failed; the last good version stands in) or ``failed`` (and no version to fall back on).
Every failure is a :class:`~docbrief.errors.FetchError` naming the source.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from docbrief.archive import Archive
from docbrief.errors import DocbriefError, FetchError
from docbrief.http import PoliteClient
from docbrief.sources import Source
from docbrief.state import State

__all__ = ["FetchedSource", "SourceVersion", "check_content", "fetch_version", "read_source", "sniff_content_type"]


@dataclass(frozen=True)
class FetchedSource:
    """The bytes of one source and their provenance."""

    url: str
    data: bytes
    content_type: str
    charset: str | None
    fetched_at: datetime


def sniff_content_type(data: bytes, name: str) -> str:
    """The MIME type the bytes really are: PDF by signature, else HTML, else by file name."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[:1] == b"<" or b"<html" in head.lower():
        return "text/html"
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def _read_file(location: str) -> FetchedSource:
    path = Path(location)
    try:
        data = path.read_bytes()
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)
    except FileNotFoundError as exc:
        raise FetchError("no such file", url=location) from exc
    except IsADirectoryError as exc:
        raise FetchError("is a folder, not a file", url=location) from exc
    except OSError as exc:
        raise FetchError(f"cannot read: {exc.strerror or exc}", url=location) from exc
    return FetchedSource(
        url=location, data=data, content_type=sniff_content_type(data, path.name), charset=None, fetched_at=modified
    )


def read_source(location: str, *, client: PoliteClient | None = None) -> FetchedSource:
    """Read a file path or an http(s) URL once."""
    scheme = urlsplit(location).scheme.lower()
    if scheme in ("http", "https"):
        with client or PoliteClient() as http:
            response = http.get(location)
        mime = response.content_type or sniff_content_type(response.data, urlsplit(location).path)
        return FetchedSource(url=location, data=response.data, content_type=mime, charset=response.charset,
                             fetched_at=response.fetched_at)
    if "://" in location:
        raise FetchError(f"unsupported scheme {scheme!r}", url=location)
    return _read_file(location)


def expected_format(source: Source) -> str | None:
    """'pdf' or 'html' as the source declares it, or as its address ends."""
    if source.format:
        return source.format
    suffix = Path(urlsplit(source.url).path).suffix.lower()
    return {".pdf": "pdf", ".html": "html", ".htm": "html"}.get(suffix)


def check_content(data: bytes, *, expected: str | None, url: str) -> str:
    """The real MIME type of ``data``; a FetchError when it is not what the source declares."""
    actual = sniff_content_type(data, urlsplit(url).path)
    if not data.strip():
        raise FetchError("empty body", url=url)
    if expected == "pdf" and actual != "application/pdf":
        raise FetchError(f"expected a PDF but got {actual} (a maintenance, error or login page?)", url=url)
    if expected == "html" and actual == "application/pdf":
        raise FetchError("expected an HTML page but got a PDF", url=url)
    return actual


@dataclass(frozen=True)
class SourceVersion:
    """A source's bytes for this run and how they relate to what was seen before."""

    source: Source
    outcome: str  # "changed" | "unchanged" | "stale" | "failed"
    sha256: str | None = None
    content_type: str | None = None
    charset: str | None = None
    first_seen: datetime | None = None  # when this version was first fetched: the records' fetched_at
    error: str | None = None
    retrieved_from: str | None = None  # a web-archive copy's address, when it stood in for the source


def _wayback_url(base: str, url: str) -> str:
    """The archived original (``id_``: the bytes as captured, not the archive's rewritten page)."""
    return f"{base.rstrip('/')}/2id_/{url}"


def fetch_version(source: Source, location: str, *, client: PoliteClient, state: State, archive: Archive,
                  run_id: str | None = None, wayback: str = "https://web.archive.org/web") -> SourceVersion:
    """Fetch one source for a refresh; never raises for the source's own faults."""
    url = source.url
    previous = state.latest_version(url)
    if previous is not None and not archive.has(previous.sha256):
        previous = None  # an archive that lost its files cannot vouch for a 304
    state.record_source(url, name=source.name, publication=source.publication, edition=source.edition)
    try:
        if source.is_remote:
            response = client.get(location, etag=previous.etag if previous else None,
                                  last_modified=previous.last_modified if previous else None,
                                  respect_robots=source.robots)
            if response.status == 304 and previous is not None:
                state.touch_version(url, previous.sha256)
                state.record_fetch(url, run_id=run_id, outcome="unchanged", status=304, final_url=response.url,
                                   etag=response.etag, last_modified=response.last_modified,
                                   sha256=previous.sha256)
                return SourceVersion(source, "unchanged", previous.sha256, previous.content_type, None,
                                     previous.first_seen, retrieved_from=previous.via)
            data, charset, status = response.data, response.charset, response.status
            etag, modified, final = response.etag, response.last_modified, response.url
        else:
            local = _read_file(location)
            return _keep(source, local.data, None, status=None, etag=None, modified=None, final=None, state=state,
                         archive=archive, run_id=run_id, previous_sha=previous and previous.sha256,
                         seen_at=local.fetched_at)
        return _keep(source, data, charset, status=status, etag=etag, modified=modified, final=final,
                     state=state, archive=archive, run_id=run_id, previous_sha=previous and previous.sha256)
    except DocbriefError as exc:
        state.record_fetch(url, run_id=run_id, outcome="failed", status=getattr(exc, "status", None),
                           error=str(exc))
        error = str(exc)
    if source.fallback == "wayback" and source.is_remote:
        copy = _wayback_url(wayback, url)
        try:
            response = client.get(copy, respect_robots=False)
            return _keep(source, response.data, response.charset, status=response.status, etag=None,
                         modified=None, final=response.url, state=state, archive=archive, run_id=run_id,
                         previous_sha=previous and previous.sha256, via=copy, error=error)
        except DocbriefError as exc:
            state.record_fetch(url, run_id=run_id, outcome="failed", error=f"web archive copy: {exc}", via=copy)
    if previous is not None:
        return SourceVersion(source, "stale", previous.sha256, previous.content_type, None, previous.first_seen,
                             error=error, retrieved_from=previous.via)
    return SourceVersion(source, "failed", error=error)


def _keep(source: Source, data: bytes, charset: str | None, *, status: int | None, etag: str | None,
          modified: str | None, final: str | None, state: State, archive: Archive, run_id: str | None,
          previous_sha: str | None, via: str | None = None, error: str | None = None,
          seen_at: datetime | None = None) -> SourceVersion:
    """Check, archive and record a body; compare it with the last version."""
    content_type = check_content(data, expected=expected_format(source), url=via or source.url)
    sha256, _ = archive.store(data, content_type)
    version = state.record_version(source.url, sha256, content_type=content_type, size=len(data), etag=etag,
                                   last_modified=modified, via=via, seen_at=seen_at)
    outcome = "unchanged" if sha256 == previous_sha else "changed"
    state.record_fetch(source.url, run_id=run_id, outcome=outcome, status=status, final_url=final, etag=etag,
                       last_modified=modified, sha256=sha256, size=len(data), content_type=content_type, via=via)
    return SourceVersion(source, outcome, sha256, content_type, charset, version.first_seen,
                         error=f"served from the web archive: {error}" if via else None, retrieved_from=via)
