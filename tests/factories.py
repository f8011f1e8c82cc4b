"""Records for output tests: the sample corpus, and small documents with chosen texts."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache

from docbrief.records import PUBLISHERS, Chapter, Document, ExtractedDocument
from docbrief.runs import SourceResult
from extractors.outline import OutlineBuilder
from tests.conftest import FIXED_TIME
from tests.goldcheck import parse_fixture


@cache
def sample_documents() -> tuple[ExtractedDocument, ...]:
    return tuple(parse_fixture(f"bluebook-{edition}-ministry.html", edition) for edition in (2021, 2023, 2025))


def sources_for(documents: Sequence[ExtractedDocument]) -> list[SourceResult]:
    return [
        SourceResult(name=d.document.id, url=d.document.source_url, status="ok", document_id=d.document.id,
                     edition=d.document.edition, sha256=d.document.sha256, sections=len(d.sections),
                     blocks=len(d.blocks))
        for d in documents
    ]


def document_with_texts(texts: Sequence[str], *, edition: int = 2024) -> ExtractedDocument:
    """A one-section Bluebook document whose paragraphs are ``texts``."""
    doc_id = f"bluebook-{edition}-test"
    builder = OutlineBuilder(doc_id, chapter_number="3", chapter_title="Test Chapter")
    builder.open_section(2, "2", "Test Section")
    for text in texts:
        builder.add_block("paragraph", text)
    sections, blocks = builder.build()
    document = Document(
        id=doc_id, publication="bluebook", publisher=PUBLISHERS["bluebook"], edition=edition,
        title=f"Diplomatic Bluebook {edition}", chapter=Chapter(number="3", title="Test Chapter"),
        source_url=f"https://example.org/bluebook/{edition}/test.html",
        sha256=hashlib.sha256("".join(texts).encode()).hexdigest(), fetched_at=FIXED_TIME, content_type="text/html",
    )
    return ExtractedDocument(document=document, sections=sections, blocks=blocks)
