"""The team deployment on this machine, without Docker (`make cluster`, `make cluster-stop`), and
a local Airflow on the embedded warehouse for an engineer (`make airflow`).

`make cluster` starts, under `$NEWMEDIA_HOME/cluster/` (the state folder, owner-only):

- PostgreSQL (Debian's server binaries, run as user `postgres` when we are root) on a free port
  of 127.0.0.1, with database `airflow` (Airflow's metadata and the Celery result backend) and
  database `newmedia` (the warehouse: `NEWMEDIA_TARGET=postgres`), each with its own login;
- Redis (Debian's `redis-server`) on 127.0.0.1, password-protected: the Celery broker;
- Airflow with the CeleryExecutor: api-server, scheduler, dag-processor, triggerer and two Celery
  workers (`worker-1@<host>`, `worker-2@<host>`), each in its own process group, logging to
  `cluster/logs/<name>.log`.

The same topology as docker-compose.yml. Passwords, keys and ports are made once and kept in
`cluster/cluster.json` (0600); `cluster/cluster.env` holds the environment of the cluster, so
`source var/cluster/cluster.env` points `airflow` and `newmedia` at it. Stopping ends every
process group it started and stops PostgreSQL; the data stay for the next start.

`make airflow` runs api-server, scheduler, dag-processor and triggerer with the LocalExecutor on
the SQLite metadata database of `newmedia run` (`$NEWMEDIA_HOME/airflow`) and the embedded
DuckDB warehouse, in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newmedia.settings import PROJECT_ROOT, WRITER_POOL, Settings, get_settings
from ops.pgserver import PgServer, free_port

AIRFLOW = str(Path(sys.executable).with_name("airflow"))
DAGS_DIR = PROJECT_ROOT / "dags"
UI_USER = "admin"
#: the Celery workers of the cluster (docker-compose.yml scales `airflow-worker` the same way)
WORKERS = ("worker-1", "worker-2")
#: seconds without a heartbeat before a task is declared lost (its worker died) and retried;
#: Airflow's default is 300
DEFAULT_HEARTBEAT_TIMEOUT = 60
#: task processes per Celery worker. The transform's ~236 dbt watcher tasks are short, so the
#: slots, not the CPU, set their pace; 8 per worker took CPU from the dbt build and delayed the
#: alert on 2 cores (measurements: DECISIONLOG.md, "More task slots under a scheduler")
WORKER_CONCURRENCY = 4
#: task processes of the LocalExecutor (`make airflow`; tests/e2e/test_scheduler.py runs with the
#: same; measurements in the same DECISIONLOG entry)
LOCAL_PARALLELISM = 8
#: seconds a task may stay queued before the scheduler takes it back from the broker and queues it
#: again (Airflow's default: 600). A worker that dies takes with it the task it had received but
#: not yet started; with late acknowledgement Redis hands that message out again only after its
#: visibility timeout (a day), so this is what brings the task back. The scheduler queues no more
#: than the workers can start at once (parallelism), so a task queued this long was lost.
DEFAULT_TASK_QUEUED_TIMEOUT = 180
STARTUP_SECONDS = 240


@dataclass
class Process:
    """One long-running command of the cluster."""

    name: str
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _secret() -> str:
    return secrets.token_urlsafe(18)


def load_config(state: Path, api_port: int | None = None) -> dict[str, Any]:
    """The cluster's passwords, keys and ports: made on the first start, kept in
    `cluster.json` (owner-only); a port taken since by another program is replaced."""
    from cryptography.fernet import Fernet

    path = state / "cluster.json"
    config: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    defaults = {
        "postgres_password": _secret(),
        "airflow_db_password": _secret(),
        "warehouse_password": _secret(),
        "redis_password": _secret(),
        "ui_password": _secret(),
        "jwt_secret": secrets.token_hex(32),
        "fernet_key": Fernet.generate_key().decode(),
    }
    for key, value in defaults.items():
        config.setdefault(key, value)
    ports = config.setdefault("ports", {})
    if api_port is not None:
        ports["api"] = api_port
    wanted = {"api": 8080}
    #: each port and the process that listens on it: a running one keeps its port
    owners = {
        "postgres": None,
        "redis": "redis",
        "api": "api-server",
        "triggerer_logs": "triggerer",
        **{f"{w}_logs": w for w in WORKERS},
    }
    for name, owner in owners.items():
        if owner is None:
            keep = (state / "postgres" / "data" / "postmaster.pid").exists()
        else:
            keep = running_pid(state, owner) is not None
        port = ports.get(name)
        if port is None or not (keep or _port_free(port)):
            candidate = wanted.get(name)
            ports[name] = candidate if candidate and _port_free(candidate) else free_port()
    _write_private(path, json.dumps(config, indent=2))
    return config


def cluster_env(
    state: Path, settings: Settings, config: dict[str, Any], extra: Mapping[str, str] = ()
) -> dict[str, str]:
    """The environment every Airflow process of the cluster runs with (also `cluster.env`)."""
    ports = config["ports"]
    pg = f"127.0.0.1:{ports['postgres']}"
    metadata = f"airflow:{config['airflow_db_password']}@{pg}/airflow"
    api = f"http://127.0.0.1:{ports['api']}"
    env = {
        "AIRFLOW_HOME": str(state / "airflow"),
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CORE__AUTH_MANAGER": (
            "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
        ),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{UI_USER}:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(state / "airflow" / "users.json"),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"postgresql+psycopg2://{metadata}",
        "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql+psycopg2://{metadata}",
        "AIRFLOW__CELERY__BROKER_URL": (
            f"redis://:{config['redis_password']}@127.0.0.1:{ports['redis']}/0"
        ),
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(WORKER_CONCURRENCY),
        # a worker takes a task only when one of its processes is free, and acknowledges it when
        # the task is done (the provider's defaults, pinned): a worker never holds a task back
        # behind a long one while the other worker idles, and a task of a lost worker is not lost
        "AIRFLOW__CELERY__WORKER_PREFETCH_MULTIPLIER": "1",
        "AIRFLOW__CELERY__TASK_ACKS_LATE": "True",
        # the scheduler queues only what the workers can start now, highest priority first (the
        # gates and the alerts ahead of the dbt watcher tasks): the broker is first in, first out
        "AIRFLOW__CORE__PARALLELISM": str(len(WORKERS) * WORKER_CONCURRENCY),
        "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": str(DEFAULT_TASK_QUEUED_TIMEOUT),
        "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT_CHECK_INTERVAL": "30",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{api}/execution/",
        "AIRFLOW__API__BASE_URL": api,
        "AIRFLOW__API_AUTH__JWT_SECRET": config["jwt_secret"],
        "AIRFLOW__CORE__FERNET_KEY": config["fernet_key"],
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": str(DEFAULT_HEARTBEAT_TIMEOUT),
        "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(ports["triggerer_logs"]),
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "DO_NOT_TRACK": "1",
        "SCARF_NO_ANALYTICS": "true",
        "NEWMEDIA_HOME": str(settings.home),
        "NEWMEDIA_EXPORTS": str(settings.exports),
        "NEWMEDIA_TARGET": "postgres",
        "NEWMEDIA_PG_HOST": "127.0.0.1",
        "NEWMEDIA_PG_PORT": str(ports["postgres"]),
        "NEWMEDIA_PG_USER": "newmedia",
        "NEWMEDIA_PG_PASSWORD": config["warehouse_password"],
        "NEWMEDIA_PG_DBNAME": "newmedia",
    }
    env.update(extra)
    return env


def processes(env: Mapping[str, str], state: Path, config: dict[str, Any]) -> list[Process]:
    """The cluster's programs: Redis, then Airflow's services and the Celery workers."""
    ports = config["ports"]
    host = socket.gethostname()
    redis_conf = state / "redis" / "redis.conf"
    found = [
        Process("redis", [shutil.which("redis-server") or "redis-server", str(redis_conf)]),
        Process(
            "api-server",
            [AIRFLOW, "api-server", "--host", "127.0.0.1", "--port", str(ports["api"])],
        ),
        Process("scheduler", [AIRFLOW, "scheduler"]),
        Process("dag-processor", [AIRFLOW, "dag-processor"]),
        Process("triggerer", [AIRFLOW, "triggerer"]),
    ]
    for worker in WORKERS:
        found.append(
            Process(
                worker,
                [
                    *(AIRFLOW, "celery", "worker", "--celery-hostname", f"{worker}@{host}"),
                    *("--pid", str(state / "run" / f"{worker}.celery.pid")),
                ],
                {"AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(ports[f"{worker}_logs"])},
            )
        )
    return found


def _redis_config(state: Path, config: dict[str, Any]) -> None:
    folder = state / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    _write_private(
        folder / "redis.conf",
        "\n".join(
            [
                "bind 127.0.0.1",
                f"port {config['ports']['redis']}",
                f"requirepass {config['redis_password']}",
                f"dir {folder}",
                "daemonize no",
                "appendonly yes",
                'save ""',
                "protected-mode yes",
                "",
            ]
        ),
    )


def _pid_file(state: Path, name: str) -> Path:
    return state / "run" / f"{name}.pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie (ended, not yet reaped by its parent) is not alive
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return True


def _ours(pid: int) -> bool:
    """The pid still runs the program we started (not a recycled pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return False
    return any(name in cmdline for name in ("airflow", "celery", "redis-server"))


def running_pid(state: Path, name: str) -> int | None:
    """The process group leader of `name`, if it still runs."""
    path = _pid_file(state, name)
    if not path.exists():
        return None
    pid = int(path.read_text().strip() or 0)
    return pid if pid and _alive(pid) and _ours(pid) else None


def start_process(process: Process, env: Mapping[str, str], state: Path) -> int:
    """Start `process` in its own session (process group), logging to logs/<name>.log."""
    logs = state / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with (logs / f"{process.name}.log").open("ab") as log:
        child = subprocess.Popen(
            process.args,
            env={**env, **process.env},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=state,
        )
    _write_private(_pid_file(state, process.name), str(child.pid))
    return child.pid


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children first found), read from /proc: Airflow runs each task
    in a process group of its own, which a signal to the worker's group does not reach."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(") ", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(pid: int) -> None:
    """SIGKILL to `pid`'s process group and to every process below it, wherever its group: what
    losing the machine (or the container) does to a worker and the tasks it runs."""
    below = descendants(pid)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    for child in below:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(child, signal.SIGKILL)
    _reap(pid)


def stop_group(pid: int, timeout: float = 30.0) -> None:
    """SIGTERM to the process group, then SIGKILL to what is left of it and of the processes
    below it after `timeout` seconds."""
    below = descendants(pid)
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    end = time.monotonic() + timeout
    while time.monotonic() < end and _group_alive(pid):
        _reap(pid)
        time.sleep(0.3)
    if _group_alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    for child in below:
        if _alive(child):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(child, signal.SIGKILL)
    _reap(pid)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    members = [p for p in Path("/proc").iterdir() if p.name.isdigit()]
    for member in members:
        try:
            stat = (member / "stat").read_text().rsplit(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(stat[2]) == pgid and stat[0] != "Z":
            return True
    return False


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def _airflow(env: Mapping[str, str], *args: str) -> None:
    done = subprocess.run([AIRFLOW, *args], env=dict(env), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"airflow {' '.join(args)} failed:\n{done.stderr[-3000:]}")


def _wait_http(url: str, deadline: float, log: Path, pid: int) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if not _alive(pid):
            break
        time.sleep(1)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    raise RuntimeError(f"{url} did not answer; the end of {log}:\n{tail}")


@dataclass
class ClusterInfo:
    """What a user (or a test) needs to reach a started cluster."""

    state: Path
    url: str
    user: str
    password: str
    env: dict[str, str]

    def pid(self, name: str) -> int | None:
        return running_pid(self.state, name)


def start_cluster(
    state: Path | None = None,
    settings: Settings | None = None,
    api_port: int | None = None,
    extra_env: Mapping[str, str] = (),
) -> ClusterInfo:
    """Start whatever of the cluster is not running yet (idempotent) and return how to reach
    it. `extra_env` is added to every Airflow process (connections, retries, timeouts)."""
    settings = settings or get_settings()
    state = state or settings.home / "cluster"
    state.mkdir(parents=True, exist_ok=True)
    # PostgreSQL's own user must pass through to its folder (owner-only inside); nothing here
    # can be listed or read by others
    os.chmod(state, 0o711 if os.geteuid() == 0 else 0o700)
    for folder in ("run", "logs"):
        (state / folder).mkdir(mode=0o700, exist_ok=True)
    if not shutil.which("redis-server"):
        raise RuntimeError("redis-server is not installed: run `make system-deps`")
    config = load_config(state, api_port)
    env = cluster_env(state, settings, config, dict(extra_env))
    inherited = {k: v for k, v in os.environ.items() if k != "AIRFLOW__CORE__UNIT_TEST_MODE"}
    _write_private(
        state / "cluster.env",
        "".join(f"export {k}={shlex.quote(v)}\n" for k, v in sorted(env.items())),
    )
    airflow_home = Path(env["AIRFLOW_HOME"])
    airflow_home.mkdir(parents=True, exist_ok=True)
    _write_private(
        Path(env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]),
        json.dumps({UI_USER: config["ui_password"]}),
    )

    server = PgServer(state / "postgres", config["ports"]["postgres"])
    if not server.initialised:
        server.init(superuser_password=config["postgres_password"])
    if not server.running():
        server.start()
    server.create_login("airflow", config["airflow_db_password"], "airflow", createrole=False)
    server.create_login("newmedia", config["warehouse_password"], "newmedia", createrole=True)

    _redis_config(state, config)
    from ops.dbt import ensure_manifest

    ensure_manifest(settings)  # the DAGs render dbt from the manifest
    # the metadata database is migrated when the api-server starts (not to restart a lost worker)
    migrated = running_pid(state, "api-server") is not None
    deadline = time.monotonic() + STARTUP_SECONDS
    for process in processes(env, state, config):
        if running_pid(state, process.name):
            continue
        if process.name != "redis" and not migrated:
            _airflow({**inherited, **env}, "db", "migrate")
            _airflow(
                {**inherited, **env}, "pools", "set", WRITER_POOL, "1", "DuckDB has one writer"
            )
            migrated = True
        pid = start_process(process, {**inherited, **env}, state)
        if process.name == "redis":
            _wait_redis(config, deadline, state / "logs" / "redis.log", pid)
    url = f"http://127.0.0.1:{config['ports']['api']}"
    api_pid = running_pid(state, "api-server")
    _wait_http(f"{url}/api/v2/version", deadline, state / "logs" / "api-server.log", api_pid or 0)
    return ClusterInfo(state, url, UI_USER, config["ui_password"], env)


def _wait_redis(config: dict[str, Any], deadline: float, log: Path, pid: int) -> None:
    while time.monotonic() < deadline and _alive(pid):
        try:
            with socket.create_connection(("127.0.0.1", config["ports"]["redis"]), 2) as s:
                s.sendall(f"AUTH {config['redis_password']}\r\nPING\r\n".encode())
                answer = b""
                while b"PONG" not in answer and (chunk := s.recv(100)):
                    answer += chunk
                if b"PONG" in answer:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise RuntimeError(f"redis-server did not start:\n{tail}")


def stop_cluster(state: Path | None = None) -> list[str]:
    """Stop every process group the cluster started (workers first, Redis last) and
    PostgreSQL; returns the names stopped. The data stay."""
    state = state or get_settings().home / "cluster"
    stopped = []
    order = [*WORKERS, "triggerer", "scheduler", "dag-processor", "api-server", "redis"]
    for name in order:
        pid = running_pid(state, name)
        if pid:
            stop_group(pid)
            stopped.append(name)
        _pid_file(state, name).unlink(missing_ok=True)
    config_path = state / "cluster.json"
    if config_path.exists():
        config = json.loads(config_path.read_text())
        server = PgServer(state / "postgres", config["ports"]["postgres"])
        if server.initialised and server.running():
            server.stop()
            stopped.append("postgres")
    return stopped


def describe(info: ClusterInfo) -> str:
    return "\n".join(
        [
            f"Airflow UI and REST API: {info.url}",
            f"log in as {info.user} / {info.password}",
            f"warehouse: PostgreSQL {info.env['NEWMEDIA_PG_HOST']}:"
            f"{info.env['NEWMEDIA_PG_PORT']} database {info.env['NEWMEDIA_PG_DBNAME']}, user "
            f"{info.env['NEWMEDIA_PG_USER']} (password in {info.state / 'cluster.json'})",
            f"environment: source {info.state / 'cluster.env'}",
            f"logs: {info.state / 'logs'}",
            "stop: make cluster-stop",
        ]
    )


# ---- make airflow: a local Airflow on the embedded warehouse -----------------------------------


def local_processes(port: int) -> list[Process]:
    return [
        Process("api-server", [AIRFLOW, "api-server", "--host", "127.0.0.1", "--port", str(port)]),
        Process("scheduler", [AIRFLOW, "scheduler"]),
        Process("dag-processor", [AIRFLOW, "dag-processor"]),
        Process("triggerer", [AIRFLOW, "triggerer"]),
    ]


def run_local_airflow(settings: Settings | None = None, port: int | None = None) -> int:
    """api-server, scheduler, dag-processor and triggerer with the LocalExecutor on the SQLite
    metadata of `newmedia run` and the embedded warehouse, until Ctrl-C (or one of them ends)."""
    from ops.dbt import ensure_manifest
    from ops.runner import airflow_env, prepare_airflow

    settings = settings or get_settings()
    if settings.target != "duckdb":
        raise RuntimeError("make airflow runs on the embedded warehouse: unset NEWMEDIA_TARGET")
    port = port or (8080 if _port_free(8080) else free_port())
    home = Path(airflow_env(settings)["AIRFLOW_HOME"])
    users = home / "users.json"
    if not users.exists():
        _write_private(users, json.dumps({UI_USER: _secret()}))
    env = {
        **airflow_env(settings),
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": str(LOCAL_PARALLELISM),
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{UI_USER}:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(users),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "NEWMEDIA_TASK_RETRIES": os.environ.get("NEWMEDIA_TASK_RETRIES", "2"),
    }
    secret = home / "jwt_secret"
    if not secret.exists():
        _write_private(secret, secrets.token_hex(32))
    env["AIRFLOW__API_AUTH__JWT_SECRET"] = secret.read_text().strip()
    os.environ.update(env)
    prepare_airflow(settings)  # migrates once, creates the writer pool
    os.environ.update(env)  # prepare_airflow sets its own defaults
    ensure_manifest(settings)
    state = home / "local"
    state.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{port}"

    def ready(pids: list[int]) -> None:
        _wait_http(
            f"{url}/api/v2/version",
            time.monotonic() + STARTUP_SECONDS,
            state / "logs" / "api-server.log",
            pids[0],
        )
        password = json.loads(users.read_text())[UI_USER]
        print(
            f"Airflow (LocalExecutor, embedded warehouse {settings.warehouse_path}): {url}\n"
            f"log in as {UI_USER} / {password}\n"
            f"logs: {state / 'logs'}; the DAGs start paused: unpause them in the UI\n"
            "Ctrl-C stops it",
            flush=True,
        )

    return run_in_foreground(local_processes(port), dict(os.environ), state, ready)


#: what ends a foreground run like Ctrl-C: a service manager's stop, the terminal closing
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def run_in_foreground(
    processes: list[Process],
    env: Mapping[str, str],
    state: Path,
    ready: Callable[[list[int]], None],
) -> int:
    """Start `processes` (each in a process group of its own), call `ready` with their pids, and
    wait until one of them ends (1) or Ctrl-C, SIGTERM or SIGHUP (0). Every group is stopped
    either way: the processes run in groups of their own, so without this a closed terminal or
    a `kill` would leave them running, holding the port and the warehouse."""
    pids: list[int] = []
    previous = {sig: signal.signal(sig, _interrupt) for sig in STOP_SIGNALS}
    try:
        for process in processes:
            pids.append(start_process(process, env, state))
        ready(pids)
        while all(_alive(pid) for pid in pids):
            time.sleep(1)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        # a second Ctrl-C or signal must not cut the stopping short (each group gets 30 s)
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.SIG_IGN)
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        for pid in pids:
            stop_group(pid)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.cluster", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="start the CeleryExecutor cluster (make cluster)")
    start.add_argument("--port", type=int, default=None, help="the api-server's port")
    sub.add_parser("stop", help="stop it (make cluster-stop)")
    sub.add_parser("status", help="which of its processes run")
    local = sub.add_parser("airflow", help="a local Airflow on the embedded warehouse")
    local.add_argument("--port", type=int, default=None)
    args = parser.parse_args(argv)
    if args.command == "start":
        print(describe(start_cluster(api_port=args.port)))
    elif args.command == "stop":
        stopped = stop_cluster()
        print("stopped: " + (", ".join(stopped) or "nothing was running"))
    elif args.command == "status":
        state = get_settings().home / "cluster"
        for name in ("redis", "api-server", "scheduler", "dag-processor", "triggerer", *WORKERS):
            pid = running_pid(state, name)
            print(f"{name}: {'running, pid ' + str(pid) if pid else 'stopped'}")
    else:
        return run_local_airflow(port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
