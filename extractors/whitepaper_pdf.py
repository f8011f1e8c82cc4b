"""Defense of Japan white-paper PDFs to section-structured records.

``parse_whitepaper_pdf(bytes) -> ExtractedDocument`` in four steps:

1. **Lines** of every page (:mod:`extractors.pdf_pages`), in page ranges across worker
   processes when ``workers > 1`` — the result is identical whatever the number.
2. **Running headers and footers** go: a line in the top or bottom band of the page that
   repeats on other pages (digits ignored) or is a bare page number. A heading that sits
   once near a page edge stays. The running header also names the edition and the part.
3. **Headings**: from the PDF's bookmarks when it has them (their depth is the level,
   their target page and position find the heading line), otherwise from lines in a
   heading font (bold or larger than the body text) that start with a number —
   ``Chapter 2``, ``Section 1``, ``1`` — their level given by the font, largest first,
   since both lower levels are numbered "1".
4. **Paragraphs**: lines join until a first-line indent, a wider gap, a change of font,
   a heading or a ``See ▶ Fig`` reference; across line, column and page breaks alike.
   A line-end hyphen is a break only when the joined word occurs elsewhere in the
   document; otherwise it is a real hyphen and stays (``Japan-U.S.``, ``large-scale``).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

import pdfplumber

from docbrief.errors import ExtractError
from docbrief.records import PUBLISHERS, Chapter, Document, ExtractedDocument
from docbrief.text import normalize_whitespace
from extractors.identify import EDITION_UNKNOWN, document_id, infer_edition
from extractors.numbering import parse_chapter, parse_numbering
from extractors.outline import OutlineBuilder
from extractors.pdf_outline import Bookmark, leveled_bookmarks, read_bookmarks, read_page_labels
from extractors.pdf_pages import Line, PageText, open_pdf, read_pages

__all__ = ["PdfOverview", "assemble_whitepaper", "page_chunks", "parse_whitepaper_pdf", "read_overview"]

_EDGE_BAND = 0.075  # top and bottom 7.5% of the page hold running headers and page numbers
_PAGE_NUMBER = re.compile(r"^(\d{1,4}|[ivxlcdm]{1,7})$", re.IGNORECASE)
_FIGURE_REF = re.compile(r"^See\s*▶\s*(Figs?\.?\s*[IVX]+(?:-\d+)+)\s*\((.*)\)\s*$")
_EDITION_TITLE = re.compile(r"DEFENSE\s+OF\s+JAPAN\s+(\d{4})", re.IGNORECASE)
_PART = re.compile(r"\bPart\s+([IVX]{1,5})\b")
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str
    page: int | None


@dataclass
class _Headings:
    """Where headings open: before which line (``len(lines)`` for the end), and the lines
    that are heading text themselves (so they are not read as paragraphs)."""

    before: dict[int, list[_Heading]]
    consumed: set[int]

    def found_any(self) -> bool:
        return any(self.before.values())


def _read_pages(pool: ProcessPoolExecutor | None, data: bytes, count: int, *, source: str, workers: int,
                progress: Callable[[int], None] | None):
    """Start reading every page; returns a function that waits for the pages, in order.

    Workers take every n-th page (not halves of the book), so a run of heavy pages is
    shared between them; each opens the PDF once — or four times when progress is
    reported, so the bar moves while they work.
    """
    if pool is None:
        return lambda: read_pages(data, range(count), source=source, progress=progress)
    slices = workers * (4 if progress else 1)
    futures = [pool.submit(read_pages, data, range(k, count, slices), source=source) for k in range(slices)]

    def wait() -> list[PageText]:
        pages: list[PageText] = []
        for future in as_completed(futures):
            done = future.result()
            pages.extend(done)
            if progress is not None:
                progress(len(done))
        return sorted(pages, key=lambda p: p.page)

    return wait


def _edge_key(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.lower())


def _split_running_lines(pages: list[PageText]) -> tuple[list[Line], dict[int, str], list[str]]:
    """Body lines in reading order; printed page numbers by page; the running texts removed."""
    def in_band(line: Line, page: PageText) -> bool:
        return line.bottom < page.height * _EDGE_BAND or line.top > page.height * (1 - _EDGE_BAND)

    repeats = Counter(_edge_key(ln) for page in pages for ln in page.lines if in_band(ln, page))
    body: list[Line] = []
    numbers: dict[int, str] = {}
    running: list[str] = []
    for page in pages:
        for line in page.lines:
            if in_band(line, page) and _PAGE_NUMBER.match(line.text):
                numbers[page.page] = line.text
            elif in_band(line, page) and repeats[_edge_key(line)] >= 2:
                running.append(line.text)
            else:
                body.append(line)
    return body, numbers, running


def _body_style(lines: Sequence[Line]) -> tuple[float, bool]:
    weight: Counter[tuple[float, bool]] = Counter()
    for line in lines:
        weight[(line.size, line.bold)] += len(line.text)
    return weight.most_common(1)[0][0] if weight else (10.0, False)


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _find_heading_lines(lines: list[Line], bookmark: Bookmark, start: int) -> tuple[int, int] | None:
    """The line(s) printing this bookmark's title on its page: (first, last) indices."""
    target = _normal(bookmark.title)
    for index in range(start, len(lines)):
        line = lines[index]
        if line.page < (bookmark.page or 0):
            continue
        if line.page > (bookmark.page or 0):
            return None
        if bookmark.top is not None and line.bottom < bookmark.top - 2:
            continue
        text = _normal(line.text)
        if not text or not target.startswith(text):
            continue
        last = index
        while text != target and last + 1 < len(lines) and target.startswith(text + _normal(lines[last + 1].text)):
            last += 1
            text += _normal(lines[last].text)
        if text == target:
            return index, last
    return None


def _position(lines: list[Line], bookmark: Bookmark, start: int) -> int:
    """The first line at or after the bookmark's target (its page, and its height if given)."""
    for index in range(start, len(lines)):
        line = lines[index]
        if line.page > bookmark.page or (line.page == bookmark.page and (
                bookmark.top is None or line.bottom >= bookmark.top - 2)):
            return index
    return len(lines)


def _headings_from_bookmarks(lines: list[Line], bookmarks: list[Bookmark]) -> _Headings:
    """Each bookmark opens a section where it points: at its heading line when the page
    prints its title, else at its target position (a bookmark with no target opens
    right after the previous one). Levels: the bookmark depth, shifted so the first
    level below a 'Chapter' bookmark — or the top level if there is none — is 2."""
    has_chapter = bool(bookmarks) and bookmarks[0].level == min(b.level for b in bookmarks) and bool(
        parse_chapter(bookmarks[0].title))
    shift = 1 - bookmarks[0].level if has_chapter else 2 - min(b.level for b in bookmarks)
    headings = _Headings(before={}, consumed=set())
    cursor = 0
    for bookmark in bookmarks:
        heading = _Heading(level=bookmark.level + shift, text=bookmark.title, page=bookmark.page)
        if bookmark.page is not None:
            found = _find_heading_lines(lines, bookmark, cursor)
            if found:
                cursor = found[1] + 1
                headings.consumed.update(range(found[0], found[1] + 1))
                headings.before.setdefault(found[0], []).append(heading)
                continue
            cursor = _position(lines, bookmark, cursor)
        headings.before.setdefault(cursor, []).append(heading)
    return headings


def _headings_from_fonts(lines: list[Line], body: tuple[float, bool], vocabulary: set[str]) -> _Headings:
    """Numbered lines in a heading font; level by font size (largest first), chapter at 1."""
    body_size, _ = body
    starts: list[tuple[list[int], str, tuple[float, bool]]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        style = (line.size, line.bold)
        is_heading_font = line.bold or line.size > body_size + 0.5
        if not (is_heading_font and (parse_chapter(line.text) or parse_numbering(line.text))):
            index += 1
            continue
        taken, text = [index], line.text
        while taken[-1] + 1 < len(lines):  # a heading wrapped over more lines, in the same font
            previous, nxt = lines[taken[-1]], lines[taken[-1] + 1]
            close = nxt.page == previous.page and 0 <= nxt.top - previous.bottom < 0.8 * line.size
            if (nxt.size, nxt.bold) != style or not close or parse_numbering(nxt.text):
                break
            taken.append(taken[-1] + 1)
            text = _join(text, nxt.text, vocabulary)
        starts.append((taken, text, style))
        index = taken[-1] + 1
    styles = sorted({style for _, text, style in starts if not parse_chapter(text)}, key=lambda s: -s[0])
    headings = _Headings(before={}, consumed=set())
    for taken, text, style in starts:
        level = 1 if parse_chapter(text) else 2 + styles.index(style)
        headings.before[taken[0]] = [_Heading(level=level, text=text, page=lines[taken[0]].page)]
        headings.consumed.update(taken)
    return headings


def _vocabulary(lines: Sequence[Line]) -> set[str]:
    """Words as printed whole (not at a line-end hyphen), for telling breaks from hyphens."""
    words: set[str] = set()
    for line in lines:
        text = line.text[:-1] if line.text.endswith("-") else line.text
        words.update(w.lower() for w in _WORD.findall(text))
    return words


def _join(text: str, nxt: str, vocabulary: set[str]) -> str:
    if not text:
        return nxt
    if text.endswith("-") and len(text) > 1 and text[-2].isalpha():
        left = _WORD.findall(text[:-1])[-1] if _WORD.findall(text[:-1]) else ""
        right = _WORD.match(nxt)
        if right and nxt[0].islower() and (left + right.group(0)).lower() in vocabulary:
            return text[:-1] + nxt  # a word broken by the typesetter
        return text + nxt  # a real hyphen: Japan-U.S., large-scale
    return f"{text} {nxt}"


class _Paragraphs:
    """Accumulates lines into blocks, deciding where one block ends and the next begins."""

    def __init__(self, builder: OutlineBuilder, lines: list[Line], vocabulary: set[str],
                 labels: dict[int, str | None], middles: dict[int, float]) -> None:
        self.builder = builder
        self.vocabulary = vocabulary
        self.labels = labels
        self.text = ""
        self.first: Line | None = None
        self.last: Line | None = None
        gaps = [b.top - a.bottom for a, b in pairwise(lines)
                if a.page == b.page and (a.size, a.bold) == (b.size, b.bold) and 0 <= b.top - a.bottom < 2 * a.size]
        self.line_gap = sorted(gaps)[len(gaps) // 2] if gaps else 2.0
        self.middles = middles
        edges: dict[tuple[int, bool], Counter[float]] = {}
        for line in lines:
            edges.setdefault(self._column(line), Counter())[round(line.x0)] += 1
        self.left_edges = {key: float(counter.most_common(1)[0][0]) for key, counter in edges.items()}

    def _column(self, line: Line) -> tuple[int, bool]:
        """The page and half of it (column) a line starts in, as pdf_pages reads them."""
        return line.page, line.x0 >= self.middles[line.page]

    def starts_new_block(self, line: Line) -> bool:
        last = self.last
        if last is None:
            return True
        if (line.size, line.bold) != (last.size, last.bold) or line.text.startswith("See ▶"):
            return True
        left = self.left_edges.get(self._column(line), line.x0)
        if line.x0 > left + 0.5 * line.size:
            return True  # first-line indent
        same_column = line.page == last.page and line.top > last.bottom and abs(line.x0 - last.x0) < 100
        return same_column and line.top - last.bottom > self.line_gap + 0.35 * line.size

    def add(self, line: Line) -> None:
        if self.starts_new_block(line):
            self.flush()
            self.first = line
        self.text = _join(self.text, line.text, self.vocabulary)
        self.last = line

    def flush(self) -> None:
        if self.first is not None and self.text:
            text = normalize_whitespace(self.text)
            page = self.first.page
            figure = _FIGURE_REF.match(text)
            if figure:
                self.builder.add_block("figure_ref", text, page=page, page_label=self.labels.get(page),
                                       figure=figure.group(1), figure_title=figure.group(2))
            else:
                self.builder.add_block("paragraph", text, page=page, page_label=self.labels.get(page))
        self.text, self.first, self.last = "", None, None


@dataclass(frozen=True)
class PdfOverview:
    """What is read from the PDF as a whole, before its pages: count, outline, labels, title."""

    page_count: int
    bookmarks: tuple[Bookmark, ...]
    labels: tuple[str | None, ...]
    metadata_title: str


def _overview_of(pdf: pdfplumber.PDF, source_url: str) -> PdfOverview:
    count = len(pdf.pages)
    if count == 0:
        raise ExtractError("the PDF has no pages", source=source_url)
    return PdfOverview(page_count=count, bookmarks=tuple(leveled_bookmarks(read_bookmarks(pdf))),
                       labels=tuple(read_page_labels(pdf)),
                       metadata_title=normalize_whitespace(str(pdf.metadata.get("Title", ""))))


def read_overview(data: bytes, *, source_url: str) -> PdfOverview:
    """The PDF's page count, bookmarks, page labels and metadata title."""
    pdf = open_pdf(data, source=source_url)
    try:
        return _overview_of(pdf, source_url)
    finally:
        pdf.close()


def page_chunks(count: int, size: int = 50) -> list[range]:
    """Page ranges for parallel reading (the refresh maps one task over each)."""
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def parse_whitepaper_pdf(
    data: bytes,
    *,
    source_url: str,
    fetched_at: datetime,
    content_type: str = "application/pdf",
    edition: int | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> ExtractedDocument:
    """Extract a Defense of Japan PDF (a section or the whole book) into records.

    ``progress(pages_done, pages_total)`` is called as pages are read. Raises
    :class:`~docbrief.errors.ExtractError` naming the file (and page) for an encrypted,
    corrupt or empty PDF, or one with no text layer at all.
    """
    pdf = open_pdf(data, source=source_url)
    try:
        count = len(pdf.pages)
        if count == 0:
            raise ExtractError("the PDF has no pages", source=source_url)
        parallel = workers > 1 and count >= 2 * workers
        with ProcessPoolExecutor(max_workers=workers) if parallel else contextlib.nullcontext() as pool:
            done = [0]

            def advance(pages: int) -> None:
                done[0] += pages
                progress(done[0], count)

            # The workers read pages while this process reads the outline and labels.
            wait_for_pages = _read_pages(pool, data, count, source=source_url, workers=workers,
                                         progress=advance if progress else None)
            overview = _overview_of(pdf, source_url)
            pages = wait_for_pages()
    finally:
        pdf.close()
    return assemble_whitepaper(pages, overview, data=data, source_url=source_url, fetched_at=fetched_at,
                               content_type=content_type, edition=edition)


def assemble_whitepaper(
    pages: Sequence[PageText],
    overview: PdfOverview,
    *,
    data: bytes,
    source_url: str,
    fetched_at: datetime,
    content_type: str = "application/pdf",
    edition: int | None = None,
) -> ExtractedDocument:
    """Records from the pages' lines (in page order) and the PDF's overview."""
    pages = sorted(pages, key=lambda page: page.page)
    count, bookmarks, pdf_labels, metadata_title = (
        overview.page_count, list(overview.bookmarks), overview.labels, overview.metadata_title)
    warnings = [
        f"{source_url} (page {page.page}): no text layer (a scanned image?); the page is skipped"
        for page in pages if not page.lines and page.images
    ]
    if not any(page.lines for page in pages):
        raise ExtractError("no page has a text layer (a scanned document?); OCR is not supported", source=source_url)

    lines, printed, running = _split_running_lines(pages)
    labels = {page.page: pdf_labels[page.page - 1] or printed.get(page.page) for page in pages}
    header_text = " ".join(running) + " " + metadata_title
    title_match = _EDITION_TITLE.search(header_text)
    edition = edition or (int(title_match.group(1)) if title_match else None) or infer_edition(
        source_url, header_text, "white_paper")
    if edition is None:
        raise ExtractError(EDITION_UNKNOWN, source=source_url)
    part = _PART.search(header_text)

    vocabulary = _vocabulary(lines)
    if bookmarks:
        headings = _headings_from_bookmarks(lines, bookmarks)
    else:
        headings = _headings_from_fonts(lines, _body_style(lines), vocabulary)
    if not headings.found_any():
        warnings.append(f"{source_url}: no headings found; all blocks are placed under the document root")

    doc_id = document_id("white_paper", edition, source_url)
    builder = OutlineBuilder(doc_id)
    chapter: tuple[str, str] | None = None
    paragraphs = _Paragraphs(builder, lines, vocabulary, labels, {page.page: page.width / 2 for page in pages})
    for index in range(len(lines) + 1):
        for heading in headings.before.get(index, []):
            paragraphs.flush()
            as_chapter = parse_chapter(heading.text)
            if heading.level == 1 and as_chapter:
                chapter = as_chapter
                continue
            label = labels.get(heading.page) if heading.page else None
            numbering = parse_numbering(heading.text)
            if numbering is None:
                builder.open_section(heading.level, "", heading.text, page=heading.page, page_label=label)
            else:
                builder.open_section(heading.level, numbering.number, numbering.title, label=numbering.label,
                                     page=heading.page, page_label=label)
        if index < len(lines) and index not in headings.consumed:
            paragraphs.add(lines[index])
    paragraphs.flush()
    if chapter:
        builder.set_chapter(*chapter)

    sections, blocks = builder.build()
    document = Document(
        id=doc_id,
        publication="white_paper",
        publisher=PUBLISHERS["white_paper"],
        edition=edition,
        title=f"Defense of Japan {edition}",
        part=part.group(1) if part else None,
        chapter=Chapter(number=chapter[0], title=chapter[1]) if chapter else None,
        source_url=source_url,
        sha256=hashlib.sha256(data).hexdigest(),
        fetched_at=fetched_at,
        content_type=content_type,
        page_count=count,
    )
    return ExtractedDocument(document=document, sections=sections, blocks=blocks, warnings=tuple(warnings))
