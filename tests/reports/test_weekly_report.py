"""The weekly data review reads its numbers from the marts, computes week-over-week change and
escapes text that comes from the data."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from reports import publish_weekly
from reports.periods import latest_complete_week, parse_week


@pytest.fixture()
def warehouse(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        """
        create table marts.mart_engagement_weekly as
        select * from (values
            ('douyin', 'dy_main', '2026-W47', date '2026-11-16', 8, 120000, 2446, 0.0204, 15000.0, 1, 0.125),
            ('douyin', 'dy_main', '2026-W46', date '2026-11-09', 7, 100000, 2000, 0.02, 14285.7, 0, 0.0),
            ('xiaohongshu', 'xhs_main', '2026-W47', date '2026-11-16', 6, 5070, 304, 0.06, 845.0, 0, 0.0)
        ) as t(platform, account_id, week, week_start, contents_published, views, interactions,
               interaction_rate, avg_views_per_content, viral_contents, viral_share)
        """
    )
    con.execute(
        """
        create table marts.dim_contents as
        select * from (values
            ('k1', 'douyin', 'dy_main', '<script>alert(1)</script> 新品', timestamptz '2026-11-17 10:00:00+08', date '2026-11-17'),
            ('k2', 'xiaohongshu', 'xhs_main', '秋冬穿搭', timestamptz '2026-11-18 20:00:00+08', date '2026-11-18')
        ) as t(content_key, platform, account_id, title, published_at, published_date)
        """
    )
    con.execute(
        """
        create table marts.fct_content_snapshots as
        select * from (values
            ('k1', date '2026-11-23', 100000, 2000, true),
            ('k2', date '2026-11-23', 4000, 250, false)
        ) as t(content_key, snapshot_date, views, interactions, views_is_capped)
        """
    )
    con.close()
    return path


def test_weekly_report_numbers_come_from_the_marts(warehouse, tmp_path):
    path = publish_weekly(warehouse, tmp_path / "reports", parse_week("2026-W47"))
    assert path == tmp_path / "reports" / "weekly" / "2026-W47" / "数据复盘报告_2026-W47.html"
    html = path.read_text(encoding="utf-8")
    assert "2026-11-16 至 2026-11-22" in html
    assert "120,000" in html and "5,070" in html  # views of each account this week
    assert "+20.0%" in html  # 120 000 vs 100 000 last week
    assert "2.04%" in html  # interaction rate of dy_main
    assert "100,000+" in html  # a capped view count is shown as a lower bound


def test_text_from_the_data_is_escaped(warehouse, tmp_path):
    html = publish_weekly(warehouse, tmp_path / "r", parse_week("2026-W47")).read_text("utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 新品" in html


def test_rerun_overwrites_the_period(warehouse, tmp_path):
    first = publish_weekly(warehouse, tmp_path / "r", parse_week("2026-W47"))
    second = publish_weekly(warehouse, tmp_path / "r", parse_week("2026-W47"))
    assert first == second and len(list(first.parent.iterdir())) == 1


def test_periods():
    assert latest_complete_week(dt.date(2026, 11, 26)).label == "2026-W47"
    assert latest_complete_week(dt.date(2027, 1, 4)).label == "2026-W53"
    assert parse_week("2026-W47").start == dt.date(2026, 11, 16)
    with pytest.raises(ValueError):
        parse_week("2026-47")
