"""The process handling of `make cluster` (ops.cluster): a stop or a kill reaches every
process below a started one, even those in process groups of their own (as Airflow runs each
task), and the cluster's secrets are made once and kept owner-only."""

from __future__ import annotations

import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


#: a foreground run (`make airflow`) of two process trees like the ones above
FOREGROUND = """
import sys
from pathlib import Path
from ops.cluster import Process, run_in_foreground
tree = sys.argv[2]
processes = [Process(name, [sys.executable, "-c", tree, "airflow"]) for name in ("api", "sched")]
ready = lambda pids: print("ready", *pids, flush=True)
sys.exit(run_in_foreground(processes, {}, Path(sys.argv[1]), ready))
"""


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_foreground_run_stops_everything_it_started_on_a_stop_signal(tmp_path, stop):
    # Ctrl-C, a service manager's stop or the terminal closing: nothing it started runs on
    run = subprocess.Popen(
        [sys.executable, "-c", FOREGROUND, str(tmp_path), TREE],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        # a background shell ignores SIGINT in its children; a terminal's Ctrl-C does not
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        line = run.stdout.readline().split()
        assert line[0] == "ready", line
        pids = [int(p) for p in line[1:]]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not all(descendants(p) for p in pids):
            time.sleep(0.1)
        below = [c for p in pids for c in descendants(p)]
        assert len(pids) == 2 and len(below) >= 2, (pids, below)
        run.send_signal(stop)
        assert run.wait(timeout=60) == 0
        time.sleep(0.5)
        assert not [p for p in pids + below if _alive(p)]
        assert (tmp_path / "logs" / "api.log").exists()
    finally:
        if run.poll() is None:
            run.kill()
