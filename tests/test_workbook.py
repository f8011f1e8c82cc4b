"""The workbook: complete, safe (cells never execute), reproducible."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest

from docbrief.compare import compare_documents, consecutive_editions
from docbrief.runs import describe_build
from outputs.workbook import CELL_LIMIT, SHEET_GUIDE, write_workbook
from tests.factories import document_with_texts, sample_documents, sources_for


def write(tmp_path, documents, name="book.xlsx"):
    path = tmp_path / name
    comparisons = [compare_documents(a, b) for a, b in consecutive_editions(documents)]
    write_workbook(documents, path, build=describe_build(documents, sources_for(documents)), comparisons=comparisons)
    return path


def column(ws, title):
    header = [cell.value for cell in ws[1]]
    index = header.index(title)
    return [row[index] for row in ws.iter_rows(min_row=2, values_only=True)]


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    return openpyxl.load_workbook(write(tmp_path_factory.mktemp("book"), sample_documents()))


def test_every_block_of_every_document_once(sample_book):
    expected = [b.id for doc in sorted(sample_documents(), key=lambda d: d.document.id) for b in doc.blocks]
    assert column(sample_book["Blocks"], "Block id") == expected
    texts = dict(zip(column(sample_book["Blocks"], "Block id"), column(sample_book["Blocks"], "Text"), strict=True))
    for doc in sample_documents():
        for block in doc.blocks:
            assert texts[block.id] == block.text


def test_sheets_tables_frozen_headers_and_links(sample_book):
    assert sample_book.sheetnames == list(SHEET_GUIDE)
    for ws in sample_book:
        assert ws.freeze_panes == "A2"
        assert ws.tables, ws.title
    assert set(sample_book["About"].tables) == {"About", "Sources"}
    sections = sample_book["Sections"]
    links = [row[-1].hyperlink.target for row in sections.iter_rows(min_row=2) if row[-1].hyperlink]
    assert "https://www.mofa.go.jp/policy/other/bluebook/2023/en_html/chapter3/c030102.html" in links
    assert column(sections, "Level 4").count("A An Overview of Japan-U.S. Security and Defense Cooperation") == 2
    assert sample_book.properties.creator == "docbrief"


def test_changes_sheet(sample_book):
    changes = sample_book["Changes"]
    dropped = [old for change, old in zip(column(changes, "Change"), column(changes, "Old"), strict=True)
               if change == "dropped"]
    assert dropped == ["E Multilateral Cooperation", "G Maritime Security"]
    assert "changed" in column(changes, "Change") and "figure" in column(changes, "What")


def test_footnotes_and_figures_sheets(sample_book):
    notes = sample_book["Footnotes"]
    assert column(notes, "Number") == ["1", "2", "1", "2"]
    assert column(notes, "Cited by")[0] == "bluebook-2023-c030102:2/(2)/A#4"
    assert column(sample_book["Figures"], "Title") == [
        "Realignment of U.S. Forces in Japan - An Overview", "Realignment of USFJ – An Overview"]


DANGEROUS = ["=1+1", '=HYPERLINK("http://evil.example","click")', "+CMD|' /C calc'!A0", "-2+3", "@SUM(A1:A2)",
             "#N/A", "#DIV/0!", "=", "  =not at start"]


def test_cells_never_execute(tmp_path):
    path = write(tmp_path, [document_with_texts(DANGEROUS)])
    ws = openpyxl.load_workbook(path)["Blocks"]
    texts = column(ws, "Text")[1:]
    assert texts == DANGEROUS
    kinds = [row[column_index(ws, "Text")].data_type for row in ws.iter_rows(min_row=3)]
    assert kinds == ["s"] * len(DANGEROUS)
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in xml or 't="e"' in xml for xml in sheets)
    assert 'quotePrefix="1"' in zipfile.ZipFile(path).read("xl/styles.xml").decode()


def column_index(ws, title):
    return [cell.value for cell in ws[1]].index(title)


def test_illegal_characters_never_reach_a_cell(tmp_path):
    path = write(tmp_path, [document_with_texts(["form\x0cfeed", "nul\x00 and \x1b escape", "bad \ufffe char"])])
    texts = column(openpyxl.load_workbook(path)["Blocks"], "Text")[1:]
    assert texts == ["form feed", "nul and  escape", "bad  char"]


def test_text_longer_than_a_cell_continues_on_flagged_rows(tmp_path):
    long_text = " ".join(f"word{i}" for i in range(12_000))  # about 100,000 characters
    path = write(tmp_path, [document_with_texts([long_text, "short"])])
    ws = openpyxl.load_workbook(path)["Blocks"]
    parts, texts, ids = column(ws, "Part"), column(ws, "Text"), column(ws, "Block id")
    rows = [i for i, block_id in enumerate(ids) if block_id.endswith("#2")]
    assert len(rows) >= 4
    assert [parts[i] for i in rows] == [f"{n}/{len(rows)}" for n in range(1, len(rows) + 1)]
    assert all(len(texts[i]) <= CELL_LIMIT for i in rows)
    assert "".join(texts[i] for i in rows) == long_text
    assert parts[ids.index("bluebook-2024-test:2#3")] in (None, "")


def test_same_input_same_bytes(tmp_path):
    first = write(tmp_path, sample_documents(), "a.xlsx").read_bytes()
    second = write(tmp_path, sample_documents(), "b.xlsx").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        core = archive.read("docProps/core.xml").decode()
        assert {info.date_time for info in archive.infolist()} == {(2025, 1, 1, 0, 0, 0)}
    assert re.search(r"<dcterms:modified[^>]*>2025-01-01T00:00:00Z<", core)
