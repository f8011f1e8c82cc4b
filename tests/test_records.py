"""The record model: published schema, sanitising, stable ids."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

from docbrief.records import Block, record_json_schema
from docbrief.text import normalize_whitespace, sanitize_text, sanitize_tree
from extractors import parse_bluebook_html
from tests.conftest import FIXED_TIME, HTML, ROOT

PUBLISHED = ROOT / "docbrief" / "schema" / "records.schema.json"


def test_published_schema_is_current():
    published = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    assert published == record_json_schema(), "stale: run `docbrief schema -o docbrief/schema/records.schema.json`"
    assert published["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_extraction_validates_against_published_schema():
    schema = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    document = parse_bluebook_html((HTML / "bluebook-2021-ministry.html").read_bytes(),
                                   source_url="c040202.html", fetched_at=FIXED_TIME, edition=2021)
    jsonschema.Draft202012Validator(schema).validate(document.model_dump(mode="json"))
    broken = document.model_dump(mode="json")
    broken["blocks"][0]["kind"] = "poem"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_records_reject_unknown_kinds_and_fields():
    fields = dict(id="d:root#1", document_id="d", section_id="d:root", order=0, kind="paragraph", text="x")
    Block(**fields)
    with pytest.raises(ValidationError):
        Block(**{**fields, "kind": "poem"})
    with pytest.raises(ValidationError):
        Block(**fields, colour="red")


@pytest.mark.parametrize("dirty, clean", [
    ("page\x0cbreak", "page break"),
    ("nul\x00byte", "nulbyte"),
    ("bad\ufffe\uffffchars", "badchars"),
    ("lone\ud800surrogate", "lonesurrogate"),
    ("c1\x85control", "c1control"),
    ("keeps\ttabs\nand newlines", "keeps\ttabs\nand newlines"),
    ("日米同盟", "日米同盟"),
])
def test_sanitize_text(dirty, clean):
    assert sanitize_text(dirty) == clean


def test_sanitize_tree_and_whitespace():
    assert sanitize_tree({"a\x01": ["x\x0cy", 3, None]}) == {"a": ["x y", 3, None]}
    assert normalize_whitespace("  a\u00a0 b\n\tc ") == "a b c"


def test_same_input_same_ids_wherever_the_file_lives(tmp_path: Path):
    data = (HTML / "bluebook-2025-ministry.html").read_bytes()
    copy = tmp_path / "elsewhere" / "c030102.html"
    copy.parent.mkdir()
    copy.write_bytes(data)
    a = parse_bluebook_html(data, source_url=str(HTML / "c030102.html"), fetched_at=FIXED_TIME, edition=2025)
    b = parse_bluebook_html(copy.read_bytes(), source_url=str(copy), fetched_at=FIXED_TIME, edition=2025)
    assert [x.id for x in a.blocks] == [x.id for x in b.blocks]
    assert [x.id for x in a.sections] == [x.id for x in b.sections]
