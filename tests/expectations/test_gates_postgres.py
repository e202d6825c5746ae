"""The PostgreSQL path: the mart suites run through GX's SQL data source (add_postgres,
add_table_asset / add_query_asset, add_batch_definition_whole_table) against a throwaway cluster
started here, pass on the fixture marts, and a corrupted mart holds the weekly report."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from mart_frames import AS_OF, FRAMES

from expectations import GateFailedError, run_gates
from expectations.gates import postgres_url
from expectations.holds import active_holds
from expectations.suites import MART_SUITES
from newmedia.settings import get_settings
from tests.support.pg_cluster import database, pg_bin

pytestmark = pytest.mark.slow


def test_the_postgresql_server_is_installed():
    # `make install` installs it (system-deps): its absence is a failure, never a skip
    assert pg_bin() is not None, "PostgreSQL server binaries (initdb, pg_ctl) are not installed"


@pytest.fixture(scope="module")
def postgres(pg_server: str):
    with database(pg_server, "gates_postgres", zh=False) as parsed:
        url = parsed.render_as_string(hide_password=False)
        engine = sa.create_engine(url)
        with engine.begin() as con:
            con.execute(sa.text("create schema marts"))
        for name, make in FRAMES.items():
            make().to_sql(name, engine, schema="marts", index=False)
        yield url, engine
        engine.dispose()


def test_mart_suites_pass_and_a_corrupted_mart_holds(postgres, tmp_path):
    url, engine = postgres
    results = run_gates(
        None,
        names=MART_SUITES,
        target="postgres",
        connection_string=url,
        home=tmp_path,
        as_of=AS_OF,
    )
    assert [r.suite for r in results] == list(MART_SUITES)
    failed = {r.suite: [f.describe() for f in r.failed] for r in results if not r.success}
    assert not failed
    coverage = {r.suite: r.period for r in results if "__platforms" in r.suite}
    assert set(coverage.values()) == {"2026-W47"}
    assert (tmp_path / "data_docs" / results[0].run_id / "index.html").exists()

    with engine.begin() as con:
        con.execute(
            sa.text(
                "update marts.mart_engagement_weekly set interaction_rate = 1.7 "
                "where platform = 'douyin' and week = '2026-W47'"
            )
        )
        con.execute(
            sa.text(
                "delete from marts.mart_growth_weekly "
                "where platform = 'kuaishou' and week = '2026-W47'"
            )
        )
    with pytest.raises(GateFailedError) as caught:
        run_gates(
            None,
            names=MART_SUITES,
            target="postgres",
            connection_string=url,
            home=tmp_path,
            as_of=AS_OF,
        )
    blocked = {r.suite: r for r in caught.value.results}
    assert set(blocked) == {"mart_engagement_weekly", "mart_growth_weekly__platforms"}
    (check,) = blocked["mart_engagement_weekly"].failed
    assert (check.column, check.examples) == ("interaction_rate", [1.7])
    assert check.rows and check.rows[0]["platform"] == "douyin"
    (missing,) = blocked["mart_growth_weekly__platforms"].failed
    assert missing.examples == ["kuaishou"]
    holds = {h["suite"] for h in active_holds(tmp_path, "weekly")}
    assert holds == {"mart_engagement_weekly", "mart_growth_weekly__platforms"}


def test_a_missing_table_fails_clearly(postgres, tmp_path):
    url, engine = postgres
    with engine.begin() as con:
        con.execute(sa.text("drop table marts.mart_ab_test_results"))
    with pytest.raises(GateFailedError, match=r"table missing: marts\.mart_ab_test_results"):
        run_gates(
            None,
            names=("mart_ab_test_results",),
            target="postgres",
            connection_string=url,
            home=tmp_path,
            data_docs=False,
        )


def test_the_connection_string_comes_from_the_dbt_variables(monkeypatch):
    """The settings' NEWMEDIA_PG_* (the variables dbt's profile reads) make the gates' URL."""
    for name, value in {
        "NEWMEDIA_PG_HOST": "db.internal",
        "NEWMEDIA_PG_PORT": "5433",
        "NEWMEDIA_PG_USER": "bi",
        "NEWMEDIA_PG_PASSWORD": "s3cr@t",
        "NEWMEDIA_PG_DBNAME": "warehouse",
    }.items():
        monkeypatch.setenv(name, value)
    url = postgres_url(get_settings().postgres)
    assert url == "postgresql+psycopg2://bi:s3cr%40t@db.internal:5433/warehouse"
    for name in ("HOST", "PORT", "USER", "PASSWORD", "DBNAME"):
        monkeypatch.delenv(f"NEWMEDIA_PG_{name}")
    default = postgres_url(get_settings().postgres)
    assert default == "postgresql+psycopg2://newmedia@localhost:5432/newmedia"
