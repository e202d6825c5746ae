"""A failed dbt test of error severity stops the gates even though they follow the dbt producer
alone (not the watchers): `newmedia run` (the DAGs through `dag.test()`) on a raw layer holding
a row twice. dbt's unique test on `stg_brand__ad_spend` fails, so the producer fails, the gates
and the dashboard's snapshot never run, no `marts` Asset event goes out (the alerts are not
scheduled), the reports are not run, and the watchers still report their nodes: the failure
shows in the graph, a model on another branch shows its success."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newmedia.settings import Settings

pytestmark = pytest.mark.slow

SHA = "f" * 64


@pytest.fixture(scope="module")
def failed_run(tmp_path_factory: pytest.TempPathFactory):
    from ingest.raw import connect, ensure_all

    home = tmp_path_factory.mktemp("failed_build_home")
    exports = home / "exports"
    exports.mkdir()
    settings = Settings(home=home, exports=exports, target="duckdb")
    con = connect(settings.warehouse_path)
    try:
        ensure_all(con)
        # the same file row twice: what a loader bug would leave behind
        for _ in range(2):
            con.execute(
                "insert into raw.brand__ad_spend (_file_sha256, _file_name, _row_number, "
                "_report_type, _platform, _account_id, _snapshot_date, _ingested_at, "
                "platform, date, spend) values (?, 'ad_spend_2026-10-12.csv', 1, 'ad_spend', "
                "'brand', 'brand', date '2026-10-12', now(), '抖音', date '2026-10-12', 10)",
                [SHA],
            )
    finally:
        con.close()
    env = {
        **os.environ,
        "NEWMEDIA_HOME": str(home),
        "NEWMEDIA_EXPORTS": str(exports),
        "NEWMEDIA_TARGET": "duckdb",
        "AIRFLOW_HOME": str(home / "airflow"),
    }
    env.pop("AIRFLOW__CORE__UNIT_TEST_MODE", None)
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("newmedia")), "run", "--date", "2026-10-20"],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    metadata = sqlite3.connect(home / "airflow" / "airflow.db")
    try:
        states = dict(
            metadata.execute(
                "select task_id, state from task_instance where dag_id = 'transform_marts'"
            ).fetchall()
        )
        events = metadata.execute(
            "select count(*) from asset_event e join asset a on a.id = e.asset_id "
            "where a.name = 'marts'"
        ).fetchone()[0]
    finally:
        metadata.close()
    return home, completed, states, events


def test_the_run_fails_naming_the_dbt_build(failed_run):
    _, completed, _, _ = failed_run
    assert completed.returncode != 0
    output = completed.stdout + completed.stderr
    assert "transform_marts" in output and "dbt_build.dbt_producer_watcher" in output


def test_the_gates_and_the_snapshot_do_not_run_and_no_marts_event(failed_run):
    home, _, states, events = failed_run
    assert states["dbt_build.dbt_producer_watcher"] == "failed"
    assert states["validate_gates"] == "upstream_failed"
    assert states["publish_dashboard_snapshot"] == "upstream_failed"
    assert events == 0  # alerts_hourly is not scheduled on marts that failed their tests
    assert not (home / "gates").exists()
    assert not (home / "dashboard").exists()


def test_the_reports_are_held(failed_run):
    home, completed, _, _ = failed_run
    assert not (home / "reports").exists(), completed.stdout[-2000:]


def test_the_watchers_still_report_their_nodes(failed_run):
    _, _, states, _ = failed_run
    watchers = {k: v for k, v in states.items() if k.startswith("dbt_build.")}
    # every watcher ended (none left waiting for a result), and the failure shows in the graph
    assert set(watchers.values()) <= {"success", "failed", "upstream_failed"}
    assert states["dbt_build.stg_brand__ad_spend.test"] != "success"
    assert "failed" in {v for k, v in watchers.items() if k != "dbt_build.dbt_producer_watcher"}
    # a model on another branch of the graph reports its own success
    assert states["dbt_build.stg_douyin__video_list.run"] == "success"
