"""The weekly data review's 内容排期 section: the rows of marts.mart_content_calendar_weekly of
the week, one per platform and account with the mart's own counts and on-time rate, in platform
order; empty, with its note, on a warehouse without a calendar mart; escaped in the HTML and in
the workbook's sheet."""

from __future__ import annotations

import duckdb
import openpyxl
import pandas as pd
import pytest

from reports import publish_report
from reports.base import Marts
from reports.periods import parse_week
from reports.weekly_calendar import calendar_table
from reports.weekly_data_review import build
from tests.reports.marts_fixture import WEEK
from tests.support.contract import create_contract_table


def plan_row(platform, account, planned, as_planned, late, missed, unplanned, week=WEEK) -> dict:
    due = as_planned + late + missed
    return {
        "platform": platform,
        "account_id": account,
        "week": week,
        "week_start": parse_week(week).start,
        "planned": planned,
        "published_as_planned": as_planned,
        "published_late": late,
        "planned_not_published": missed,
        "planned_pending": planned - due,
        "cancelled": 0,
        "unplanned_published": unplanned,
        "matched_by_id": as_planned,
        "matched_by_title": late,
        "on_time_rate": as_planned / due if due else None,
    }


@pytest.fixture
def calendar_warehouse(fixture_warehouse, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    path.write_bytes(fixture_warehouse.read_bytes())
    frame = pd.DataFrame(
        [
            plan_row("douyin", "dy_<b>brand</b>", 6, 4, 1, 1, 2),
            plan_row("wechat_oa", "gh_brand", 3, 3, 0, 0, 0),
            plan_row("douyin", "dy_other", 2, 0, 0, 0, 1),
            plan_row("douyin", "dy_brand", 9, 9, 0, 0, 0, week="2000-W01"),
        ]
    )
    con = duckdb.connect(str(path))
    create_contract_table(con, "mart_content_calendar_weekly", frame)
    con.close()
    return path


def test_the_week_plans_are_listed_as_the_mart_states_them(calendar_warehouse):
    con = duckdb.connect(str(calendar_warehouse), read_only=True)
    try:
        table = calendar_table(Marts(con), parse_week(WEEK))
        report = build(Marts(con), parse_week(WEEK))
    finally:
        con.close()
    rows = table.records()
    # the registry's platform order (公众号 before 抖音), then by account; the other week left out
    assert [(r["platform_name"], r["account_id"]) for r in rows] == [
        ("公众号", "gh_brand"),
        ("抖音", "dy_<b>brand</b>"),
        ("抖音", "dy_other"),
    ]
    assert rows[1]["planned"] == 6 and rows[1]["unplanned_published"] == 2
    assert rows[1]["on_time_rate"] == pytest.approx(4 / 6)
    assert rows[2]["on_time_rate"] is None and rows[2]["planned_pending"] == 2
    assert report.tables["calendar"].records() == rows


def test_the_html_and_workbook_show_the_section_escaped(calendar_warehouse, holds):
    published = publish_report("weekly", WEEK, home=calendar_warehouse.parent, pdf=False)
    text = published.html.read_text("utf-8")
    assert "本周内容排期达成" in text and "按时发布率" in text
    assert "dy_<b>brand</b>" not in text and "dy_&lt;b&gt;brand&lt;/b&gt;" in text
    workbook = openpyxl.load_workbook(published.xlsx)
    sheet = workbook["内容排期"]
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "gh_brand" in values and "dy_<b>brand</b>" in values


def test_without_a_calendar_mart_the_section_is_empty(fixture_warehouse):
    con = duckdb.connect(str(fixture_warehouse), read_only=True)
    try:
        table = calendar_table(Marts(con), parse_week(WEEK))
    finally:
        con.close()
    assert table.is_empty and "没有排期数据" in table.empty_text
