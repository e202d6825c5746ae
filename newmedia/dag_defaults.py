"""Shared settings of the DAG files: schedules start, pools, approved tags, default_args.

Imported at DAG parse time, so it stays light: no database, network or heavy library."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pendulum

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_DIR = PROJECT_ROOT / "dbt_project"
SHANGHAI = "Asia/Shanghai"
START_DATE = pendulum.datetime(2026, 1, 1, tz=SHANGHAI)

#: the one-slot pool every DuckDB-writing task runs in (DuckDB has one writer)
WRITER_POOL = "duckdb_writer"

#: the only tags a DAG may carry
APPROVED_TAGS = frozenset({"ingest", "transform", "validate", "publish", "alert", "maintenance"})


def notify_failure(context: dict) -> None:
    """Failure callback: tell the team's webhook (configured as the Airflow connection
    `newmedia_webhook`); without one, the failure is only logged."""
    from newmedia.notify import notify_task_failure

    notify_task_failure(context)


DEFAULT_ARGS = {
    "owner": "data-engineering",
    "retries": int(os.environ.get("NEWMEDIA_TASK_RETRIES", "2")),
    "retry_delay": pendulum.duration(minutes=2),
    "retry_exponential_backoff": True,
    "max_retry_delay": pendulum.duration(minutes=30),
    "on_failure_callback": notify_failure,
}


def dbt_executable() -> str:
    """dbt of the interpreter that runs Airflow (a virtualenv's bin may not be on PATH)."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def dbt_target() -> str:
    return os.environ.get("NEWMEDIA_TARGET", "duckdb")
