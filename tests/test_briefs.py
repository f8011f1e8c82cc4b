"""Briefing documents: structure, citations that resolve, round trips, templates, rendering."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from docbrief.compare import compare_documents, consecutive_editions
from docbrief.runs import describe_build
from outputs.briefs import write_briefs
from outputs.bundle import write_bundle
from tests.conftest import ROOT
from tests.factories import sample_documents, sources_for

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def build_briefs(folder, template=None):
    documents = sample_documents()
    comparisons = [compare_documents(a, b) for a, b in consecutive_editions(documents)]
    build = describe_build(documents, sources_for(documents))
    return write_briefs(documents, comparisons, folder, build=build, template=template), documents, comparisons


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("briefs")
    files, documents, comparisons = build_briefs(folder)
    write_bundle(documents, folder / "run", build=describe_build(documents, sources_for(documents)),
                 comparisons=comparisons)
    block_ids = {json.loads(line)["id"] for line in (folder / "run/bundle/blocks.jsonl").read_text("utf-8").split(
        "\n") if line}
    return {path.name: path for path in files}, block_ids


def citations(document) -> tuple[dict[str, str], list]:
    """Bookmark name -> its paragraph's text; and every paragraph with its citation anchors."""
    targets = {}
    for paragraph in document.paragraphs:
        for mark in paragraph._p.iter(f"{W}bookmarkStart"):
            targets[mark.get(qn("w:name"))] = paragraph.text
    cited = [(p, [h.get(qn("w:anchor")) for h in p._p.iter(f"{W}hyperlink") if h.get(qn("w:anchor"))])
             for p in document.paragraphs]
    return targets, cited


def test_one_brief_per_document_and_per_pair(briefs):
    files, _ = briefs
    assert sorted(files) == [
        "bluebook-2021-c040202.docx", "bluebook-2023-c030102.docx", "bluebook-2025-c030102.docx",
        "changes-bluebook-2021-c040202-to-bluebook-2023-c030102.docx",
        "changes-bluebook-2023-c030102-to-bluebook-2025-c030102.docx"]


def test_structure_headings_toc_footer_properties(briefs):
    document = docx.Document(briefs[0]["bluebook-2023-c030102.docx"])
    styles = [p.style.name for p in document.paragraphs]
    assert "Title" in styles and "Heading 1" in styles and "Heading 2" in styles
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Contents", "Key points", "Key figures", "Timeline",
                        "What changed since Diplomatic Bluebook 2021", "Sources and citations"]
    instructions = " ".join(t.text for t in document.element.body.iter(f"{W}instrText"))
    assert "TOC" in instructions
    footer = " ".join(t.text for t in document.sections[0].footer._element.iter(f"{W}instrText"))
    assert "PAGE" in footer and "NUMPAGES" in footer
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Check every point against the source before use." in text
    assert document.core_properties.author == "docbrief"
    assert document.core_properties.title == "Diplomatic Bluebook 2023: Japan-U.S. Security Arrangements"
    assert len(document.tables) >= 2


def test_every_bullet_cites_a_block_in_the_bundle(briefs):
    files, block_ids = briefs
    for name, path in files.items():
        targets, cited = citations(docx.Document(path))
        bullets = [(p, anchors) for p, anchors in cited if p.style.name == "List Bullet"]
        assert bullets, name
        for paragraph, anchors in bullets:
            assert anchors, f"{name}: uncited bullet {paragraph.text[:60]}"
            for anchor in anchors:
                block_id = targets[anchor].rsplit("block ", 1)[1]
                assert block_id in block_ids


def test_key_points_and_change_bullets(briefs):
    files, _ = briefs
    brief = docx.Document(files["changes-bluebook-2023-c030102-to-bluebook-2025-c030102.docx"])
    text = "\n".join(p.text for p in brief.paragraphs)
    assert "[-sets-] {+set+}" in text
    figures = [[c.text for c in row.cells] for table in brief.tables for row in table.rows]
    assert ["2 > (4)", "January 7", "January 7, 2022"] in [row[:3] for row in figures]
    older = docx.Document(files["changes-bluebook-2021-c040202-to-bluebook-2023-c030102.docx"])
    rows = [[c.text for c in row.cells] for table in older.tables for row in table.rows]
    assert ["dropped", "2 > (2) > E  Multilateral Cooperation"] in [row[:2] for row in rows]


def test_citations_and_links_survive_a_round_trip(briefs, tmp_path):
    path = briefs[0]["bluebook-2023-c030102.docx"]
    again = tmp_path / "again.docx"
    docx.Document(path).save(again)
    document = docx.Document(again)
    targets, cited = citations(document)
    anchors = {a for _, found in cited for a in found}
    assert anchors and anchors <= set(targets)
    external = [rel.target_ref for rel in document.part.rels.values() if rel.is_external]
    assert "https://www.mofa.go.jp/policy/other/bluebook/2023/en_html/chapter3/c030102.html" in external


def test_same_inputs_same_bytes(briefs, tmp_path):
    files, _, _ = build_briefs(tmp_path)
    for path in files:
        assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(briefs[0][path.name].read_bytes()).digest()


def test_organisation_template_styles_are_used(tmp_path):
    house = docx.Document()
    house.styles["Normal"].font.name = "Georgia"
    house.styles["Normal"].font.size = Pt(13)
    house.add_paragraph("Template boilerplate that must not appear in a brief.")
    house.save(tmp_path / "house.docx")
    files, _, _ = build_briefs(tmp_path / "out", template=tmp_path / "house.docx")
    brief = docx.Document(files[0])
    assert brief.styles["Normal"].font.name == "Georgia" and brief.styles["Normal"].font.size == Pt(13)
    assert "Template boilerplate" not in "\n".join(p.text for p in brief.paragraphs)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed "
                    "(.ci/run installs it: apt-get install libreoffice-writer-nogui)")
def test_brief_renders_in_libreoffice(briefs, tmp_path):
    path = briefs[0]["changes-bluebook-2021-c040202-to-bluebook-2023-c030102.docx"]
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf_path = tmp_path / path.with_suffix(".pdf").name
    with pdfplumber.open(pdf_path) as pdf:
        pages = len(pdf.pages)
        text = " ".join((page.extract_text() or "").replace("\n", " ") for page in pdf.pages)
    assert pages >= 2
    assert "What changed: Diplomatic Bluebook 2021 to Diplomatic Bluebook 2023" in text
    assert "Multilateral Cooperation" in text and "Sources and citations" in text
    assert f"page 1 of {pages}" in text  # the footer's fields were computed
    assert "[1]" in text
    picture = ROOT / "build" / "brief-page-1"
    picture.parent.mkdir(exist_ok=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf_path),
                        str(picture)], check=True, timeout=60)
        assert picture.with_suffix(".png").stat().st_size > 1000
