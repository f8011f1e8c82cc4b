"""The download page: written from the latest run and the history, served read-only, rendered."""

from __future__ import annotations

import shutil
import subprocess
import threading
from datetime import UTC, datetime

import httpx
import pytest
from bs4 import BeautifulSoup

from docbrief.errors import BusyError
from docbrief.lock import RefreshLock
from docbrief.state import State
from outputs.run import write_run
from outputs.site import serve_outputs, write_index
from tests.conftest import ROOT
from tests.factories import sample_documents, sources_for

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    documents = sample_documents()
    write_run(documents, sources_for(documents), out_dir=out, run_id="20260101T000000Z-test",
              started_at=datetime(2026, 1, 1, tzinfo=UTC), config="sample.toml")
    with State(out / "state.sqlite") as state:
        state.start_run("20260101T000000Z-test", datetime(2026, 1, 1, tzinfo=UTC))
        state.finish_run("20260101T000000Z-test", status="ok", build_id="b", changed=3, failed=0, extracted=3,
                         published=True)
        state.start_run("20260108T000000Z-next", datetime(2026, 1, 8, tzinfo=UTC))
        state.finish_run("20260108T000000Z-next", status="unchanged", build_id="b", changed=0, failed=0,
                         extracted=0, published=False)
        write_index(out, [dict(row) for row in state.runs()])
    server = serve_outputs(out, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_page_lists_latest_files_and_history_and_every_link_resolves(site):
    _, base = site
    page = httpx.get(f"{base}/index.html")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "lxml")
    links = [a["href"] for a in soup.find_all("a")]
    assert "latest/docbrief.xlsx" in links and "latest/bundle.zip" in links
    assert any(link.startswith("latest/briefs/") for link in links)
    for link in links:
        assert httpx.head(f"{base}/{link}").status_code == 200, link
    history = [row.find_all("td")[2].text for row in soup.find_all("table")[-1].find_all("tr")[1:]]
    assert history == ["unchanged", "ok"]  # newest first
    assert "Covers: bluebook-2021-c040202, bluebook-2023-c030102" in page.text


def test_server_is_read_only_and_stays_in_its_folder(site):
    _, base = site
    assert httpx.post(f"{base}/index.html", content=b"x").status_code == 501
    assert httpx.get(f"{base}/../../etc/passwd").status_code == 404


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_page_renders_in_headless_chromium(site, tmp_path):
    _, base = site
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,900"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", f"{base}/index.html"], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    rendered = BeautifulSoup(dom, "lxml")
    assert rendered.find("a", href="latest/docbrief.xlsx") is not None
    screenshot = ROOT / "build" / "download-page.png"
    screenshot.parent.mkdir(exist_ok=True)
    subprocess.run([CHROMIUM, *flags, f"--screenshot={screenshot}", f"{base}/index.html"], capture_output=True,
                   timeout=120, check=True)
    assert screenshot.stat().st_size > 5000


def test_one_refresh_at_a_time(tmp_path):
    with RefreshLock(tmp_path):
        with pytest.raises(BusyError, match=r"another refresh is running on this folder \(pid \d+ since"):
            with RefreshLock(tmp_path, wait=0.3, poll=0.05):
                pass
    with RefreshLock(tmp_path):  # released: the next one gets it
        pass


def test_a_waiting_refresh_runs_once_the_first_finishes(tmp_path):
    first = RefreshLock(tmp_path).__enter__()
    threading.Timer(0.3, first.__exit__, args=(None, None, None)).start()
    with RefreshLock(tmp_path, wait=5, poll=0.05):
        pass
