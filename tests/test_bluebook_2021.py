"""Diplomatic Bluebook 2021, Chapter 4, section 2: the ministry-like page against the gold."""

from __future__ import annotations

import pytest

from tests.conftest import load_gold
from tests.goldcheck import assert_matches_gold, parse_fixture


@pytest.fixture(scope="module")
def document():
    return parse_fixture("bluebook-2021-ministry.html", 2021)


def test_matches_gold(document):
    assert_matches_gold(document, load_gold("bluebook-2021"))


def test_sections_2021_had_and_later_editions_dropped(document):
    titles = {s.number: s.title for s in document.sections if s.path.startswith("2 > (2) >")}
    assert titles["E"] == "Multilateral Cooperation"
    assert titles["G"] == "Maritime Security"


def test_each_photo_caption_once_although_alt_and_title_repeat_it(document):
    captions = [b.text for b in document.blocks if b.kind == "caption"]
    assert len(captions) == len(set(captions)) == 6
    assert all(text.count("Students dancing together") <= 1 for text in captions)


def test_two_columns_with_their_own_blocks(document):
    titles = [b.text for b in document.blocks if b.kind == "column_title"]
    assert titles == [
        "Sixtieth Anniversary of the Signing and Entering into Force of the Japan-U.S. Security Treaty",
        "Project to Promote Exchanges and Enhance Mutual Understanding between Japan and the United States",
    ]
    second = [b for b in document.blocks if b.column == titles[1]]
    assert [b.kind for b in second].count("speaker") == 2


def test_ids_are_readable_and_unique(document):
    ids = [b.id for b in document.blocks]
    assert len(ids) == len(set(ids))
    assert document.document.id == "bluebook-2021-c040202"
    heading_e = next(b for b in document.blocks if b.text == "E Multilateral Cooperation")
    assert heading_e.id == "bluebook-2021-c040202:2/(2)/E#1"
