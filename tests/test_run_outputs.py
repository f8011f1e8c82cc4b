"""Publishing a run: complete files first, then one atomic switch of latest; failures leave latest alone."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime

import pytest

import outputs.run
from docbrief.errors import OutputError
from outputs.run import WORKBOOK_NAME, write_run
from tests.factories import sample_documents, sources_for

STARTED = datetime(2026, 1, 1, tzinfo=UTC)


def run(out_dir, run_id, documents=None, sources=None):
    documents = sample_documents() if documents is None else documents
    sources = sources_for(documents) if sources is None else sources
    return write_run(documents, sources, out_dir=out_dir, run_id=run_id, started_at=STARTED, config="test.toml")


def test_complete_run_is_published_with_a_manifest_of_every_file(tmp_path):
    result = run(tmp_path, "r1")
    assert result.published and os.readlink(tmp_path / "latest") == "runs/r1"
    manifest = json.loads((tmp_path / "latest" / "manifest.json").read_text(encoding="utf-8"))
    kinds = {entry["kind"] for entry in manifest["files"]}
    assert kinds == {"workbook", "datapackage", "records", "schema", "bundle-zip", "brief"}
    for entry in manifest["files"]:
        data = (tmp_path / "latest" / entry["path"]).read_bytes()
        assert (entry["bytes"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert manifest["build_id"] == result.build_id


def test_same_inputs_same_file_hashes(tmp_path):
    first, second = run(tmp_path, "r1"), run(tmp_path, "r2")
    assert {f.path: f.sha256 for f in first.files} == {f.path: f.sha256 for f in second.files}
    assert first.build_id == second.build_id


def test_a_writer_failing_part_way_leaves_latest_untouched(tmp_path, monkeypatch):
    run(tmp_path, "good")
    before = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "runs" / "good").rglob("*") if p.is_file()}

    def broken_bundle(*args, **kwargs):
        raise OutputError("disk full", path="bundle/blocks.jsonl")

    monkeypatch.setattr(outputs.run, "write_bundle", broken_bundle)
    with pytest.raises(OutputError, match="disk full"):
        run(tmp_path, "bad")
    assert os.readlink(tmp_path / "latest") == "runs/good"
    assert not (tmp_path / "runs" / "bad").exists()
    assert (tmp_path / "runs" / "bad.partial" / WORKBOOK_NAME).exists()  # written, never published
    after = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "runs" / "good").rglob("*") if p.is_file()}
    assert after == before


def test_failed_and_stale_sources_are_marked_in_the_manifest(tmp_path):
    documents = sample_documents()[:2]
    sources = sources_for(documents)
    sources[0].status, sources[0].error = "stale", "HTTP 503 (the last good version is used)"
    sources.append(sources_for(sample_documents()[2:])[0])
    sources[-1].status, sources[-1].error, sources[-1].sha256 = "failed", "HTTP 404", None
    result = run(tmp_path, "with-failures", documents=documents, sources=sources)
    assert result.published  # the stale document is in it; the failed one never was
    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "failed"
    assert [s["status"] for s in manifest["sources"]] == ["stale", "ok", "failed"]
    assert manifest["sources"][2]["error"] == "HTTP 404"


def test_no_documents_is_recorded_but_not_published(tmp_path):
    run(tmp_path, "good")
    sources = sources_for(sample_documents()[:1])
    sources[0].status, sources[0].error = "failed", "HTTP 404"
    result = run(tmp_path, "nothing", documents=[], sources=sources)
    assert not result.published
    assert os.readlink(tmp_path / "latest") == "runs/good"
