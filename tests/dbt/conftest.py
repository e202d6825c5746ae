"""The generated corpus every mart test of this folder reads: sample exports of 5 weeks written with
``samples.generate_exports``, ingested, prepared as the pipeline prepares the warehouse
before dbt (``newmedia.tasks.prepare_warehouse``) and built with ``dbt build``, once per session
(``support.warehouse.build_warehouse``).

The last week's exports arrive after a first build and are built incrementally, so every truth
test checks the marts of an incremental run (``tests/dbt/test_incremental.py`` checks that such a
run equals a full refresh).

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

from ingest import parse
from tests.support.warehouse import (
    exports_dir,
    generate,
    ingest_home,
    prepare_and_build,
    warehouse_file,
)

START = dt.date(2026, 9, 28)  # Monday of 2026-W40
WEEKS = 5
SEED = 5


@pytest.fixture(scope="session")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Any, duckdb.DuckDBPyConnection, subprocess.CompletedProcess[str]]]:
    home = tmp_path_factory.mktemp("dbt_home")
    dataset = generate(home, START, WEEKS, scale=1.0, seed=SEED)
    exports, later = exports_dir(home), home / "exports_last_week"
    last_built = START + dt.timedelta(days=7 * (WEEKS - 1))
    for path in sorted(p for p in exports.rglob("*") if p.is_file()):
        day = parse.snapshot_date_from_name(path.name)
        if day is not None and day > last_built:
            target = later / path.relative_to(exports)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.rename(target)
    assert any(later.rglob("*.*"))
    ingest_home(home, exports)
    prepare_and_build(home)
    ingest_home(home, later)
    completed = prepare_and_build(home, unit_tests=True)  # every node: the unit tests run here
    con = duckdb.connect(str(warehouse_file(home)), read_only=True)
    yield dataset, con, completed
    con.close()
