"""《用户需求周报》: topics with counts, trend, sentiment and quotes equal the fixture marts."""

from __future__ import annotations

import duckdb
import pytest

from reports import publish_report
from reports.base import Marts
from reports.periods import parse_week
from reports.user_needs import build
from tests.reports.marts_fixture import USER_NEEDS, WEEK


@pytest.fixture(scope="module")
def needs(fixture_warehouse):
    con = duckdb.connect(str(fixture_warehouse), read_only=True)
    try:
        yield build(Marts(con), parse_week(WEEK))
    finally:
        con.close()


def test_topics_equal_the_mart(needs):
    rows = {r["topic_name"]: r for r in needs.tables["topics"].records()}
    expected = {t: (m, s) for w, t, m, s, _ in USER_NEEDS if w == WEEK}
    assert rows["产品反馈"]["mentions"] == expected["product_feedback"][0] == 210
    assert rows["产品反馈"]["share"] == pytest.approx(expected["product_feedback"][1])
    assert rows["售后问题"]["mentions_previous"] == 7
    assert rows["售后问题"]["wow"] == pytest.approx(12 / 7 - 1)
    assert rows["售后问题"]["owner"].startswith("客服")
    assert sum(r["mentions"] for r in rows.values()) == sum(
        m for w, _, m, _, _ in USER_NEEDS if w == WEEK
    )


def test_trend_quotes_and_sentiment(needs):
    trend = {r["topic_name"]: r for r in needs.tables["trend"].records()}
    assert trend["产品反馈"]["2026-W45"] == 150 and trend["产品反馈"][WEEK] == 210
    quotes = {r["text"] for r in needs.tables["quotes"].records()}
    assert "收到的货漏液了，客服也不回" in quotes and "请问在哪里买" in quotes
    sentiment = {r["platform_name"]: r for r in needs.tables["sentiment"].records()}
    assert sentiment["抖音"]["negative"] == 1 and sentiment["抖音"]["mentions"] == 40
    negatives = needs.tables["negatives"].records()
    assert len(negatives) == 1 and negatives[0]["responded"] == "未回应"
    rules = {r["rule"] for r in needs.tables["actions"].records()}
    assert {"U1", "U3", "U4"} <= rules  # after-sales rose 7 → 12


def test_html_escapes_quotes(home):
    published = publish_report("user-needs", WEEK, home=home, pdf=False)
    assert published.folder == home / "reports" / "user-needs" / WEEK
    html = published.html.read_text("utf-8")
    assert "<b>快递</b>" not in html and "&lt;b&gt;快递&lt;/b&gt;太慢了" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    for section in (
        "需求话题分布",
        "话题趋势",
        "用户原声",
        "情感与负面响应",
        "给产品与市场团队的建议",
    ):
        assert section in html
