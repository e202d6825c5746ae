"""The dashboard on a generated warehouse, shared by the tests of this package and stopped when
they are done: sample exports (one platform held back for the test that loads it while the
dashboard is open), ingested and built, the marts snapshot published, Superset provisioned into
a temporary home (while the warehouse is built: the import needs no data) and served on a free
port."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.dashboards.support import (
    ensure_superset_venv,
    finish_provisioning,
    start_provisioning,
    superset_server,
)

START = dt.date(2026, 9, 7)
WEEKS = 5
HELD_BACK = "bilibili"  # loaded by the test that runs ingest while the dashboard is open
USER = "marketer"


@dataclass(frozen=True)
class Server:
    home: Path
    base: str
    user: str
    password: str
    env: dict[str, str]


@pytest.fixture(scope="package")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from dashboards.snapshot import publish_snapshot
    from tests.support.warehouse import (
        exports_dir,
        generate,
        ingest_home,
        prepare_and_build,
        warehouse_file,
    )

    ensure_superset_venv()
    home = tmp_path_factory.mktemp("dashboard_home")
    env = {
        **os.environ,
        "NEWMEDIA_HOME": str(home),
        "NEWMEDIA_TARGET": "duckdb",
        "NEWMEDIA_DASHBOARD_USER": USER,
    }
    env.pop("NEWMEDIA_DASHBOARD_PASSWORD", None)
    started = time.monotonic()
    provisioning = start_provisioning(home, env)
    try:
        generate(home, START, WEEKS, scale=0.3)
        shutil.move(exports_dir(home) / HELD_BACK, home / "held_back")
        ingest_home(home)
        prepare_and_build(home)
        publish_snapshot(warehouse_file(home), home)
    except BaseException:
        provisioning.kill()
        provisioning.wait()
        raise
    stdout = finish_provisioning(home, provisioning)
    print(f"built and provisioned in {time.monotonic() - started:.0f} s: {stdout.strip()}")
    password_file = home / "superset" / "dashboard.password"
    password = password_file.read_text().strip()
    assert password in stdout  # a generated password is printed ...
    assert password_file.stat().st_mode & 0o077 == 0  # ... and kept owner-only
    assert (home / "superset" / "secret.key").stat().st_mode & 0o077 == 0
    with superset_server(home, env) as base:
        yield Server(home, base, USER, password, env)
