"""Shared fixtures. Plain-function tests run with Prefect's temporary server disabled
(so an accidental flow call fails fast); the few flow tests share one harness."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
HTML = ROOT / "tests" / "fixtures" / "html"
SHARED_REALDATA = ROOT.parent / "shared" / "realdata"
FIXED_TIME = datetime(2025, 1, 1, tzinfo=UTC)


def load_gold(name: str) -> dict:
    return json.loads((DATA / "gold" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for every flow test in the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
