"""Diplomatic Bluebook 2025, Chapter 3, section 2: ministry-like page and a page with no heading tags."""

from __future__ import annotations

import pytest

from tests.conftest import HTML, load_gold
from tests.goldcheck import assert_matches_gold, parse_fixture


@pytest.fixture(scope="module", params=["bluebook-2025-ministry.html", "bluebook-2025-plain.html"])
def document(request):
    return parse_fixture(request.param, 2025)


def test_matches_gold(document):
    assert_matches_gold(document, load_gold("bluebook-2025"))


def test_plain_page_really_has_no_heading_tags():
    page = (HTML / "bluebook-2025-plain.html").read_text(encoding="utf-8")
    assert not any(f"<h{n}" in page for n in range(1, 7))
    assert "deterrence.(1) Furthermore" in page  # marker as plain text, no <sup>


def test_parenthesised_footnotes_linked(document):
    citing = {b.footnote_refs[0]: b for b in document.blocks if b.footnote_refs}
    assert "deterrence. Furthermore" in citing["1"].text
    assert "ship-to-ship transfers by the UNC" in citing["2"].text
    assert {b.number for b in document.blocks if b.kind == "footnote"} == {"1", "2"}


def test_speaker_symbol_removed_and_figure_title_kept(document):
    speaker = next(b for b in document.blocks if b.kind == "speaker")
    assert speaker.text.startswith("TAKAHASHI Ryo")
    figure = next(b for b in document.blocks if b.kind == "figure_title")
    assert figure.text == "Realignment of USFJ – An Overview"
    assert figure.section_id.endswith(":2/(3)")
