"""Bytes to text for HTML pages.

The order follows the HTML standard's encoding sniffing: a byte-order mark wins
(it cannot be wrong about itself), then the HTTP ``charset``, then ``<meta charset>``
or ``<meta http-equiv=Content-Type>``, then statistical detection (charset-normalizer).
A declared encoding that does not decode the bytes is skipped rather than trusted:
ministry pages have been served as Shift_JIS while declaring UTF-8.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from docbrief.errors import ExtractError

__all__ = ["decode_html"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
# Windows-31J is what "Shift_JIS" pages really contain (NEC and IBM extensions such as ①).
_SUPERSETS = {"shift_jis": "cp932", "euc_jp": "euc_jis_2004", "iso8859-1": "cp1252", "ascii": "cp1252"}


def _codec_name(label: str) -> str | None:
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(data: bytes, *, source: str, http_charset: str | None = None) -> tuple[str, str]:
    """Decode an HTML page; return ``(text, encoding used)``.

    Raises :class:`ExtractError` naming ``source`` when no encoding decodes the bytes.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _try_decode(data[len(bom):], encoding)
            if text is not None:
                return text, encoding
    declared = []
    if http_charset:
        declared.append(http_charset)
    meta = _META_CHARSET.search(data[:8192])
    if meta:
        declared.append(meta.group(1).decode("ascii", "replace"))
    for label in declared:
        encoding = _codec_name(label)
        if encoding is not None:
            text = _try_decode(data, encoding)
            if text is not None:
                return text, encoding
    text = _try_decode(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise ExtractError("the bytes cannot be decoded as text in any known encoding", source=source)
    encoding = _SUPERSETS.get(best.encoding, best.encoding)
    text = _try_decode(data, encoding)
    if text is None:
        raise ExtractError(f"the bytes do not decode as {best.encoding}", source=source)
    return text, encoding
