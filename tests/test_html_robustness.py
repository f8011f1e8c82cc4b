"""The HTML path on pages unlike the fixtures: chrome, odd markup, encodings, bad input."""

from __future__ import annotations

import codecs
import json

import pytest

from docbrief.errors import ExtractError
from extractors import extract_document, parse_bluebook_html
from extractors.decoding import decode_html
from tests.conftest import FIXED_TIME, HTML, load_gold

URL = "https://www.mofa.go.jp/policy/other/bluebook/2023/en_html/chapter3/c030102.html"
CHROME_TEXTS = ("Page Top", "Skip to main content", "Site Map", "Privacy Policy", "Kasumigaseki",
                "Table of Contents", "Back Numbers", "Countries & Regions")


def parse(html: str | bytes, **kwargs):
    data = html.encode("utf-8") if isinstance(html, str) else html
    return parse_bluebook_html(data, source_url=kwargs.pop("source_url", URL), fetched_at=FIXED_TIME, **kwargs)


def page(body: str, head: str = "<title>Diplomatic Bluebook 2023</title>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize("edition", [2021, 2023, 2025])
def test_site_chrome_removed_and_no_gold_text_lost(edition):
    document = parse((HTML / f"bluebook-{edition}-ministry.html").read_bytes(),
                     source_url=URL.replace("2023", str(edition)))
    texts = [b.text for b in document.blocks]
    everything = "\n".join(texts)
    for chrome in CHROME_TEXTS:
        assert chrome not in everything
    assert all(not t.startswith(("Home", "Back")) for t in texts)
    for gold_block in load_gold(f"bluebook-{edition}")["blocks"]:
        assert gold_block["text"] in texts


def test_text_before_the_first_heading_is_kept_under_the_chapter():
    document = parse(page(
        '<div id="header"><a href="/">MOFA</a></div>'
        "<p>Chapter 3</p><h1>Japan's Foreign Policy</h1>"
        "<p>This introduction comes before any numbered heading and must not be lost.</p>"
        "<h2>2 Japan-U.S. Security Arrangements</h2><p>Body text of the section.</p>"
    ))
    first = document.blocks[0]
    assert first.kind == "paragraph" and first.text.startswith("This introduction")
    assert first.section_id == document.sections[0].id == "bluebook-2023-c030102:root"
    assert document.document.chapter.title == "Japan's Foreign Policy"


def test_sentence_starting_with_a_is_not_a_heading():
    document = parse(page(
        "<h2>2 Japan-U.S. Security Arrangements</h2><h3>(1) Overview</h3>"
        "<p>A Japan-U.S. Summit Meeting was held in April.</p>"
        "<p><b>A New Era of Cooperation Began in the Pacific.</b></p>"
        "<p>A total of 9,000 personnel will relocate</p>"
        "<h4>A Missile Defense</h4><p>Text.</p>"
    ))
    headings = [b.text for b in document.blocks if b.kind == "heading"]
    assert headings == ["2 Japan-U.S. Security Arrangements", "(1) Overview", "A Missile Defense"]
    assert [s.path for s in document.sections] == ["", "2", "2 > (1)", "2 > (1) > A"]


def test_out_of_sequence_bold_letter_is_not_a_heading():
    document = parse(page(
        "<h2>2 Title</h2><h3>(1) Overview</h3><p><b>C Later Letter Without A Before It</b></p>"
    ))
    assert document.blocks[-1].kind == "paragraph"


def test_superscript_that_is_no_footnote_stays_in_the_text():
    document = parse(page("<h2>2 Bases</h2><p>An area of about 4,000 km<sup>2</sup> was returned.</p>"))
    assert document.blocks[-1].text == "An area of about 4,000 km2 was returned."
    assert document.blocks[-1].footnote_refs == ()


def test_page_without_numbering_yields_paragraphs_under_root_with_warning():
    document = parse(page("<p>First paragraph of an unusual page.</p><p>Second paragraph.</p>"))
    assert [b.kind for b in document.blocks] == ["paragraph", "paragraph"]
    assert {b.section_id for b in document.blocks} == {"bluebook-2023-c030102:root"}
    assert any("no numbered headings" in w for w in document.warnings)


def test_broken_html_still_parses():
    document = parse("<html><body><h2>2 Title<p>Unclosed paragraph <b>bold<p>Another</body>")
    assert [b.text for b in document.blocks if b.kind != "heading"] == ["Unclosed paragraph bold", "Another"]


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"%PDF-1.7\n%binary", "PDF"),
    (b"just some words, no markup at all", "not an HTML page"),
    (json.dumps({"a": 1}).encode(), "not an HTML page"),
])
def test_bad_input_names_the_source(data, message):
    with pytest.raises(ExtractError) as caught:
        extract_document(data, source_url="input.html", fetched_at=FIXED_TIME)
    assert message in str(caught.value)
    assert str(caught.value).startswith("input.html")


def test_undecodable_bytes_are_a_clear_error():
    with pytest.raises(ExtractError, match="input.bin: .*decode"):
        decode_html(bytes(range(256)) * 4 + b"\x81\xff\xfe\x00" * 64, source="input.bin")


def test_unknown_publication_asks_for_the_option():
    with pytest.raises(ExtractError, match="pass --publication"):
        parse(page("<p>Text</p>", head="<title>Some page</title>"), source_url="page.html")
    document = parse(page("<p>Text</p>", head=""), source_url="page.html", publication="bluebook", edition=2024)
    assert document.document.id == "bluebook-2024-page"


JAPANESE = ("<html><head><title>外交青書</title></head><body><h2>2 日米安全保障体制</h2>"
            "<p>日本を取り巻く安全保障環境が一層厳しさを増す中、日米安全保障体制を強化し、"
            "日米同盟の抑止力・対処力を向上させていくことは、日本の平和と安全のみならず、"
            "インド太平洋地域の平和と安定にとって不可欠である。</p></body></html>")


def test_shift_jis_without_any_declaration_is_detected():
    text, encoding = decode_html(JAPANESE.encode("shift_jis"), source="ja.html")
    assert text == JAPANESE
    assert encoding in ("cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213")


def test_http_charset_and_bom_and_wrong_meta():
    sjis = JAPANESE.encode("cp932")
    assert decode_html(sjis, source="a", http_charset="Shift_JIS")[0] == JAPANESE
    # A page claiming UTF-8 that is really Shift_JIS: the claim is skipped, not trusted.
    lying = JAPANESE.replace("<head>", '<head><meta charset="utf-8">').encode("cp932")
    assert "日米安全保障体制" in decode_html(lying, source="a")[0]
    bom = codecs.BOM_UTF8 + JAPANESE.encode("utf-8")
    assert decode_html(bom, source="a", http_charset="iso-8859-1")[0] == JAPANESE
