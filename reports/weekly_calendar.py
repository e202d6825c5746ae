"""The weekly data review's 内容排期 section: for each platform and account, the week's plans
against what was published, read as they are from marts.mart_content_calendar_weekly (every
count and the on-time rate computed there); this module only selects, names and orders them."""

from __future__ import annotations

import pandas as pd

from reports.base import Marts
from reports.periods import Week
from reports.tables import Column, Table, in_platform_order, platform_name

MART = "mart_content_calendar_weekly"

COLUMNS = [
    Column("platform_name", "平台"),
    Column("account_id", "账号"),
    Column("planned", "计划条数", "int"),
    Column("published_as_planned", "按时发布", "int"),
    Column("published_late", "延迟发布", "int"),
    Column("planned_not_published", "计划未发布", "int"),
    Column("planned_pending", "待发布", "int"),
    Column("cancelled", "已取消", "int"),
    Column("unplanned_published", "计划外发布", "int"),
    Column("on_time_rate", "按时发布率", "pct"),
]


def week_calendar(marts: Marts, week: Week) -> pd.DataFrame:
    """The rows of mart_content_calendar_weekly of ``week``, in platform order; an empty frame
    when the warehouse has no calendar mart yet (a brand that does not keep a 排期 table)."""
    if not marts.exists(MART):
        return pd.DataFrame(columns=[c.key for c in COLUMNS] + ["platform"])
    marts.require(MART)
    df = marts.df(
        f"""
        select platform, account_id, planned, published_as_planned, published_late,
               planned_not_published, planned_pending, cancelled, unplanned_published,
               on_time_rate
        from marts.{MART}
        where week = $week
        """,
        {"week": week.label},
    )
    df["platform_name"] = df["platform"].map(platform_name)
    return in_platform_order(df, "account_id")


def calendar_table(marts: Marts, week: Week) -> Table:
    """The 内容排期 table of the weekly review."""
    return Table(
        "内容排期",
        "本周内容排期达成（计划 vs 实际发布）",
        COLUMNS,
        week_calendar(marts, week),
        note=(
            "计划来自飞书多维表格导出的排期表，按内容ID/发布链接、否则按同账号标题相似度与发布日期匹配；"
            "按时发布率 = 在计划日当天或之前发布的计划 / 已到期的计划；计划外发布 = 本周发布但不在排期中的内容。"
        ),
        source=f"marts.{MART}",
        empty_text="本周没有排期数据（或尚未放入内容排期导出）。",
    )
