"""Sources found on an index page: every section page of an edition, new editions too.

A source with a ``pattern`` names an index page; each link on it whose absolute address
matches the pattern becomes a source of its own (same publication, format, robots and
fallback settings; edition inferred per page). When the index cannot be fetched, the
pages it listed last time are used, so a passing fault does not drop documents.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urldefrag, urljoin

from bs4 import BeautifulSoup

from docbrief.errors import DocbriefError
from docbrief.http import PoliteClient
from docbrief.sources import Source
from docbrief.state import State
from extractors.decoding import decode_html

__all__ = ["discover_sources", "links_matching"]


def links_matching(html: bytes, *, base_url: str, pattern: str, charset: str | None = None) -> list[str]:
    """Absolute addresses of the links on a page matching ``pattern``, in page order, once each."""
    text, _ = decode_html(html, source=base_url, http_charset=charset)
    soup = BeautifulSoup(text, "lxml")
    wanted = re.compile(pattern)
    found: dict[str, None] = {}
    for anchor in soup.find_all("a", href=True):
        url = urldefrag(urljoin(base_url, anchor["href"].strip())).url
        if url.startswith(("http://", "https://")) and wanted.search(url):
            found.setdefault(url, None)
    return list(found)


def discover_sources(index: Source, *, client: PoliteClient, state: State) -> tuple[list[Source], str | None]:
    """The sources an index lists now (remembered in the state), or last time if it fails.

    Returns the sources and, when the index could not be read, the error.
    """
    try:
        response = client.get(index.url, respect_robots=index.robots)
        links = links_matching(response.data, base_url=response.url, pattern=index.pattern or "",
                               charset=response.charset)
        state.remember_discovered(index.url, links)
        error = None
    except DocbriefError as exc:
        links, error = state.discovered(index.url), str(exc)
    pages = [replace(index, url=link, pattern=None, name=None, edition=None) for link in links]
    return pages, error
