"""docker-compose.yml, checked without a Docker engine: it is valid against the compose
specification, and every path, variable, service and connection it names exists."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def common_env(compose: dict) -> dict[str, str]:
    return compose["x-airflow-common"]["environment"]


def test_valid_against_the_compose_specification():
    checker = str(Path(sys.executable).with_name("check-jsonschema"))
    done = subprocess.run(
        [checker, "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_official_celery_layout(compose):
    services = set(compose["services"])
    assert {
        "postgres",
        "redis",
        "warehouse",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-triggerer",
        "airflow-worker",
        "airflow-init",
    } <= services
    assert common_env(compose)["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert compose["services"]["airflow-worker"]["command"] == "celery worker"
    assert compose["services"]["airflow-dag-processor"]["command"] == "dag-processor"


def test_connections_name_services_of_the_file(compose):
    env = common_env(compose)
    services = set(compose["services"])
    for key in (
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
        "AIRFLOW__CELERY__BROKER_URL",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL",
    ):
        host = urlparse(env[key].replace("db+", "")).hostname
        assert host in services, f"{key} points at {host}, not a service"
    result_backend = urlparse(env["AIRFLOW__CELERY__RESULT_BACKEND"].replace("db+", ""))
    assert result_backend.hostname == "postgres"
    assert env["NEWMEDIA_PG_HOST"] in services


def test_every_host_path_exists(compose):
    for name, service in {
        "x-airflow-common": compose["x-airflow-common"],
        **compose["services"],
    }.items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (ROOT / source).exists(), (
                    f"{name} mounts {source}, which is not in the project"
                )
            else:
                assert source in compose["volumes"], f"{name} uses an undeclared volume {source}"
        build = service.get("build")
        if build:
            context = ROOT / (build if isinstance(build, str) else build["context"])
            assert (context / "Dockerfile").exists()


def test_the_image_holds_what_the_containers_use(compose):
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    # COPY --from=<stage> copies out of a build stage, not out of the project
    for source in re.findall(r"^COPY (?!.*--from=)(?:--\S+ )*(.+?) \S+$", dockerfile, flags=re.M):
        for item in source.split():
            assert (ROOT / item).exists(), f"the Dockerfile copies {item}, which does not exist"
    assert common_env(compose)["AIRFLOW__CORE__DAGS_FOLDER"] == "/opt/project/dags"
    assert (
        "WORKDIR /opt/project" in dockerfile and "COPY --chown=airflow:0 dags ./dags" in dockerfile
    )


def test_every_variable_is_documented_or_defaulted(compose):
    text = COMPOSE.read_text(encoding="utf-8")
    documented = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    for name, default in re.findall(r"(?<!\$)\$\{([A-Z0-9_]+)(:-[^}]*)?\}", text):
        assert default or name in documented, (
            f"${{{name}}} has no default and is not in .env.example"
        )


def test_the_project_s_settings_reach_every_airflow_container(compose):
    env = common_env(compose)
    for key in ("NEWMEDIA_HOME", "NEWMEDIA_EXPORTS", "NEWMEDIA_TARGET", "DO_NOT_TRACK"):
        assert key in env
    assert env["AIRFLOW__COSMOS__ENABLE_TELEMETRY"] == "False"
    mounts = {v.split(":")[1] for v in compose["x-airflow-common"]["volumes"]}
    assert env["NEWMEDIA_EXPORTS"] in mounts and env["NEWMEDIA_HOME"] in mounts
    init = compose["services"]["airflow-init"]["command"]
    assert "airflow db migrate" in init[-1] and "pools set duckdb_writer 1" in init[-1]


def test_make_cluster_starts_the_same_topology(compose, tmp_path):
    """`make cluster` (ops.cluster) runs on this machine what the compose file runs in
    containers: the same services, two workers, the same executor and connections' kinds."""
    from newmedia.settings import Settings
    from ops.cluster import WORKERS, cluster_env, processes

    config = {
        "ports": dict.fromkeys(
            ["postgres", "redis", "api", "triggerer_logs", *(f"{w}_logs" for w in WORKERS)], 1
        ),
        **dict.fromkeys(
            ["airflow_db_password", "warehouse_password", "redis_password", "jwt_secret"], "x"
        ),
        "fernet_key": "k",
    }
    settings = Settings(home=tmp_path, exports=tmp_path / "exports", target="postgres")
    env = cluster_env(tmp_path, settings, config)
    native = {p.name: p.args for p in processes(env, tmp_path, config)}
    services = compose["services"]
    for service in ("api-server", "scheduler", "dag-processor", "triggerer"):
        assert service in native
        compose_name = "airflow-apiserver" if service == "api-server" else f"airflow-{service}"
        assert services[compose_name]["command"] == service
    workers = [name for name, args in native.items() if args[1:3] == ["celery", "worker"]]
    assert len(workers) == len(WORKERS) == services["airflow-worker"]["scale"] == 2
    assert "redis" in native and "redis" in services
    compose_env = common_env(compose)
    assert env["AIRFLOW__CORE__EXECUTOR"] == compose_env["AIRFLOW__CORE__EXECUTOR"]
    for key in ("AIRFLOW__CELERY__BROKER_URL", "AIRFLOW__CELERY__RESULT_BACKEND"):
        assert urlparse(env[key]).scheme == urlparse(compose_env[key]).scheme
    assert env["NEWMEDIA_TARGET"] == "postgres"
    # Airflow's metadata and the warehouse are two databases, as the two compose services
    assert urlparse(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]).path == "/airflow"
    assert env["NEWMEDIA_PG_DBNAME"] == "newmedia"
    # the scheduler queues only what the workers can start at once (so the gates and the alerts
    # go ahead of the dbt watcher tasks, and a task queued for minutes was lost with its worker):
    # a worker takes one task per free process and acknowledges it when done
    for name, environment in (("make cluster", env), ("compose", compose_env)):
        slots = len(WORKERS) * int(environment["AIRFLOW__CELERY__WORKER_CONCURRENCY"])
        assert int(environment["AIRFLOW__CORE__PARALLELISM"]) == slots, name
        assert environment["AIRFLOW__CELERY__WORKER_PREFETCH_MULTIPLIER"] == "1", name
        assert environment["AIRFLOW__CELERY__TASK_ACKS_LATE"] == "True", name
        assert float(environment["AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT"]) < 600, name
