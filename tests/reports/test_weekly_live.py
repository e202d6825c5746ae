"""The weekly data review's 直播 section: the sessions of marts.mart_live_sessions that started in
the week, one row each with the mart's own figures (GPM and ROI are the mart's), in platform
order; empty, with its note, on a warehouse without live sessions; escaped in the HTML."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from reports import publish_report
from reports.base import Marts
from reports.periods import parse_week
from reports.weekly_data_review import build
from reports.weekly_live import live_table
from tests.reports.marts_fixture import WEEK

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def session(platform, session_id, started, title, viewers, gmv, spend, week=WEEK) -> dict:
    return {
        "platform": platform,
        "account_id": f"{platform}_main",
        "session_id": session_id,
        "title": title,
        "started_at": started,
        "week": week,
        "duration_seconds": 7200.0,
        "viewers": viewers,
        "peak_concurrent": viewers // 20,
        "avg_concurrent": viewers / 60,
        "avg_watch_seconds": 95.0,
        "new_followers": viewers // 100,
        "product_clicks": viewers // 10,
        "orders": 40,
        "buyers": 36,
        "viewer_to_payer_rate": 36 / viewers,
        "gmv": gmv,
        "gpm": gmv / viewers * 1000,
        "ad_spend": spend,
        "roi": gmv / spend if spend else None,
    }


@pytest.fixture
def live_warehouse(fixture_warehouse, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    path.write_bytes(fixture_warehouse.read_bytes())
    monday = parse_week(WEEK).start
    at = dt.datetime(monday.year, monday.month, monday.day, 19, 30, tzinfo=SHANGHAI)
    frame = pd.DataFrame(
        [
            session(
                "wechat_channels",
                "start x",
                at + dt.timedelta(days=2),
                "<b>视频号</b>",
                3000,
                6000.0,
                0.0,
            ),
            session(
                "douyin",
                "7430000000000000002",
                at + dt.timedelta(days=3),
                "周四场",
                8000,
                16000.0,
                4000.0,
            ),
            session("douyin", "7430000000000000001", at, "周一场", 5000, 9000.0, 3000.0),
            session(
                "douyin",
                "7430000000000000000",
                at - dt.timedelta(days=7),
                "上周",
                5000,
                9000.0,
                3000.0,
                week="other",
            ),
        ]
    )
    con = duckdb.connect(str(path))
    con.execute("set TimeZone = 'Asia/Shanghai'")
    con.register("live_frame", frame)
    con.execute("create table marts.mart_live_sessions as select * from live_frame")
    con.close()
    return path


def test_the_week_sessions_are_listed_as_the_mart_states_them(live_warehouse):
    con = duckdb.connect(str(live_warehouse), read_only=True)
    try:
        table = live_table(Marts(con), parse_week(WEEK))
        report = build(Marts(con), parse_week(WEEK))
    finally:
        con.close()
    rows = table.records()
    # the registry's platform order (视频号 before 抖音), then by start
    assert [r["title"] for r in rows] == ["<b>视频号</b>", "周一场", "周四场"]
    assert rows[1]["gpm"] == pytest.approx(1800.0) and rows[1]["roi"] == pytest.approx(3.0)
    assert rows[0]["roi"] is None and rows[1]["duration_minutes"] == pytest.approx(120)
    assert report.tables["live"].records() == rows


def test_the_html_shows_the_section_escaped(live_warehouse, holds):
    html = publish_report("weekly", WEEK, home=live_warehouse.parent, pdf=False).html
    text = html.read_text("utf-8")
    assert "本周直播场次" in text and "周四场" in text
    assert "<b>视频号</b>" not in text and "&lt;b&gt;视频号&lt;/b&gt;" in text


def test_without_a_live_mart_the_section_is_empty(fixture_warehouse):
    con = duckdb.connect(str(fixture_warehouse), read_only=True)
    try:
        table = live_table(Marts(con), parse_week(WEEK))
    finally:
        con.close()
    assert table.is_empty and "没有直播场次" in table.empty_text
