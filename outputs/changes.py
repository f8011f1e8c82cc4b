"""Comparisons as a readable report and as flat rows (the workbook's Changes sheet, the bundle)."""

from __future__ import annotations

from collections.abc import Iterator

from docbrief.compare import Comparison

__all__ = ["CHANGE_COLUMNS", "change_rows", "render_comparison_text"]

CHANGE_COLUMNS = ("old_document", "new_document", "change", "what", "old_section", "new_section", "old", "new",
                  "similarity", "diff", "old_block", "new_block")


def change_rows(comparison: Comparison) -> Iterator[dict[str, object]]:
    """One row per difference: sections new or dropped, sentences and figures that changed."""
    head = {"old_document": comparison.old_document, "new_document": comparison.new_document}
    empty = dict.fromkeys(CHANGE_COLUMNS)
    for section in comparison.dropped_sections:
        yield {**empty, **head, "change": "dropped", "what": "section", "old_section": section.path,
               "old": f"{section.number} {section.title}"}
    for section in comparison.new_sections:
        yield {**empty, **head, "change": "new", "what": "section", "new_section": section.path,
               "new": f"{section.number} {section.title}"}
    for match in comparison.aligned:
        where = {"old_section": match.old.path, "new_section": match.new.path}
        for sentence in match.sentences:
            if sentence.status == "unchanged":
                continue
            yield {**empty, **head, **where, "change": sentence.status, "what": "sentence", "old": sentence.old,
                   "new": sentence.new, "similarity": sentence.similarity, "diff": sentence.diff,
                   "old_block": sentence.old_block, "new_block": sentence.new_block,
                   **({"new_section": sentence.moved_to} if sentence.moved_to else {})}
        for figure in match.figures:
            if figure.status == "unchanged":
                continue
            yield {**empty, **head, **where, "change": figure.status, "what": "figure", "old": figure.old,
                   "new": figure.new, "diff": figure.new_context or figure.old_context,
                   "old_block": figure.old_block, "new_block": figure.new_block}


def render_comparison_text(comparison: Comparison) -> str:
    """A report a person reads: what is new, dropped, rewritten, and which figures moved."""
    lines = [f"{comparison.old_title} -> {comparison.new_title}", ""]
    counts = comparison.counts()
    lines.append("Summary: " + ", ".join(f"{n} {what}" for what, n in sorted(counts.items()) if n))
    lines.append("")
    lines.append("Dropped sections:" if comparison.dropped_sections else "Dropped sections: none")
    lines += [f"  - {s.path}  {s.title}" for s in comparison.dropped_sections]
    lines.append("New sections:" if comparison.new_sections else "New sections: none")
    lines += [f"  + {s.path}  {s.title}" for s in comparison.new_sections]
    for match in comparison.aligned:
        changes = [c for c in match.sentences if c.status != "unchanged"]
        figures = [f for f in match.figures if f.status != "unchanged"]
        if not changes and not figures:
            continue
        renamed = f"  (was: {match.old.number} {match.old.title})" if (
            match.old.title, match.old.number) != (match.new.title, match.new.number) else ""
        lines += ["", f"== {match.new.path}  {match.new.title}{renamed}"]
        for change in changes:
            if change.status == "removed":
                lines.append(f"  - removed: {change.old}")
            elif change.status == "added":
                lines.append(f"  + added:   {change.new}")
            elif change.status == "moved":
                lines.append(f"  > moved to {change.moved_to}: {change.old}")
            else:
                lines.append(f"  ~ changed ({change.similarity:.0f}%): {change.diff}")
        for figure in figures:
            if figure.status == "changed":
                lines.append(f"  # figure: {figure.old} -> {figure.new}")
            else:
                lines.append(f"  # figure {figure.status}: {figure.old or figure.new}")
    return "\n".join(lines) + "\n"
