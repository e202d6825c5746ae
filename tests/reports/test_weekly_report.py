"""《数据复盘报告》: every number equals the fixture marts' numbers, week-over-week change,
anomalies and actions by their documented rules, escaping, periods and re-runs."""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pytest

from reports import publish_report
from reports.base import Marts
from reports.periods import latest_complete_week, parse_week
from reports.weekly_data_review import build
from tests.reports.marts_fixture import (
    ENGAGEMENT,
    GROWTH,
    KPI_DIMENSIONS,
    PREVIOUS,
    WEEK,
    XSS_TITLE,
    build_report_models,
    kpi_value,
    platform_week_sum,
)


@pytest.fixture(scope="module")
def review(fixture_warehouse):
    con = duckdb.connect(str(fixture_warehouse), read_only=True)
    try:
        yield build(Marts(con), parse_week(WEEK))
    finally:
        con.close()


def records(report, name):
    return report.tables[name].records()


def test_scorecard_equals_the_mart(review):
    rows = {r["kpi_name"]: r for r in records(review, "scorecard")}
    assert len(rows) == len(KPI_DIMENSIONS)
    views = rows["播放/阅读量"]
    assert views["value"] == kpi_value("views", WEEK) == 361_070
    assert views["previous_value"] == kpi_value("views", PREVIOUS)
    assert views["wow_change"] == pytest.approx(
        kpi_value("views", WEEK) / kpi_value("views", PREVIOUS) - 1
    )
    assert views["target"] == 200_000 and views["status_name"] == "达成"
    assert rows["线索数"]["status_name"] == "未达成"
    assert rows["ROI"]["value"] == pytest.approx(124_469.33 / 279_446.89)
    assert rows["GMV（元）"]["value"] == pytest.approx(124_469.33)
    assert [r["dimension_name"] for r in records(review, "scorecard")][:1] == ["内容表现"]


def test_platform_tables_equal_the_marts(review):
    content = {r["platform_name"]: r for r in records(review, "content")}
    assert set(content) == {"公众号", "抖音", "小红书"}
    assert content["抖音"]["views"] == platform_week_sum("douyin", WEEK, 1) == 320_000
    assert content["抖音"]["views_wow"] == pytest.approx(320_000 / 100_000 - 1)
    assert content["抖音"]["interaction_rate"] == pytest.approx(6_700 / 320_000)
    assert content["抖音"]["viral_contents"] == 2
    assert content["小红书"]["contents_published"] == 6

    growth = {r["platform_name"]: r for r in records(review, "growth")}
    assert growth["小红书"]["net_follower_gain"] == GROWTH[("xiaohongshu", "xhs_main")][-1]
    assert growth["抖音"]["followers_end"] == 150_000
    assert review.context["domain"]["users_end"] == 4_001
    assert review.context["domain"]["net_change"] == 101

    conversion = {r["platform_name"]: r for r in records(review, "conversion")}
    assert conversion["抖音"]["gmv"] == pytest.approx(124_469.33)
    assert conversion["抖音"]["roi"] == pytest.approx(124_469.33 / 259_145.82)
    assert conversion["抖音"]["paid_orders"] == 610
    assert conversion["小红书"]["gmv"] is None  # a metric the platform lacks stays NULL
    assert conversion["小红书"]["ad_spend"] == pytest.approx(20_301.07)

    brand = {r["platform_name"]: r for r in records(review, "brand")}
    assert brand["抖音"]["negative_share"] == pytest.approx(0.1)
    assert brand["小红书"]["positive_rate"] == pytest.approx(0.8)


def test_top_viral_and_high_value_contents(review):
    top = records(review, "top_contents")
    assert [r["title"] for r in top] == [
        XSS_TITLE,
        "冷萃茶测评：真香还是踩雷",
        "新手必看：燕麦拿铁教程",
        '=HYPERLINK("http://evil","点我")',
    ]
    assert top[2]["views_text"] == "100,000+"  # a capped 10万+ is a lower bound
    assert {r["title"] for r in records(review, "viral")} == {
        XSS_TITLE,
        "冷萃茶测评：真香还是踩雷",
        "新手必看：燕麦拿铁教程",
    }
    valuable = {r["title"]: r for r in records(review, "high_value")}
    assert valuable[XSS_TITLE]["gmv_share"] == pytest.approx(30_000 / 40_000)
    assert valuable["新手必看：燕麦拿铁教程"]["leads_share"] == pytest.approx(3 / 5)


def test_anomaly_rule_flags_the_collapsed_account(review):
    anomalies = review.context["anomalies"]
    assert [(a.platform, a.account_id, a.metric) for a in anomalies] == [
        ("xiaohongshu", "xhs_main", "net_follower_gain")
    ]
    a = anomalies[0]
    assert a.value == 50 and a.baseline == pytest.approx((420 + 380 + 410 + 400) / 4)
    assert len(a.checks) == 4 and any("违规" in c for c in a.checks)
    rows = records(review, "anomalies")
    assert rows[0]["account"] == "禾野生活馆（xhs_main）"


# rule A1 itself (half below, within 2σ, too few weeks) is the dbt unit test
# weekly_trends_rule_a1 of rpt_weekly_trends (_reporting__unit_tests.yml)


def test_actions_follow_the_rules(review):
    rules = [r["rule"] for r in records(review, "actions")]
    findings = " ".join(r["finding"] for r in records(review, "actions"))
    assert "R1" in rules and "线索数" in findings  # leads missed their target
    assert "R2" in rules  # viral contents
    assert "R3" in rules  # a content with 75 % of the attributed GMV
    assert "R4" in rules and "ROI 0.48" in findings  # douyin spent more than it sold
    assert "R5" in rules  # the anomaly
    assert "R6" in rules  # negative share 10 % on douyin, one negative unanswered


def test_html_numbers_and_escaping(home):
    published = publish_report("weekly", WEEK, home=home, pdf=False)
    assert published.html == home / "reports" / "weekly" / WEEK / f"数据复盘报告_{WEEK}.html"
    html = published.html.read_text("utf-8")
    assert "2026-11-16 至 2026-11-22" in html
    for (_platform, _account), weeks in ENGAGEMENT.items():
        assert f"{weeks[WEEK][1]:,}" in html  # each account's views
    assert "361,070" in html and "+220.0%" in html
    assert "100,000+" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 新品" in html
    assert not re.search(r"<script", html, re.IGNORECASE)
    for section in (
        "KPI 达成",
        "各平台表现",
        "热门与爆款内容",
        "高价值内容",
        "异常预警",
        "行动建议",
    ):
        assert section in html


def test_rerun_overwrites_the_period(home):
    first = publish_report("weekly", WEEK, home=home, pdf=False)
    (first.folder / "stale.txt").write_text("from an earlier run")
    second = publish_report("weekly", WEEK, home=home, pdf=False)
    assert first.folder == second.folder
    assert sorted(p.name for p in second.folder.iterdir()) == sorted(
        [f"数据复盘报告_{WEEK}.html", f"数据复盘报告_{WEEK}.xlsx", "summary.json"]
    )
    assert not list(second.folder.parent.glob(".*"))  # no staging folder left behind


def test_report_folders_are_owner_only(home):
    import stat

    published = publish_report("weekly", WEEK, home=home, pdf=False)
    reports = home / "reports"
    for folder in (reports, reports / "weekly", published.folder):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_periods():
    assert latest_complete_week(dt.date(2026, 11, 26)).label == "2026-W47"
    assert latest_complete_week(dt.date(2027, 1, 4)).label == "2026-W53"
    assert parse_week("2026-W47").start == dt.date(2026, 11, 16)
    with pytest.raises(ValueError):
        parse_week("2026-47")


def test_columns_beyond_the_contract_are_used_when_present(fixture_warehouse, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    path.write_bytes(fixture_warehouse.read_bytes())
    con = duckdb.connect(str(path))
    # the fixture has these columns empty; the user-needs report reads them through its models
    con.execute("update marts.mart_conversion_roi_weekly set gmv_live = gmv / 2")
    con.execute("update marts.mart_user_needs_weekly set topic_name = '自定义-' || topic")
    con.close()
    build_report_models(path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        report = build(Marts(con), parse_week(WEEK))
        from reports import user_needs

        needs = user_needs.build(Marts(con), parse_week(WEEK))
    finally:
        con.close()
    channels = {r["platform_name"]: r for r in report.tables["gmv_channels"].records()}
    assert channels["抖音"]["gmv_live"] == pytest.approx(124_469.33 / 2)
    assert channels["抖音"]["gmv_short_video"] is None
    assert "自定义-after_sales" in {r["topic_name"] for r in needs.tables["topics"].records()}


def test_gmv_that_cannot_be_linked_to_contents_is_unknown_not_zero(home):
    # the fixture attributes GMV to some contents: the summary states the attributed amount
    html = publish_report("weekly", WEEK, home=home, pdf=False).html.read_text("utf-8")
    assert "其中可归因到本周发布内容的" in html and "归因金额未知" not in html
    # exports that name no content id leave attributed_gmv NULL: unknown, never "0.00 元"
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    con.execute("update marts.mart_content_performance set attributed_gmv = null")
    con.close()
    build_report_models(home / "warehouse.duckdb")  # the report's figures are dbt's
    html = publish_report("weekly", WEEK, home=home, pdf=False).html.read_text("utf-8")
    assert "归因金额未知" in html and "其中可归因到本周发布内容的" not in html
