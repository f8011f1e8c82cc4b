"""The Excel workbook analysts download: About, Sections, Blocks, Footnotes, Figures, Changes.

Written with openpyxl's write-only mode, so memory stays flat however many blocks a
run has. Every sheet is an Excel table (filters, banded rows) with a frozen header row
and sized columns; long text wraps.

Cells never execute: text from the web is always stored as a string cell — text
starting with ``=`` or looking like ``#N/A`` is stored exactly as in the source, not as
a formula or error — and text starting with ``= + - @`` carries Excel's quote prefix so
editing the cell keeps it text. Characters a worksheet cannot hold are removed by
:func:`docbrief.text.sanitize_text`; text longer than a cell holds (32,767 characters)
continues on following rows marked ``part 2/3`` and so on, never silently cut.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.writer.excel import ExcelWriter

from docbrief.compare import Comparison
from docbrief.records import SCHEMA_VERSION, Block, ExtractedDocument, Section
from docbrief.runs import Build
from docbrief.text import sanitize_text
from outputs.changes import CHANGE_COLUMNS, change_rows
from outputs.files import atomic_output
from outputs.zips import FixedTimeZipFile

__all__ = ["CELL_LIMIT", "SHEET_GUIDE", "write_workbook"]

CELL_LIMIT = 32_767
_CHUNK = 32_000  # split a little below the limit, at a space where possible
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_BOLD = Font(bold=True)
_FORMULA_LIKE = ("=", "+", "-", "@")

SHEET_GUIDE = {
    "About": "This build: its id, data date, counts, and every source with its URL, edition, sha256 and status.",
    "Sections": "The outline: one row per section, one column per level, with its pages and source link.",
    "Blocks": "Every block in reading order: section at each level, kind, text, page, column, footnotes, id.",
    "Footnotes": "Footnotes with their numbers and the blocks that cite them.",
    "Figures": "Figure titles and 'See ▶ Fig' references, with figure ids.",
    "Changes": "Consecutive editions compared: sections new and dropped, sentences and figures changed.",
}


def _add_table(ws: object, name: str, ref: str, headers: Sequence[str], style: str) -> None:
    """Add an Excel table; write-only mode cannot read the header cells back, so name the columns here."""
    table = Table(displayName=name, ref=ref, autoFilter=AutoFilter(ref=ref))
    table.tableColumns = [TableColumn(id=index, name=title) for index, title in enumerate(headers, start=1)]
    table.tableStyleInfo = TableStyleInfo(name=style, showRowStripes=True)
    with warnings.catch_warnings():  # openpyxl warns in write-only mode even when the columns are set
        warnings.filterwarnings("ignore", "In write-only mode you must add table columns manually")
        ws.add_table(table)


class _Sheet:
    """A write-only sheet that becomes one Excel table."""

    def __init__(self, workbook: Workbook, name: str, columns: Sequence[tuple[str, int]], *, wrap: set[str]) -> None:
        self.ws = workbook.create_sheet(name)
        self.name = name
        self.columns = [title for title, _ in columns]
        self.wrap = {self.columns.index(title) for title in wrap}
        for index, (_, width) in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.ws.freeze_panes = "A2"
        self.rows = 0
        self._styles: dict[tuple[bool, bool, bool], StyleArray] = {}
        self.ws.append([self._cell(title, bold=True) for title in self.columns])

    def _style(self, *, wrap: bool, quote: bool, bold: bool) -> StyleArray:
        """The style of a cell with these properties, built once per sheet (openpyxl hashes
        every style object it is given, which dominates the time of a large sheet)."""
        key = (wrap, quote, bold)
        if key not in self._styles:
            template = WriteOnlyCell(self.ws)
            template.alignment = _WRAP if wrap else _TOP
            template.quotePrefix = quote
            if bold:
                template.font = _BOLD
            self._styles[key] = template._style
        return self._styles[key]

    def _cell(self, value: object, *, wrap: bool = False, bold: bool = False) -> WriteOnlyCell:
        if isinstance(value, str):
            value = sanitize_text(value)
        elif isinstance(value, (tuple, list)):
            value = ", ".join(sanitize_text(str(item)) for item in value)
        cell = WriteOnlyCell(self.ws, value=value)
        quote = False
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, never an error value
            quote = value.startswith(_FORMULA_LIKE)
        cell._style = copy(self._style(wrap=wrap, quote=quote, bold=bold))
        return cell

    def _value(self, value: object, *, wrap: bool) -> object:
        """What to append for ``value``: the plain value where openpyxl stores it safely as is
        (much faster), a styled string cell where it would not or where the text wraps."""
        if isinstance(value, (tuple, list)):
            value = ", ".join(str(item) for item in value)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            value = sanitize_text(value)
            if wrap or value.startswith(_FORMULA_LIKE) or value in ERROR_CODES:
                return self._cell(value, wrap=wrap)
        return value

    def append(self, values: Sequence[object], *, link: str | None = None, link_column: int | None = None) -> None:
        row = [self._value(value, wrap=index in self.wrap) for index, value in enumerate(values)]
        if link and link_column is not None:
            row[link_column] = cell = self._cell(values[link_column])
            cell.hyperlink = link
        self.ws.append(row)
        self.rows += 1

    def finish(self) -> None:
        last = get_column_letter(len(self.columns))
        if self.rows == 0:  # Excel rejects a table without a data row: an empty row keeps the filter
            self.append([""] * len(self.columns))
        _add_table(self.ws, self.name, f"A1:{last}{self.rows + 1}", self.columns, "TableStyleMedium2")


def _split_text(text: str) -> list[str]:
    """Pieces of at most _CHUNK characters, cut at whitespace where there is some."""
    if len(text) <= CELL_LIMIT:
        return [text]
    pieces = []
    while len(text) > _CHUNK:
        cut = text.rfind(" ", _CHUNK // 2, _CHUNK)
        cut = cut + 1 if cut > 0 else _CHUNK
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def _level_path(section: Section, by_id: dict[str, Section]) -> dict[int, Section]:
    """The section and its ancestors, by level."""
    levels: dict[int, Section] = {}
    node: Section | None = section
    while node is not None:
        levels[node.level] = node
        node = by_id.get(node.parent_id) if node.parent_id else None
    return levels


def _max_level(documents: Sequence[ExtractedDocument]) -> int:
    return max([4, *(s.level for doc in documents for s in doc.sections)])


def _write_about(workbook: Workbook, documents: Sequence[ExtractedDocument], build: Build) -> None:
    about = _Sheet(workbook, "About", [("Item", 22), ("Value", 100)], wrap={"Value"})
    rows = [
        ("Workbook", "docbrief: Diplomatic Bluebook and Defense of Japan, as section-structured data"),
        ("Build id", build.build_id),
        ("Data as of (UTC)", build.data_as_of.strftime("%Y-%m-%d %H:%M:%S")),
        ("Record schema", SCHEMA_VERSION),
        ("Documents", len(documents)),
        ("Sections", sum(len(doc.sections) for doc in documents)),
        ("Blocks", sum(len(doc.blocks) for doc in documents)),
        ("Check", "Generated automatically: check quotations against the source before use."),
        *((f"Sheet: {name}", text) for name, text in SHEET_GUIDE.items()),
    ]
    for row in rows:
        about.append(row)
    about.finish()
    # The sources, below the summary, as a second table on the same sheet.
    ws = about.ws
    ws.append([])
    header = ["Source", "URL", "Document", "Edition", "SHA-256", "Status", "Sections", "Blocks", "Error"]
    start = about.rows + 3
    ws.append([about._cell(title, bold=True) for title in header])
    for source in build.sources:
        ws.append([about._cell(value) for value in (
            source.name, source.url, source.document_id or "", source.edition, source.sha256 or "",
            source.status, source.sections, source.blocks, source.error or "",
        )])
    end = start + max(len(build.sources), 1)
    if not build.sources:
        ws.append([about._cell("")] * len(header))
    _add_table(ws, "Sources", f"A{start}:{get_column_letter(len(header))}{end}", header, "TableStyleLight9")


def _document_rows(documents: Sequence[ExtractedDocument]) -> Iterator[tuple[ExtractedDocument, dict[str, Section]]]:
    for doc in sorted(documents, key=lambda d: d.document.id):
        yield doc, {s.id: s for s in doc.sections}


def write_workbook(documents: Sequence[ExtractedDocument], path: Path, *, build: Build,
                   comparisons: Sequence[Comparison] = ()) -> None:
    """Write the workbook for ``documents`` (and their comparisons) to ``path``, atomically, reproducibly."""
    workbook = Workbook(write_only=True)
    props = workbook.properties
    props.title = "docbrief: Japan's security-policy publications"
    props.subject = ", ".join(sorted({f"{d.document.title}" for d in documents}))
    props.creator = props.lastModifiedBy = "docbrief"
    props.keywords = "Diplomatic Bluebook; Defense of Japan; Japan-U.S. alliance"
    props.description = f"Build {build.build_id}, data as of {build.data_as_of:%Y-%m-%d}"
    props.created = props.modified = build.data_as_of.replace(tzinfo=None)

    _write_about(workbook, documents, build)
    depth = _max_level(documents)
    level_columns = [(f"Level {lv}", 30) for lv in range(1, depth + 1)]
    sections = _Sheet(workbook, "Sections", [
        ("Publication", 12), ("Edition", 9), ("Document", 26), *level_columns, ("Level", 7), ("Number", 10),
        ("Title", 45), ("Page start", 10), ("Page end", 10), ("Section id", 40), ("Source", 50),
    ], wrap={"Title"})
    number_title = []
    for lv in range(1, depth + 1):
        number_title += [(f"L{lv} number", 10), (f"L{lv} title", 30)]
    blocks = _Sheet(workbook, "Blocks", [
        ("Publication", 12), ("Edition", 9), ("Document", 26), *number_title, ("Kind", 13), ("Text", 90),
        ("Page", 7), ("Page label", 10), ("Column", 30), ("Footnote refs", 12), ("Block id", 40), ("Part", 7),
    ], wrap={"Text"})
    footnotes = _Sheet(workbook, "Footnotes", [
        ("Publication", 12), ("Edition", 9), ("Document", 26), ("Section", 18), ("Number", 8), ("Text", 90),
        ("Cited by", 40), ("Page", 7), ("Block id", 40),
    ], wrap={"Text"})
    figures = _Sheet(workbook, "Figures", [
        ("Publication", 12), ("Edition", 9), ("Document", 26), ("Section", 18), ("Kind", 13), ("Figure", 16),
        ("Title", 60), ("Text", 60), ("Page", 7), ("Block id", 40),
    ], wrap={"Title", "Text"})

    for doc, by_id in _document_rows(documents):
        d = doc.document
        head = (d.publication, d.edition, d.id)
        url = d.source_url if d.source_url.startswith(("http://", "https://")) else None
        for section in doc.sections:
            path_by_level = _level_path(section, by_id)
            levels = [
                f"{path_by_level[lv].number} {path_by_level[lv].title}".strip() if lv in path_by_level else ""
                for lv in range(1, depth + 1)
            ]
            sections.append(
                (*head, *levels, section.level, section.number, section.title, section.page_start,
                 section.page_end, section.id, d.source_url),
                link=url, link_column=len(sections.columns) - 1,
            )
        citations: dict[str, list[str]] = {}
        for block in doc.blocks:
            for number in block.footnote_refs:
                citations.setdefault(number, []).append(block.id)
        for block in doc.blocks:
            _write_block(blocks, head, block, _level_path(by_id[block.section_id], by_id), depth)
            section_path = by_id[block.section_id].path
            if block.kind == "footnote":
                footnotes.append((*head, section_path, block.number, block.text,
                                  citations.get(block.number or "", []), block.page, block.id))
            elif block.kind in ("figure_title", "figure_ref"):
                figures.append((*head, section_path, block.kind, block.figure or "",
                                block.figure_title or (block.text if block.kind == "figure_title" else ""),
                                block.text, block.page, block.id))
    changes = _Sheet(workbook, "Changes", [(column.replace("_", " ").capitalize(), width) for column, width in zip(
        CHANGE_COLUMNS, (26, 26, 10, 9, 16, 16, 60, 60, 10, 60, 36, 36), strict=True)],
        wrap={"Old", "New", "Diff"})
    for comparison in comparisons:
        for row in change_rows(comparison):
            changes.append([row[column] for column in CHANGE_COLUMNS])
    for sheet in (sections, blocks, footnotes, figures, changes):
        sheet.finish()

    with atomic_output(Path(path)) as handle:
        ExcelWriter(workbook, FixedTimeZipFile(handle, build.data_as_of)).save()


def _write_block(sheet: _Sheet, head: tuple, block: Block, levels: dict[int, Section], depth: int) -> None:
    numbered = []
    for lv in range(1, depth + 1):
        section = levels.get(lv)
        numbered += [section.number, section.title] if section else ["", ""]
    pieces = _split_text(block.text)
    for index, piece in enumerate(pieces, start=1):
        part = f"{index}/{len(pieces)}" if len(pieces) > 1 else ""
        sheet.append((*head, *numbered, block.kind, piece, block.page, block.page_label, block.column or "",
                      block.footnote_refs, block.id, part))
