"""Running the refresh on a schedule, with Prefect's own deployments and scheduler.

``docbrief serve`` creates (or updates) the deployment ``docbrief-refresh/scheduled``
with the cron schedule and timezone from the config, makes sure it is not paused
(``flow.serve`` pauses its deployment when stopped, and the pause persists), and runs
it until interrupted. Schedules are never created on Prefect's temporary server, so
when no ``PREFECT_API_URL`` is set a local Prefect server is started — loopback only,
with a project-local ``PREFECT_HOME`` — and stopped on exit.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import httpx
from prefect.client.orchestration import get_client
from prefect.deployments.runner import RunnerDeployment
from prefect.logging.handlers import APILogWorker
from prefect.schedules import Cron

from docbrief.errors import ConfigError
from flows.refresh import refresh

__all__ = ["DEPLOYMENT_NAME", "ensure_deployment", "local_prefect_server", "refresh_deployment", "serve_refresh"]

DEPLOYMENT_NAME = "scheduled"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def local_prefect_server(home: Path, *, port: int | None = None, startup_timeout: float = 120.0,
                         environment: dict[str, str] | None = None) -> Iterator[str]:
    """Start ``prefect server`` on 127.0.0.1 with ``PREFECT_HOME=home``; yield its API URL; stop it."""
    port = port or _free_port()
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_API_URL": "", **(environment or {})}
    log = open(home / "server.log", "ab")  # noqa: SIM115 - closed below
    # A session of its own: Ctrl-C reaches docbrief, which lets the runner tidy up, then stops the server.
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise ConfigError(f"the Prefect server stopped at start (see {home / 'server.log'})", path=str(home))
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise ConfigError(f"the Prefect server did not start within {startup_timeout:.0f} s", path=str(home))
            time.sleep(0.5)
        yield url
    finally:
        # Send the logs still queued while the server is up (else they retry against a dead port).
        with contextlib.suppress(Exception):
            APILogWorker.drain_all(timeout=10, at_exit=False)
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def refresh_deployment(config: str, out: str | None, *, cron: str, timezone: str) -> RunnerDeployment:
    """The scheduled refresh as a Prefect deployment (not yet registered)."""
    return refresh.to_deployment(
        name=DEPLOYMENT_NAME, schedule=Cron(cron, timezone=timezone), paused=False, tags=["docbrief"],
        parameters={"config": config, "out": out}, description="Refresh the configured sources on a schedule.",
    )


def ensure_deployment(deployment: RunnerDeployment) -> UUID:
    """Create or update the deployment and make sure its schedule is active."""
    deployment_id = deployment.apply()
    with get_client(sync_client=True) as client:
        if client.read_deployment(deployment_id).paused:
            client.resume_deployment(deployment_id)
    return deployment_id


def serve_refresh(config: str, out: str | None, *, cron: str, timezone: str) -> None:
    """Register the scheduled refresh and run it until interrupted."""
    from prefect import serve

    deployment = refresh_deployment(config, out, cron=cron, timezone=timezone)
    ensure_deployment(deployment)
    serve(deployment)
