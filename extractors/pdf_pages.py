"""PDF pages to text lines with their position and font, in reading order.

This is the expensive part of reading a PDF (pdfminer's layout of every character),
so it is kept small and parallel-friendly: :func:`read_pages` opens the PDF,
turns the pages it is given into :class:`Line` tuples — plain, picklable data — and
closes each page as soon as it is done so memory stays flat. Everything that needs the
whole document (running headers, paragraphs, headings) happens afterwards on lines.

Reading order: words are grouped into lines by baseline, and a line is split where a
gap is wider than a column gutter. On a page with two columns, lines entirely in the
left half are read before lines in the right half, between any full-width lines
(a chapter title across both columns), which keeps single-column pages unchanged.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from docbrief.errors import ExtractError

__all__ = ["Line", "PageText", "open_pdf", "read_pages"]

_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


class Line(NamedTuple):
    """One line of text on one page (PDF points, top-down coordinates)."""

    page: int  # 1-based physical page
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # the font size most of its characters use
    bold: bool


@dataclass(frozen=True)
class PageText:
    """The lines of one page and what is needed to interpret them."""

    page: int
    width: float
    height: float
    lines: tuple[Line, ...]
    images: int  # image objects on the page (a scanned page has images and no text)


def open_pdf(data: bytes, *, source: str) -> pdfplumber.PDF:
    """Open PDF bytes, turning pdfminer's failures into one clear :class:`ExtractError`."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pdf.pages  # noqa: B018 - parses the page tree now, so a broken one fails here
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ExtractError("the PDF is encrypted and cannot be read without its password", source=source) from exc
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise ExtractError("the PDF is encrypted and cannot be read without its password",
                               source=source) from exc
        raise ExtractError(f"the PDF is corrupt or truncated ({cause})", source=source) from exc
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise ExtractError(f"the PDF is corrupt or truncated ({exc})", source=source) from exc
    return pdf


def _dominant(values: list[tuple[float, bool, int]]) -> tuple[float, bool]:
    """The (size, bold) carrying the most characters."""
    weight: dict[tuple[float, bool], int] = {}
    for size, bold, count in values:
        weight[(size, bold)] = weight.get((size, bold), 0) + count
    return max(weight.items(), key=lambda item: (item[1], item[0]))[0]


def _lines_of(words: list[dict], page: int) -> list[Line]:
    """Group words into lines by baseline; split a row at gaps wider than a gutter."""
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["bottom"], 1), w["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - word["bottom"]) <= 1.5:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        segment: list[dict] = [row[0]]
        for word in row[1:]:
            if word["x0"] - segment[-1]["x1"] > 1.6 * word["size"]:  # a gutter, not a space
                lines.append(_line(segment, page))
                segment = []
            segment.append(word)
        lines.append(_line(segment, page))
    return lines


def _line(words: list[dict], page: int) -> Line:
    size, bold = _dominant([
        (round(w["size"], 1), bool(_BOLD.search(w["fontname"])), len(w["text"])) for w in words
    ])
    return Line(
        page=page, text=" ".join(w["text"] for w in words), x0=round(words[0]["x0"], 2),
        x1=round(words[-1]["x1"], 2), top=round(min(w["top"] for w in words), 2),
        bottom=round(max(w["bottom"] for w in words), 2), size=size, bold=bold,
    )


def _reading_order(lines: list[Line], width: float) -> list[Line]:
    """Left column, then right column, between full-width lines."""
    middle = width / 2
    ordered: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []
    for line in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        if line.x1 <= middle:
            left.append(line)
        elif line.x0 >= middle:
            right.append(line)
        else:  # crosses the middle: ends the two-column band above it
            ordered += left + right + [line]
            left, right = [], []
    return ordered + left + right


def read_pages(data: bytes, indices: Sequence[int], *, source: str,
               progress: Callable[[int], None] | None = None) -> list[PageText]:
    """Lines of the pages at ``indices`` (0-based), each page closed after use.

    ``progress(1)`` is called after each page, for a progress bar.
    """
    pdf = open_pdf(data, source=source)
    pages = []
    try:
        for index in indices:
            page = pdf.pages[index]
            try:
                words = page.extract_words(extra_attrs=["fontname", "size"], x_tolerance=1.5, y_tolerance=2)
                lines = _reading_order(_lines_of(words, index + 1), float(page.width))
                pages.append(PageText(page=index + 1, width=float(page.width), height=float(page.height),
                                      lines=tuple(lines), images=len(page.images)))
            except Exception as exc:  # pdfminer fails in many ways on a damaged page
                raise ExtractError(f"cannot read the page ({type(exc).__name__}: {exc})", source=source,
                                   page=index + 1) from exc
            finally:
                page.close()
            if progress is not None:
                progress(1)
    finally:
        pdf.close()
    return pages
