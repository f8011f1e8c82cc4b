"""Diplomatic Bluebook 2023, Chapter 3, section 2: ministry-like page and its Shift_JIS copy."""

from __future__ import annotations

import pytest

from tests.conftest import HTML, load_gold
from tests.goldcheck import assert_matches_gold, parse_fixture


@pytest.fixture(scope="module", params=["bluebook-2023-ministry.html", "bluebook-2023-shift_jis.html"])
def document(request):
    return parse_fixture(request.param, 2023)


def test_matches_gold(document):
    assert_matches_gold(document, load_gold("bluebook-2023"))


def test_footnote_markers_removed_and_linked(document):
    citing = [b for b in document.blocks if b.footnote_refs]
    assert [b.footnote_refs for b in citing] == [("1",), ("2",)]
    assert "extended deterrence at the ministerial" in citing[0].text
    assert "deterrence1" not in citing[0].text
    notes = {b.number: b for b in document.blocks if b.kind == "footnote"}
    assert notes["1"].text == "Providing deterrence that a country possesses to its allies and others."
    assert notes["1"].section_id == citing[0].section_id


def test_speakers_outside_any_column(document):
    speakers = [b for b in document.blocks if b.kind == "speaker"]
    assert [s.text for s in speakers] == [
        "Yuina Pope, Lester Middle School",
        "CHINEN Ami, Junior High School Attached to Faculty Education, Ryukyu University",
    ]
    assert all(s.column is None for s in speakers)


def test_shift_jis_copy_gives_identical_records():
    assert (HTML / "bluebook-2023-ministry.html").read_bytes() != (HTML / "bluebook-2023-shift_jis.html").read_bytes()
    utf8 = parse_fixture("bluebook-2023-ministry.html", 2023)
    sjis = parse_fixture("bluebook-2023-shift_jis.html", 2023)
    assert utf8.blocks == sjis.blocks and utf8.sections == sjis.sections
