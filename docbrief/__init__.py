"""docbrief: Japan's security-policy publications as section-structured data.

The library surface: read a source, extract it into records, and the record model.
Outputs live in :mod:`outputs`, Prefect flows and the CLI in :mod:`flows`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from docbrief.errors import BusyError, ConfigError, DocbriefError, ExtractError, FetchError, OutputError
from docbrief.records import SCHEMA_VERSION, Block, Chapter, Document, ExtractedDocument, Section
from docbrief.text import normalize_whitespace, sanitize_text

__all__ = [
    "Block",
    "BusyError",
    "Chapter",
    "ConfigError",
    "DocbriefError",
    "Document",
    "ExtractError",
    "ExtractedDocument",
    "FetchError",
    "OutputError",
    "SCHEMA_VERSION",
    "Section",
    "__version__",
    "normalize_whitespace",
    "sanitize_text",
]
