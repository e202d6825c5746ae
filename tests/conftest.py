"""Shared fixtures: an isolated Airflow and NEWMEDIA_HOME per test session, a built dbt manifest."""

from __future__ import annotations

import os
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
