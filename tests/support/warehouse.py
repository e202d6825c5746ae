"""A generated warehouse in a given home, built as the pipeline builds it: sample exports written
with ``samples.generate_exports`` under ``<home>/exports``, ingested into
``<home>/warehouse.duckdb``, prepared as before every dbt run (``newmedia.tasks.prepare_warehouse``:
every raw table, the sentiment labels) and built with ``dbt build``.

``build_warehouse`` does it all; the steps (``generate``, ``ingest_home``, ``prepare``,
``prepare_and_build``, ``run_dbt``) serve the tests that do something in between; ``together``
runs dbt on two warehouses at the same time. dbt runs as a subprocess with its target and log
folders in the home (``--target-path`` and ``--log-path`` win over
``DBT_TARGET_PATH`` / ``DBT_LOG_PATH``), so parallel builds never share them."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ops.dbt import DBT_DIR, PIPELINE_BUILD_FLAGS, dbt_executable

if TYPE_CHECKING:
    from ingest.loader import FileResult
    from samples import SampleDataset


def exports_dir(home: Path) -> Path:
    return home / "exports"


def warehouse_file(home: Path) -> Path:
    return home / "warehouse.duckdb"


def dbt_env(home: Path, **overrides: str) -> dict[str, str]:
    """The environment of a dbt run on ``home``: the DuckDB target unless ``overrides`` (e.g. the
    NEWMEDIA_PG_* variables with NEWMEDIA_TARGET=postgres) say otherwise; no telemetry."""
    return {
        **os.environ,
        "NEWMEDIA_HOME": str(home),
        "NEWMEDIA_TARGET": "duckdb",
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **overrides,
    }


def run_dbt(
    home: Path,
    *args: str,
    env: dict[str, str] | None = None,
    name: str | None = None,
    timeout: int = 900,
) -> subprocess.CompletedProcess[str]:
    """``dbt <args>`` on the project with ``env`` (``dbt_env(home)`` by default), its target and
    logs in ``<home>/dbt_target[_<name>]`` and ``<home>/dbt_logs[_<name>]``; fails the test unless
    it succeeds."""
    suffix = f"_{name}" if name else ""
    completed = subprocess.run(
        [
            dbt_executable(),
            *args,
            "--project-dir",
            str(DBT_DIR),
            "--profiles-dir",
            str(DBT_DIR),
            "--target-path",
            str(home / f"dbt_target{suffix}"),
            "--log-path",
            str(home / f"dbt_logs{suffix}"),
        ],
        cwd=DBT_DIR,
        env=dbt_env(home) if env is None else env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert completed.returncode == 0, (
        f"dbt {' '.join(args)} ({name or 'duckdb'}) failed:\n"
        + completed.stdout[-6000:]
        + completed.stderr[-3000:]
    )
    return completed


def generate(
    home: Path, start: dt.date, weeks: int, *, scale: float = 1.0, seed: int = 7
) -> SampleDataset:
    """Sample exports of ``weeks`` weeks from ``start`` under ``<home>/exports``; their truth."""
    from samples import generate_exports

    return generate_exports(exports_dir(home), start, weeks, scale=scale, seed=seed)


def ingest_home(home: Path, *folders: Path, salt: str | None = None) -> list[FileResult]:
    """Ingest ``folders`` (``<home>/exports`` by default) into ``<home>/warehouse.duckdb``,
    hashing personal data with ``salt`` (the settings' NEWMEDIA_SALT; default: the home's key
    file)."""
    from ingest import ingest_paths

    return ingest_paths(
        folders or [exports_dir(home)], warehouse=warehouse_file(home), home=home, salt=salt
    )


def prepare(home: Path) -> None:
    """As before every dbt run of the pipeline on DuckDB: every raw table, the sentiment labels."""
    from newmedia.settings import Settings
    from newmedia.tasks import prepare_warehouse

    prepare_warehouse(Settings(home=home, exports=exports_dir(home), target="duckdb"))


#: the nodes of the pipeline's ``dbt build`` (no unit tests: they test the SQL on fixtures, not the
#: rows, so one build per target that tests them is enough: tests/dbt)
PIPELINE_BUILD = ("build", *PIPELINE_BUILD_FLAGS)


def prepare_and_build(
    home: Path, *, name: str | None = None, timeout: int = 900, unit_tests: bool = False
) -> subprocess.CompletedProcess[str]:
    """As before every dbt run of the pipeline on DuckDB (every raw table, the sentiment labels),
    then ``dbt build`` as the pipeline runs it, or of every node with ``unit_tests``."""
    prepare(home)
    return run_dbt(
        home, *(("build",) if unit_tests else PIPELINE_BUILD), name=name, timeout=timeout
    )


T = TypeVar("T")


def together(*calls: Callable[[], T]) -> list[T]:
    """``calls`` at the same time, each in a thread of its own (dbt runs as a subprocess, so they
    overlap): their results in order, once all are done; the first failure is raised then. For
    dbt runs on different warehouses only (two DuckDB files, or a DuckDB file and a PostgreSQL
    database), each with its own target and log folders (a home of its own, or ``run_dbt``'s
    ``name``)."""
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(call) for call in calls]
    return [future.result() for future in futures]


def build_warehouse(
    home: Path,
    start: dt.date,
    weeks: int,
    *,
    scale: float = 1.0,
    seed: int = 7,
    name: str | None = None,
    timeout: int = 900,
    salt: str | None = None,
) -> tuple[SampleDataset, subprocess.CompletedProcess[str]]:
    """Generate, ingest (personal data hashed with ``salt``, default the home's key file),
    prepare and ``dbt build`` in ``home`` as the pipeline does (no unit tests): the generator's
    truth and the finished build."""
    dataset = generate(home, start, weeks, scale=scale, seed=seed)
    ingest_home(home, salt=salt)
    return dataset, prepare_and_build(home, name=name, timeout=timeout)
