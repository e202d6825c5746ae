"""The same project on PostgreSQL: a throwaway cluster, a small generated corpus ingested once
(DuckDB stages it, ingest.pg_mirror mirrors the raw layer to PostgreSQL), `dbt build` on both targets,
and every mart of spec §4 holds the same rows on both; the BI role reads the marts and nothing
else."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path
from unittest import mock

import duckdb
import psycopg2
import pytest

from newmedia.settings import get_settings
from samples import generate_exports
from tests.support.marts_compare import MARTS, compare_all
from tests.support.pg_cluster import database
from tests.support.warehouse import (
    PIPELINE_BUILD,
    dbt_env,
    exports_dir,
    generate,
    ingest_home,
    prepare,
    run_dbt,
    together,
    warehouse_file,
)

pytestmark = pytest.mark.slow

START = dt.date(2026, 9, 28)
BI_USER = "bi_reader"


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory, pg_server: str):
    """Round 1: three weeks ingested, a full build on both. Round 2: a later week (overlapping the
    last one) through the ingest task on the postgres target, and an incremental build on both.
    The marts are compared after each round."""
    home = tmp_path_factory.mktemp("pg_home")
    exports = exports_dir(home)
    # generated, ingested, prepared (raw tables, sentiment labels); built below on both targets
    generate(home, START, 3)
    ingest_home(home)
    prepare(home)
    with database(pg_server, "dbt_postgres") as parsed:
        pg_env = {
            "NEWMEDIA_TARGET": "postgres",
            "NEWMEDIA_PG_HOST": parsed.host,
            "NEWMEDIA_PG_PORT": str(parsed.port),
            "NEWMEDIA_PG_USER": parsed.username,
            "NEWMEDIA_PG_PASSWORD": "",
            "NEWMEDIA_PG_DBNAME": parsed.database,
            "NEWMEDIA_PG_BI_USER": BI_USER,
            "NEWMEDIA_PG_BI_PASSWORD": "bi-secret",
        }
        from ingest.pg_mirror import sync_raw_to_postgres
        from newmedia.tasks import ingest_exports, prepare_warehouse

        with mock.patch.dict(os.environ, pg_env):
            settings = replace(get_settings(), home=home, exports=exports)
            prepare_warehouse(settings)  # mirrors the raw layer, makes the BI login
            again = sync_raw_to_postgres(settings.home, settings.warehouse_path, settings.postgres)
        # dbt on DuckDB and on PostgreSQL at the same time; the unit tests on PostgreSQL once
        _build_both(home, pg_env, unit_tests_on_postgres=True)
        pg = psycopg2.connect(
            host=parsed.host, port=parsed.port, user=parsed.username, dbname=parsed.database
        )
        pg.autocommit = True
        try:
            rounds = {"full build": compare_all(warehouse_file(home), pg)}
            later = home / "exports_later"
            generate_exports(later, START + dt.timedelta(weeks=2), 1, seed=11)
            with mock.patch.dict(os.environ, pg_env):
                ingested = ingest_exports([later], settings)
            assert ingested["loaded"] > 20 and not ingested["quarantined"]
            _build_both(home, pg_env)
            rounds["incremental build"] = compare_all(warehouse_file(home), pg)
            duck = duckdb.connect(str(warehouse_file(home)), read_only=True)
            try:
                yield duck, pg, parsed, again, rounds
            finally:
                duck.close()
        finally:
            pg.close()


def _build_both(home: Path, pg_env: dict[str, str], unit_tests_on_postgres: bool = False) -> None:
    """``dbt build`` on the DuckDB file and on PostgreSQL, at the same time (two targets, two
    processes), as the pipeline builds (no unit tests; tests/dbt's shared build runs them on
    DuckDB), every node on PostgreSQL with ``unit_tests_on_postgres``; fails the test unless
    both succeed."""
    postgres = ("build",) if unit_tests_on_postgres else PIPELINE_BUILD
    together(
        lambda: run_dbt(home, *PIPELINE_BUILD, name="duckdb", timeout=600),
        lambda: run_dbt(home, *postgres, env=dbt_env(home, **pg_env), name="postgres", timeout=600),
    )


def test_the_raw_layer_is_mirrored_whole_and_once(warehouses):
    duck, pg, _, again, _ = warehouses
    assert again == {"files": 0, "rows": 0, "ledger": 0, "labels": 0}
    tables = [
        row[0]
        for row in duck.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
    ]
    with pg.cursor() as cur:
        for table in tables:
            expected = duck.execute(f'select count(*) from raw."{table}"').fetchone()[0]
            cur.execute(f'select count(*) from raw."{table}"')
            assert cur.fetchone()[0] == expected, table
        cur.execute("select count(*) from raw._files where status = 'loaded'")
        assert cur.fetchone()[0] > 100


@pytest.mark.parametrize("mart", MARTS)
@pytest.mark.parametrize("build", ["full build", "incremental build"])
def test_the_marts_are_identical_on_both_targets(warehouses, build, mart):
    *_, rounds = warehouses
    assert not rounds[build][mart]


def test_the_bi_role_reads_the_marts_and_nothing_else(warehouses):
    _, _, parsed, _, _ = warehouses
    bi = psycopg2.connect(
        host=parsed.host,
        port=parsed.port,
        user=BI_USER,
        password="bi-secret",
        dbname=parsed.database,
    )
    bi.autocommit = True
    try:
        with bi.cursor() as cur:
            for mart in MARTS:
                cur.execute(f"select count(*) from marts.{mart}")
                assert cur.fetchone()[0] >= 0
            denied = [
                "select count(*) from raw._files",
                "select count(*) from staging.stg_brand__leads",
                "select count(*) from intermediate.int_orders",
                "select count(*) from public.kpi_definitions",
                "insert into marts.dim_accounts (platform) values ('x')",
                "update marts.dim_accounts set account_name = 'x'",
                "delete from marts.mart_growth_daily",
                "truncate marts.mart_growth_daily",
                "drop table marts.mart_posting_time",
                "create table marts.scratch (x int)",
                "create table public.scratch (x int)",
                "create schema scratch",
                "create role intruder",
            ]
            for statement in denied:
                with pytest.raises(psycopg2.Error) as caught:
                    cur.execute(statement)
                assert caught.value.pgcode == "42501", (statement, caught.value.pgerror)
            cur.execute(
                "select r.rolname from pg_roles r join pg_auth_members m on m.roleid = r.oid "
                "join pg_roles u on u.oid = m.member where u.rolname = %s",
                [BI_USER],
            )
            assert [row[0] for row in cur.fetchall()] == ["newmedia_bi"]
    finally:
        bi.close()
