"""《新媒体趋势洞察报告》: quarter over quarter by platform, themes, posting times, channel mix,
campaigns and A/B tests, from the fixture marts."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from reports import publish_report, resolve_period
from reports.base import Marts
from reports.periods import latest_complete_quarter, parse_quarter
from reports.quarterly_trends import build
from tests.reports.marts_fixture import CONVERSION, GROWTH, QUARTER, build_report_models


@pytest.fixture(scope="module")
def insight(fixture_warehouse):
    con = duckdb.connect(str(fixture_warehouse), read_only=True)
    try:
        yield build(Marts(con), parse_quarter(QUARTER))
    finally:
        con.close()


def test_platforms_quarter_over_quarter(insight):
    rows = {r["platform_name"]: r for r in insight.tables["overview"].records()}
    # contents published in Q4: k1, k2, k5 (douyin), k3 (xiaohongshu), k4 (wechat_oa)
    assert rows["抖音"]["contents"] == 3 and rows["抖音"]["contents_previous"] == 1
    assert rows["抖音"]["views"] == 200_000 + 110_000 + 90_000
    assert rows["抖音"]["views_qoq"] == pytest.approx(400_000 / 50_000 - 1)
    assert rows["小红书"]["views"] == 4_000
    # follower gain: the days of the fixture weeks in Q4 (2026-W42 … W47), the Q3 day apart
    gains = GROWTH[("xiaohongshu", "xhs_main")]
    assert rows["小红书"]["net_follower_gain"] == sum(gains)
    money = {r["platform_name"]: r for r in insight.tables["conversion"].records()}
    douyin = [c for c in CONVERSION if c[0] == "douyin"]
    assert money["抖音"]["gmv"] == pytest.approx(sum(c[2] for c in douyin))
    assert money["抖音"]["roi"] == pytest.approx(
        sum(c[2] for c in douyin) / sum(c[6] for c in douyin)
    )


def test_themes_slots_campaigns_and_tests(insight):
    themes = {r["theme"]: r for r in insight.tables["themes"].records()}
    assert themes["测评与对比"]["contents"] == 1
    slots = {r["slot"]: r for r in insight.tables["slots"].records()}
    # timed Q4 contents: k1 10:00, k2 20:00, k3 20:30, k5 12:00 (公众号 k4 has a date only)
    assert slots["晚间 18–22 点"]["share"] == pytest.approx(2 / 4)
    best = {r["platform_name"]: r for r in insight.tables["best_slots"].records()}
    assert best["抖音"]["best_all_time"].startswith("周二 10:00")
    campaigns = insight.tables["campaigns"].records()
    assert campaigns[0]["campaign_name"] == "达人种草-小鹿" and campaigns[0]["verdict"] == "未达成"
    ab = insight.tables["ab_tests"].records()
    assert [r["variant"] for r in ab] == ["A", "B"] and ab[1]["verdict"] == "B 显著差于 A"
    rules = {r["rule"] for r in insight.tables["actions"].records()}
    assert {"Q4", "Q5"} <= rules


def test_themes_come_from_the_seed(insight):
    # the titles of the fixture's Q4 contents, themed by dbt seed content_themes (first match)
    themes = {r["theme"]: r["contents"] for r in insight.tables["themes"].records()}
    assert themes == {"新品与活动": 1, "测评与对比": 1, "教程与攻略": 1, "场景种草": 0, "其他": 2}


def test_quarter_periods(home):
    assert latest_complete_quarter(dt.date(2026, 11, 26)).label == "2026Q3"
    assert latest_complete_quarter(dt.date(2026, 1, 2)).label == "2025Q4"
    q = parse_quarter("2026Q4")
    assert q.start == dt.date(2026, 10, 1) and q.end == dt.date(2026, 12, 31)
    assert q.weeks()[0].label == "2026-W40" and q.weeks()[-1].label == "2026-W53"
    assert resolve_period("quarterly", None, dt.date(2026, 4, 1)).label == "2026Q1"
    with pytest.raises(ValueError):
        resolve_period("quarterly", "2026-W47")
    with pytest.raises(ValueError):
        resolve_period("monthly", None)
    published = publish_report("quarterly", QUARTER, home=home, pdf=False)
    assert published.html.name == f"新媒体趋势洞察报告_{QUARTER}.html"


def test_overall_roi_is_compared_with_the_quarter_before(fixture_warehouse, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    path.write_bytes(fixture_warehouse.read_bytes())
    con = duckdb.connect(str(path))
    now_gmv, now_spend = con.execute(
        "select sum(gmv), sum(ad_spend) from marts.mart_conversion_roi_weekly"
    ).fetchone()
    con.execute(
        "insert into marts.mart_conversion_roi_weekly by name "
        "select 'douyin' as platform, '2026-W38' as week, date '2026-09-14' as week_start, "
        "30000.0 as gmv, 60000.0 as ad_spend"
    )
    con.close()
    build_report_models(path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        report = build(Marts(con), parse_quarter(QUARTER))
    finally:
        con.close()
    roi = {h.label: h for h in report.highlights}["整体 ROI"]
    assert roi.value == f"{now_gmv / now_spend:.2f}"
    expected = (now_gmv / now_spend) / (30000.0 / 60000.0) - 1
    assert roi.change == f"环比 {expected:+.1%}"
