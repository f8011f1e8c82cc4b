"""docbrief's exceptions: one tree, so callers can catch as broadly as they need.

    DocbriefError
    ├── ConfigError    a source list or setting is wrong (names the file and key)
    ├── FetchError     a source could not be read (carries .url and .status)
    ├── ExtractError   a document could not be turned into records (.source, .page)
    ├── OutputError    an output file could not be written (.path)
    └── BusyError      another refresh holds the output folder (.path)

Foreign errors (httpx, lxml, pdfminer, OSError) are wrapped with ``raise ... from exc``
so the cause stays visible in logs while the CLI prints one clear line.
"""

from __future__ import annotations

__all__ = ["BusyError", "ConfigError", "DocbriefError", "ExtractError", "FetchError", "OutputError"]


class DocbriefError(Exception):
    """Base class of every error docbrief raises on purpose."""


class ConfigError(DocbriefError):
    """A configuration file or value is invalid."""

    def __init__(self, message: str, *, path: str | None = None, key: str | None = None) -> None:
        self.path = path
        self.key = key
        where = ": ".join(part for part in (path, key) if part)
        super().__init__(f"{where}: {message}" if where else message)


class FetchError(DocbriefError):
    """A source could not be fetched or read."""

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        self.url = url
        self.status = status
        super().__init__(f"{url}: {message}")


class ExtractError(DocbriefError):
    """A document could not be extracted into records."""

    def __init__(self, message: str, *, source: str, page: int | None = None) -> None:
        self.source = source
        self.page = page
        where = f"{source} (page {page})" if page is not None else source
        super().__init__(f"{where}: {message}")


class OutputError(DocbriefError):
    """An output could not be written."""

    def __init__(self, message: str, *, path: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class BusyError(DocbriefError):
    """Another refresh is writing to the same output folder."""

    def __init__(self, message: str, *, path: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")
