"""A real scheduler: the Airflow api-server, scheduler, dag-processor and triggerer run as
separate processes on loopback against a throwaway PostgreSQL metadata database. The test
triggers `ingest_exports` through the REST API on generated exports, waits (bounded) for the
scheduler to run it and then `transform_marts` (scheduled by ingest's Assets; its dbt watcher
tasks defer to the triggerer) and `alerts_hourly` (scheduled by the `marts` Asset, posting to a
robot on loopback), prints the ingest-to-alert latency, triggers `reports_weekly` for a past
week, and checks the marts and the report. Every process it started is stopped."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import duckdb
import pytest

from newmedia.settings import Settings
from ops.airflow_api import Api, failed_tasks, run_state, wait_for
from ops.cluster import LOCAL_PARALLELISM
from ops.dbt import ensure_manifest
from ops.pgserver import free_port
from samples import generate_exports
from tests.support.pg_cluster import cluster

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = str(Path(sys.executable).with_name("airflow"))
DEADLINE_SECONDS = 2400


class Robot(BaseHTTPRequestHandler):
    """The team's group robot: records each message with the time it arrived."""

    received: ClassVar[list[tuple[float, str]]] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        text = json.dumps(body, ensure_ascii=False)
        Robot.received.append((time.time(), text))
        answer = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def airflow_cluster(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("scheduler_home")
    logs = home / "logs"
    logs.mkdir()
    generate_exports(home / "exports", dt.date(2026, 9, 28), 4, scale=1.0, seed=5)
    # the DAG renders dbt from the manifest: parse again if a model changed since the last one
    ensure_manifest(Settings(home=home, exports=home / "exports", target="duckdb"))
    Robot.received = []
    robot = HTTPServer(("127.0.0.1", 0), Robot)
    threading.Thread(target=robot.serve_forever, daemon=True).start()
    robot_url = f"http://127.0.0.1:{robot.server_port}/cgi-bin/webhook/send?key=test"
    with cluster() as url:
        subprocess.run(
            [
                "psql",
                url.replace("postgresql+psycopg2", "postgresql"),
                "-qc",
                "create database airflow",
            ],
            check=True,
            capture_output=True,
        )
        metadata = url.rsplit("/", 1)[0] + "/airflow"
        port = free_port()
        env = {
            **os.environ,
            "AIRFLOW_HOME": str(home / "airflow"),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata,
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": str(LOCAL_PARALLELISM),
            "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
            "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "10",
            "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
            "AIRFLOW__COSMOS__ENABLE_WATCHER_RELIABLE_RETRY": "False",
            "AIRFLOW_CONN_NEWMEDIA_WEBHOOK": json.dumps({"conn_type": "http", "host": robot_url}),
            # the generated comments are weeks old: each negative one is still "new" here
            "NEWMEDIA_ALERT_MAX_AGE_HOURS": str(24 * 400),
            "DO_NOT_TRACK": "1",
            "NEWMEDIA_HOME": str(home),
            "NEWMEDIA_EXPORTS": str(home / "exports"),
            "NEWMEDIA_TASK_RETRIES": "0",
        }
        env.pop("AIRFLOW__CORE__UNIT_TEST_MODE", None)
        env.pop("NEWMEDIA_IN_PROCESS_RUN", None)  # a scheduler: the watchers defer
        for args in (["db", "migrate"], ["pools", "set", "duckdb_writer", "1", "one writer"]):
            done = subprocess.run([AIRFLOW, *args], env=env, capture_output=True, text=True)
            assert done.returncode == 0, done.stderr[-3000:]
        processes = []
        try:
            for name, args in (
                (
                    "api-server",
                    ["api-server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
                ),
                ("scheduler", ["scheduler"]),
                ("dag-processor", ["dag-processor"]),
                ("triggerer", ["triggerer"]),
            ):
                log = (logs / f"{name}.log").open("w")
                processes.append(
                    subprocess.Popen(
                        [AIRFLOW, *args],
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
            api = Api(f"http://127.0.0.1:{port}", home / "airflow")
            deadline = time.monotonic() + DEADLINE_SECONDS
            wait_for("the api-server", lambda: api.call("GET", "/api/v2/version"), deadline, logs)
            api.login()
            yield api, home, logs, deadline
        finally:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=30)
            robot.shutdown()


def scheduler_lines(logs: Path) -> str:
    """What the scheduler logged about a run's failure (a deadlock, a task it failed itself)."""
    text = (logs / "scheduler.log").read_text(errors="replace")
    return "\n".join(
        line[:600]
        for line in text.splitlines()
        if ("error" in line.lower() or "failed" in line.lower()) and "upstream_failed=0" not in line
    )[-6000:]


def test_the_scheduler_runs_the_pipeline(airflow_cluster):
    api, home, logs, deadline = airflow_cluster
    for dag_id in ("ingest_exports", "transform_marts", "reports_weekly", "alerts_hourly"):
        wait_for(
            f"{dag_id} parsed",
            lambda d=dag_id: api.call("GET", f"/api/v2/dags/{d}"),
            deadline,
            logs,
        )
    for dag_id in ("ingest_exports", "transform_marts", "alerts_hourly"):
        api.call("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})

    ingest = api.call("POST", "/api/v2/dags/ingest_exports/dagRuns", {"logical_date": None})
    wait_for(
        "ingest_exports",
        lambda: run_state(api, "ingest_exports", ingest["dag_run_id"]),
        deadline,
        logs,
    )

    api.call(
        "PATCH", "/api/v2/dags/ingest_exports", {"is_paused": True}
    )  # no further scheduled runs

    def transform_succeeded():
        runs = api.call("GET", "/api/v2/dags/transform_marts/dagRuns")["dag_runs"]
        for run in runs:
            assert run["state"] != "failed", (
                failed_tasks(api, "transform_marts", run["dag_run_id"])
                + "\n"
                + scheduler_lines(logs)
            )
        # mapped ingest tasks emit their Asset events one by one, so the scheduler may queue a
        # second transform run: wait until every run has finished (DuckDB has one writer, and the
        # reports read it)
        if any(r["state"] != "success" for r in runs):
            return []
        return [r for r in runs if r["run_type"] == "asset_triggered"]

    wait_for(
        "transform_marts, triggered by ingest's Assets",
        transform_succeeded,
        deadline,
        logs,
        every=5,
    )

    # alerts_hourly runs on the marts Asset: the negative comments reach the robot minutes after
    # the ingest run started, not at the next full hour
    def alerted():
        return [at for at, text in Robot.received if "负面" in text]

    arrivals = wait_for("an alert at the robot", alerted, deadline, logs)
    # from the start of the first ingest run (unpausing ingest_exports may start a scheduled one
    # before the triggered one: the first loads the files)
    ingest_runs = api.call("GET", "/api/v2/dags/ingest_exports/dagRuns")["dag_runs"]
    started = min(
        dt.datetime.fromisoformat(r["start_date"]) for r in ingest_runs if r["start_date"]
    )
    latency = min(arrivals) - started.timestamp()
    print(
        f"\ningest run start → first alert at the robot: {latency:.0f} s ({len(arrivals)} alerts)"
    )
    assert latency > 0
    # the marts Asset queued a run (an hourly run that was active then delays it, never drops it)
    wait_for(
        "alerts_hourly triggered by the marts Asset",
        lambda: [
            r
            for r in api.call("GET", "/api/v2/dags/alerts_hourly/dagRuns")["dag_runs"]
            if r["run_type"] == "asset_triggered"
        ],
        deadline,
        logs,
    )

    # unpaused only now, so the run the scheduler makes for the latest Monday finds the marts
    api.call("PATCH", "/api/v2/dags/reports_weekly", {"is_paused": False})
    weekly = api.call(
        "POST",
        "/api/v2/dags/reports_weekly/dagRuns",
        {"logical_date": None, "conf": {"period": "2026-W43"}},
    )
    wait_for(
        "reports_weekly",
        lambda: run_state(api, "reports_weekly", weekly["dag_run_id"]),
        deadline,
        logs,
    )

    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute(
            "select platform, count(*) from marts.mart_engagement_weekly group by 1"
        ).fetchall()
        loaded = con.execute("select count(*) from raw._files where status = 'loaded'").fetchone()[
            0
        ]
    finally:
        con.close()
    assert {platform for platform, _ in rows} >= {"xiaohongshu", "douyin"}
    assert loaded > 0
    folder = home / "reports" / "weekly" / "2026-W43"
    assert (folder / "数据复盘报告_2026-W43.html").exists()
    assert (folder / "数据复盘报告_2026-W43.pdf").exists()
    assert (home / "reports" / "user-needs" / "2026-W43").is_dir()
