"""DOCX briefing documents: one per document, and one "what changed" per pair of editions.

A brief opens with a cover block (title, publication and edition, sources with their
addresses, build id, data date, and a reminder that it was generated and must be checked
against the source), a table of contents, then:

* **Key points** per section, chosen deterministically: the section's lead sentence and
  the sentences carrying figures, dates, or named meetings and agreements;
* **Key figures** and a dated **Timeline**, as tables;
* **What changed since <previous edition>** (in the edition's brief, and as a brief of its
  own): sections new and dropped, sentences added, removed and rewritten, figures changed;
* **Sources and citations**: every bullet and table row cites ``[n]``, a clickable link to
  entry *n* here, which gives edition, section, page or address, and the block id that
  is in the JSON bundle.

Built-in Heading styles (so the navigation pane and the table of contents work), page
X of Y in the footer, document properties set, an optional organisation template whose
styles are used, and the same bytes for the same inputs.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from docbrief.compare import Comparison, extract_figures, split_sentences
from docbrief.records import Block, ExtractedDocument, Section
from docbrief.runs import Build
from docbrief.text import sanitize_text
from outputs.docx_xml import add_bookmark, add_field, add_hyperlink, ask_to_update_fields
from outputs.files import write_bytes_atomic
from outputs.zips import repack_zip

__all__ = ["brief_name", "change_brief_name", "key_points", "write_briefs"]

_NAMED = re.compile(r"Summit|Meeting|Dialogue|Agreement|Treaty|Statement|Guidelines|Consultative Committee|"
                    r"“2\+2”|Conference|Forum|Memorandum|Declaration|Strategy")
_DATE = re.compile(r"^(January|February|March|April|May|June|July|August|September|October|November|December)"
                   r"\s+(\d{1,2},?\s+)?(\d{4})$|^FY(\d{4})$")
_MONTHS = ("January February March April May June July August September October November December").split()
MAX_POINTS = 5


def brief_name(document: ExtractedDocument) -> str:
    return f"{document.document.id}.docx"


def change_brief_name(comparison: Comparison) -> str:
    return f"changes-{comparison.old_document}-to-{comparison.new_document}.docx"


def key_points(document: ExtractedDocument) -> list[tuple[Section, list[tuple[str, Block]]]]:
    """Per section: its lead sentence, then sentences with figures or named meetings, in order."""
    points = []
    for section in document.sections:
        sentences = [(s, b) for b in document.blocks if b.section_id == section.id and b.kind == "paragraph"
                     for s in split_sentences(b.text)]
        chosen = [item for index, item in enumerate(sentences)
                  if index == 0 or extract_figures(item[0]) or _NAMED.search(item[0])][:MAX_POINTS]
        if chosen:
            points.append((section, chosen))
    return points


@dataclass
class _Citations:
    """Numbered citations: each cites one block of one document, listed at the end."""

    entries: list[tuple[ExtractedDocument, Block]] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)
    blocks: dict[str, Block] = field(default_factory=dict)

    def cite(self, paragraph: object, document: ExtractedDocument, block_id: str | None) -> None:
        if block_id and block_id not in self.blocks:
            self.blocks.update((b.id, b) for b in document.blocks)
        block = self.blocks.get(block_id or "")
        if block is None:
            return
        if block.id not in self.numbers:
            self.entries.append((document, block))
            self.numbers[block.id] = len(self.entries)
        number = self.numbers[block.id]
        paragraph.add_run(" ")
        add_hyperlink(paragraph, f"[{number}]", anchor=f"cite_{number}")


class _Brief:
    """One DOCX under construction, with the parts every brief shares."""

    def __init__(self, template: Path | None, build: Build) -> None:
        self.doc: DocxDocument = docx.Document(str(template)) if template else docx.Document()
        body = self.doc.element.body
        for element in list(body):  # a template's own text is not ours to keep; its styles are
            if not element.tag.endswith("}sectPr"):
                body.remove(element)
        self.build = build
        self.citations = _Citations()
        self.style_names = {style.name for style in self.doc.styles}

    def style(self, name: str, fallback: str = "Normal") -> str:
        return name if name in self.style_names else fallback

    def paragraph(self, text: str = "", style: str = "Normal") -> object:
        return self.doc.add_paragraph(sanitize_text(text), style=self.style(style))

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(sanitize_text(text), level=level)

    def bullet(self, text: str, document: ExtractedDocument, block_id: str | None) -> None:
        paragraph = self.paragraph(text, "List Bullet")
        self.citations.cite(paragraph, document, block_id)

    def table(self, header: Sequence[str], rows: Sequence[tuple[Sequence[str], ExtractedDocument, str | None]]) -> None:
        """A table; when its rows come from blocks, a last column cites each row's block."""
        cited = any(block_id for _, _, block_id in rows)
        columns = [*header, "Source"] if cited else list(header)
        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = self.style("Table Grid", "Normal Table")
        for cell, title in zip(table.rows[0].cells, columns, strict=True):
            cell.text = title
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for values, document, block_id in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=False):
                cell.text = sanitize_text(value)
            if cited:
                self.citations.cite(cells[-1].paragraphs[0], document, block_id)

    def cover(self, title: str, documents: Sequence[ExtractedDocument]) -> None:
        self.paragraph(title, "Title")
        for document in documents:
            d = document.document
            chapter = f", Chapter {d.chapter.number} {d.chapter.title}" if d.chapter else ""
            paragraph = self.paragraph(f"{d.title} ({d.publisher}){chapter}. Source: ")
            if d.source_url.startswith(("http://", "https://")):
                add_hyperlink(paragraph, d.source_url, url=d.source_url)
            else:
                paragraph.add_run(d.source_url)
        self.paragraph(f"Build {self.build.build_id}; data as of {self.build.data_as_of:%Y-%m-%d %H:%M} UTC.")
        note = self.paragraph("Generated automatically by docbrief from the sources above. "
                              "Check every point against the source before use.")
        for run in note.runs:
            run.italic = True
        self.heading("Contents", 1)
        add_field(self.paragraph(), 'TOC \\o "1-3" \\h \\z \\u', "Update the field to show the table of contents.")

    def finish(self, path: Path, *, title: str, subject: str) -> None:
        self.heading("Sources and citations", 1)
        for number, (document, block) in enumerate(self.citations.entries, start=1):
            d = document.document
            section = next(s for s in document.sections if s.id == block.section_id)
            where = f"p. {block.page_label or block.page}" if block.page else d.source_url
            paragraph = self.paragraph(f"[{number}] {d.title}, section {section.path or 'chapter'}, {where}; "
                                       f"block {block.id}")
            add_bookmark(paragraph, f"cite_{number}", number)
        footer = self.doc.sections[0].footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("docbrief brief — page ")
        add_field(footer, "PAGE", "1")
        footer.add_run(" of ")
        add_field(footer, "NUMPAGES", "1")
        for run in footer.runs:
            run.font.size = Pt(8)
        ask_to_update_fields(self.doc)
        props = self.doc.core_properties
        props.title, props.subject, props.author = title, subject, "docbrief"
        props.keywords = "Diplomatic Bluebook; Defense of Japan; Japan-U.S. alliance"
        props.comments = f"Build {self.build.build_id}"
        props.last_modified_by, props.revision = "docbrief", 1
        props.created = props.modified = props.last_printed = self.build.data_as_of.replace(tzinfo=None)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        write_bytes_atomic(path, repack_zip(buffer.getvalue(), self.build.data_as_of))


def _figure_rows(document: ExtractedDocument) -> tuple[list, list]:
    figures, timeline = [], []
    for block in document.blocks:
        if block.kind != "paragraph":
            continue
        for sentence in split_sentences(block.text):
            for figure in extract_figures(sentence):
                date = _DATE.match(figure)
                if date:
                    month = _MONTHS.index(date.group(1)) + 1 if date.group(1) else 4  # fiscal years start in April
                    year = int(date.group(3) or date.group(4))
                    day = int(re.sub(r"\D", "", date.group(2))) if date.group(2) else 0
                    timeline.append(((year, month, day), figure, sentence, block.id))
                elif not re.fullmatch(r"\d{4}", figure):
                    figures.append((figure, sentence, block.id))
    return figures, sorted(timeline, key=lambda row: row[0])


def _changes(brief: _Brief, comparison: Comparison, old: ExtractedDocument, new: ExtractedDocument) -> None:
    if comparison.new_sections or comparison.dropped_sections:
        brief.table(["Change", "Section"], [
            *((["new", f"{s.path}  {s.title}"], new, None) for s in comparison.new_sections),
            *((["dropped", f"{s.path}  {s.title}"], old, None) for s in comparison.dropped_sections)])
    else:
        brief.paragraph("No section was added or dropped.")
    figures = [(f, m) for m in comparison.aligned for f in m.figures if f.status == "changed"]
    if figures:
        brief.heading("Figures changed", 3)
        brief.table(["Section", f"{old.document.edition}", f"{new.document.edition}"],
                    [([m.new.path, f.old or "", f.new or ""], new, f.new_block) for f, m in figures])
    for status, heading, document in (("added", "Added", new), ("removed", "Removed", old),
                                      ("changed", "Rewritten", new), ("moved", "Moved", new)):
        items = [(c, m) for m in comparison.aligned for c in m.sentences if c.status == status]
        if not items:
            continue
        brief.heading(f"{heading} ({len(items)})", 3)
        for change, match in items:
            text = change.old if status == "removed" else change.new
            if status == "changed":
                text = change.diff
            elif status == "moved":
                text = f"{change.new} (moved from {change.moved_from} to {change.moved_to})"
            block = change.old_block if status == "removed" else change.new_block
            brief.bullet(f"{match.new.path}: {text}", document, block)


def _document_brief(document: ExtractedDocument, previous: tuple[Comparison, ExtractedDocument] | None,
                    path: Path, *, build: Build, template: Path | None) -> None:
    d = document.document
    topic = next((s.title for s in document.sections if s.level == 2), d.title)
    brief = _Brief(template, build)
    brief.cover(f"{d.title}: {topic}", [document])
    brief.heading("Key points", 1)
    for section, sentences in key_points(document):
        brief.heading(f"{section.path or 'Chapter'}  {section.title}".strip(), 2 if section.level <= 3 else 3)
        for sentence, block in sentences:
            brief.bullet(sentence, document, block.id)
    figures, timeline = _figure_rows(document)
    brief.heading("Key figures", 1)
    brief.table(["Figure", "In context"], [([f, s], document, b) for f, s, b in figures])
    brief.heading("Timeline", 1)
    brief.table(["Date", "Event"], [([date, s], document, b) for _, date, s, b in timeline])
    if previous:
        comparison, old = previous
        brief.heading(f"What changed since {old.document.title}", 1)
        _changes(brief, comparison, old, document)
    brief.finish(path, title=f"{d.title}: {topic}", subject=f"{d.publication} {d.edition}")


def _change_brief(comparison: Comparison, old: ExtractedDocument, new: ExtractedDocument, path: Path, *,
                  build: Build, template: Path | None) -> None:
    brief = _Brief(template, build)
    title = f"What changed: {old.document.title} to {new.document.title}"
    brief.cover(title, [old, new])
    brief.heading("Summary", 1)
    counts = comparison.counts()
    brief.table(["Change", "Count"], [([what, str(n)], new, None) for what, n in sorted(counts.items())])
    brief.heading(f"What changed since {old.document.title}", 1)
    _changes(brief, comparison, old, new)
    brief.finish(path, title=title, subject=f"{new.document.publication} {old.document.edition}-{new.document.edition}")


def write_briefs(documents: Sequence[ExtractedDocument], comparisons: Sequence[Comparison], folder: Path, *,
                 build: Build, template: Path | None = None) -> list[Path]:
    """A brief per document and a change brief per comparison; returns the files written."""
    by_id = {d.document.id: d for d in documents}
    previous = {c.new_document: (c, by_id[c.old_document]) for c in comparisons}
    written = []
    for document in sorted(documents, key=lambda d: d.document.id):
        path = Path(folder) / brief_name(document)
        _document_brief(document, previous.get(document.document.id), path, build=build, template=template)
        written.append(path)
    for comparison in comparisons:
        path = Path(folder) / change_brief_name(comparison)
        _change_brief(comparison, by_id[comparison.old_document], by_id[comparison.new_document], path,
                      build=build, template=template)
        written.append(path)
    return written
