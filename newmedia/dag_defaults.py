"""Shared settings of the DAG files: schedules start, pools, approved tags, default_args.

Imported at DAG parse time, so it stays light: no database, network or heavy library."""

from __future__ import annotations

import threading

import pendulum
from airflow.sdk import Asset, AssetAlias

import registry
from newmedia.settings import SHANGHAI, WRITER_POOL, get_settings
from ops.dbt import DBT_DIR, PIPELINE_BUILD_FLAGS, PIPELINE_THREADS, dbt_executable  # noqa: F401 - the DAG files' names

START_DATE = pendulum.datetime(2026, 1, 1, tz=SHANGHAI)

#: what the landing zone's folders feed: each platform's folder (the registry's landing folders)
#: and the brand's CSV templates
ASSET_NAMES = (*registry.landing_folders(), "brand")

#: the only tags a DAG may carry
APPROVED_TAGS = frozenset({"ingest", "transform", "validate", "publish", "alert", "maintenance"})


def notify_failure(context: dict) -> None:
    """Failure callback: tell the team's webhook (configured as the Airflow connection
    `newmedia_webhook`); without one, the failure is only logged."""
    from reports.webhook import notify_task_failure

    notify_task_failure(context)


DEFAULT_ARGS = {
    "owner": "data-engineering",
    "retries": get_settings().task_retries,
    "retry_delay": pendulum.duration(seconds=get_settings().task_retry_delay_seconds),
    "retry_exponential_backoff": True,
    "max_retry_delay": pendulum.duration(minutes=30),
    "on_failure_callback": notify_failure,
}


def raw_asset(name: str) -> Asset:
    """The Asset of one platform's (or source's) raw tables: updated when ingest loads a file."""
    return Asset(name=f"raw_{name}", uri=f"newmedia://warehouse/raw/{name}", group="raw")


#: the alias the mapped ingest task emits its per-platform Asset events through
RAW_ALIAS = AssetAlias(name="raw_loaded")
#: the marts, updated when dbt built them and the gates passed
MARTS = Asset(name="marts", uri="newmedia://warehouse/marts", group="marts")


def writer_pool_args() -> dict:
    """Operator arguments of every task that opens the DuckDB file: DuckDB has one writer, and a
    read-only reader cannot open the file while a writer holds it, so writers (ingest, dbt) and
    readers (gates, reports, alerts) take turns in a one-slot pool; PostgreSQL takes them in
    parallel."""
    return {"pool": WRITER_POOL} if dbt_target() == "duckdb" else {}


#: seconds before a deferred watcher's retry (`dbt_watcher_args`)
WATCHER_RETRY_DELAY_SECONDS = 5


def dbt_watcher_args() -> dict:
    """Operator arguments of the dbt model/test tasks in Cosmos watcher mode: each watches the
    result the one `dbt build` of the producer task reports for its node.

    Under a scheduler with a triggerer (docker-compose.yml, the scheduler test) a waiting watcher
    is deferred to the triggerer and holds no worker slot. Under `dag.test()` (`newmedia run`)
    deferred watchers can hang, because the run picks ready tasks in arbitrary order and runs
    each wait in process: there they poke and reschedule instead.

    A deferred watcher retries at least once, 5 s later, whatever ``NEWMEDIA_TASK_RETRIES`` says:
    Airflow 3.3 can fail a resumed deferred task when its trigger fires before the scheduler has
    processed the executor's report of the deferral's exit (the stale "success" meets the task
    queued again: "state mismatch"; apache/airflow#66374, #72716), which a scheduler run hit on a
    seed's watcher. The retry polls the producer's result again while the build runs; once the
    build is over, Cosmos runs the node's dbt command alone (its retry path), so the retry comes
    soon, not after the pipeline's minutes of delay."""
    settings = get_settings()
    if settings.in_process_run:
        return {"deferrable": False, "mode": "reschedule", "poke_interval": 2}
    return {
        "deferrable": True,
        "poke_interval": 5,
        "retries": max(1, settings.task_retries),
        "retry_delay": pendulum.duration(seconds=WATCHER_RETRY_DELAY_SECONDS),
        "retry_exponential_backoff": False,
    }


#: priority_weight of the tasks between the one `dbt build` and the group robot (the gates, the
#: alerts), with the absolute weight rule: ahead of the ~150 Cosmos watcher tasks (weight 2) and
#: of the producer (20) when they wait for a worker slot or the writer pool
ALERT_PATH_PRIORITY = 100
#: the dashboard's snapshot: after the alerts, still ahead of the watchers
SNAPSHOT_PRIORITY = 50


def alert_path_args(weight: int = ALERT_PATH_PRIORITY) -> dict:
    """Operator arguments of a task on the way from the marts to the group robot: a priority that
    does not depend on how many tasks follow it (`weight_rule="absolute"`)."""
    return {"priority_weight": weight, "weight_rule": "absolute"}


def dbt_producer_args() -> dict:
    """Operator arguments of the watcher-mode producer task, the one task that runs `dbt build`
    and so the only dbt task that writes the warehouse: the writer pool on DuckDB, and two dbt
    threads (DuckDB takes several writer threads inside one process), and without the unit tests
    (`ops.dbt.PIPELINE_BUILD_FLAGS`: they test the SQL, not the data). Under `dag.test()` the
    producer also starts importing what the gates need (`preload_gates`).

    No retries: Cosmos never runs the build a second time (a retried producer skips), and the
    gates follow the producer alone, so its failure must stay a failure that stops them, not turn
    into a skip. Its failure callback tells the team; the next ingest that loads something runs
    the build again."""
    args: dict = {
        **writer_pool_args(),
        "dbt_cmd_flags": ["--threads", str(PIPELINE_THREADS), *PIPELINE_BUILD_FLAGS],
        "retries": 0,
    }
    if get_settings().in_process_run:
        args["on_execute_callback"] = preload_gates
    return args


#: what `validate_gates` imports that takes seconds: Great Expectations itself
GATE_MODULES = ("great_expectations", "great_expectations.expectations", "expectations.gates")


def preload_gates(context: object = None) -> threading.Thread:
    """Import the gates' modules in a background thread (the producer's `on_execute_callback`
    under `dag.test()`). There every task runs in this one process, one after another, and the
    producer only waits for its `dbt build` subprocess for most of a minute: importing Great
    Expectations beside it takes those seconds off `validate_gates`, which runs in the same
    process right after. A failed import here is only logged: the gates import again and say
    why."""

    def load() -> None:
        import importlib
        import logging

        for name in GATE_MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # the gates' own import reports it
                logging.getLogger(__name__).debug("preloading %s failed", name, exc_info=True)
                return

    thread = threading.Thread(target=load, name="preload-gates", daemon=True)
    thread.start()
    return thread


def dbt_target() -> str:
    return get_settings().target


#: the Cosmos task group of `transform_marts`
DBT_GROUP = "dbt_build"


def dbt_node_selection(group_id: str = DBT_GROUP) -> list[str]:
    """The dbt selection the `transform_marts` DAG file renders its Cosmos task group with: every
    node, except when a task runner parses the file to run the watcher task of one node
    (`<group>.<node>.run|test|seed`, Airflow's parsing context). That process needs that task
    alone, and rendering the ~240 tasks of the whole project there took most of each watcher's
    CPU (under a scheduler every watcher runs in a task process of its own). The producer,
    the gates and every other task are rendered whole, as the dag-processor and `dag.test()`
    render the DAG."""
    from airflow.sdk import get_parsing_context

    context = get_parsing_context()
    task_id = context.task_id or ""
    parts = task_id.split(".")
    if context.dag_id != "transform_marts" or len(parts) != 3 or parts[0] != group_id:
        return []
    return [parts[1]]
