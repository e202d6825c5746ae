"""The dashboard on the PostgreSQL target, read through the read-only BI login: the generated
warehouse of the DuckDB dashboard test (its raw layer, as that test left it) mirrored to a
throwaway cluster and built there with dbt; Superset provisioned with NEWMEDIA_TARGET=postgres
into a copy of the DuckDB test's Superset home (its metadata database is migrated already, so
provisioning imports the dashboards only) and served. Every chart of every dashboard answers
through the chart data API with the rows the DuckDB dashboard answers on the same data, and
the key charts equal the marts read through the BI login."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from unittest import mock

import psycopg2
import pytest

from tests.dashboards.conftest import Server
from tests.dashboards.support import (
    DASHBOARDS,
    Client,
    check_charts_against_marts,
    finish_provisioning,
    same_rows,
    start_provisioning,
    superset_server,
)

pytestmark = pytest.mark.slow

BI_USER = "dashboard_reader"
BI_PASSWORD = "bi-secret"


def copy_superset_home(source: Path, home: Path) -> None:
    """The DuckDB test's Superset home (metadata database, secret key, generated password)
    copied into `home`; the metadata database through SQLite's backup (its server is running)."""
    target = home / "superset"
    target.mkdir(mode=0o700)
    for name in ("secret.key", "dashboard.password"):
        shutil.copy2(source / "superset" / name, target / name)
    with (
        sqlite3.connect(source / "superset" / "superset.db") as origin,
        sqlite3.connect(target / "superset.db") as copy,
    ):
        origin.backup(copy)


@pytest.fixture(scope="module")
def pg_dashboard(dashboard: Server, tmp_path_factory: pytest.TempPathFactory, pg_server: str):
    from newmedia.settings import get_settings
    from newmedia.tasks import prepare_warehouse
    from tests.support.pg_cluster import database
    from tests.support.warehouse import dbt_env, exports_dir, run_dbt

    started = time.monotonic()
    pg_home = tmp_path_factory.mktemp("dashboard_pg_home")
    copy_superset_home(dashboard.home, pg_home)
    with database(pg_server, "dashboard_postgres") as parsed:
        pg_env = {
            "NEWMEDIA_TARGET": "postgres",
            "NEWMEDIA_PG_HOST": parsed.host,
            "NEWMEDIA_PG_PORT": str(parsed.port),
            "NEWMEDIA_PG_USER": parsed.username,
            "NEWMEDIA_PG_PASSWORD": "",
            "NEWMEDIA_PG_DBNAME": parsed.database,
            "NEWMEDIA_PG_BI_USER": BI_USER,
            "NEWMEDIA_PG_BI_PASSWORD": BI_PASSWORD,
        }
        env = {**dashboard.env, **pg_env, "NEWMEDIA_HOME": str(pg_home)}
        provisioning = start_provisioning(pg_home, env)
        try:
            # the raw layer staged in the DuckDB test's warehouse, mirrored; the BI login made
            with mock.patch.dict(os.environ, pg_env):
                settings = get_settings()
                home, exports = dashboard.home, exports_dir(dashboard.home)
                prepare_warehouse(replace(settings, home=home, exports=exports))
            # the models only: dbt's tests run on PostgreSQL in tests/dbt
            run_dbt(
                dashboard.home,
                "build",
                "--exclude-resource-type",
                "test",
                "--exclude-resource-type",
                "unit_test",
                env=dbt_env(dashboard.home, **pg_env),
                name="dashboard_postgres",
            )
        except BaseException:
            provisioning.kill()
            provisioning.wait()
            raise
        stdout = finish_provisioning(pg_home, provisioning)
        assert "postgresql+psycopg2://" + BI_USER in stdout, stdout
        assert BI_PASSWORD not in (pg_home / "superset" / "superset.db").read_bytes().decode(
            "latin-1"
        )
        bi = psycopg2.connect(
            host=parsed.host,
            port=parsed.port,
            user=BI_USER,
            password=BI_PASSWORD,
            dbname=parsed.database,
        )
        bi.autocommit = True
        try:
            with superset_server(pg_home, env) as base:
                print(f"PostgreSQL dashboard ready in {time.monotonic() - started:.0f} s")
                yield Server(pg_home, base, dashboard.user, dashboard.password, env), bi
        finally:
            bi.close()


def test_every_chart_answers_on_postgres_through_the_bi_login_as_on_duckdb(
    dashboard: Server, pg_dashboard
):
    server, bi = pg_dashboard
    started = time.monotonic()
    pg = Client.log_in(server.base, server.user, server.password)
    duck = Client.log_in(dashboard.base, dashboard.user, dashboard.password)

    def marts(sql: str) -> list[tuple]:
        with bi.cursor() as cur:
            cur.execute(sql)
            return [
                tuple(float(v) if isinstance(v, Decimal) else v for v in row)
                for row in cur.fetchall()
            ]

    check_charts_against_marts(pg, marts)
    differing = []
    compared = 0
    for slug in DASHBOARDS:
        on_duckdb = duck.charts(f"newmedia-{slug}")
        on_postgres = pg.charts(f"newmedia-{slug}")
        assert on_postgres.keys() == on_duckdb.keys()
        for name, chart_id in on_postgres.items():
            rows = pg.data(chart_id)["data"]
            theirs = duck.data(on_duckdb[name])["data"]
            if not same_rows(rows, theirs):
                only_pg = [r for r in rows if r not in theirs][:3]
                only_duck = [r for r in theirs if r not in rows][:3]
                differing.append(f"{slug}/{name}: postgres {only_pg} duckdb {only_duck}")
            compared += len(rows)
    assert not differing, differing
    print(
        f"{compared} chart rows equal on PostgreSQL and DuckDB ({time.monotonic() - started:.0f} s)"
    )
