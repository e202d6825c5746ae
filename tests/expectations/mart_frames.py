"""Good fixture frames for the marts the gates check: two complete weeks (2026-W46, 2026-W47)
with every content platform, and a running week (2026-W48) with two, so "the latest complete
week" is W47 on AS_OF. Each frame has exactly its mart's contract columns and types
(tests/support/contract.py: the values below, the contract's other columns NULL), so the
fixtures cannot drift from `dbt_project/models/marts/*/_*__models.yml`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from tests.support.contract import contract_frame

PLATFORMS = ["wechat_oa", "wechat_channels", "douyin", "xiaohongshu", "bilibili", "kuaishou"]
LIVE_PLATFORMS = ["wechat_channels", "douyin"]
WEEKS = {"2026-W46": dt.date(2026, 11, 9), "2026-W47": dt.date(2026, 11, 16)}
RUNNING = ("2026-W48", dt.date(2026, 11, 23))
AS_OF = dt.date(2026, 11, 25)  # a Wednesday of W48: W47 is the latest complete week


def _weekly_rows(platforms=PLATFORMS, with_running=True):
    rows = [(p, w, s) for w, s in WEEKS.items() for p in platforms]
    if with_running:
        rows += [(p, *RUNNING) for p in platforms[:2]]
    return rows


def engagement_weekly() -> pd.DataFrame:
    rows = _weekly_rows()
    n = len(rows)
    return pd.DataFrame(
        {
            "platform": [r[0] for r in rows],
            "account_id": [f"{r[0]}_main" for r in rows],
            "week": [r[1] for r in rows],
            "week_start": [r[2] for r in rows],
            "contents_published": [8] * n,
            "views": [120_000] * n,
            "interactions": [2_446] * n,
            "interaction_rate": [0.0204] * n,
            "avg_views_per_content": [15_000.0] * n,
            "viral_contents": [1] * n,
            "viral_share": [0.125] * n,
            # 直播: sessions on 视频号 and 抖音, none on the other platforms (NULL)
            **_live_weekly([r[0] for r in rows]),
        }
    )


def _live_weekly(platforms: list[str]) -> dict[str, list]:
    live = [p in LIVE_PLATFORMS for p in platforms]
    return {
        "live_sessions": [3 if on else None for on in live],
        "live_viewers": [24_000 if on else None for on in live],
        "live_watch_minutes": [48_000.0 if on else None for on in live],
        "live_avg_watch_seconds": [120.0 if on else None for on in live],
        "live_peak_concurrent": [950 if on else None for on in live],
        "live_new_followers": [240 if on else None for on in live],
        "live_follow_rate": [0.01 if on else None for on in live],
        "live_product_clicks": [2_880 if on else None for on in live],
    }


def growth_weekly() -> pd.DataFrame:
    rows = _weekly_rows([*PLATFORMS, "wecom"])
    n = len(rows)
    return pd.DataFrame(
        {
            "platform": [r[0] for r in rows],
            "account_id": [f"{r[0]}_main" for r in rows],
            "week": [r[1] for r in rows],
            "week_start": [r[2] for r in rows],
            "net_follower_gain": [-12 if i % 5 == 0 else 140 for i in range(n)],
            "followers_end": [12_960 + i for i in range(n)],
            "private_domain_users_end": [3_466] * n,
            "private_domain_net_change": [-3 if i % 4 == 0 else 25 for i in range(n)],
        }
    )


def conversion_roi_weekly() -> pd.DataFrame:
    rows = _weekly_rows()
    n = len(rows)
    return pd.DataFrame(
        {
            "platform": [r[0] for r in rows],
            "week": [r[1] for r in rows],
            "week_start": [r[2] for r in rows],
            "gmv": [116_624.65] * n,
            "paid_orders": [310] * n,
            "buyers": [290] * n,
            "leads": [12] * n,
            "ad_spend": [25_000.0] * n,
            "roi": [4.66] * n,
            "cost_per_lead": [2_083.3] * n,
            "viewer_to_payer_rate": [0.012] * n,
        }
    )


def sentiment_daily() -> pd.DataFrame:
    days = [dt.date(2026, 11, 16) + dt.timedelta(days=i) for i in range(7)]
    rows = [(p, d) for d in days for p in ["douyin", "xiaohongshu", "weibo"]]
    n = len(rows)
    return pd.DataFrame(
        {
            "platform": [r[0] for r in rows],
            "date": [r[1] for r in rows],
            "mentions": [20] * n,
            "positive": [12] * n,
            "neutral": [7] * n,
            "negative": [1] * n,
            "positive_rate": [0.6] * n,
            "negative_share": [0.05] * n,
            "negative_share_breach": [False] * n,
            "negatives_responded_1h": [1] * n,
            "negatives_total": [1] * n,
        }
    )


def kpi_scorecard_weekly() -> pd.DataFrame:
    rows = []
    for week, start in WEEKS.items():
        for platform in [*PLATFORMS, "all"]:
            for dimension, kpi, value, target in [
                ("content", "interaction_rate", 0.03, 0.025),
                ("growth", "net_follower_gain", -40.0, 500.0),
                ("conversion", "gmv", 120_000.0, None),
            ]:
                attainment = None if target is None else value / target
                status = "no_target" if target is None else ("met" if value >= target else "missed")
                rows.append(
                    (week, start, dimension, kpi, platform, value, target, attainment, status)
                )
    columns = ["week", "week_start", "dimension", "kpi", "platform", "value", "target"]
    return pd.DataFrame(rows, columns=[*columns, "attainment", "status"])


def user_needs_weekly() -> pd.DataFrame:
    topics = ["product_feedback", "content_wishes", "after_sales", "other"]
    rows = [(w, s, t) for w, s in WEEKS.items() for t in topics]
    return pd.DataFrame(
        {
            "week": [r[0] for r in rows],
            "week_start": [r[1] for r in rows],
            "topic": [r[2] for r in rows],
            "mentions": [40, 30, 20, 10] * len(WEEKS),
            "share": [0.4, 0.3, 0.2, 0.1] * len(WEEKS),
            "example_texts": ["什么时候补货？| 包装破了"] * len(rows),
        }
    )


def content_performance() -> pd.DataFrame:
    n = len(PLATFORMS) * 2
    return pd.DataFrame(
        {
            "content_key": [f"c{i:03d}" for i in range(n)],
            "platform": PLATFORMS * 2,
            "account_id": [f"{p}_main" for p in PLATFORMS * 2],
            "title": [f"内容 {i}" for i in range(n)],
            "published_date": [dt.date(2026, 11, 16)] * n,
            "views": [150_000 if i == 0 else 5_000 for i in range(n)],
            "likes": [300] * n,
            "comments": [40] * n,
            "shares": [20] * n,
            "collects": [55] * n,
            "interactions": [360] * n,
            "interaction_rate": [0.0024 if i == 0 else 0.072 for i in range(n)],
            "is_viral": [i == 0 for i in range(n)],
            "attributed_gmv": [1_200.0] * n,
            "attributed_leads": [2] * n,
        }
    )


def ab_test_results() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "test_id": ["AB001", "AB001", "AB002", "AB002"],
            "variant": ["A", "B", "A", "B"],
            "impressions": [8_943, 4_054, None, 3_800],
            "clicks": [1_566, 1_107, None, 806],
            "rate": [0.1751, 0.2731, None, 0.2121],
            "lift": [None, 0.5594, None, None],
            "p_value": [None, 0.0, None, None],
            "is_significant": [None, True, None, None],
            "verdict": ["对照组（A）", "B 显著优于 A", "对照组（A）", "数据不足"],
        }
    ).astype({"impressions": "Int64", "clicks": "Int64", "is_significant": "boolean"})


def live_sessions() -> pd.DataFrame:
    """Four sessions: two per live platform, one without a stated id (视频号), one without
    spend (ROI NULL)."""
    started = pd.to_datetime(
        ["2026-11-16 19:00", "2026-11-18 20:00", "2026-11-17 19:30", "2026-11-20 20:00"]
    ).tz_localize("Asia/Shanghai")
    viewers = [25_310, 9_870, 6_420, 3_150]
    buyers = [1_266, 380, 231, 77]
    followers = [310, 88, 71, 25]
    gmv = [186_420.5, 52_300.0, 31_880.0, 9_960.0]
    spend = [54_210.0, 16_000.0, 0.0, 2_490.0]
    return pd.DataFrame(
        {
            "platform": ["douyin", "douyin", "wechat_channels", "wechat_channels"],
            "account_id": ["dy_brand_main", "dy_brand_life", "sph_brand_main", "sph_brand_main"],
            "session_id": [
                "7430000000000000001",
                "7430000000000000002",
                "start 2026-11-17 19:30:00",
                "start 2026-11-20 20:00:00",
            ],
            "session_id_stated": [True, True, False, False],
            "started_at": started,
            "ended_at": started + pd.Timedelta(hours=2),
            "started_date": [d.date() for d in started],
            "week": ["2026-W47"] * 4,
            "week_start": [dt.date(2026, 11, 16)] * 4,
            "duration_seconds": [7_200.0] * 4,
            "viewers": viewers,
            "views": [int(v * 1.6) for v in viewers],
            "peak_concurrent": [1_120, 402, 210, 96],
            "avg_concurrent": [421.8, 164.5, 107.0, 52.5],
            "avg_watch_seconds": [120.0, 120.0, 120.0, 120.0],
            "new_followers": followers,
            "product_clicks": [3_037, 1_184, 706, 315],
            "orders": [1_402, 402, 250, 80],
            "buyers": buyers,
            "gmv": gmv,
            "gpm": [g / v * 1000 for g, v in zip(gmv, viewers, strict=True)],
            "ad_spend": spend,
            "roi": [g / s if s else None for g, s in zip(gmv, spend, strict=True)],
            "product_click_rate": [0.12, 0.12, 0.11, 0.1],
            "viewer_to_payer_rate": [b / v for b, v in zip(buyers, viewers, strict=True)],
            "follow_rate": [f / v for f, v in zip(followers, viewers, strict=True)],
            "latest_snapshot_date": [dt.date(2026, 11, 23)] * 4,
        }
    )


def content_calendar_weekly() -> pd.DataFrame:
    """W46 and W47 of two planned accounts; W48 with plans not due yet (pending)."""
    rows = [
        # platform, account, week, start, planned, on time, late, not published, pending,
        # cancelled, unplanned, by id, by title
        ("douyin", "dy_brand_main", "2026-W46", dt.date(2026, 11, 9), 5, 4, 1, 0, 0, 0, 1, 2, 3),
        ("douyin", "dy_brand_main", "2026-W47", dt.date(2026, 11, 16), 6, 3, 1, 2, 0, 1, 0, 0, 4),
        (
            "xiaohongshu",
            "xhs_brand_main",
            "2026-W47",
            dt.date(2026, 11, 16),
            4,
            4,
            0,
            0,
            0,
            0,
            2,
            0,
            4,
        ),
        (
            "xiaohongshu",
            "xhs_brand_main",
            "2026-W48",
            dt.date(2026, 11, 23),
            3,
            1,
            0,
            0,
            2,
            0,
            0,
            1,
            0,
        ),
    ]
    columns = [
        "platform",
        "account_id",
        "week",
        "week_start",
        "planned",
        "published_as_planned",
        "published_late",
        "planned_not_published",
        "planned_pending",
        "cancelled",
        "unplanned_published",
        "matched_by_id",
        "matched_by_title",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    due = frame["planned"] - frame["planned_pending"]
    frame["on_time_rate"] = (frame["published_as_planned"] / due).where(due > 0)
    return frame


def channel_pilots() -> pd.DataFrame:
    """A 快手 account piloted from W44: four weeks, extend until the fourth, then continue."""
    weeks = [("2026-W44", dt.date(2026, 10, 26)), ("2026-W45", dt.date(2026, 11, 2))]
    weeks += list(WEEKS.items())
    n = len(weeks)
    return pd.DataFrame(
        {
            "platform": ["kuaishou"] * n,
            "account_id": ["ks_brand_life"] * n,
            "pilot_kind": ["account"] * n,
            "pilot_start_week_start": [dt.date(2026, 10, 26)] * n,
            "pilot_week": list(range(1, n + 1)),
            "week": [w for w, _ in weeks],
            "week_start": [s for _, s in weeks],
            "contents": [6, 6, 7, 8],
            "views": [37_567, 52_709, 61_411, 70_020],
            "interaction_rate": [0.031, 0.028, 0.035, 0.033],
            "net_follower_gain": [-12, 140, 210, 260],
            "ad_spend": [800.0, 1_200.0, 1_500.0, 1_500.0],
            "cost_per_follower": [None, 8.57, 7.14, 5.77],
            "leads": [2, 5, 6, 0],
            "cost_per_lead": [400.0, 240.0, 250.0, None],
            "gmv": [None] * n,
            "roi": [None] * n,
            "benchmark_accounts": [9] * n,
            "benchmark_views_per_account": [48_000.0] * n,
            "benchmark_interaction_rate": [0.03] * n,
            "benchmark_net_follower_gain_per_account": [-30.0, 120.0, 150.0, 160.0],
            "benchmark_cost_per_follower": [None, 9.5, 9.1, 8.8],
            "reach_index": [0.78, 0.94, 1.05, 1.15],
            "engagement_index": [1.03, 0.98, 1.04, 1.05],
            "growth_index": [-0.4, 0.5, 0.9, 1.2],
            "cost_per_follower_index": [None, 0.9, 0.85, 0.7],
            "cost_per_lead_index": [1.4, 1.2, 1.1, 1.1],
            "roi_index": [None] * n,
            "metrics_judged": [4, 5, 5, 5],
            "metrics_met": [2, 3, 5, 5],
            "verdict_code": ["extend", "extend", "extend", "continue"],
            "verdict": ["延长试点", "延长试点", "延长试点", "继续投入"],
        }
    )


_VALUES = {
    "mart_engagement_weekly": engagement_weekly,
    "mart_growth_weekly": growth_weekly,
    "mart_conversion_roi_weekly": conversion_roi_weekly,
    "mart_sentiment_daily": sentiment_daily,
    "mart_kpi_scorecard_weekly": kpi_scorecard_weekly,
    "mart_user_needs_weekly": user_needs_weekly,
    "mart_content_performance": content_performance,
    "mart_ab_test_results": ab_test_results,
    "mart_live_sessions": live_sessions,
    "mart_content_calendar_weekly": content_calendar_weekly,
    "mart_channel_pilots": channel_pilots,
}


def _in_contract(mart: str, values: Callable[[], pd.DataFrame]) -> Callable[[], pd.DataFrame]:
    def make() -> pd.DataFrame:
        return contract_frame(mart, values())

    make.__name__ = values.__name__
    return make


#: mart → a function making its good frame (a fresh one each call: tests corrupt copies)
FRAMES = {mart: _in_contract(mart, values) for mart, values in _VALUES.items()}


def write_marts(warehouse: Path, frames: dict[str, pd.DataFrame] | None = None) -> None:
    """A DuckDB warehouse whose schema `marts` holds the fixture frames (or `frames`)."""
    import duckdb

    frames = frames if frames is not None else {name: make() for name, make in FRAMES.items()}
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("create schema if not exists marts")
        for name, frame in frames.items():
            con.register("frame", frame)
            con.execute(f"create or replace table marts.{name} as select * from frame")
            con.unregister("frame")
    finally:
        con.close()
