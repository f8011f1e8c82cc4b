"""Edition against edition, checked against expectations written by hand from the gold texts."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from docbrief.compare import compare_documents, extract_figures, split_sentences
from flows.cli import app
from tests.conftest import HTML
from tests.factories import document_with_texts, sample_documents

HNS_2021_REMOVED = [
    "The security environment surrounding Japan is becoming increasingly severe and uncertain at a remarkably "
    "rapid pace.",
    "From the standpoint that it is important to ensure smooth and effective operation of U.S. Forces, Japan "
    "(USFJ) bears the rent for USFJ facilities and areas and the Facility Improvement Program (FIP) funding "
    "stipulated within the scope of the Japan-U.S. Status of Forces Agreement (SOFA).",
    "In addition to this, under the Special Measures Agreement (SMA), Japan also bears labor costs, utility costs "
    "and training relocation costs for USFJ.",
    "In February 2021, the Government of Japan and the Government of the U.S. mutually decided to amend the "
    "current Special Measures Agreement, extending its validity through March 31. 2022.",
    "They also concurred on continuing negotiations toward an agreement on a new SMA to be effective from April "
    "1, 2022.",
]
HNS_2023_ADDED_STARTS = [
    "With a view to ensuring the effective operations of U.S. Forces in Japan",
    "In addition, Japan has also borne the labor costs",
    "Under the New SMA signed on January 7 and entered into force on April 1",
    "Based on the SOFA and the New SMA, the Government of Japan will bear the HNS costs from FY2022 to FY2026.",
    "In consultations on the New SMAs",
    "During the effective period of the new SMAs (April 1, 2022 to March 31, 2027), the annual average budget "
    "for HNS is approximately 211 billion Japanese yen.",
]


@pytest.fixture(scope="module")
def editions():
    return {doc.document.edition: doc for doc in sample_documents()}


def section(comparison, path):
    return next(m for m in comparison.aligned if m.new.path == path)


def test_2021_to_2023_drops_multilateral_cooperation_and_maritime_security(editions):
    comparison = compare_documents(editions[2021], editions[2023])
    assert [(s.number, s.title) for s in comparison.dropped_sections] == [
        ("E", "Multilateral Cooperation"), ("G", "Maritime Security")]
    assert comparison.new_sections == ()
    renamed = {(m.old.number, m.old.title): (m.new.number, m.new.title) for m in comparison.aligned}
    assert renamed[("B", "Ballistic Missile Defense (BMD)")] == ("B", "Missile Defense")
    assert renamed[("F", "Information Security")] == ("E", "Information Security")  # renumbered


def test_2023_to_2025_drops_nothing(editions):
    comparison = compare_documents(editions[2023], editions[2025])
    assert comparison.dropped_sections == () and comparison.new_sections == ()
    assert len(comparison.aligned) == 12


def test_host_nation_support_2021_to_2023_was_rewritten(editions):
    hns = section(compare_documents(editions[2021], editions[2023]), "2 > (4)")
    assert [c.old for c in hns.sentences if c.status == "removed"] == HNS_2021_REMOVED
    added = [c.new for c in hns.sentences if c.status == "added"]
    assert len(added) == len(HNS_2023_ADDED_STARTS)
    assert all(text.startswith(start) for text, start in zip(added, HNS_2023_ADDED_STARTS, strict=True))
    assert {c.status for c in hns.sentences} == {"removed", "added"}
    figures = {(f.status, f.old or f.new) for f in hns.figures}
    assert ("added", "approximately 211 billion Japanese yen") in figures
    assert ("removed", "February 2021") in figures


def test_host_nation_support_2023_to_2025_two_sentences_changed(editions):
    hns = section(compare_documents(editions[2023], editions[2025]), "2 > (4)")
    statuses = [c.status for c in hns.sentences]
    assert statuses.count("unchanged") == 4 and statuses.count("changed") == 2
    assert "added" not in statuses and "removed" not in statuses  # three paragraphs merged into one: no change
    diffs = [c.diff for c in hns.sentences if c.status == "changed"]
    assert "[-sets-] {+set+}" in diffs[0]
    assert "[-7-] {+7, 2022,+}" in diffs[1] and "[-(JSDF)-] {+(SDF)+}" in diffs[1]
    assert [(f.old, f.new) for f in hns.figures if f.status == "changed"] == [("January 7", "January 7, 2022")]
    assert ("approximately 211 billion Japanese yen",) * 2 in [(f.old, f.new) for f in hns.figures]


def test_moved_text_is_moved_not_removed_and_added():
    old = document_with_texts(["Japan and the U.S. held a Summit Meeting in April. Nothing else happened."])
    new = document_with_texts(["Nothing else happened."])
    # Put the moved sentence into a second section of the new edition.
    from extractors.outline import OutlineBuilder
    builder = OutlineBuilder(new.document.id, chapter_number="3", chapter_title="Test Chapter")
    builder.open_section(2, "2", "Test Section")
    builder.add_block("paragraph", "Nothing else happened.")
    builder.open_section(2, "3", "Summits")
    builder.add_block("paragraph", "Japan and the U.S. held a Summit Meeting in April.")
    sections, blocks = builder.build()
    new = new.model_copy(update={"sections": sections, "blocks": blocks})
    comparison = compare_documents(old, new)
    changes = section(comparison, "2").sentences
    assert [c.status for c in changes] == ["moved", "unchanged"]
    assert changes[0].moved_to == "3"
    assert [s.title for s in comparison.new_sections] == ["Summits"]
    assert all(c.status != "added" for m in comparison.aligned for c in m.sentences)


def test_sentences_and_figures():
    assert split_sentences("General David H. Berger visited Washington D.C. in May. The U.S. agreed.") == [
        "General David H. Berger visited Washington D.C. in May.", "The U.S. agreed."]
    assert extract_figures("About 4,000 hectares were returned in December 2017, and approximately 9,000 "
                           "personnel relocate under resolution 83.") == [
        "4,000 hectares", "December 2017", "approximately 9,000 personnel"]


def test_compare_command_text_and_json(tmp_path):
    old, new = str(HTML / "bluebook-2021-ministry.html"), str(HTML / "bluebook-2023-ministry.html")
    result = CliRunner().invoke(app, ["compare", old, new])
    assert result.exit_code == 0, result.output
    assert "Dropped sections:\n  - 2 > (2) > E  Multilateral Cooperation\n  - 2 > (2) > G  Maritime Security" \
        in result.stdout
    out = tmp_path / "changes.json"
    result = CliRunner().invoke(app, ["compare", old, new, "--format", "json", "-o", str(out)])
    assert result.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [s["title"] for s in data["dropped_sections"]] == ["Multilateral Cooperation", "Maritime Security"]
    assert {"old", "new", "sentences", "figures"} <= set(data["aligned"][0])
