"""Sources found on index pages: every section page of an edition, new editions too.

A source with a ``pattern`` names an index page; each link on it whose absolute address
matches the pattern becomes a source of its own (same publication, format, robots and
fallback settings; edition inferred per page). A list of patterns follows links hop by
hop: ``["/bluebook/20\\d\\d/en_html/index\\.html$", "chapter3/c030102\\.html$"]`` goes from
the Bluebook's index to each edition's index, then to that section in each edition —
so an edition published next year is found without editing the config. When an index
cannot be fetched, the pages it led to last time are used, so a passing fault does not
drop documents.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urldefrag, urljoin

from bs4 import BeautifulSoup

from docbrief.errors import DocbriefError, FetchError
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
    """The sources an index leads to now (remembered in the state), or last time if it fails.

    Returns the sources and, when the index could not be read or matched nothing, why.
    """
    patterns = [index.pattern] if isinstance(index.pattern, str) else list(index.pattern or [])
    try:
        pages = [index.url]
        for pattern in patterns:
            found: dict[str, None] = {}
            for page in pages:
                response = client.get(page, respect_robots=index.robots)
                for link in links_matching(response.data, base_url=response.url, pattern=pattern,
                                           charset=response.charset):
                    found.setdefault(link, None)
            pages = list(found)
        if not pages:
            raise FetchError(f"no link matches {patterns[-1]!r}", url=index.url)
        state.remember_discovered(index.url, pages)
        error = None
    except DocbriefError as exc:
        pages, error = state.discovered(index.url), str(exc)
    sources = [replace(index, url=page, pattern=None, name=None, edition=None) for page in pages]
    return sources, error
