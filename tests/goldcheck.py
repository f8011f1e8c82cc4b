"""Compare an extraction with a gold file, field by field."""

from __future__ import annotations

from docbrief.records import ExtractedDocument

# Fields the gold files carry on some blocks, and the record attribute holding each.
OPTIONAL_FIELDS = ("level", "column", "footnote_refs", "number", "figure", "figure_title")


def outline_of(document: ExtractedDocument) -> list[dict]:
    return [{"level": s.level, "number": s.number, "title": s.title} for s in document.sections]


def blocks_of(document: ExtractedDocument) -> list[dict]:
    """Blocks in the gold's shape: kind, section path, text, and the optional fields set."""
    paths = document.section_paths()
    rows = []
    for block in document.blocks:
        row = {"kind": block.kind, "section": paths[block.section_id], "text": block.text}
        for name in OPTIONAL_FIELDS:
            value = getattr(block, name)
            if value:
                row[name] = list(value) if isinstance(value, tuple) else value
        rows.append(row)
    return rows


def assert_matches_gold(document: ExtractedDocument, gold: dict) -> None:
    """Outline exact; every block equal to the gold's, in order, field by field."""
    assert outline_of(document) == gold["outline"]
    got, expected = blocks_of(document), gold["blocks"]
    for index, (row, gold_row) in enumerate(zip(got, expected, strict=False)):
        assert row == gold_row, f"block {index} differs"
    assert len(got) == len(expected)
    meta = gold["document"]
    assert document.document.publication == meta["source"]
    assert document.document.edition == meta["edition"]
    assert document.document.title == meta["title"]
    assert document.document.chapter is not None
    assert document.document.chapter.model_dump() == meta["chapter"]


def parse_fixture(name: str, edition: int) -> ExtractedDocument:
    """Extract a fixture page as if fetched from its real ministry address."""
    from extractors import parse_bluebook_html
    from tests.conftest import FIXED_TIME, HTML

    chapter = "chapter4/c040202" if edition == 2021 else "chapter3/c030102"
    url = f"https://www.mofa.go.jp/policy/other/bluebook/{edition}/en_html/{chapter}.html"
    return parse_bluebook_html((HTML / name).read_bytes(), source_url=url, fetched_at=FIXED_TIME)
