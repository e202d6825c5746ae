"""The weekly data review's 直播 section: the live sessions started in the week, one row each,
read as they are from marts.mart_live_sessions (every figure, GPM and ROI included, computed
there); this module only selects, names and orders them."""

from __future__ import annotations

import pandas as pd

from reports.base import Marts
from reports.periods import Week
from reports.tables import Column, Table, in_platform_order, platform_name

MART = "mart_live_sessions"

COLUMNS = [
    Column("platform_name", "平台"),
    Column("account_id", "账号"),
    Column("title", "场次"),
    Column("started_at", "开播时间", "datetime"),
    Column("duration_minutes", "时长（分钟）", "int"),
    Column("viewers", "观看人数", "int"),
    Column("peak_concurrent", "最高在线", "int"),
    Column("avg_concurrent", "平均在线", "num1"),
    Column("avg_watch_seconds", "人均观看（秒）", "int"),
    Column("new_followers", "新增粉丝", "int"),
    Column("product_clicks", "商品点击", "int"),
    Column("orders", "成交订单", "int"),
    Column("buyers", "成交人数", "int"),
    Column("viewer_to_payer_rate", "观看成交率", "pct2"),
    Column("gmv", "成交金额（元）", "cny"),
    Column("gpm", "GPM（元）", "cny"),
    Column("ad_spend", "投放消耗（元）", "cny"),
    Column("roi", "ROI", "ratio"),
]


def week_sessions(marts: Marts, week: Week) -> pd.DataFrame:
    """The sessions of mart_live_sessions that started in ``week``; an empty frame when the
    warehouse has no live mart yet (a warehouse built before live exports were read)."""
    if not marts.exists(MART):
        return pd.DataFrame(columns=[c.key for c in COLUMNS] + ["platform"])
    marts.require(MART)
    df = marts.df(
        f"""
        select platform, account_id, session_id, coalesce(title, session_id) as title,
               started_at, duration_seconds / 60 as duration_minutes, viewers,
               peak_concurrent, avg_concurrent, avg_watch_seconds, new_followers,
               product_clicks, orders, buyers, viewer_to_payer_rate, gmv, gpm, ad_spend, roi
        from marts.{MART}
        where week = $week
        """,
        {"week": week.label},
    )
    df["platform_name"] = df["platform"].map(platform_name)
    if "started_at" in df and len(df):
        df["started_at"] = pd.to_datetime(df["started_at"]).dt.tz_localize(None)
    return in_platform_order(df, "started_at", "account_id", "session_id")


def live_table(marts: Marts, week: Week) -> Table:
    """The 直播 table of the weekly review."""
    return Table(
        "直播场次",
        "本周直播场次",
        COLUMNS,
        week_sessions(marts, week),
        note=(
            "每场一行，数字为直播导出所列（抖音电商罗盘 / 创作者中心、视频号助手）；"
            "GPM = 成交金额 / 观看人数 × 1000；ROI = 成交金额 / 投放消耗；观看成交率 = 成交人数 / 观看人数。"
        ),
        source=f"marts.{MART}",
        empty_text="本周没有直播场次（或尚未放入直播导出）。",
    )
