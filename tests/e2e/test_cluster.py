"""The team deployment, run for real: `ops.cluster` (what `make cluster` runs) starts
PostgreSQL (Airflow's metadata and the warehouse), Redis and Airflow with the CeleryExecutor
(api-server, scheduler, dag-processor, triggerer, two Celery workers) on the postgres target. The
test drops generated exports in, runs ingest → transform (dbt, gates) through the scheduler,
kills one Celery worker with everything it runs (SIGKILL) while a task is in flight, and checks
that the task was retried on the other worker, the runs complete, and every mart holds exactly the
rows of the same corpus built without Airflow on DuckDB (nothing lost, nothing doubled). Then the
weekly reports are delivered to a local SMTP server and a local group robot, and a new negative
comment dropped in reaches the robot as an alert; the drop-to-alert latency is printed. Every
process the cluster started is stopped at the end."""

from __future__ import annotations

import csv
import datetime as dt
import email
import email.policy
import json
import shutil
import socket
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import psycopg2
import pytest
from aiosmtpd.controller import Controller

from newmedia.settings import Settings
from ops.airflow_api import Api, failed_tasks, run_state, wait_for
from ops.cluster import (
    WORKERS,
    ClusterInfo,
    descendants,
    kill_tree,
    start_cluster,
    stop_cluster,
)
from ops.pgserver import free_port
from samples import generate_exports
from tests.support.marts_compare import compare_all
from tests.support.warehouse import build_warehouse, warehouse_file

pytestmark = pytest.mark.slow

DEADLINE_SECONDS = 2700
SEED, SCALE, WEEKS = 5, 0.5, 3
SALT = "cluster-test-salt"
NEGATIVE = "质量太差了，喝完拉肚子，要求退款！客服也不回"
SHANGHAI = ZoneInfo("Asia/Shanghai")
#: each export's status and rows in the ledger
LEDGER_SQL = "select sha256, status, rows from raw._files order by sha256"


def corpus_start() -> dt.date:
    """Three weeks ending two weeks before this one: older than the alert window (72 h), so only
    the comment the test drops later is new."""
    today = dt.datetime.now(SHANGHAI).date()
    return today - dt.timedelta(days=today.weekday(), weeks=WEEKS + 2)


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


class Robot:
    """A group robot on 127.0.0.1 that records each message and when it arrived."""

    def __init__(self) -> None:
        self.received: list[tuple[float, dict]] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                robot.received.append((time.time(), json.loads(body.decode("utf-8"))))
                answer = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=k"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def texts(self) -> list[str]:
        return [json.dumps(body, ensure_ascii=False) for _, body in self.received]


@pytest.fixture(scope="module")
def endpoints():
    mailbox = Mailbox()
    with socket.socket() as probe:  # aiosmtpd's Controller cannot take port 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    robot = Robot()
    try:
        yield mailbox, port, robot
    finally:
        robot.server.shutdown()
        robot.server.server_close()
        controller.stop()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same corpus ingested and built on DuckDB without Airflow: the expected marts."""
    home = tmp_path_factory.mktemp("reference")
    # the cluster's tasks read NEWMEDIA_SALT (their settings); the reference hashes the same way
    build_warehouse(home, corpus_start(), WEEKS, scale=SCALE, seed=SEED, timeout=900, salt=SALT)
    return warehouse_file(home)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, endpoints):
    _, smtp_port, robot = endpoints
    home = tmp_path_factory.mktemp("cluster_home")
    generate_exports(home / "exports", corpus_start(), WEEKS, scale=SCALE, seed=SEED)
    # outside pytest's owner-only temporary folders: PostgreSQL runs as its own user
    state = Path(tempfile.mkdtemp(prefix="newmedia-cluster-"))
    smtp = {
        "conn_type": "smtp",
        "host": "127.0.0.1",
        "port": smtp_port,
        "extra": {"from_email": "reports@brand.example", "to": ["ops@brand.example"]},
    }
    extra = {
        "AIRFLOW_CONN_SMTP_DEFAULT": json.dumps(smtp),
        "AIRFLOW_CONN_NEWMEDIA_WEBHOOK": json.dumps({"conn_type": "http", "host": robot.url}),
        "NEWMEDIA_SALT": SALT,
        "NEWMEDIA_TASK_RETRIES": "2",
        "NEWMEDIA_TASK_RETRY_DELAY_SECONDS": "2",
        # a task whose worker died is declared lost after 20 s without a heartbeat
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "20",
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
        # the task the killed worker had received but not started stays queued: taken back after
        # 60 s, not the deployment's 180 s (`ops.cluster.DEFAULT_TASK_QUEUED_TIMEOUT`)
        "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": "60",
        "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT_CHECK_INTERVAL": "10",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "10",
    }
    settings = Settings(home=home, exports=home / "exports", target="postgres")
    try:
        info = start_cluster(state, settings, api_port=free_port(), extra_env=extra)
        api = Api(info.url, state / "airflow")
        api.login(info.user, info.password)

        def restart_lost() -> None:  # what `restart: always` (compose) or systemd does
            start_cluster(state, settings, extra_env=extra)

        yield info, api, home, time.monotonic() + DEADLINE_SECONDS, restart_lost
    finally:
        stop_cluster(state)
        shutil.rmtree(state, ignore_errors=True)


def worker_running(info: ClusterInfo, pid: int) -> str | None:
    """The Celery worker whose process tree holds `pid`."""
    for worker in WORKERS:
        leader = info.pid(worker)
        if leader and (pid == leader or pid in descendants(leader)):
            return worker
    return None


def kill_a_worker_mid_task(
    api: Api, info: ClusterInfo, dag_id: str, run_id: str, task_id: str, deadline: float
):
    """Wait for task `task_id` of the run to be running on a worker, then SIGKILL that worker and
    everything below it. Returns (task instance, worker), or None if the run ended first."""
    while time.monotonic() < deadline:
        for ti in api.task_instances(dag_id, run_id):
            if ti["task_id"] == task_id and ti["state"] == "running" and ti.get("pid"):
                worker = worker_running(info, ti["pid"])
                if worker:
                    kill_tree(info.pid(worker))
                    return ti, worker
        state = api.call("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}")["state"]
        if state in {"success", "failed"}:
            return None
        time.sleep(0.3)
    raise AssertionError(f"no task of {dag_id} ran before the deadline")


def first_run(api: Api, dag_id: str) -> str | None:
    runs = api.call("GET", f"/api/v2/dags/{dag_id}/dagRuns?order_by=run_after")["dag_runs"]
    return runs[0]["dag_run_id"] if runs else None


def all_runs_done(api: Api, dag_id: str, at_least: int = 1) -> list[dict] | None:
    runs = api.call("GET", f"/api/v2/dags/{dag_id}/dagRuns?limit=100")["dag_runs"]
    for run in runs:
        assert run["state"] != "failed", failed_tasks(api, dag_id, run["dag_run_id"])
    if len(runs) < at_least or any(r["state"] != "success" for r in runs):
        return None
    return runs


def drop_negative_comment(exports: Path) -> str:
    """A new comments export holding one negative comment created now, under an account that
    has comments: what a marketer drops in after the morning's crawl."""
    source = sorted(exports.glob("douyin/*/creator_comments_*.csv"))[-1]
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, row = reader.fieldnames, next(reader)
    comment_id = str(int(time.time() * 1000))
    row.update(
        comment_id=comment_id,
        create_time=str(int(time.time())),
        content=NEGATIVE,
        sub_comment_count="0",
        like_count="0",
        parent_comment_id="0",
    )
    target = source.with_name(f"creator_comments_{dt.date.today():%Y-%m-%d}_new.csv")
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerow(row)
    return comment_id


def test_the_cluster_survives_a_lost_worker_and_delivers(cluster, endpoints, reference):
    info, api, home, deadline, restart_lost = cluster
    mailbox, _, robot = endpoints
    logs = info.state / "logs"
    started = time.monotonic()
    for dag_id in ("ingest_exports", "transform_marts", "alerts_hourly", "reports_weekly"):
        wait_for(
            f"{dag_id} parsed",
            lambda d=dag_id: api.call("GET", f"/api/v2/dags/{d}"),
            deadline,
            logs,
        )
    for dag_id in ("ingest_exports", "transform_marts", "alerts_hourly"):
        api.pause(dag_id, False)

    # ingest (the run the scheduler makes when the DAG is unpaused), with one worker lost while
    # it loads a platform's files
    ingest_run = wait_for(
        "an ingest run", lambda: first_run(api, "ingest_exports"), deadline, logs, every=1
    )
    killed = kill_a_worker_mid_task(
        api, info, "ingest_exports", ingest_run, "ingest_platform", deadline
    )
    wait_for("ingest_exports", lambda: run_state(api, "ingest_exports", ingest_run), deadline, logs)
    if killed is None:
        pytest.fail("every ingest task ended before a worker could be killed")
    ti, worker = killed
    survivor = next(w for w in WORKERS if w != worker)
    assert info.pid(worker) is None and info.pid(survivor) is not None
    after = api.call(
        "GET",
        f"/api/v2/dags/ingest_exports/dagRuns/{ingest_run}/taskInstances/{ti['task_id']}"
        + (f"/{ti['map_index']}" if ti["map_index"] >= 0 else ""),
    )
    assert after["state"] == "success" and after["try_number"] > ti["try_number"], after
    restart_lost()  # the transform gets both workers again
    assert info.pid(worker) is not None
    # the scheduler's later ingest runs (every 15 minutes) find nothing new: let them end
    wait_for("every ingest run", lambda: all_runs_done(api, "ingest_exports"), deadline, logs)
    wait_for(
        "transform_marts, scheduled by ingest's Assets",
        lambda: all_runs_done(api, "transform_marts"),
        deadline,
        logs,
        every=5,
    )
    pipeline_seconds = time.monotonic() - started

    # nothing lost, nothing doubled: every mart as the same corpus built without Airflow
    pg = psycopg2.connect(
        host=info.env["NEWMEDIA_PG_HOST"],
        port=int(info.env["NEWMEDIA_PG_PORT"]),
        user=info.env["NEWMEDIA_PG_USER"],
        password=info.env["NEWMEDIA_PG_PASSWORD"],
        dbname=info.env["NEWMEDIA_PG_DBNAME"],
    )
    pg.autocommit = True
    try:
        differences = {m: d for m, d in compare_all(reference, pg).items() if d}
        with pg.cursor() as cur:
            cur.execute(LEDGER_SQL)
            ledger = cur.fetchall()
    finally:
        pg.close()
    assert not differences, differences
    expected = duckdb.connect(str(reference), read_only=True)
    try:
        assert ledger == expected.execute(LEDGER_SQL).fetchall()
    finally:
        expected.close()

    # the weekly reports, delivered by e-mail and to the robot
    period = (corpus_start() + dt.timedelta(weeks=WEEKS - 1)).strftime("%G-W%V")
    # a run of a paused DAG stays queued; unpaused only now, so the run the scheduler makes for
    # the latest Monday finds the marts
    api.pause("reports_weekly", False)
    weekly = api.trigger("reports_weekly", {"period": period})
    wait_for("reports_weekly", lambda: run_state(api, "reports_weekly", weekly), deadline, logs)
    subjects = [m["Subject"] for m in mailbox.messages]
    assert any("数据复盘报告" in s for s in subjects) and any("用户需求" in s for s in subjects)
    for message in mailbox.messages:
        names = [part.get_filename() for part in message.iter_attachments()]
        assert any(name and name.endswith(".pdf") for name in names), names
    assert any(period in text for text in robot.texts())

    # a new negative comment dropped in reaches the robot as an alert
    before = len(robot.received)
    dropped = time.time()
    drop_negative_comment(home / "exports")
    api.trigger("ingest_exports")  # the 15-minute poll, now

    def alerted():
        return [
            t
            for t, body in robot.received[before:]
            if "拉肚子" in json.dumps(body, ensure_ascii=False)
        ]

    arrived = wait_for("the alert of the new negative comment", alerted, deadline, logs, every=1)
    latency = arrived[0] - dropped
    print(
        f"\ncluster: ingest + transform through a lost worker in {pipeline_seconds:.0f} s "
        f"(killed {worker} during {ti['task_id']}[{ti['map_index']}]); "
        f"drop-to-alert latency {latency:.0f} s"
    )
    assert len(arrived) == 1
