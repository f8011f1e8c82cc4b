"""Heading numbers as the ministries print them, and the sequence they follow.

Both publications number their outline: the Bluebook ``Chapter 3`` > ``2`` > ``(1)`` > ``A``,
the white paper ``Chapter 2`` > ``Section 1`` > ``1`` > ``1``. A line is only a heading
candidate when its number parses *and* the rest reads like a title; whether it is a
heading is then decided with layout signals (tags, bold, fonts) and the sequence
(``B`` follows ``A``), so that a sentence starting with "A " is never taken for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Numbering",
    "NumberingSequence",
    "is_title_case",
    "looks_like_title",
    "parse_chapter",
    "parse_numbering",
]

_CHAPTER = re.compile(r"^Chapter\s+(\d{1,2}|[IVX]{1,4})\b[\s.:：\-–—]*(.*)$")
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("section", re.compile(r"^(Section\s+(\d{1,2}))[\s.:\-–—]+(.+)$")),
    ("paren", re.compile(r"^(\((\d{1,2})\))\s*(.+)$")),
    ("digit", re.compile(r"^((\d{1,2})\.?)\s+(.+)$")),
    ("alpha", re.compile(r"^(([A-Z]))[.)]?\s+(.+)$")),
    ("dotted", re.compile(r"^((\d{1,3}(?:\.\d{1,3})+)\.?)\s+(.+)$")),
)
# Words that stay lowercase in English titles.
_MINOR_WORDS = frozenset(
    "a an and as at but by for from in into of on or over per the to under upon via vs with within".split()
)


@dataclass(frozen=True)
class Numbering:
    """A parsed heading number: its style, the number as printed, its ordinal, the title."""

    style: str  # "section" | "paren" | "digit" | "alpha" | "dotted"
    number: str  # "1" for "Section 1"; otherwise as printed: "(1)", "2", "1.", "A", "2.3.59.1"
    value: int  # 1 for "A", "(1)", "1"
    title: str
    label: str = ""  # the number with its word, where it has one: "Section 1"

    @property
    def printed(self) -> str:
        """The number as printed before the title: 'Section 1', '(1)', 'A'."""
        return self.label or self.number


def parse_chapter(text: str) -> tuple[str, str] | None:
    """``'Chapter 3 Japan's Foreign Policy'`` -> ``('3', "Japan's Foreign Policy")``."""
    match = _CHAPTER.match(text)
    if not match:
        return None
    return match.group(1), match.group(2).strip()


def parse_numbering(text: str) -> Numbering | None:
    """Parse a leading heading number; ``None`` when there is none or the rest is no title."""
    for style, pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        number, digits, title = match.group(1), match.group(2), match.group(3).strip()
        if style == "alpha":
            value = ord(digits) - ord("A") + 1
        else:
            value = int(digits.rsplit(".", 1)[-1])
        label = ""
        if style == "section":
            number, label = str(int(digits)), f"Section {int(digits)}"
        if not looks_like_title(title):
            return None
        return Numbering(style=style, number=number, value=value, title=title, label=label)
    return None


def looks_like_title(title: str, *, max_length: int = 160) -> bool:
    """True for a short phrase that starts like a title and does not end like a sentence."""
    if not title or len(title) > max_length:
        return False
    if not (title[0].isupper() or title[0].isdigit() or title[0] in "“\"'‘("):
        return False
    if title[-1] in ",;:":
        return False
    if title.endswith(".") and "." not in title.rsplit(" ", 1)[-1][:-1]:
        return False  # "... attacks." ends a sentence; "... the U.S." does not
    return True


def is_title_case(title: str) -> bool:
    """Most significant words capitalised, as in 'An Overview of Japan-U.S. Cooperation'."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’\-.]*", title) if w.lower() not in _MINOR_WORDS]
    if not words:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.6


class NumberingSequence:
    """Tracks the outline's numbering styles and the last number seen at each level.

    Styles take levels in the order they first appear below the chapter (the first
    style seen is level 2, a new style one level deeper than the current heading),
    which gives chapter > 2 > (1) > A for the Bluebook without naming its template.
    """

    def __init__(self, first_level: int = 2) -> None:
        self.first_level = first_level
        self.level_of_style: dict[str, int] = {}
        self.last_value: dict[int, int] = {}
        self.current_level = first_level - 1

    def level_for(self, numbering: Numbering) -> int:
        """The level a heading with this numbering would take."""
        known = self.level_of_style.get(numbering.style)
        if known is not None:
            return known
        return self.current_level + 1 if self.level_of_style else self.first_level

    def is_expected(self, numbering: Numbering) -> bool:
        """Does this number continue the sequence (next sibling, or first child)?"""
        level = self.level_for(numbering)
        if level > self.current_level:  # a first child starts at 1 (the top style may start anywhere)
            return numbering.value == 1 or not self.level_of_style
        return numbering.value == self.last_value.get(level, 0) + 1

    def accept(self, numbering: Numbering, level: int | None = None) -> int:
        """Record a heading; return its level."""
        level = level if level is not None else self.level_for(numbering)
        self.level_of_style.setdefault(numbering.style, level)
        for deeper in [lv for lv in self.last_value if lv > level]:
            del self.last_value[deeper]
        self.last_value[level] = numbering.value
        self.current_level = level
        return level
