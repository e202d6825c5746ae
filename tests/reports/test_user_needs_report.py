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


def test_the_review_queue_equals_the_mart_up_to_the_week(fixture_warehouse, needs):
    """The least certain model labels as the mart ranks them, none after the week's end."""
    con = duckdb.connect(str(fixture_warehouse), read_only=True)
    try:
        mart = con.execute(
            "select review_rank, item_text, model_label, p_negative from "
            "marts.mart_sentiment_review_queue where created_at < timestamptz '2026-11-23 "
            "00:00:00+08' order by review_rank"
        ).fetchall()
    finally:
        con.close()
    rows = needs.tables["review_queue"].records()
    assert [r["review_rank"] for r in rows] == [m[0] for m in mart] == [1, 2, 4]
    assert [r["item_text"] for r in rows] == [m[1] for m in mart]
    assert [r["p_negative"] for r in rows] == pytest.approx([m[3] for m in mart])
    names = {"positive": "正面", "neutral": "中性", "negative": "负面"}
    assert [r["model_label_name"] for r in rows] == [names[m[2]] for m in mart]
    assert rows[1]["platform_name"] == "小红书" and rows[1]["item_type_name"] == "品牌提及"
    assert rows[0]["p_positive"] + rows[0]["p_neutral"] + rows[0]["p_negative"] == pytest.approx(1)
    assert "情感待复核 3 条（模型最不确定的近期条目）" in needs.summary_lines()


def test_the_review_queue_is_escaped_in_html_and_excel(home):
    from openpyxl import load_workbook

    published = publish_report("user-needs", WEEK, home=home, pdf=False)
    html = published.html.read_text("utf-8")
    assert "情感待复核" in html and "<i>还行吧</i>" not in html
    assert "&lt;i&gt;还行吧&lt;/i&gt; 就那样" in html and "下周的评论" not in html
    workbook = load_workbook(published.folder / f"{published.title}_{WEEK}.xlsx")
    sheet = workbook["情感待复核"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:5] == ["序号", "平台", "类型", "内容", "模型标签"]
    texts = [row[3] for row in values[1:4]]
    assert texts == ["<i>还行吧</i> 就那样", '\'=HYPERLINK("http://evil","点我")', "味道有点特别"]
    assert values[4][0] is None and values[5][0].startswith("情感模型对这些条目最没有把握")
    assert [row[7] for row in values[1:4]] == pytest.approx([0.30, 0.4, 0.3])
