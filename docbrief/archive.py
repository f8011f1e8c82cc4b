"""Every body ever fetched, stored once by its sha256 and never overwritten or deleted.

    ARCHIVE/sources/ab/ab12...ef.html      a fetched body, named by its sha256
    ARCHIVE/records/ab/ab12...ef.<key>.json the records extracted from it by extractor <key>

A body is written with an exclusive create, so an existing file — the same bytes, by
construction — is never replaced. The records cache lets a refresh reuse the extraction
of an unchanged document; its key changes whenever the extractor code changes.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from docbrief.errors import OutputError
from docbrief.records import ExtractedDocument

__all__ = ["Archive"]

_EXTENSIONS = {"application/pdf": ".pdf", "text/html": ".html", "application/xhtml+xml": ".html"}


class Archive:
    """A content-addressed store under one folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _source_path(self, sha256: str) -> Path | None:
        folder = self.root / "sources" / sha256[:2]
        if folder.is_dir():
            for path in folder.glob(f"{sha256}.*"):
                return path
        return None

    def store(self, data: bytes, content_type: str) -> tuple[str, Path]:
        """Keep ``data`` (once); return its sha256 and where it is."""
        sha256 = hashlib.sha256(data).hexdigest()
        existing = self._source_path(sha256)
        if existing is not None:
            return sha256, existing
        path = self.root / "sources" / sha256[:2] / f"{sha256}{_EXTENSIONS.get(content_type, '.bin')}"
        self._create(path, data)
        return sha256, path

    def read(self, sha256: str) -> bytes:
        path = self._source_path(sha256)
        if path is None:
            raise OutputError("not in the archive", path=str(self.root / "sources" / sha256[:2] / sha256))
        return path.read_bytes()

    def has(self, sha256: str) -> bool:
        return self._source_path(sha256) is not None

    def _records_path(self, sha256: str, key: str) -> Path:
        return self.root / "records" / sha256[:2] / f"{sha256}.{key}.json"

    def cached_records(self, sha256: str, key: str) -> ExtractedDocument | None:
        path = self._records_path(sha256, key)
        if not path.exists():
            return None
        return ExtractedDocument.model_validate_json(path.read_bytes())

    def cache_records(self, sha256: str, key: str, document: ExtractedDocument) -> None:
        path = self._records_path(sha256, key)
        if not path.exists():
            self._create(path, document.model_dump_json().encode("utf-8"))

    @staticmethod
    def _create(path: Path, data: bytes) -> None:
        """Write a new file; never replace one (a racing writer of the same bytes wins)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            try:
                os.link(tmp, path)  # fails if the target exists: nothing is overwritten
            except FileExistsError:
                pass
            finally:
                tmp.unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot archive: {exc.strerror or exc}", path=str(path)) from exc
