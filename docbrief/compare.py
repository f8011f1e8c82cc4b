"""What a new edition changed: sections, sentences and figures, old edition against new.

:func:`compare_documents` (records in, a :class:`Comparison` out):

* **Sections** are aligned level by level, best pairs first, on fuzzy title similarity
  (rapidfuzz ``token_set_ratio``: ``Ballistic Missile Defense (BMD)`` ~ ``Missile
  Defense``) with a bonus for the same number and for aligned parents — so a renumbered
  section (``F Information Security`` → ``E Information Security``) still aligns.
  Sections left over are *dropped* (old) or *new*.
* **Sentences** of aligned sections are matched one to one: identical → ``unchanged``;
  similar (ratio ≥ 80) → ``changed``, with a word-level diff; the rest are ``removed`` or
  ``added`` — unless the same sentence turns up in another section, which makes it
  ``moved``. Paragraphs merged or split do not count as changes.
* **Figures** (amounts with their unit, counts, dates) are read from each sentence with
  their context and compared within aligned sections.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from itertools import pairwise
from typing import Literal

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz

from docbrief.records import Block, ExtractedDocument, Section

__all__ = [
    "Comparison",
    "FigureChange",
    "SectionMatch",
    "SectionRef",
    "SentenceChange",
    "compare_documents",
    "consecutive_editions",
    "extract_figures",
    "split_sentences",
]

SECTION_THRESHOLD = 70.0
CHANGED_THRESHOLD = 80.0
MOVED_THRESHOLD = 90.0
_TEXT_KINDS = frozenset({"paragraph", "list_item", "speaker", "caption", "footnote"})
_ABBREVIATIONS = ("U.S.", "U.K.", "U.N.", "D.C.", "Mr.", "Ms.", "Dr.", "No.", "e.g.", "i.e.", "etc.", "Jan.",
                  "Feb.", "Mar.", "Apr.", "Aug.", "Sept.", "Sep.", "Oct.", "Nov.", "Dec.", "Fig.", "St.", "Co.",
                  "Inc.", "Ltd.", "vs.", "approx.")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”\"’)]))\s+(?=[A-Z“\"‘(])")
_INITIAL = re.compile(r"\b([A-Z]|Lt|Gen|Adm|Col|Capt|Gov|Sen|Rep|Prof)\. ")
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,]\d)"
_FIGURE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}\b(?:,\s*\d{{4}})?|{_MONTH}\s+\d{{4}}|FY\d{{4}}"
    rf"|(?:approximately\s+|about\s+|over\s+|more than\s+)?{_NUMBER}%?"
    r"(?:\s+(?:billion|million|trillion|thousand))?"
    r"(?:\s+(?:Japanese\s+yen|yen|U\.S\.\s+dollars|dollars|hectares|square\s+kilometers|km2|percent|personnel"
    r"|troops|people|students|participants|Marines|U\.S\.\s+Marine\s+Corps))?)"
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class SectionRef(_Model):
    id: str
    number: str
    title: str
    path: str


class SentenceChange(_Model):
    status: Literal["unchanged", "changed", "added", "removed", "moved"]
    old: str | None = None
    new: str | None = None
    similarity: float | None = None
    diff: str | None = None  # word-level: [-removed-] {+added+}
    old_block: str | None = None
    new_block: str | None = None
    moved_from: str | None = None  # section path, for moved sentences
    moved_to: str | None = None


class FigureChange(_Model):
    status: Literal["unchanged", "changed", "added", "removed"]
    old: str | None = None
    new: str | None = None
    old_context: str | None = None
    new_context: str | None = None
    old_block: str | None = None
    new_block: str | None = None


class SectionMatch(_Model):
    old: SectionRef
    new: SectionRef
    similarity: float
    sentences: tuple[SentenceChange, ...]
    figures: tuple[FigureChange, ...]


class Comparison(_Model):
    old_document: str
    new_document: str
    old_title: str
    new_title: str
    aligned: tuple[SectionMatch, ...]
    new_sections: tuple[SectionRef, ...]
    dropped_sections: tuple[SectionRef, ...]

    def counts(self) -> dict[str, int]:
        counts = {"new sections": len(self.new_sections), "dropped sections": len(self.dropped_sections)}
        for match in self.aligned:
            for change in match.sentences:
                counts[f"{change.status} sentences"] = counts.get(f"{change.status} sentences", 0) + 1
            for figure in match.figures:
                if figure.status != "unchanged":
                    counts[f"{figure.status} figures"] = counts.get(f"{figure.status} figures", 0) + 1
        return counts


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; abbreviations such as ``U.S.`` and ``D.C.`` do not end one."""
    protected = _INITIAL.sub(lambda m: f"{m.group(1)}.\ue000-\ue001", text)  # David H. Berger, Lt. Gen.
    for index, abbreviation in enumerate(_ABBREVIATIONS):
        protected = protected.replace(f"{abbreviation} ", f"{abbreviation}\ue000{index}\ue001")
    pieces = _SENTENCE_END.split(protected)
    restore = re.compile("\ue000(\\d+|-)\ue001")
    return [restore.sub(" ", piece).strip() for piece in pieces if piece.strip()]


def extract_figures(sentence: str) -> list[str]:
    """Amounts, counts and dates in a sentence ('approximately 211 billion Japanese yen')."""
    figures = []
    for match in _FIGURE.finditer(sentence):
        value = match.group(0).strip().rstrip(",")
        if re.fullmatch(r"\d{1,2}", value):
            continue  # a bare small number ('2+2', 'Article 5') is no figure
        figures.append(value)
    return figures


def _ref(section: Section) -> SectionRef:
    return SectionRef(id=section.id, number=section.number, title=section.title, path=section.path)


def _align_sections(old: ExtractedDocument, new: ExtractedDocument) -> list[tuple[Section, Section, float]]:
    olds = [s for s in old.sections if s.level > 1]
    news = [s for s in new.sections if s.level > 1]
    pairs: dict[str, str] = {old.sections[0].id: new.sections[0].id}
    matches: list[tuple[Section, Section, float]] = []
    for level in sorted({s.level for s in olds}):  # parents first, so children can use them
        candidates = []
        for a in (s for s in olds if s.level == level):
            for b in (s for s in news if s.level == level):
                score = fuzz.token_set_ratio(a.title.lower(), b.title.lower())
                if a.number == b.number:
                    score += 20
                if pairs.get(a.parent_id or "") == b.parent_id:
                    score += 10
                candidates.append((score, a.order, b.order, a, b))
        used_old, used_new = set(), set()
        for score, _, _, a, b in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
            if score < SECTION_THRESHOLD or a.id in used_old or b.id in used_new:
                continue
            used_old.add(a.id)
            used_new.add(b.id)
            pairs[a.id] = b.id
            matches.append((a, b, float(min(score, 100))))
    return sorted(matches, key=lambda m: m[0].order)


def _sentences(document: ExtractedDocument, section_id: str) -> list[tuple[str, Block]]:
    return [(sentence, block) for block in document.blocks
            if block.section_id == section_id and block.kind in _TEXT_KINDS
            for sentence in split_sentences(block.text)]


def _word_diff(old: str, new: str) -> str:
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(" ".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def _match_sentences(olds: list[tuple[str, Block]], news: list[tuple[str, Block]]) -> list[SentenceChange]:
    changes: list[SentenceChange] = []
    free = dict(enumerate(news))
    for sentence, block in olds:
        exact = next((i for i, (text, _) in free.items() if text == sentence), None)
        if exact is not None:
            _, new_block = free.pop(exact)
            changes.append(SentenceChange(status="unchanged", old=sentence, new=sentence, similarity=100.0,
                                          old_block=block.id, new_block=new_block.id))
            continue
        scored = [(fuzz.ratio(sentence, text), i) for i, (text, _) in free.items()]
        best = max(scored, default=(0.0, None))
        if best[1] is not None and best[0] >= CHANGED_THRESHOLD:
            text, new_block = free.pop(best[1])
            changes.append(SentenceChange(status="changed", old=sentence, new=text, similarity=round(best[0], 1),
                                          diff=_word_diff(sentence, text), old_block=block.id,
                                          new_block=new_block.id))
        else:
            changes.append(SentenceChange(status="removed", old=sentence, old_block=block.id))
    changes.extend(SentenceChange(status="added", new=text, new_block=block.id) for text, block in free.values())
    return changes


def _unit(figure: str) -> str:
    """What a figure measures: a date, a fiscal year, or its words without the numbers."""
    if re.match(_MONTH, figure):
        return "date"
    if figure.startswith("FY"):
        return "fiscal year"
    return re.sub(r"^(approximately|about|over|more than)\s+", "", re.sub(r"[\d,.%]+", "#", figure))


def _figures(changes: Iterable[SentenceChange]) -> list[FigureChange]:
    """Figures removed, added or changed between the old and new sentences of one section."""
    old = [(f, c.old, c.old_block) for c in changes if c.old for f in extract_figures(c.old)]
    new = [(f, c.new, c.new_block) for c in changes if c.new for f in extract_figures(c.new)]
    result: list[FigureChange] = []
    unmatched_new = list(new)
    leftovers = []
    for figure, context, block in old:
        same = next((n for n in unmatched_new if n[0] == figure), None)
        if same is not None:
            unmatched_new.remove(same)
            result.append(FigureChange(status="unchanged", old=figure, new=figure, old_context=context,
                                       new_context=same[1], old_block=block, new_block=same[2]))
        else:
            leftovers.append((figure, context, block))
    for figure, context, block in leftovers:
        similar = [n for n in unmatched_new if _unit(n[0]) == _unit(figure)
                   and fuzz.token_set_ratio(context, n[1]) >= 60]
        if similar:
            other = max(similar, key=lambda n: fuzz.token_set_ratio(context, n[1]))
            unmatched_new.remove(other)
            result.append(FigureChange(status="changed", old=figure, new=other[0], old_context=context,
                                       new_context=other[1], old_block=block, new_block=other[2]))
        else:
            result.append(FigureChange(status="removed", old=figure, old_context=context, old_block=block))
    result.extend(FigureChange(status="added", new=f, new_context=c, new_block=b) for f, c, b in unmatched_new)
    return result


def compare_documents(old: ExtractedDocument, new: ExtractedDocument) -> Comparison:
    """Compare two editions of the same publication and section."""
    aligned = _align_sections(old, new)
    old_matched = {a.id for a, _, _ in aligned}
    new_matched = {b.id for _, b, _ in aligned}
    by_section = {a.id: _match_sentences(_sentences(old, a.id), _sentences(new, b.id)) for a, b, _ in aligned}
    # A sentence removed here and added elsewhere (another section, or a new one) moved.
    paths_old = {s.id: s.path for s in old.sections}
    target_of = {a.id: b for a, b, _ in aligned}
    added = [(target_of[a_id].path, (a_id, i), c.new, c.new_block) for a_id, changes in by_section.items()
             for i, c in enumerate(changes) if c.status == "added"]
    added += [(s.path, None, text, block.id) for s in new.sections if s.level > 1 and s.id not in new_matched
              for text, block in _sentences(new, s.id)]
    taken: set[int] = set()
    for a_id, changes in by_section.items():
        for index, change in enumerate(changes):
            if change.status != "removed":
                continue
            for position, (path, origin, text, block_id) in enumerate(added):
                if position in taken or (origin and origin[0] == a_id):
                    continue
                if fuzz.ratio(change.old or "", text or "") >= MOVED_THRESHOLD:
                    taken.add(position)
                    changes[index] = change.model_copy(update={
                        "status": "moved", "new": text, "new_block": block_id,
                        "moved_from": paths_old[a_id], "moved_to": path})
                    break
    for origin in sorted((added[p][1] for p in taken if added[p][1]), key=lambda o: -o[1]):
        del by_section[origin[0]][origin[1]]
    matches = tuple(
        SectionMatch(old=_ref(a), new=_ref(b), similarity=score, sentences=tuple(by_section[a.id]),
                     figures=tuple(_figures(by_section[a.id])))
        for a, b, score in aligned
    )
    return Comparison(
        old_document=old.document.id, new_document=new.document.id, old_title=old.document.title,
        new_title=new.document.title, aligned=matches,
        new_sections=tuple(_ref(s) for s in new.sections if s.level > 1 and s.id not in new_matched),
        dropped_sections=tuple(_ref(s) for s in old.sections if s.level > 1 and s.id not in old_matched),
    )


def _topic(document: ExtractedDocument) -> str:
    """What a document covers, across editions: its first section title below the chapter
    ('Japan-U.S. Security Arrangements'), as chapters renumber between editions."""
    first = next((s for s in document.sections if s.level == 2), None)
    title = first.title if first else document.document.title
    return re.sub(r"[^a-z0-9]+", " ", title.replace("–", "-").lower()).strip()


def consecutive_editions(documents: Iterable[ExtractedDocument]) -> list[tuple[ExtractedDocument, ExtractedDocument]]:
    """Pairs (older, newer) of consecutive editions of the same publication and section."""
    groups: dict[tuple[str, str], list[ExtractedDocument]] = {}
    for document in documents:
        groups.setdefault((document.document.publication, _topic(document)), []).append(document)
    pairs = []
    for key in sorted(groups):
        ordered = sorted(groups[key], key=lambda d: (d.document.edition, d.document.id))
        pairs += [(a, b) for a, b in pairwise(ordered) if a.document.edition < b.document.edition]
    return pairs
