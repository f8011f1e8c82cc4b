"""Reading a source's bytes from a file or an http(s) address.

:func:`read_source` returns a :class:`FetchedSource`: the bytes and what the transport
said about them (content type, charset, when they were obtained). Every failure is a
:class:`~docbrief.errors.FetchError` naming the source.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from docbrief import __version__
from docbrief.errors import FetchError

__all__ = ["DEFAULT_USER_AGENT", "FetchedSource", "read_source", "sniff_content_type"]

DEFAULT_USER_AGENT = f"docbrief/{__version__} (document extraction for policy research)"


@dataclass(frozen=True)
class FetchedSource:
    """The bytes of one source and their provenance."""

    url: str
    data: bytes
    content_type: str
    charset: str | None
    fetched_at: datetime

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


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


def _read_http(url: str, *, timeout: float, user_agent: str) -> FetchedSource:
    try:
        with httpx.Client(
            follow_redirects=True, max_redirects=5, timeout=timeout, headers={"User-Agent": user_agent}
        ) as client:
            response = client.get(url)
    except httpx.TimeoutException as exc:
        raise FetchError("timed out", url=url) from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"request failed: {exc}", url=url) from exc
    if response.status_code != 200:
        raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}", url=url, status=response.status_code)
    header = response.headers.get("content-type", "")
    mime = header.split(";")[0].strip().lower() or sniff_content_type(response.content, urlsplit(url).path)
    return FetchedSource(url=url, data=response.content, content_type=mime, charset=response.charset_encoding,
                         fetched_at=datetime.now(UTC).replace(microsecond=0))


def read_source(location: str, *, timeout: float = 30.0, user_agent: str = DEFAULT_USER_AGENT) -> FetchedSource:
    """Read a file path or an http(s) URL."""
    scheme = urlsplit(location).scheme.lower()
    if scheme in ("http", "https"):
        return _read_http(location, timeout=timeout, user_agent=user_agent)
    if "://" in location:
        raise FetchError(f"unsupported scheme {scheme!r}", url=location)
    return _read_file(location)
