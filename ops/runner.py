"""Run a DAG once, in this process, through Airflow itself (`dag.test()`), on a local metadata
database under $NEWMEDIA_HOME/airflow: the demo and production take the same path."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from newmedia.settings import PROJECT_ROOT, SHANGHAI, WRITER_POOL, Settings

if TYPE_CHECKING:
    from ops.progress import RunProgress

DAGS_DIR = PROJECT_ROOT / "dags"
#: the DAGs of one pass of the pipeline, in order, each with the hour it runs at (Shanghai)
PIPELINE = (
    ("ingest_exports", 6),
    ("transform_marts", 7),
    ("reports_weekly", 9),
    ("reports_quarterly", 9),
)


class PipelineFailedError(Exception):
    """A task of the DAG run failed; the message names it."""


def airflow_env(settings: Settings) -> dict[str, str]:
    """Environment for a local Airflow: its home and SQLite metadata under NEWMEDIA_HOME."""
    airflow_home = Path(os.environ.get("AIRFLOW_HOME", settings.home / "airflow"))
    return {
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        # a one-shot run has no producer retry to restore the dbt results for: no Airflow
        # Variable write per dbt node
        "AIRFLOW__COSMOS__ENABLE_WATCHER_RELIABLE_RETRY": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": os.environ.get(
            "AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING"
        ),
        "DO_NOT_TRACK": "1",
        # a one-shot local run reports a failure at once instead of waiting out retry delays
        "NEWMEDIA_TASK_RETRIES": os.environ.get("NEWMEDIA_TASK_RETRIES", "0"),
        "SCARF_NO_ANALYTICS": "true",
        # dag.test() has no triggerer: the dbt watcher tasks poke instead of deferring
        # (newmedia.dag_defaults.dbt_watcher_args)
        "NEWMEDIA_IN_PROCESS_RUN": "1",
        "NEWMEDIA_HOME": str(settings.home),
        "NEWMEDIA_EXPORTS": str(settings.exports),
        "NEWMEDIA_TARGET": settings.target,
    }


def prepare_airflow(settings: Settings) -> None:
    """Set the environment, migrate the metadata database once, create the writer pool."""
    env = airflow_env(settings)
    os.environ.update(env)
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    stamp = Path(env["AIRFLOW_HOME"]) / ".migrated"
    if not stamp.exists():
        airflow = str(Path(sys.executable).with_name("airflow"))
        subprocess.run([airflow, "db", "migrate"], env=os.environ, check=True, capture_output=True)
        stamp.touch()
    relax_sqlite_sync()
    from airflow.models.pool import Pool

    # in process: an `airflow pools set` per DAG cost an Airflow start-up each
    Pool.create_or_update_pool(
        WRITER_POOL,
        1,
        "DuckDB has one writer: every task that writes the warehouse runs in this pool",
        include_deferred=False,
    )


def relax_sqlite_sync() -> bool:
    """On a SQLite metadata database (the local one of `newmedia run`, never a scheduler's:
    LocalExecutor and CeleryExecutor need PostgreSQL), commit without an fsync each.

    Airflow opens SQLite in WAL mode with SQLite's default `synchronous=FULL`: every commit waits
    for the disk (about 3 ms here), and a `dag.test()` run commits thousands of times, a dozen
    per task through the in-process execution API (about 5 s of a `transform_marts` run's 241
    tasks). `synchronous=NORMAL`, SQLite's recommended setting in WAL mode, keeps the database
    consistent after any crash; only the last commits before a power loss can be lost, which
    for a one-shot run's bookkeeping costs nothing but re-running it. Returns whether the engine
    is SQLite (and so was changed)."""
    from airflow import settings
    from sqlalchemy import event

    engines = [settings.engine]
    if settings.async_engine is not None:  # the execution API's async routes
        engines.append(settings.async_engine.sync_engine)
    changed = False
    for engine in engines:
        if engine is None or engine.dialect.name != "sqlite":
            continue
        changed = True
        if not event.contains(engine, "connect", _sqlite_normal_sync):
            event.listen(engine, "connect", _sqlite_normal_sync)
            engine.dispose()  # the pooled connections were opened before the listener
    return changed


def _sqlite_normal_sync(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def run_pipeline(
    settings: Settings,
    run_date: dt.date | None = None,
    on_dag: Callable[[str], None] | None = None,
    progress: RunProgress | None = None,
) -> list[str]:
    """Run the pipeline's DAGs one after the other, as the scheduler would chain them: ingest,
    transform (scheduled on ingest's Assets), then the weekly and quarterly reports for the
    periods before `run_date` (default: today in Shanghai)."""
    states = []
    for dag_id, hour in PIPELINE:
        if on_dag:
            on_dag(dag_id)
        states.append(run_dag(dag_id, settings, run_date, hour=hour, progress=progress))
    return states


def run_dag(
    dag_id: str,
    settings: Settings,
    run_date: dt.date | None = None,
    hour: int = 6,
    progress: RunProgress | None = None,
) -> str:
    """Run `dag_id` once with `dag.test()`; returns the run's final state or raises. With
    `progress`, the run's tasks are shown while it runs and timed when it ends."""
    from ops.dbt import ensure_manifest

    prepare_airflow(settings)
    ensure_manifest(settings)
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_DIR / f"{dag_id}.py"))
    if bag.import_errors:
        raise PipelineFailedError(f"the DAG file does not import: {bag.import_errors}")
    dag = bag.dags[dag_id]
    import pendulum

    day = run_date or dt.datetime.now(pendulum.timezone(SHANGHAI)).date()
    logical_date = pendulum.datetime(day.year, day.month, day.day, hour, tz=SHANGHAI)
    if progress is None:
        dag_run = dag.test(logical_date=logical_date)
    else:
        dag_run = _test_with_progress(dag, logical_date, progress)
    state = str(getattr(dag_run, "state", "failed"))
    if "success" not in state:
        failed = _failed_tasks(dag_run)
        raise PipelineFailedError(f"the run of {dag_id} ended {state}; failed tasks: {failed}")
    return state


def _test_with_progress(dag, logical_date, progress: RunProgress):
    """`dag.test()` while a thread reads its task instances for `progress`."""
    from ops.progress import poll_run, read_run

    progress.dag_started(dag.dag_id)
    since = dt.datetime.now(dt.UTC)
    stop = threading.Event()
    thread = poll_run(dag.dag_id, logical_date, progress.update, stop, since=since)
    dag_run = None
    try:
        dag_run = dag.test(logical_date=logical_date)
    finally:
        stop.set()
        thread.join(timeout=5)
        try:
            snapshot = read_run(dag.dag_id, logical_date, since)
        except Exception:  # the run's own outcome matters, not its timing
            snapshot = None
        progress.dag_finished(
            dag.dag_id, str(getattr(dag_run, "state", "failed")).split(".")[-1], snapshot
        )
    return dag_run


def _failed_tasks(dag_run) -> str:
    try:
        instances = dag_run.get_task_instances()
    except Exception:
        return "unknown"
    failed = [ti.task_id for ti in instances if str(ti.state) in {"failed", "upstream_failed"}]
    return ", ".join(failed) or "none recorded"


def latest_reports(reports_dir: Path) -> list[tuple[str, Path, list[str]]]:
    """(kind, folder, file names) of the latest period of each report kind a run published."""
    found = []
    for kind in ("weekly", "user-needs", "quarterly", "channel-pilot"):
        folders = sorted((reports_dir / kind).glob("*/"), key=lambda p: p.name)
        if folders:
            found.append(
                (kind, folders[-1], sorted(p.name for p in folders[-1].iterdir() if p.is_file()))
            )
    return found
