"""Zip containers with reproducible bytes.

Python's zipfile stamps each entry with the current time, so the same .xlsx, .docx or
bundle .zip would differ from run to run. Here every entry gets one fixed timestamp
(derived from the sources), fixed permissions and a fixed order.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import datetime

__all__ = ["FixedTimeZipFile", "repack_zip"]


def _stamp(when: datetime) -> tuple[int, int, int, int, int, int]:
    return (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)


class FixedTimeZipFile(zipfile.ZipFile):
    """A zip that stamps every entry with one time, for writers (openpyxl, python-docx) that
    call ``writestr``/``write`` themselves. Entries are streamed, never held whole in memory."""

    def __init__(self, file: object, when: datetime) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.stamp = _stamp(when)

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.create_system = 3  # Unix, whatever the machine
        return info

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None) -> None:
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        super().writestr(self._info(name), data, compresslevel=compresslevel or 6)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None) -> None:
        with open(filename, "rb") as source, self.open(self._info(arcname or str(filename)), "w") as target:
            shutil.copyfileobj(source, target, 1 << 20)



def repack_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite a small zip (a .docx) with fixed timestamps, keeping the entry order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, FixedTimeZipFile(buffer, when) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    return buffer.getvalue()
