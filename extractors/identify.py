"""Which publication and edition a source is, and the document id derived from it."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

__all__ = ["EDITION_UNKNOWN", "document_id", "infer_edition", "infer_publication", "source_stem"]

#: What an extractor says when neither the address nor the content gives the edition.
EDITION_UNKNOWN = "cannot tell the edition year; pass --edition (or set edition for it in the source list)"

_TITLES = {
    "bluebook": re.compile(r"Diplomatic\s+Bluebook\s*(\d{4})", re.IGNORECASE),
    "white_paper": re.compile(r"Defense\s+of\s+Japan\s*(\d{4})", re.IGNORECASE),
}
_URL_HINTS = {
    "bluebook": re.compile(r"bluebook", re.IGNORECASE),
    "white_paper": re.compile(r"w_paper|white[-_]?paper|defense[-_]of[-_]japan|\bdoj\b", re.IGNORECASE),
}
_URL_EDITION = re.compile(r"(?:bluebook|w_paper|white[-_]?paper|wp)[/_-]?(\d{4})(?!\d)", re.IGNORECASE)


def infer_publication(source: str, text: str) -> str | None:
    """'bluebook' or 'white_paper' from the source address, else from the text; None if neither."""
    for publication, pattern in _URL_HINTS.items():
        if pattern.search(source):
            return publication
    for publication, pattern in _TITLES.items():
        if pattern.search(text):
            return publication
    return None


def infer_edition(source: str, text: str, publication: str) -> int | None:
    """The edition year from the address (``/bluebook/2023/``), else from the title in the text."""
    match = _URL_EDITION.search(source)
    if match:
        return int(match.group(1))
    match = _TITLES[publication].search(text)
    return int(match.group(1)) if match else None


def source_stem(source: str) -> str:
    """The file name of a URL or path without its extension: ``c030102``."""
    path = urlsplit(source).path if "://" in source else source
    stem = PurePosixPath(unquote(path).replace("\\", "/")).stem
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "document"


def document_id(publication: str, edition: int, source: str) -> str:
    """``bluebook-2023-c030102``: stable for the same publication, edition and file name."""
    stem = source_stem(source)
    for prefix in (f"{publication}-{edition}-", f"{publication.replace('_', '-')}-{edition}-"):
        stem = stem.removeprefix(prefix)  # a file already named 'bluebook-2023-...'
    return f"{publication}-{edition}-{stem}"
