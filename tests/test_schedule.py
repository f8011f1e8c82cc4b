"""Scheduling: a real local Prefect server creates the scheduled runs; a pause does not stick."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
from prefect.flows import load_flow_from_entrypoint
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.serve import ensure_deployment, local_prefect_server, refresh_deployment
from tests.conftest import ROOT

pytestmark = pytest.mark.flow


def test_scheduled_runs_are_created_and_a_paused_schedule_is_resumed(tmp_path: Path):
    fast_scheduler = {"PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "1"}
    with local_prefect_server(tmp_path / "prefect", environment=fast_scheduler) as url, \
            temporary_settings(updates={PREFECT_API_URL: url}):
        deployment = refresh_deployment("config/sample.toml", str(tmp_path / "out"), cron="*/5 * * * *",
                                        timezone="Asia/Tokyo")
        deployment_id = ensure_deployment(deployment)
        with get_client(sync_client=True) as client:
            runs = []
            deadline = time.monotonic() + 90
            while not runs and time.monotonic() < deadline:
                runs = client.read_flow_runs(deployment_filter=DeploymentFilter(id=DeploymentFilterId(
                    any_=[deployment_id])))
                time.sleep(1)
            assert runs and {run.state_name for run in runs} == {"Scheduled"}
            assert all(run.expected_start_time.minute % 5 == 0 for run in runs)
            schedule = client.read_deployment(deployment_id).schedules[0]
            assert (schedule.schedule.cron, schedule.schedule.timezone) == ("*/5 * * * *", "Asia/Tokyo")

            client.pause_deployment(deployment_id)  # what stopping `flow.serve` leaves behind
            assert client.read_deployment(deployment_id).paused
            assert ensure_deployment(deployment) == deployment_id
            assert not client.read_deployment(deployment_id).paused


def test_prefect_yaml_deploys_the_same_flow():
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    deployment = spec["deployments"][0]
    flow = load_flow_from_entrypoint(str(ROOT / deployment["entrypoint"]))
    assert flow.name == "docbrief-refresh"
    assert deployment["schedules"][0] == {"cron": "0 6 * * 1", "timezone": "Asia/Tokyo", "active": True}
    assert set(deployment["parameters"]) <= set(flow.parameters.properties)
