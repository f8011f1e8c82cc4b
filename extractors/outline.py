"""Assemble sections and blocks, in reading order, with ids derived from the input alone.

Both extractors feed an :class:`OutlineBuilder`: ``open_section`` when a heading is found,
``add_block`` for everything else. Ids are readable and stable:

* section ``bluebook-2023-c030102:2/(2)/A`` (the chapter itself is ``...:root``);
* block ``bluebook-2023-c030102:2/(2)/A#3`` (third block of that section).

The same input always yields the same ids; an edit far away in the page does not
renumber blocks of other sections.
"""

from __future__ import annotations

from dataclasses import dataclass

from docbrief.records import Block, Section

__all__ = ["OutlineBuilder"]


@dataclass
class _OpenSection:
    id: str
    level: int
    number: str
    title: str
    parent_id: str | None
    numbers: tuple[str, ...]
    order: int
    page_start: int | None = None
    page_end: int | None = None
    block_count: int = 0

    def touch_page(self, page: int | None) -> None:
        if page is None:
            return
        self.page_start = page if self.page_start is None else min(self.page_start, page)
        self.page_end = page if self.page_end is None else max(self.page_end, page)


class OutlineBuilder:
    """Collects an outline and its blocks; :meth:`build` returns frozen records."""

    def __init__(self, document_id: str, *, chapter_number: str = "", chapter_title: str = "") -> None:
        self.document_id = document_id
        root = _OpenSection(
            id=f"{document_id}:root", level=1, number=chapter_number, title=chapter_title,
            parent_id=None, numbers=(), order=0,
        )
        self._sections: list[_OpenSection] = [root]
        self._stack: list[_OpenSection] = [root]
        self._blocks: list[dict] = []
        self._ids = {root.id}

    @property
    def current_level(self) -> int:
        return self._stack[-1].level

    def set_chapter(self, number: str, title: str) -> None:
        """Name the chapter (the root section) once it is known."""
        root = self._sections[0]
        root.number, root.title = number, title

    def open_section(
        self, level: int, number: str, title: str, *, label: str = "", page: int | None = None,
        page_label: str | None = None,
    ) -> None:
        """Start a section at ``level`` (2 and deeper) and add its heading block.

        ``label`` is the number as printed when it carries a word ("Section 1" for number
        "1"); it is what the heading text and the section path show.
        """
        level = max(level, 2)
        printed = label or number
        while self._stack[-1].level >= level:
            self._stack.pop()
        parent = self._stack[-1]
        numbers = (*parent.numbers, printed.replace(" ", "_"))
        section_id = f"{self.document_id}:{'/'.join(numbers)}"
        if section_id in self._ids:
            # A page that repeats a number (a misprint) still gets unique ids.
            suffix = 2
            while f"{section_id}~{suffix}" in self._ids:
                suffix += 1
            section_id = f"{section_id}~{suffix}"
        self._ids.add(section_id)
        section = _OpenSection(
            id=section_id, level=level, number=number, title=title, parent_id=parent.id,
            numbers=numbers, order=len(self._sections),
        )
        self._sections.append(section)
        self._stack.append(section)
        self.add_block("heading", f"{printed} {title}".strip(), level=level, page=page, page_label=page_label)

    def add_block(self, kind: str, text: str, *, page: int | None = None, **fields: object) -> None:
        """Add a block to the innermost open section."""
        section = self._stack[-1]
        section.block_count += 1
        for open_section in self._stack:
            open_section.touch_page(page)
        self._blocks.append({
            "id": f"{section.id}#{section.block_count}",
            "document_id": self.document_id,
            "section_id": section.id,
            "order": len(self._blocks),
            "kind": kind,
            "text": text,
            "page": page,
            **fields,
        })

    def section_path(self, section: _OpenSection) -> str:
        return " > ".join(n.replace("_", " ") for n in section.numbers)

    def build(self) -> tuple[tuple[Section, ...], tuple[Block, ...]]:
        sections = tuple(
            Section(
                id=s.id, document_id=self.document_id, level=s.level, number=s.number, title=s.title,
                parent_id=s.parent_id, path=self.section_path(s), order=s.order,
                page_start=s.page_start, page_end=s.page_end,
            )
            for s in self._sections
        )
        blocks = tuple(Block(**fields) for fields in self._blocks)
        return sections, blocks
