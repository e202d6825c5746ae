"""The generated corpus every mart test of this folder reads: sample exports of 5 weeks written with
``newmedia.samples.generate_exports``, ingested, prepared as the pipeline prepares the warehouse
before dbt (``newmedia.tasks.prepare_warehouse``) and built with ``dbt build``, once per session.

``built`` yields ``(dataset, con, completed)``: the generator's ground truth
(``newmedia.samples.SampleDataset``), a read-only DuckDB connection to the warehouse and the
finished ``dbt build`` process."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
DBT_DIR = ROOT / "dbt_project"
START = dt.date(2026, 9, 28)  # Monday of 2026-W40
WEEKS = 5
SEED = 5


@pytest.fixture(scope="session")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Any, duckdb.DuckDBPyConnection, subprocess.CompletedProcess[str]]]:
    from ingest import ingest_paths
    from newmedia.samples import generate_exports
    from newmedia.settings import Settings
    from newmedia.tasks import prepare_warehouse

    home = tmp_path_factory.mktemp("dbt_home")
    exports = home / "exports"
    dataset = generate_exports(exports, START, WEEKS, scale=1.0, seed=SEED)
    ingest_paths([exports], warehouse=home / "warehouse.duckdb", home=home)
    # as before every dbt run of the pipeline: every raw table, the sentiment labels
    prepare_warehouse(Settings(home=home, exports=exports, target="duckdb"))
    env = {
        **os.environ,
        "NEWMEDIA_HOME": str(home),
        "NEWMEDIA_TARGET": "duckdb",
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    dbt = str(Path(sys.executable).with_name("dbt"))
    completed = subprocess.run(
        [
            dbt,
            "build",
            "--project-dir",
            str(DBT_DIR),
            "--profiles-dir",
            str(DBT_DIR),
            "--target-path",
            str(home / "dbt_target"),
            "--log-path",
            str(home / "dbt_logs"),
        ],
        cwd=DBT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-6000:] + completed.stderr[-2000:]
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    yield dataset, con, completed
    con.close()
