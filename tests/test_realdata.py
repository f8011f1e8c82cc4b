"""Real PDFs from ../shared/realdata (not redistributed): bookmarks and outlines. Skipped when absent."""

from __future__ import annotations

import json

import pdfplumber
import pytest

from extractors import parse_whitepaper_pdf
from extractors.pdf_outline import leveled_bookmarks, read_bookmarks
from tests.conftest import FIXED_TIME, SHARED_REALDATA

pytestmark = pytest.mark.skipif(not SHARED_REALDATA.is_dir(), reason="../shared/realdata is not present")

WITH_BOOKMARKS = [("irs-manual-2.3.59-400p.pdf", "irs-manual-2.3.59"), ("chelsea-pdta.pdf", "chelsea-pdta")]


def expected(name: str) -> list[dict]:
    headings = json.loads((SHARED_REALDATA / f"{name}.outline.json").read_text(encoding="utf-8"))["headings"]
    return [{"text": h["text"], "level": h["level"], "page": h["page"]} for h in headings]


@pytest.mark.parametrize("pdf_name, name", WITH_BOOKMARKS)
def test_bookmark_reader_returns_the_outline(pdf_name, name):
    with pdfplumber.open(SHARED_REALDATA / pdf_name) as pdf:
        got = [{"text": b.title, "level": b.level, "page": b.page} for b in leveled_bookmarks(read_bookmarks(pdf))]
    assert got == expected(name)


@pytest.mark.parametrize("pdf_name, name", WITH_BOOKMARKS)
def test_extract_reproduces_the_outline(pdf_name, name):
    data = (SHARED_REALDATA / pdf_name).read_bytes()
    document = parse_whitepaper_pdf(data, source_url=pdf_name, fetched_at=FIXED_TIME, edition=2020, workers=2)
    headings = [{"text": b.text, "page": b.page} for b in document.blocks if b.kind == "heading"]
    assert headings == [{"text": h["text"], "page": h["page"]} for h in expected(name)]
    offsets = {s.level - h["level"] for s, h in zip(document.sections[1:], expected(name), strict=True)}
    assert len(offsets) == 1  # the same nesting, shifted below the document root


@pytest.mark.parametrize("pdf_name", ["gao-23-106826.pdf", "federal-register-2020-17221.pdf"])
def test_other_layouts_extract_without_error(pdf_name):
    data = (SHARED_REALDATA / pdf_name).read_bytes()
    document = parse_whitepaper_pdf(data, source_url=pdf_name, fetched_at=FIXED_TIME, edition=2020)
    paragraphs = [b for b in document.blocks if b.kind == "paragraph"]
    assert len(paragraphs) > 10
    assert all(b.page is not None for b in document.blocks)
