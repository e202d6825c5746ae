"""Shared fixtures: an isolated Airflow and NEWMEDIA_HOME per test session, a built dbt manifest;
one throwaway PostgreSQL server per session (each module in a database of its own:
``tests.support.pg_cluster.database``).

`make test` runs the suite in parallel (pytest-xdist, ``PYTEST_WORKERS`` processes, 3 by
default), each worker a session of its own. The units it hands out are the test modules, except
the folders whose tests share a warehouse that a session or package fixture builds
(``SHARED_FOLDERS``): one worker runs such a folder whole, so the warehouse is built once. The
units that take longest are handed out first (``LONGEST_FIRST``), so the run does not end
waiting for one of them."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: folders whose tests share a built warehouse (a session or package fixture): one unit each
SHARED_FOLDERS = ("tests/dbt", "tests/reports", "tests/dashboards", "tests/samples")

#: the units that take longest, longest first (a parallel run on the 2-core machine, load 6-10:
#: the cluster test 17 min, the scheduler test 12, tests/dbt 12, the end-to-end pipeline 6, ...)
LONGEST_FIRST = (
    "tests/e2e/test_cluster.py",
    "tests/e2e/test_scheduler.py",
    "tests/dbt",
    "tests/dashboards",
    "tests/e2e/test_pipeline.py",
    "tests/reports",
    "tests/dags/test_failed_build_stops_the_gates.py",
    "tests/sentiment/test_sentiment_warehouse.py",
    "tests/expectations/test_raw_suites.py",
)


def unit_of(nodeid: str) -> str:
    """The unit of the parallel run a test belongs to: its module, or its shared folder."""
    module = nodeid.split("::", 1)[0]
    return next((f for f in SHARED_FOLDERS if module.startswith(f"{f}/")), module)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The units of ``LONGEST_FIRST`` first, in its order; the others after, as collected."""
    rank = {unit: number for number, unit in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(unit_of(item.nodeid), len(rank)))


if importlib.util.find_spec("xdist"):

    def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
        """pytest-xdist hands out ``unit_of`` units, in the collection's order."""
        from xdist.scheduler import LoadScopeScheduling

        class UnitScheduling(LoadScopeScheduling):
            def _split_scope(self, nodeid: str) -> str:
                return unit_of(nodeid)

        config.option.loadscopereorder = False  # keep LONGEST_FIRST's order
        return UnitScheduling(config, log)


@pytest.fixture(scope="session")
def airflow_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Airflow settings for tests, set before anything imports Airflow in this process."""
    home = tmp_path_factory.mktemp("newmedia_home")
    env = {
        "AIRFLOW_HOME": str(home / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "True",
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "DO_NOT_TRACK": "1",
        "NEWMEDIA_HOME": str(home),
    }
    os.environ.update(env)
    from newmedia.settings import get_settings
    from ops.dbt import ensure_manifest

    ensure_manifest(get_settings())
    return env


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A throwaway PostgreSQL server (trust authentication, 127.0.0.1, a free port) for the whole
    session, started when a test first needs it: the SQLAlchemy URL of its `postgres` database.
    Modules create their own database on it (``tests.support.pg_cluster.database``)."""
    from tests.support.pg_cluster import cluster

    with cluster() as url:
        yield url
