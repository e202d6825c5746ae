"""Shared fixtures: an isolated Airflow and NEWMEDIA_HOME per test session, a built dbt manifest;
one throwaway PostgreSQL server per session (each module in a database of its own:
``tests.support.pg_cluster.database``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
