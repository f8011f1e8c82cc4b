"""The record model: the contract between extractors and outputs.

An extraction yields one :class:`ExtractedDocument`: the :class:`Document`
(what was read, from where, with which checksum), its :class:`Section` outline
(chapter > ``2`` > ``(1)`` > ``A``, or chapter > ``Section 1`` > ``1`` > ``1``)
and its :class:`Block` list in reading order. Every id is derived from the input
alone, so the same input gives the same ids on every run and machine.

The JSON Schema of this model is published in ``docbrief/schema/records.schema.json``
(regenerate with ``docbrief schema -o docbrief/schema/records.schema.json``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter

__all__ = [
    "Block",
    "BlockKind",
    "Chapter",
    "Document",
    "ExtractedDocument",
    "Publication",
    "SCHEMA_VERSION",
    "Section",
    "record_json_schema",
]

#: Changes only when a change would break a reader of older records.
SCHEMA_VERSION = "1.0.0"

Publication = Literal["bluebook", "white_paper"]
BlockKind = Literal[
    "heading",
    "paragraph",
    "footnote",
    "caption",
    "column_title",
    "speaker",
    "figure_title",
    "figure_ref",
    "list_item",
    "table",
]

PUBLISHERS: dict[str, str] = {
    "bluebook": "Ministry of Foreign Affairs of Japan",
    "white_paper": "Ministry of Defense of Japan",
}


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Chapter(_Record):
    """The chapter a document belongs to, as printed (``3``, ``Japan's Foreign Policy ...``)."""

    number: str
    title: str


class Document(_Record):
    """One source document (a Bluebook HTML page, a white-paper PDF) and its provenance."""

    id: str = Field(description="Stable id: publication, edition and the source's file stem.")
    publication: Publication
    publisher: str
    edition: int = Field(description="Edition year, e.g. 2023.")
    title: str = Field(description="e.g. 'Diplomatic Bluebook 2023'.")
    part: str | None = Field(default=None, description="White-paper part, e.g. 'III'.")
    chapter: Chapter | None = None
    source_url: str = Field(description="URL or file path of the source.")
    retrieved_from: str | None = Field(
        default=None, description="Where the bytes really came from when not the source (a web-archive copy).")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the source bytes.")
    fetched_at: AwareDatetime = Field(description="When these bytes were first fetched (UTC).")
    content_type: str = Field(description="MIME type of the source, e.g. 'text/html'.")
    language: str = "en"
    page_count: int | None = Field(default=None, description="Pages in the source, for PDFs.")


class Section(_Record):
    """One node of the outline. Level 1 is the chapter; deeper levels follow the numbering."""

    id: str
    document_id: str
    level: int = Field(ge=1, le=8)
    number: str = Field(description="Number as printed: '2', '(1)', 'A', 'Section 1'.")
    title: str
    parent_id: str | None
    path: str = Field(description="Numbers below the chapter, e.g. '2 > (2) > A'; '' for the chapter.")
    order: int = Field(ge=0, description="Position in the outline, from 0.")
    page_start: int | None = Field(default=None, ge=1, description="First physical page (1-based).")
    page_end: int | None = Field(default=None, ge=1, description="Last physical page (1-based).")


class Block(_Record):
    """One unit of content: a paragraph, heading, footnote, caption and so on."""

    id: str
    document_id: str
    section_id: str
    order: int = Field(ge=0, description="Position in the document's reading order, from 0.")
    kind: BlockKind
    text: str
    level: int | None = Field(default=None, description="Outline level, for headings.")
    column: str | None = Field(default=None, description="Title of the boxed column holding the block.")
    footnote_refs: tuple[str, ...] = Field(default=(), description="Footnote numbers the block cites.")
    number: str | None = Field(default=None, description="Footnote number, for footnotes.")
    figure: str | None = Field(default=None, description="Figure id, e.g. 'Fig III-2-1-1'.")
    figure_title: str | None = None
    page: int | None = Field(default=None, ge=1, description="Physical page (1-based), where known.")
    page_label: str | None = Field(default=None, description="Printed page number, where known.")


class ExtractedDocument(_Record):
    """What an extractor returns and ``docbrief extract`` writes."""

    document: Document
    sections: tuple[Section, ...]
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = Field(default=(), exclude=True)

    def section_paths(self) -> dict[str, str]:
        """Map section id to its path ('2 > (2) > A')."""
        return {section.id: section.path for section in self.sections}


def record_json_schema() -> dict:
    """JSON Schema (draft 2020-12) of :class:`ExtractedDocument`, as published."""
    schema = TypeAdapter(ExtractedDocument).json_schema(mode="serialization")
    schema.pop("title", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:docbrief:records:{SCHEMA_VERSION}",
        "title": "docbrief extracted document",
        "x-schema-version": SCHEMA_VERSION,
        **schema,
    }

