"""A small client of Airflow's REST API (v2) for the scripts and tests that drive a running
Airflow: log in, call, wait for a DAG run with a bounded deadline, and say why a run failed."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any


class Api:
    """The REST API at `base` (http://host:port); `airflow_home` is where the task logs are."""

    def __init__(self, base: str, airflow_home: Path) -> None:
        self.base = base
        self.airflow_home = airflow_home
        self.token: str | None = None

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(
            self.base + path,
            data=None if body is None else json.dumps(body).encode(),
            headers=headers,
            method=method,
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
        return json.loads(raw) if raw else {}

    def login(self, username: str | None = None, password: str | None = None) -> None:
        """A JWT for the API: with a user and password (simple auth manager), else the token
        every visitor gets when all are admins."""
        if username is None:
            self.token = self.call("GET", "/auth/token")["access_token"]
        else:
            body = {"username": username, "password": password}
            self.token = self.call("POST", "/auth/token", body)["access_token"]

    def trigger(self, dag_id: str, conf: dict | None = None) -> str:
        """Trigger a run now; returns its run id."""
        body: dict[str, Any] = {"logical_date": None}
        if conf:
            body["conf"] = conf
        return self.call("POST", f"/api/v2/dags/{dag_id}/dagRuns", body)["dag_run_id"]

    def pause(self, dag_id: str, paused: bool) -> None:
        self.call("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": paused})

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        """Every task instance of a run: the API answers at most `maximum_page_limit` (100 by
        default) per call, and transform_marts has more, so read page after page."""
        found: list[dict] = []
        while True:
            page = self.call(
                "GET",
                f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances"
                f"?limit=100&offset={len(found)}",
            )
            found.extend(page["task_instances"])
            if not page["task_instances"] or len(found) >= page["total_entries"]:
                return found


def wait_for(
    what: str, check: Callable[[], Any], deadline: float, logs: Path, every: float = 3.0
) -> Any:
    """Call `check` until it returns something true or `deadline` (time.monotonic()) passes; on
    a timeout, raise with the tail of every log under `logs`."""
    while time.monotonic() < deadline:
        try:
            value = check()
        except (urllib.error.URLError, ConnectionError, TimeoutError, KeyError):
            value = None
        if value:
            return value
        time.sleep(every)
    tails = "\n".join(
        f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(logs.glob("*.log"))
    )
    raise AssertionError(f"timed out waiting for {what}\n{tails}")


def run_state(api: Api, dag_id: str, run_id: str) -> str | None:
    """`success` when the run succeeded, None while it runs; raises naming the failed tasks."""
    state = api.call("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}")["state"]
    if state == "failed":
        raise AssertionError(f"{dag_id} run {run_id} failed: {failed_tasks(api, dag_id, run_id)}")
    return state if state == "success" else None


def failed_tasks(api: Api, dag_id: str, run_id: str) -> str:
    """The failed tasks of a run (transform_marts has more than a page of them), each with the
    tail of its log, so a red run says why."""
    instances = api.task_instances(dag_id, run_id)
    failed = [t for t in instances if t["state"] in {"failed", "upstream_failed"}]
    states = Counter(str(t["state"]) for t in instances)
    lines = [f"{len(instances)} task instances, states: {dict(sorted(states.items()))}"]
    lines += [
        f"{t['task_id']} [{t['map_index']}]: {t['state']}"
        for t in instances
        if t["state"] not in {"success", "failed", "upstream_failed", "skipped"}
    ]
    for t in failed:
        lines.append(f"{t['task_id']} [{t['map_index']}]: {t['state']}")
        for log in api.airflow_home.glob(
            f"logs/dag_id={dag_id}/run_id={run_id}/task_id={t['task_id']}/**/*"
        ):
            if log.is_file():
                lines.append(log.read_text(errors="replace")[-4000:])
    return "\n".join(lines)
