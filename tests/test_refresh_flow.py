"""The refresh flow on the sample corpus, against one shared temporary Prefect server."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.refresh import refresh
from outputs.bundle import read_bundle_documents
from tests.conftest import ROOT

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_harness")]

SAMPLE = ROOT / "config" / "sample.toml"


def bundle_bytes(run_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((run_dir / "bundle").iterdir())}


def test_two_refreshes_give_identical_ids_and_bundle_bytes(tmp_path):
    first = refresh(config=str(SAMPLE), out=str(tmp_path))
    second = refresh(config=str(SAMPLE), out=str(tmp_path))
    assert first.status == second.status == "ok"
    assert first.run_id != second.run_id
    assert bundle_bytes(Path(first.run_dir)) == bundle_bytes(Path(second.run_dir))
    ids = [[b.id for doc in read_bundle_documents(Path(run.run_dir)) for b in doc.blocks] for run in (first, second)]
    assert ids[0] == ids[1] and len(ids[0]) == 54 + 39 + 50 + 36
    assert os.readlink(tmp_path / "latest") == f"runs/{second.run_id}"


def test_manifest_lists_files_and_sources(tmp_path):
    summary = refresh(config=str(SAMPLE), out=str(tmp_path))
    latest = tmp_path / "latest"
    manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] == summary.run_id and manifest["status"] == "ok"
    for entry in manifest["files"]:
        data = (latest / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert {e["kind"] for e in manifest["files"]} == {"workbook", "datapackage", "records", "schema", "bundle-zip"}
    assert [s["status"] for s in manifest["sources"]] == ["ok"] * 4
    sample_bytes = (ROOT / "config" / manifest["sources"][1]["url"]).read_bytes()
    assert manifest["sources"][1]["sha256"] == hashlib.sha256(sample_bytes).hexdigest()
    assert not list((tmp_path / "runs").glob("*.partial"))


def test_a_failing_source_does_not_stop_the_others_nor_touch_latest(tmp_path):
    good = refresh(config=str(SAMPLE), out=str(tmp_path / "out"))
    pages = tmp_path / "pages"
    shutil.copytree(ROOT / "samples", pages)
    (pages / "broken.html").write_bytes(b"")
    config = tmp_path / "mixed.toml"
    config.write_text(
        '[[sources]]\nurl = "pages/mofa/policy/other/bluebook/2023/en_html/chapter3/c030102.html"\n'
        '[[sources]]\nurl = "pages/missing.html"\n'
        '[[sources]]\nurl = "pages/broken.html"\npublication = "bluebook"\nedition = 2024\n',
        encoding="utf-8",
    )
    summary = refresh(config=str(config), out=str(tmp_path / "out"))
    assert [s.status for s in summary.sources] == ["ok", "failed", "failed"]
    assert "no such file" in summary.sources[1].error and "empty" in summary.sources[2].error
    assert summary.sources[0].blocks == 39 and not summary.published
    assert os.readlink(tmp_path / "out" / "latest") == f"runs/{good.run_id}"
    failed_manifest = json.loads((Path(summary.run_dir) / "manifest.json").read_text(encoding="utf-8"))
    assert failed_manifest["status"] == "failed"


def test_cli_refresh_prints_where_outputs_are_and_exit_status(tmp_path):
    result = CliRunner().invoke(app, ["refresh", "--config", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'latest' / 'manifest.json'}" in result.output.replace("\n", "")
    bad = tmp_path / "bad.toml"
    bad.write_text('[[sources]]\nurl = "nowhere.html"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["refresh", "--config", str(bad), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "latest was not changed" in result.output
    result = CliRunner().invoke(app, ["refresh", "--config", str(tmp_path / "none.toml")])
    assert result.exit_code == 1 and "no such file" in result.output
