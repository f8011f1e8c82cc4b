"""Fetch-free extraction: bytes in, :class:`~docbrief.records.ExtractedDocument` out.

:func:`extract_document` picks the extractor by what the bytes are (not by what the
server claimed), so a PDF served as ``text/html`` is still read as a PDF and a
login page served for a PDF address is refused with a clear error.
"""

from __future__ import annotations

from datetime import datetime

from docbrief.errors import ExtractError
from docbrief.records import ExtractedDocument
from extractors.bluebook_html import parse_bluebook_html

__all__ = ["extract_document", "parse_bluebook_html"]


def extract_document(
    data: bytes,
    *,
    source_url: str,
    fetched_at: datetime,
    content_type: str = "",
    charset: str | None = None,
    publication: str | None = None,
    edition: int | None = None,
) -> ExtractedDocument:
    """Extract any supported source (Bluebook HTML today) into records."""
    if not data.strip():
        raise ExtractError("the file is empty", source=source_url)
    if data.lstrip()[:5] == b"%PDF-":
        raise ExtractError("PDF extraction is not available in this version; only HTML pages are", source=source_url)
    return parse_bluebook_html(
        data,
        source_url=source_url,
        fetched_at=fetched_at,
        http_charset=charset,
        content_type=content_type or "text/html",
        publication=publication,
        edition=edition,
    )
