"""The process handling of `make cluster` (ops.cluster): a stop or a kill reaches every
process below a started one, even those in process groups of their own (as Airflow runs each
task), and the cluster's secrets are made once and kept owner-only."""

from __future__ import annotations

import stat
import sys
import time
from pathlib import Path

from ops.cluster import (
    Process,
    _alive,
    descendants,
    kill_tree,
    load_config,
    running_pid,
    start_process,
    stop_group,
)

#: a parent that starts a child in a session of its own, then waits: a Celery worker and its task
TREE = (
    "import subprocess, sys, time; "
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'], "
    "start_new_session=True); time.sleep(300)"
)


def _start_tree(state: Path, name: str) -> tuple[int, list[int]]:
    # `airflow` in the arguments: running_pid only trusts a pid that still runs our programs
    pid = start_process(Process(name, [sys.executable, "-c", TREE, "airflow"]), {}, state)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not descendants(pid):
        time.sleep(0.1)
    below = descendants(pid)
    assert below, "the child did not start"
    return pid, below


def test_kill_tree_reaches_a_task_in_its_own_session(tmp_path):
    pid, below = _start_tree(tmp_path, "worker-1")
    assert running_pid(tmp_path, "worker-1") == pid
    kill_tree(pid)
    time.sleep(0.5)
    assert not _alive(pid) and not any(_alive(c) for c in below)
    assert running_pid(tmp_path, "worker-1") is None


def test_stop_group_ends_every_process_below(tmp_path):
    pid, below = _start_tree(tmp_path, "scheduler")
    stop_group(pid, timeout=5)
    time.sleep(0.5)
    assert not _alive(pid) and not any(_alive(c) for c in below)
    assert (tmp_path / "logs" / "scheduler.log").exists()


def test_secrets_are_made_once_and_owner_only(tmp_path):
    first = load_config(tmp_path)
    again = load_config(tmp_path)
    assert first["ui_password"] == again["ui_password"] and len(first["ui_password"]) >= 20
    assert first["ports"]["postgres"] == again["ports"]["postgres"]
    mode = stat.S_IMODE((tmp_path / "cluster.json").stat().st_mode)
    assert mode == 0o600
