"""The data package: valid Frictionless, every record valid against the JSON Schema, reproducible."""

from __future__ import annotations

import json
import zipfile

import jsonschema
import pytest
from frictionless import Package

from docbrief.compare import compare_documents, consecutive_editions
from docbrief.records import SCHEMA_VERSION
from docbrief.runs import describe_build
from outputs.bundle import BUNDLE_ZIP, read_bundle_documents, write_bundle
from tests.factories import document_with_texts, sample_documents, sources_for


def write(run_dir, documents):
    comparisons = [compare_documents(a, b) for a, b in consecutive_editions(documents)]
    return write_bundle(documents, run_dir, build=describe_build(documents, sources_for(documents)),
                        comparisons=comparisons)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    write(folder, sample_documents())
    return folder


def test_package_passes_frictionless_validation(run_dir):
    package = Package(str(run_dir / "bundle" / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["type", "note"])[:5]
    assert [r.name for r in package.resources] == ["documents", "sections", "blocks", "changes"]


def test_broken_foreign_key_is_caught_by_validation(tmp_path, run_dir):
    folder = tmp_path / "bundle"
    folder.mkdir()
    for path in (run_dir / "bundle").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    blocks = (folder / "blocks.jsonl").read_text(encoding="utf-8").replace(
        '"section_id":"bluebook-2023-c030102:2/(4)"', '"section_id":"bluebook-2023-c030102:2/(9)"', 1)
    (folder / "blocks.jsonl").write_text(blocks, encoding="utf-8")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:  # the hash would fail first; test the key itself
        resource.pop("hash"), resource.pop("bytes")
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = Package(str(folder / "datapackage.json")).validate()
    assert not report.valid
    assert {error_type for error_type, in report.flatten(["type"])} == {"foreign-key"}


def test_every_record_matches_the_json_schema(run_dir):
    schema = json.loads((run_dir / "bundle" / "records.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    documents = read_bundle_documents(run_dir)
    assert len(documents) == 3
    for document in documents:
        validator.validate(document.model_dump(mode="json"))
    assert sorted(documents, key=lambda d: d.document.id) == sorted(sample_documents(), key=lambda d: d.document.id)


def test_descriptor_keys_hashes_and_schema_version(run_dir):
    descriptor = json.loads((run_dir / "bundle" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["docbrief:schemaVersion"] == SCHEMA_VERSION
    blocks = next(r for r in descriptor["resources"] if r["name"] == "blocks")
    assert blocks["schema"]["primaryKey"] == ["id"]
    assert {fk["fields"][0]: fk["reference"]["resource"] for fk in blocks["schema"]["foreignKeys"]} == {
        "document_id": "documents", "section_id": "sections"}
    kind = next(f for f in blocks["schema"]["fields"] if f["name"] == "kind")
    assert "paragraph" in kind["constraints"]["enum"]


def test_japanese_is_readable_and_zip_is_reproducible(tmp_path):
    documents = [document_with_texts(["日米同盟の抑止力・対処力を向上させる。"])]
    write(tmp_path / "a", documents)
    write(tmp_path / "b", documents)
    assert "日米同盟" in (tmp_path / "a" / "bundle" / "blocks.jsonl").read_text(encoding="utf-8")
    assert (tmp_path / "a" / BUNDLE_ZIP).read_bytes() == (tmp_path / "b" / BUNDLE_ZIP).read_bytes()
    with zipfile.ZipFile(tmp_path / "a" / BUNDLE_ZIP) as archive:
        assert sorted(archive.namelist()) == sorted(f"bundle/{p.name}" for p in (tmp_path / "a" / "bundle").iterdir())


def test_changes_resource_lists_what_consecutive_editions_changed(run_dir):
    rows = [json.loads(line) for line in (run_dir / "bundle" / "changes.jsonl").read_text(encoding="utf-8").split(
        "\n") if line]
    dropped = [(r["old_document"], r["old"]) for r in rows if r["change"] == "dropped"]
    assert dropped == [("bluebook-2021-c040202", "E Multilateral Cooperation"),
                       ("bluebook-2021-c040202", "G Maritime Security")]
    assert {(r["old_document"], r["new_document"]) for r in rows} == {
        ("bluebook-2021-c040202", "bluebook-2023-c030102"), ("bluebook-2023-c030102", "bluebook-2025-c030102")}
