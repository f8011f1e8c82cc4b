"""Zip containers with reproducible bytes.

Python's zipfile stamps each entry with the current time, so the same .xlsx, .docx or
bundle .zip would differ from run to run. Here every entry gets one fixed timestamp
(derived from the sources), fixed permissions and a fixed order.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import datetime

__all__ = ["deterministic_zip", "repack_zip"]


def deterministic_zip(entries: Iterable[tuple[str, bytes]], when: datetime) -> bytes:
    """Zip ``(name, data)`` entries, in the order given, all stamped ``when``."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the machine
            archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()


def repack_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite a zip (an .xlsx, a .docx) with fixed timestamps, keeping entry order."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    return deterministic_zip(entries, when)
