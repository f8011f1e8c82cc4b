"""Defense of Japan 2014, Part III Ch. 2 Sec. 1: three PDF layouts against the gold, pages included."""

from __future__ import annotations

import json

import pdfplumber
import pytest

from extractors import parse_whitepaper_pdf
from extractors.whitepaper_pdf import _join
from tests.conftest import FIXED_TIME, ROOT, load_gold
from tests.goldcheck import assert_matches_gold

PDF = ROOT / "tests" / "fixtures" / "pdf"
LAYOUTS = ["bookmarks", "plain", "two-column"]


def extract(layout: str, workers: int = 1):
    data = (PDF / f"whitepaper-2014-{layout}.pdf").read_bytes()
    return parse_whitepaper_pdf(data, source_url=f"DOJ2014_3-2-1_{layout}.pdf", fetched_at=FIXED_TIME, workers=workers)


@pytest.fixture(scope="module", params=LAYOUTS)
def layout(request):
    return request.param, extract(request.param)


def test_matches_gold(layout):
    _, document = layout
    assert_matches_gold(document, load_gold("whitepaper-2014"))
    assert document.document.part == "III"
    assert document.document.page_count == 5  # the last reference runs onto page 5


def test_every_block_and_section_carries_its_page_and_printed_label(layout):
    name, document = layout
    expected = json.loads((PDF / f"whitepaper-2014-{name}.pages.json").read_text(encoding="utf-8"))
    assert [b.page for b in document.blocks] == expected["block_pages"]
    assert all(b.page_label == str(expected["first_page_label"] + b.page - 1) for b in document.blocks)
    for section in document.sections:
        pages = [b.page for b in document.blocks if b.section_id == section.id]
        if pages:
            assert section.page_start <= min(pages) and section.page_end >= max(pages)


def test_running_headers_and_page_numbers_are_gone(layout):
    _, document = layout
    text = "\n".join(b.text for b in document.blocks)
    assert "DEFENSE OF JAPAN" not in text and "Measures for Defense of Japan" not in text
    assert not any(b.text.isdigit() for b in document.blocks)


def test_fixture_really_splits_words_and_references_over_lines_and_pages():
    """Guard the fixtures: the cases the extractor must handle are really in them."""
    with pdfplumber.open(PDF / "whitepaper-2014-two-column.pdf") as pdf:
        lines = [line for page in pdf.pages for line in page.extract_text().splitlines()]
        last_page = pdf.pages[-1].extract_text()
    assert any(line.endswith("Arrange-") for line in lines)  # a word hyphenated by the typesetter
    # a compound broken at its own hyphen (pdfplumber's text joins the two columns' lines)
    assert any(line.endswith("Japan-") or "Japan- " in line for line in lines)
    assert "in Okinawa)" in last_page and "See ▶ Fig. III-2-1-2" not in last_page


def test_figure_reference_split_over_a_page_break():
    document = extract("bookmarks")
    reference = document.blocks[-1]
    assert reference.kind == "figure_ref"
    assert reference.figure == "Fig. III-2-1-2"
    assert reference.figure_title.endswith("Stationed in Okinawa")


@pytest.mark.parametrize("text, following, joined", [
    ("centered on the Security Arrange-", "ments with", "centered on the Security Arrangements with"),
    ("response to large-", "scale disasters", "response to large-scale disasters"),
    ("strengthen the Japan-", "U.S. Alliance", "strengthen the Japan-U.S. Alliance"),
    ("a well-", "known case", "a well-known case"),
])
def test_line_end_hyphens(text, following, joined):
    vocabulary = {"arrangements", "large", "scale", "japan", "well", "known"}
    assert _join(text, following, vocabulary) == joined


def test_two_workers_give_identical_output():
    assert extract("two-column", workers=2) == extract("two-column", workers=1)


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_is_reported_for_every_page(workers):
    seen = []
    data = (PDF / "whitepaper-2014-two-column.pdf").read_bytes()
    document = parse_whitepaper_pdf(data, source_url="DOJ2014_3-2-1_two-column.pdf", fetched_at=FIXED_TIME,
                                    workers=workers, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (5, 5) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert document == extract("two-column")
