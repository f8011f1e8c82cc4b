"""Scale-out: the refresh on a Dask cluster of two worker processes gives the threads run's records."""

from __future__ import annotations

from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.refresh import refresh
from flows.serve import local_prefect_server
from tests.conftest import ROOT

pytestmark = pytest.mark.flow


def test_dask_cluster_and_threads_give_identical_records(tmp_path: Path, monkeypatch):
    from dask.distributed import LocalCluster
    from prefect_dask import DaskTaskRunner

    config = str(ROOT / "config" / "sample.toml")
    with local_prefect_server(tmp_path / "prefect") as url:
        # Dask workers are separate processes: they must reach this server, not start their own.
        monkeypatch.setenv("PREFECT_API_URL", url)
        with temporary_settings(updates={PREFECT_API_URL: url}), LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            on_dask = refresh.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))(
                config=config, out=str(tmp_path / "dask"))
            on_threads = refresh(config=config, out=str(tmp_path / "threads"))
    assert on_dask.status == on_threads.status == "ok" and on_dask.extracted == 4
    for name in ("documents.jsonl", "sections.jsonl", "blocks.jsonl", "changes.jsonl"):
        dask_bytes = (Path(on_dask.run_dir) / "bundle" / name).read_bytes()
        assert dask_bytes == (Path(on_threads.run_dir) / "bundle" / name).read_bytes(), name
