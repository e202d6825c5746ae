"""The dashboard's snapshot of the marts (dashboards/snapshot.py): schema marts only, owner-only,
swapped in whole, so a reader holds either the old file or the new one."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboards.snapshot import publish_snapshot as publish
from dashboards.snapshot import snapshot_path
from newmedia.settings import Settings
from newmedia.tasks import publish_dashboard_snapshot


def publish_snapshot(home: Path):
    return publish(home / "warehouse.duckdb", home)


def warehouse(home: Path, views: int) -> None:
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("create schema if not exists marts; create schema if not exists raw")
        con.execute(
            "create or replace table marts.mart_engagement_weekly as "
            f"select 'douyin' as platform, '2026-W47' as week, {views}::bigint as views"
        )
        con.execute("create or replace table marts.dim_accounts as select 'douyin' as platform")
        con.execute("create or replace table raw.secret as select '13800000000' as phone")


def read(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_publishes_the_marts_only_owner_only_and_swaps_whole(tmp_path):
    warehouse(tmp_path, 100)
    published = publish_snapshot(tmp_path)
    path = snapshot_path(tmp_path)
    assert published.path == path and path.name == "dashboard.duckdb"
    assert published.tables == {"dim_accounts": 1, "mart_engagement_weekly": 1}
    assert read(path, "select views from marts.mart_engagement_weekly") == [(100,)]
    schemas = read(path, "select distinct table_schema from information_schema.tables")
    assert schemas == [("marts",)]  # nothing of raw reaches the dashboard
    assert path.stat().st_mode & 0o077 == 0 and path.parent.stat().st_mode & 0o077 == 0

    reader = duckdb.connect(str(path), read_only=True)  # a dashboard query in flight
    try:
        warehouse(tmp_path, 250)
        publish_snapshot(tmp_path)
        assert reader.execute("select views from marts.mart_engagement_weekly").fetchall() == [
            (100,)
        ]
    finally:
        reader.close()
    assert read(path, "select views from marts.mart_engagement_weekly") == [(250,)]
    assert sorted(p.name for p in path.parent.iterdir()) == ["dashboard.duckdb"]


def test_a_warehouse_without_marts_keeps_the_last_snapshot(tmp_path):
    with pytest.raises(FileNotFoundError, match="no warehouse"):
        publish_snapshot(tmp_path)
    warehouse(tmp_path, 100)
    publish_snapshot(tmp_path)
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        con.execute("drop schema marts cascade")
    with pytest.raises(RuntimeError, match="run dbt first"):
        publish_snapshot(tmp_path)
    path = snapshot_path(tmp_path)
    assert read(path, "select views from marts.mart_engagement_weekly") == [(100,)]
    assert sorted(p.name for p in path.parent.iterdir()) == ["dashboard.duckdb"]


def test_the_task_publishes_nothing_on_postgres(tmp_path):
    settings = Settings(home=tmp_path, exports=tmp_path / "exports", target="postgres")
    assert publish_dashboard_snapshot(settings) is None
    assert not snapshot_path(tmp_path).exists()
