"""A PDF's own navigation: bookmarks (the outline tree) and printed page labels.

pdfminer's ``get_outlines`` skips bookmarks that have no destination and its
``get_page_labels`` never ends, so both are read here directly from the catalog.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pdfplumber
from pdfminer.pdftypes import PDFObjRef, resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from docbrief.text import normalize_whitespace

__all__ = ["Bookmark", "leveled_bookmarks", "read_bookmarks", "read_page_labels"]

_DOTTED = re.compile(r"^(\d+(?:\.\d+)+)\.?\s")
_NUMBERED = re.compile(r"^\d+(?:[.\-]\d+)*\.?\s")


@dataclass(frozen=True)
class Bookmark:
    """One outline entry: its title, depth (1 = top) and 1-based target page (None if it has none)."""

    title: str
    level: int
    page: int | None
    top: float | None = None  # target position, top-down points, where the destination gives one


def _destination(pdf: pdfplumber.PDF, entry: dict) -> object:
    dest = resolve1(entry.get("Dest"))
    if dest is None:
        action = resolve1(entry.get("A"))
        if isinstance(action, dict) and getattr(resolve1(action.get("S")), "name", None) == "GoTo":
            dest = resolve1(action.get("D"))
    if isinstance(dest, (bytes, str, PSLiteral)):
        name = dest.name if isinstance(dest, PSLiteral) else dest
        try:
            dest = resolve1(pdf.doc.get_dest(name))
        except Exception:  # a dangling name: the bookmark has no page
            return None
    if isinstance(dest, dict):
        dest = resolve1(dest.get("D"))
    return dest


def read_bookmarks(pdf: pdfplumber.PDF) -> list[Bookmark]:
    """Every bookmark in outline order, with its page where it has a destination."""
    outlines = resolve1(pdf.doc.catalog.get("Outlines"))
    if not isinstance(outlines, dict):
        return []
    page_of = {page.page_obj.pageid: (page.page_number, float(page.height)) for page in pdf.pages}
    bookmarks: list[Bookmark] = []
    seen: set[int] = set()
    stack: list[tuple[object, int]] = [(outlines.get("First"), 1)]
    while stack:
        reference, level = stack.pop()
        while reference is not None:
            if isinstance(reference, PDFObjRef):
                if reference.objid in seen:  # a cycle in a damaged outline
                    break
                seen.add(reference.objid)
            entry = resolve1(reference)
            if not isinstance(entry, dict):
                break
            title = resolve1(entry.get("Title"))
            title = decode_text(title) if isinstance(title, bytes) else str(title or "")
            page, top = None, None
            dest = _destination(pdf, entry)
            if isinstance(dest, list) and dest and isinstance(dest[0], PDFObjRef) and dest[0].objid in page_of:
                page, height = page_of[dest[0].objid]
                kind = getattr(dest[1], "name", "") if len(dest) > 1 else ""
                if kind == "XYZ" and len(dest) > 3 and isinstance(dest[3], (int, float)):
                    top = height - float(dest[3])
            bookmarks.append(Bookmark(title=normalize_whitespace(title), level=level, page=page, top=top))
            if entry.get("First") is not None:
                stack.append((entry.get("Next"), level))
                reference, level = entry.get("First"), level + 1
                continue
            reference = entry.get("Next")
    return bookmarks


def leveled_bookmarks(bookmarks: list[Bookmark]) -> list[Bookmark]:
    """Levels for a flat outline whose titles are numbered ``2.3.59.1``: from the numbering.

    Many generators write every bookmark at the top level. Then a dotted number's depth
    gives the level (the shallowest dotted number is level 1), other numbered entries
    (exhibits ``2.3.59-1``) are level 1, and unnumbered ones (front matter) level 0.
    A nested outline is returned unchanged.
    """
    if len({b.level for b in bookmarks}) != 1 or not any(_DOTTED.match(b.title) for b in bookmarks):
        return bookmarks
    depths = [len(m.group(1).split(".")) for b in bookmarks if (m := _DOTTED.match(b.title))]
    base = min(depths)
    leveled = []
    for bookmark in bookmarks:
        dotted = _DOTTED.match(bookmark.title)
        if dotted:
            level = len(dotted.group(1).split(".")) - base + 1
        else:
            level = 1 if _NUMBERED.match(bookmark.title) else 0
        leveled.append(Bookmark(title=bookmark.title, level=level, page=bookmark.page, top=bookmark.top))
    return leveled


def read_page_labels(pdf: pdfplumber.PDF) -> list[str | None]:
    """The printed label of each page ('193', 'iv'), or None for each when the PDF has none."""
    try:
        return list(itertools.islice(pdf.doc.get_page_labels(), len(pdf.pages)))
    except Exception:  # PDFNoPageLabels, or a malformed label tree: labels are optional
        return [None] * len(pdf.pages)
