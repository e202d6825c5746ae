"""The generated corpus every mart test of this folder reads: sample exports of 5 weeks written with
``samples.generate_exports``, ingested, prepared as the pipeline prepares the warehouse
before dbt (``newmedia.tasks.prepare_warehouse``) and built with ``dbt build``, once per session
(``support.warehouse.build_warehouse``).

``built`` yields ``(dataset, con, completed)``: the generator's ground truth
(``samples.SampleDataset``), a read-only DuckDB connection to the warehouse and the
finished ``dbt build`` process."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from typing import Any

import duckdb
import pytest

from tests.support.warehouse import build_warehouse, warehouse_file

START = dt.date(2026, 9, 28)  # Monday of 2026-W40
WEEKS = 5
SEED = 5


@pytest.fixture(scope="session")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Any, duckdb.DuckDBPyConnection, subprocess.CompletedProcess[str]]]:
    home = tmp_path_factory.mktemp("dbt_home")
    dataset, completed = build_warehouse(home, START, WEEKS, scale=1.0, seed=SEED)
    con = duckdb.connect(str(warehouse_file(home)), read_only=True)
    yield dataset, con, completed
    con.close()
