"""The refresh flow against one shared temporary Prefect server: sample corpus and a real local site."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from typer.testing import CliRunner

from docbrief.state import State
from flows.cli import app
from flows.progress import watching
from flows.refresh import refresh
from outputs.bundle import read_bundle_documents
from tests.conftest import HTML, ROOT
from tests.httpserver import Reply, ScriptedServer

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_harness")]

SAMPLE = ROOT / "config" / "sample.toml"


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_sample_refresh_is_reproducible_and_a_second_run_changes_nothing(tmp_path):
    reports: list[tuple[str, int, int]] = []
    with watching(lambda *progress: reports.append(progress)):
        first = refresh(config=str(SAMPLE), out=str(tmp_path / "a"))
    assert [r for r in reports if r[0] == "fetching sources"][-1] == ("fetching sources", 4, 4)
    assert reports[-1] == ("extracting documents", 4, 4)
    other = refresh(config=str(SAMPLE), out=str(tmp_path / "b"))  # a fresh state elsewhere
    assert first.status == other.status == "ok" and first.extracted == 4
    bundle = [snapshot(Path(run.run_dir) / "bundle") for run in (first, other)]
    assert {k: v[0] for k, v in bundle[0].items()} == {k: v[0] for k, v in bundle[1].items()}
    ids = [b.id for doc in read_bundle_documents(Path(first.run_dir)) for b in doc.blocks]
    assert len(ids) == 54 + 39 + 50 + 36 and len(set(ids)) == len(ids)

    before = snapshot(tmp_path / "a" / "runs")
    again = refresh(config=str(SAMPLE), out=str(tmp_path / "a"))
    assert again.unchanged and again.status == "unchanged" and again.extracted == 0
    assert snapshot(tmp_path / "a" / "runs") == before  # same bytes, same modification times
    assert os.readlink(tmp_path / "a" / "latest") == f"runs/{first.run_id}"
    with State(tmp_path / "a" / "state.sqlite") as state:
        assert [(r["status"], r["extracted"]) for r in state.runs()] == [("ok", 4), ("unchanged", 0)]


def test_manifest_lists_files_and_sources(tmp_path):
    summary = refresh(config=str(SAMPLE), out=str(tmp_path))
    assert (tmp_path / "index.html").exists()
    with get_client(sync_client=True) as client:
        keys = {artifact.key for artifact in client.read_artifacts()}
    assert {"docbrief-refresh-summary", "docbrief-sources", "docbrief-download-page", "docbrief-workbook"} <= keys
    latest = tmp_path / "latest"
    manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] == summary.run_id and manifest["status"] == "ok"
    for entry in manifest["files"]:
        data = (latest / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert {e["kind"] for e in manifest["files"]} == {"workbook", "datapackage", "records", "schema", "bundle-zip",
                                                     "brief"}
    assert [s["status"] for s in manifest["sources"]] == ["ok"] * 4
    sample_bytes = (ROOT / "config" / manifest["sources"][1]["url"]).read_bytes()
    assert manifest["sources"][1]["sha256"] == hashlib.sha256(sample_bytes).hexdigest()
    assert not list((tmp_path / "runs").glob("*.partial"))


def site_config(tmp_path: Path, server: ScriptedServer) -> Path:
    config = tmp_path / "site.toml"
    config.write_text(
        "[http]\nmin_interval = 0\nretries = 1\nbackoff = 0.01\n\n"
        f'[[sources]]\nurl = "{server.url("/policy/other/bluebook/2023/en_html/chapter3/c030102.html")}"\n'
        f'[[sources]]\nurl = "{server.url("/policy/other/bluebook/2025/en_html/chapter3/c030102.html")}"\n',
        encoding="utf-8",
    )
    return config


def serve(server: ScriptedServer, edition: int, body: bytes, etag: str) -> None:
    server.route(f"/policy/other/bluebook/{edition}/en_html/chapter3/c030102.html",
                 Reply(body=body, etag=etag, headers={"Content-Type": "text/html; charset=utf-8"}))


def test_only_what_changed_is_extracted_and_history_shows_versions(tmp_path):
    page_2023 = (HTML / "bluebook-2023-ministry.html").read_bytes()
    page_2025 = (HTML / "bluebook-2025-ministry.html").read_bytes()
    with ScriptedServer() as server:
        serve(server, 2023, page_2023, '"a"')
        serve(server, 2025, page_2025, '"b"')
        config, out = site_config(tmp_path, server), tmp_path / "out"
        first = refresh(config=str(config), out=str(out))
        assert first.extracted == 2 and first.published
        second = refresh(config=str(config), out=str(out))
        assert second.unchanged and second.extracted == 0
        assert all(h.get("If-None-Match") for h in server.hits("/policy/other/bluebook/2023/en_html/chapter3/"
                                                                "c030102.html")[1:])
        serve(server, 2025, page_2025.replace(b"approximately 211 billion", b"approximately 215 billion"), '"c"')
        third = refresh(config=str(config), out=str(out))
    assert third.extracted == 1 and third.published
    assert [s.change for s in third.sources] == ["unchanged", "changed"]
    assert [s.extracted for s in third.sources] == [False, True]
    documents = read_bundle_documents(out / "latest")
    assert len(documents) == 2
    url_2025 = third.sources[1].url
    result = CliRunner().invoke(app, ["history", url_2025, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.count("text/html") == 2  # two versions
    assert "unchanged" in result.output and "changed" in result.output


def test_a_source_failing_later_is_used_stale_and_the_exit_status_says_so(tmp_path):
    page = (HTML / "bluebook-2023-ministry.html").read_bytes()
    with ScriptedServer() as server:
        serve(server, 2023, page, '"a"')
        serve(server, 2025, (HTML / "bluebook-2025-ministry.html").read_bytes(), '"b"')
        config, out = site_config(tmp_path, server), tmp_path / "out"
        assert refresh(config=str(config), out=str(out)).status == "ok"
        server.route("/policy/other/bluebook/2025/en_html/chapter3/c030102.html", Reply(status=404))
        result = CliRunner().invoke(app, ["refresh", "--config", str(config), "--out", str(out)])
    assert result.exit_code == 1
    assert "stale" in result.output and "last good version" in result.output
    manifest = json.loads((out / "latest" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "stale"
    assert [s["status"] for s in manifest["sources"]] == ["ok", "stale"]
    assert len(read_bundle_documents(out / "latest")) == 2  # the stale document is still there


def test_cli_refresh_prints_where_outputs_are(tmp_path):
    result = CliRunner().invoke(app, ["refresh", "--config", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'latest' / 'manifest.json'}" in result.output.replace("\n", "")
    result = CliRunner().invoke(app, ["refresh", "--config", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 0 and "unchanged: nothing to extract" in result.output
    result = CliRunner().invoke(app, ["refresh", "--config", str(tmp_path / "none.toml")])
    assert result.exit_code == 1 and "no such file" in result.output
