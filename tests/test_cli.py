"""The CLI, driven through typer's runner: exit codes, output, one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from docbrief.records import ExtractedDocument
from flows.cli import app
from tests.conftest import HTML, ROOT, load_gold
from tests.goldcheck import assert_matches_gold

runner = CliRunner()


@pytest.mark.parametrize("fixture, gold", [
    (HTML / "bluebook-2021-ministry.html", "bluebook-2021"),
    (HTML / "bluebook-2023-ministry.html", "bluebook-2023"),
    (HTML / "bluebook-2025-ministry.html", "bluebook-2025"),
    (HTML / "bluebook-2025-plain.html", "bluebook-2025"),
    (ROOT / "tests/fixtures/pdf/whitepaper-2014-plain.pdf", "whitepaper-2014"),
])
def test_extract_fixture_to_file_reproduces_gold(tmp_path, fixture, gold):
    out = tmp_path / "doc.json"
    edition = gold.rsplit("-", 1)[1]
    result = runner.invoke(app, ["extract", str(fixture), "--edition", edition, "-o", str(out)])
    assert result.exit_code == 0, result.output
    document = ExtractedDocument.model_validate(json.loads(out.read_text(encoding="utf-8")))
    assert set(json.loads(out.read_text(encoding="utf-8"))) == {"document", "sections", "blocks"}
    assert_matches_gold(document, load_gold(gold))


def test_extract_infers_publication_and_edition_from_the_path():
    sample = ROOT / "samples/mofa/policy/other/bluebook/2023/en_html/chapter3/c030102.html"
    result = runner.invoke(app, ["extract", str(sample)])
    assert result.exit_code == 0
    document = json.loads(result.stdout)["document"]
    assert (document["publication"], document["edition"], document["id"]) == ("bluebook", 2023, "bluebook-2023-c030102")


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "decode"),
    (b"plain words and nothing else", "not an HTML page"),
])
def test_extract_bad_input_is_one_clear_line(tmp_path, content, message):
    path = tmp_path / "bad.html"
    path.write_bytes(content)
    result = runner.invoke(app, ["extract", str(path), "--edition", "2023", "--publication", "bluebook"])
    assert result.exit_code == 1
    assert message in result.output
    assert str(path) in result.output
    assert "Traceback" not in result.output


def test_extract_missing_file_and_bad_option(tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.html")])
    assert result.exit_code == 1
    assert "nope.html: no such file" in result.output
    result = runner.invoke(app, ["extract", str(HTML / "bluebook-2023-ministry.html"), "--publication", "novel"])
    assert result.exit_code == 2


def test_extract_without_structure_warns(tmp_path):
    path = tmp_path / "odd.html"
    path.write_text("<html><body><p>One paragraph only.</p></body></html>", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--publication", "bluebook", "--edition", "2024"])
    assert result.exit_code == 0
    assert "no numbered headings" in result.stderr
    assert json.loads(result.stdout)["blocks"][0]["text"] == "One paragraph only."


def test_schema_command_prints_the_published_schema():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    published = json.loads((ROOT / "docbrief/schema/records.schema.json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == published
