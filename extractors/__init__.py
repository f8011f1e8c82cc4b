"""Fetch-free extraction: bytes in, :class:`~docbrief.records.ExtractedDocument` out.

:func:`extract_document` picks the extractor by what the bytes are (not by what the
server claimed), so a PDF served as ``text/html`` is still read as a PDF and a
login page served for a PDF address is refused with a clear error.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from docbrief.errors import ExtractError
from docbrief.records import ExtractedDocument
from extractors.bluebook_html import parse_bluebook_html
from extractors.whitepaper_pdf import parse_whitepaper_pdf

__all__ = ["extract_document", "parse_bluebook_html", "parse_whitepaper_pdf"]


def extract_document(
    data: bytes,
    *,
    source_url: str,
    fetched_at: datetime,
    content_type: str = "",
    charset: str | None = None,
    publication: str | None = None,
    edition: int | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> ExtractedDocument:
    """Extract a Bluebook HTML page or a white-paper PDF into records.

    ``workers`` > 1 reads a PDF's pages in that many processes (same result, faster);
    ``progress(pages_done, pages_total)`` reports a PDF's pages as they are read.
    """
    if not data.strip():
        raise ExtractError("the file is empty", source=source_url)
    if data.lstrip()[:5] == b"%PDF-":
        if publication not in (None, "white_paper"):
            raise ExtractError(f"a PDF cannot be a {publication} source: the Bluebook is published as HTML",
                               source=source_url)
        return parse_whitepaper_pdf(data, source_url=source_url, fetched_at=fetched_at,
                                    content_type="application/pdf", edition=edition, workers=workers,
                                    progress=progress)
    if content_type == "application/pdf":
        raise ExtractError("declared a PDF, but the bytes are not a PDF (an error or login page?)",
                           source=source_url)
    return parse_bluebook_html(
        data,
        source_url=source_url,
        fetched_at=fetched_at,
        http_charset=charset,
        content_type=content_type or "text/html",
        publication=publication,
        edition=edition,
    )
