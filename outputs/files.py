"""Writing output files atomically, and publishing a finished run as ``latest``.

A file is written to a temporary name in the same folder, flushed to disk, then
renamed over its target, so a reader (or a crash) never sees half a file. A run is
published by swapping the ``latest`` symbolic link in one rename, so ``OUT/latest``
always points at a complete run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from docbrief.errors import OutputError
from docbrief.text import sanitize_tree

__all__ = [
    "OutputFile",
    "atomic_output",
    "describe_file",
    "json_bytes",
    "publish_latest",
    "write_bytes_atomic",
    "write_json_atomic",
]


@dataclass(frozen=True)
class OutputFile:
    """One file a run wrote: its path relative to the run folder, kind, size and checksum."""

    path: str
    kind: str
    bytes: int
    sha256: str

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "kind": self.kind, "bytes": self.bytes, "sha256": self.sha256}


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one rename.

    ``path`` holds either its old bytes or all of the new ones, never a part.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(path)) from exc
    try:
        with os.fdopen(fd, "w+b") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except OSError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(path)) from exc
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_output`)."""
    with atomic_output(path) as handle:
        handle.write(data)


def json_bytes(value: object, *, indent: int | None = 2) -> bytes:
    """Deterministic UTF-8 JSON (readable Japanese, sanitised text, trailing newline)."""
    separators = None if indent else (",", ":")
    return (json.dumps(sanitize_tree(value), ensure_ascii=False, indent=indent, separators=separators) + "\n").encode(
        "utf-8"
    )


def write_json_atomic(path: Path, value: object) -> None:
    write_bytes_atomic(path, json_bytes(value))


def describe_file(path: Path, *, root: Path, kind: str) -> OutputFile:
    data = Path(path).read_bytes()
    return OutputFile(
        path=Path(path).relative_to(root).as_posix(), kind=kind, bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def publish_latest(out_dir: Path, run_dir: Path) -> Path:
    """Point ``out_dir/latest`` at ``run_dir`` in one atomic rename; return the link."""
    out_dir = Path(out_dir)
    link = out_dir / "latest"
    target = os.path.relpath(run_dir, out_dir)
    tmp = out_dir / f".latest.{os.getpid()}.tmp"
    if link.exists() and not link.is_symlink():
        raise OutputError("exists and is not a link made by docbrief; move it away", path=str(link))
    try:
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(target, target_is_directory=True)
        os.replace(tmp, link)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot switch latest: {exc.strerror or exc}", path=str(link)) from exc
    return link
