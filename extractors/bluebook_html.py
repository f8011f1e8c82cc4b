"""Diplomatic Bluebook HTML pages to section-structured records.

``parse_bluebook_html(bytes) -> ExtractedDocument``: decode, drop site chrome, walk the
page in reading order (:mod:`extractors.html_layout`), then classify each text block:

* metadata: "Diplomatic Bluebook 2023", "Chapter 3" and the chapter title;
* headings: a number (``2``, ``(1)``, ``A``) + a title, confirmed by a heading tag or
  bold text and the numbering sequence (:mod:`extractors.numbering`);
* boxed columns: a title (first bold or heading line of a box) and the blocks inside;
* footnotes: numbered notes that the text cites with ``<sup>`` or an inline marker
  (``deterrence1``, ``deterrence.(1)``); the marker is removed from the citing paragraph
  and the paragraph records the footnote number;
* photo captions (once — never from ``alt``/``title``) and figure titles, told apart by
  class words and by whether the text sits below or above its image;
* speakers (``●Name, School``) and list items; everything else is a paragraph.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from bs4 import BeautifulSoup

from docbrief.errors import ExtractError
from docbrief.records import PUBLISHERS, Chapter, Document, ExtractedDocument
from docbrief.text import normalize_whitespace
from extractors.decoding import decode_html
from extractors.html_layout import MARK_CLOSE, MARK_OPEN, HtmlBlock, html_blocks
from extractors.identify import EDITION_UNKNOWN, document_id, infer_edition, infer_publication
from extractors.numbering import NumberingSequence, is_title_case, looks_like_title, parse_chapter, parse_numbering
from extractors.outline import OutlineBuilder

__all__ = ["parse_bluebook_html"]

logger = logging.getLogger(__name__)

_HTML_TAG = re.compile(r"<\s*(html|body|head|p|div|h[1-6]|table|meta)\b", re.IGNORECASE)
_FOOTNOTE_ITEM = re.compile(r"^(?:[*※注]\s*)?(\((\d{1,3})\)|(\d{1,3}))[\s.:：]*(\S.*)$")
_FOOTNOTE_HINT = re.compile(r"foot|note|^fn|chu|^notes?$")
_TITLE_HINT = re.compile(r"title|ttl|head|hdg|midashi")
_NAME_HINT = re.compile(r"name|speaker|voice|profile")
_CAPTION_HINT = re.compile(r"caption|photo|^cap$|^pic")
_FIGURE_HINT = re.compile(r"^fig|figure|chart|graph|^zu$")
_SPEAKER_MARK = re.compile(r"^[●■◆◇○□▲▶►◎]\s*(\S.*)$")
_PUBLICATION_TITLE = re.compile(r"^(Diplomatic Bluebook|Defense of Japan)\s*(\d{4})$", re.IGNORECASE)
_MARK = re.compile(f"{MARK_OPEN}(\\d+){MARK_CLOSE}")


def _has_hint(block: HtmlBlock, pattern: re.Pattern[str]) -> bool:
    return any(pattern.search(hint) for hint in block.hints)


def _text_marker(number: str) -> re.Pattern[str]:
    """An inline marker glued to the word before it: 'deterrence1 at', 'deterrence.(1) F'."""
    return re.compile(rf"(?<=[a-z.,”’\"')])(?:\({number}\)|{number})(?=[\s,.;:]|$)")


@dataclass
class _Footnotes:
    """Footnote items found on the page and the numbers the text cites."""

    items: dict[int, tuple[str, str]] = field(default_factory=dict)  # block index -> (number, text)
    cited: set[str] = field(default_factory=set)
    plain_markers: set[str] = field(default_factory=set)  # cited without <sup>

    @classmethod
    def find(cls, blocks: list[HtmlBlock]) -> _Footnotes:
        notes = cls()
        candidates: dict[int, tuple[str, str, bool]] = {}
        for index, block in enumerate(blocks):
            notes.cited.update(_MARK.findall(block.text))
            if block.heading_rank is not None or block.emphasized or block.media:
                continue
            match = _FOOTNOTE_ITEM.match(_MARK.sub(r"\1", block.text))
            hinted = _has_hint(block, _FOOTNOTE_HINT)
            if match and (block.list_item or hinted):
                number = match.group(2) or match.group(3)
                candidates[index] = (number, match.group(4), hinted)
        for index, (number, text, hinted) in candidates.items():
            if hinted or number in notes.cited:
                notes.items[index] = (number, text)
                continue
            # No <sup>: look for a plain marker in the text before the note.
            marker = _text_marker(number)
            if any(marker.search(b.text) for b in blocks[:index] if b.media is None and not b.list_item):
                notes.items[index] = (number, text)
                notes.plain_markers.add(number)
        return notes

    @property
    def numbers(self) -> set[str]:
        return {number for number, _ in self.items.values()}

    def resolve(self, text: str) -> tuple[str, tuple[str, ...]]:
        """Remove footnote markers from ``text``; return it with the numbers it cites."""
        refs: list[str] = []

        def replace(match: re.Match[str]) -> str:
            number = match.group(1)
            if number in self.numbers:
                refs.append(number)
                return ""
            return number  # a superscript that is no footnote (km<sup>2</sup>)

        text = _MARK.sub(replace, text)
        for number in sorted(self.plain_markers):
            marker = _text_marker(number)
            if marker.search(text):
                text = marker.sub("", text, count=1)
                refs.append(number)
        return normalize_whitespace(text), tuple(dict.fromkeys(refs))


class _PageReader:
    """Classifies a page's blocks, in order, into an outline and its blocks."""

    def __init__(self, blocks: list[HtmlBlock], builder: OutlineBuilder) -> None:
        self.blocks = blocks
        self.builder = builder
        self.footnotes = _Footnotes.find(blocks)
        self.sequence = NumberingSequence()
        self.title: str | None = None
        self.chapter: tuple[str, str] | None = None
        self.chapter_title_pending = False
        self.column_titles: dict[int, str] = {}
        self.seen_boxes: set[int] = set()
        self.headings = 0

    def read(self) -> None:
        for index, block in enumerate(self.blocks):
            if index in self.footnotes.items:
                number, text = self.footnotes.items[index]
                self.add("footnote", normalize_whitespace(text), block, number=number)
            elif not self.read_metadata(block):
                self.read_content(block)

    def read_metadata(self, block: HtmlBlock) -> bool:
        """Consume the publication title, 'Chapter N' and the chapter title before any heading."""
        if self.headings:
            return False
        text = block.text
        if self.chapter_title_pending:
            self.chapter_title_pending = False
            if looks_like_title(text) and parse_numbering(text) is None:
                self.chapter = (self.chapter[0], text) if self.chapter else None
                return True
        match = _PUBLICATION_TITLE.match(text)
        if match and self.title is None:
            self.title = f"{match.group(1)} {match.group(2)}"
            return True
        chapter = parse_chapter(text)
        if chapter and self.chapter is None:
            self.chapter = chapter
            self.chapter_title_pending = not chapter[1]
            return True
        return False

    def read_content(self, block: HtmlBlock) -> None:
        text = block.text
        if block.box is not None and block.box not in self.seen_boxes:
            self.seen_boxes.add(block.box)
            if self.is_column_title(block):
                self.column_titles[block.box] = text
                self.add("column_title", text, block)
                return
        in_column = block.box in self.column_titles
        if not in_column and self.read_heading(block):
            return
        if block.media and len(text) <= 400:
            self.add(self.media_kind(block), text, block)
            return
        speaker = self.speaker(block)
        if speaker:
            self.add("speaker", speaker, block)
        elif block.list_item:
            self.add("list_item", text, block)
        else:
            self.add("paragraph", text, block)

    def is_column_title(self, block: HtmlBlock) -> bool:
        signal = block.emphasized or block.heading_rank is not None or _has_hint(block, _TITLE_HINT)
        return (signal and block.media is None and len(block.text) <= 200
                and looks_like_title(block.text) and parse_numbering(block.text) is None)

    def read_heading(self, block: HtmlBlock) -> bool:
        numbering = parse_numbering(block.text)
        if numbering is None or block.media or block.list_item:
            return False
        expected = self.sequence.is_expected(numbering)
        title_case = is_title_case(numbering.title)
        if block.heading_rank is not None:  # a heading tag: trust it unless it reads like prose
            accepted = expected or title_case
        elif block.emphasized or _has_hint(block, _TITLE_HINT):  # bold: the sequence must fit
            accepted = expected
        else:  # no layout signal: the numbering must fit exactly and read like a title
            accepted = expected and title_case and len(numbering.title) <= 120
        if not accepted:
            return False
        level = self.sequence.accept(numbering)
        self.headings += 1
        self.builder.open_section(level, numbering.number, numbering.title, label=numbering.label)
        return True

    @staticmethod
    def media_kind(block: HtmlBlock) -> str:
        caption_hint = _has_hint(block, _CAPTION_HINT)
        figure_hint = _has_hint(block, _FIGURE_HINT)
        if re.match(r"^(Fig(ure)?\.?|Chart|Table)\s", block.text):
            return "figure_title"
        if caption_hint:
            return "caption"
        if figure_hint or block.media == "before_image":
            return "figure_title"
        return "caption"

    def speaker(self, block: HtmlBlock) -> str | None:
        """The speaker's name line of a testimony ('●Yuina Pope, Lester Middle School')."""
        text = block.text
        if len(text) > 200 or text.endswith("."):
            return None
        match = _SPEAKER_MARK.match(text)
        if match:
            return match.group(1)
        named = block.emphasized or _has_hint(block, _NAME_HINT)
        if named and "," in text and len(text) <= 160 and parse_numbering(text) is None:
            return text
        return None

    def add(self, kind: str, text: str, block: HtmlBlock, **fields: object) -> None:
        refs: tuple[str, ...] = ()
        if kind == "footnote":
            text = _MARK.sub(r"\1", text)
        else:
            text, refs = self.footnotes.resolve(text)
        column = self.column_titles.get(block.box) if kind != "column_title" else None
        self.builder.add_block(kind, text, column=column, footnote_refs=refs, **fields)


def _require_html(data: bytes, text: str, source: str) -> None:
    if not data.strip():
        raise ExtractError("the file is empty", source=source)
    if data.lstrip().startswith(b"%PDF"):
        raise ExtractError("this is a PDF, not an HTML page", source=source)
    if not _HTML_TAG.search(text[:65536]):
        raise ExtractError("not an HTML page: no HTML tags found", source=source)


def parse_bluebook_html(
    data: bytes,
    *,
    source_url: str,
    fetched_at: datetime,
    http_charset: str | None = None,
    content_type: str = "text/html",
    publication: str | None = None,
    edition: int | None = None,
) -> ExtractedDocument:
    """Extract one Diplomatic Bluebook HTML page into records.

    ``source_url`` names the page in errors and provenance. ``publication`` and
    ``edition`` are inferred from the address and the page when not given.
    Raises :class:`~docbrief.errors.ExtractError` for input that is not a readable page.
    """
    text, _encoding = decode_html(data, source=source_url, http_charset=http_charset)
    _require_html(data, text, source_url)
    soup = BeautifulSoup(text, "lxml")
    page_title = normalize_whitespace(soup.title.get_text()) if soup.title else ""
    blocks, removed = html_blocks(soup)
    logger.debug("%s: removed site chrome %s", source_url, ", ".join(removed) or "(none)")
    visible = " ".join(block.text for block in blocks[:20])

    publication = publication or infer_publication(source_url, f"{page_title} {visible}")
    if publication is None:
        raise ExtractError("cannot tell which publication this page is from; pass --publication "
                           "(or set publication for it in the source list)", source=source_url)
    edition = edition or infer_edition(source_url, f"{page_title} {visible}", publication)
    if edition is None:
        raise ExtractError(EDITION_UNKNOWN, source=source_url)

    doc_id = document_id(publication, edition, source_url)
    builder = OutlineBuilder(doc_id)
    reader = _PageReader(blocks, builder)
    reader.read()
    warnings: list[str] = []
    if reader.chapter:
        builder.set_chapter(*reader.chapter)
    if not reader.headings:
        warnings.append(f"{source_url}: no numbered headings found; all blocks are placed under the document root")
    if not blocks:
        warnings.append(f"{source_url}: the page has no text content after removing site navigation")

    sections, records = builder.build()
    default_title = "Diplomatic Bluebook" if publication == "bluebook" else "Defense of Japan"
    document = Document(
        id=doc_id,
        publication=publication,
        publisher=PUBLISHERS[publication],
        edition=edition,
        title=reader.title or f"{default_title} {edition}",
        chapter=Chapter(number=reader.chapter[0], title=reader.chapter[1]) if reader.chapter else None,
        source_url=source_url,
        sha256=hashlib.sha256(data).hexdigest(),
        fetched_at=fetched_at,
        content_type=content_type,
    )
    return ExtractedDocument(document=document, sections=sections, blocks=records, warnings=tuple(warnings))
