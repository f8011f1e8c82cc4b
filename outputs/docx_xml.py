"""WordprocessingML that python-docx has no API for: fields, hyperlinks, bookmarks.

* :func:`add_field` — a complex field (``TOC``, ``PAGE``, ``NUMPAGES``) with a result
  placeholder; Word and LibreOffice compute it (the document asks to update fields).
* :func:`add_hyperlink` — a clickable link, either external (a relationship to a URL)
  or internal (``w:anchor`` to a bookmark in the same document).
* :func:`add_bookmark` — a named target around a paragraph's content.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

__all__ = ["add_bookmark", "add_field", "add_hyperlink", "ask_to_update_fields"]


def _run(text: str, *, style: str | None = None, color: str | None = None, underline: bool = False) -> OxmlElement:
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    if style:
        style_element = OxmlElement("w:rStyle")
        style_element.set(qn("w:val"), style)
        properties.append(style_element)
    if color:
        color_element = OxmlElement("w:color")
        color_element.set(qn("w:val"), color)
        properties.append(color_element)
    if underline:
        underline_element = OxmlElement("w:u")
        underline_element.set(qn("w:val"), "single")
        properties.append(underline_element)
    if len(properties):
        run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.set(qn("xml:space"), "preserve")
    text_element.text = text
    run.append(text_element)
    return run


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """Append a field (``PAGE``, ``NUMPAGES``, ``TOC \\o "1-3" \\h \\z \\u``) to ``paragraph``."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("result", placeholder),
                       ("end", None)):
        if kind == "instr":
            run = OxmlElement("w:r")
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run.append(instr)
        elif kind == "result":
            run = _run(text or "")
        else:
            run = OxmlElement("w:r")
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            if kind == "begin":
                char.set(qn("w:dirty"), "true")  # computed when the document is opened
            run.append(char)
        paragraph._p.append(run)


def add_hyperlink(paragraph: Paragraph, text: str, *, url: str | None = None, anchor: str | None = None) -> None:
    """Append a clickable link: to ``url`` (external) or to the bookmark ``anchor``."""
    link = OxmlElement("w:hyperlink")
    if url is not None:
        relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link.set(qn("r:id"), relationship)
    if anchor is not None:
        link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    link.append(_run(text, color="0563C1", underline=True))
    paragraph._p.append(link)


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """Make ``paragraph`` the target of internal links to ``name``."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    paragraph._p.insert(0, start)
    paragraph._p.append(end)


def ask_to_update_fields(document: DocxDocument) -> None:
    """Ask the word processor to compute fields (the table of contents) when the file opens."""
    settings = document.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.append(update)
    update.set(qn("w:val"), "true")
