"""Benchmark: the refresh as a user runs it, with Prefect's start-up split from docbrief's work.

    python bench/bench_refresh.py [--pages 320]

Each refresh runs as ``docbrief refresh`` in a fresh process, with Prefect's temporary
server (as on a machine with no Prefect server configured). "docbrief" is the flow's
own time (from the run record in the state database); "Prefect and start-up" is the
rest of the wall time (imports, starting and stopping the temporary server).

1. the bundled sample corpus, cold (new output folder), then again with nothing changed;
2. a generated 300+ page white-paper-like PDF, with the threads task runner and with a
   local Dask cluster of 2 worker processes — both against a local Prefect server, as the
   README advises for Dask (without one, every Dask worker starts a temporary server of
   its own, which costs more than the second process saves).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DOCBRIEF = Path(sys.executable).parent / "docbrief"


def run(config: Path, out: Path, *extra: str, api_url: str | None = None) -> tuple[float, float, str]:
    """Wall seconds, the flow's own seconds, and the last run's status."""
    home = out.parent / "prefect-home"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    start = time.perf_counter()
    subprocess.run([str(DOCBRIEF), "refresh", "--config", str(config), "--out", str(out), *extra], env=env,
                   check=True, capture_output=True)
    wall = time.perf_counter() - start
    with sqlite3.connect(out / "state.sqlite") as db:
        started, finished, status = db.execute(
            "SELECT started_at, finished_at, status FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1").fetchone()
    flow = (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()
    return wall, flow, status


def report(label: str, wall: float, flow: float, status: str) -> None:
    print(f"  {label:<28} {wall:7.1f} s wall = {flow:5.1f} s docbrief + {wall - flow:5.1f} s Prefect and start-up"
          f"  ({status})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=320)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        print("sample corpus (3 Bluebook pages, 1 white-paper PDF)")
        out = work / "sample" / "out"
        report("cold", *run(ROOT / "config" / "sample.toml", out))
        report("again, nothing changed", *run(ROOT / "config" / "sample.toml", out))

        from bench.bench_pdf import generated_pdf

        pdf = generated_pdf(args.pages)
        config = work / "big.toml"
        config.write_text(f'[[sources]]\nurl = "{pdf}"\npublication = "white_paper"\nedition = 2014\n',
                          encoding="utf-8")
        from flows.serve import local_prefect_server

        print(f"generated white-paper-like PDF ({pdf.name}), against a local Prefect server")
        with local_prefect_server(work / "server") as url:
            report("threads", *run(config, work / "threads" / "out", "--task-runner", "threads", api_url=url))
            report("dask, 2 worker processes",
                   *run(config, work / "dask" / "out", "--task-runner", "dask", api_url=url))


if __name__ == "__main__":
    main()
