"""A small warehouse with the marts of spec §4 and mart_campaign_results and mart_sentiment_items,
written in DuckDB without dbt, each table with exactly its contract's columns and types
(tests/support/contract.py: the columns the rows here leave out are NULL); then dbt builds the
report models (models/marts/reporting) and their seeds on them. The tests compute what the
reports must show from these rows.

The report week is 2026-W47 (2026-11-16 … 2026-11-22), the quarter 2026Q4 against 2026Q3.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pandas as pd

from tests.support.contract import create_contract_table
from tests.support.warehouse import run_dbt

WEEK = "2026-W47"
PREVIOUS = "2026-W46"
QUARTER = "2026Q4"
WEEKS = ["2026-W42", "2026-W43", "2026-W44", "2026-W45", "2026-W46", "2026-W47"]
WEEK_START = {w: dt.date.fromisocalendar(2026, int(w[-2:]), 1) for w in WEEKS}
XSS_TITLE = "<script>alert(1)</script> 新品"
FORMULA_TITLE = '=HYPERLINK("http://evil","点我")'

# platform, account, week → contents, views, interactions, viral
ENGAGEMENT = {
    ("douyin", "dy_main"): {
        "2026-W42": (6, 90_000, 1_800, 0),
        "2026-W43": (7, 95_000, 1_900, 0),
        "2026-W44": (6, 88_000, 1_700, 0),
        "2026-W45": (7, 92_000, 1_850, 0),
        "2026-W46": (7, 100_000, 2_000, 0),
        "2026-W47": (8, 320_000, 6_700, 2),
    },
    ("xiaohongshu", "xhs_main"): {
        "2026-W44": (5, 5_000, 300, 0),
        "2026-W45": (5, 5_200, 310, 0),
        "2026-W46": (6, 4_800, 290, 0),
        "2026-W47": (6, 5_070, 304, 0),
    },
    ("wechat_oa", "wxoa_main"): {
        "2026-W46": (3, 30_000, 900, 0),
        "2026-W47": (3, 36_000, 1_080, 0),
    },
}
# net follower gain per account and week; xhs_main collapses in W47 (anomaly rule A1)
GROWTH = {
    ("douyin", "dy_main"): [500, 520, 480, 510, 505, 495],
    ("xiaohongshu", "xhs_main"): [400, 420, 380, 410, 400, 50],
    ("wechat_oa", "wxoa_main"): [200, 210, 190, 205, 200, 210],
}
FOLLOWERS_END = {"dy_main": 150_000, "xhs_main": 40_000, "wxoa_main": 80_000}
PRIVATE_DOMAIN = {"2026-W46": (3_900, 100), "2026-W47": (4_001, 101)}

CONVERSION = [
    # platform, week, gmv, paid_orders, buyers, leads, ad_spend
    ("douyin", "2026-W46", 100_000.0, 500, 450, 10, 50_000.0),
    ("douyin", "2026-W47", 124_469.33, 610, 536, 12, 259_145.82),
    ("xiaohongshu", "2026-W47", None, None, None, 4, 20_301.07),
    ("wechat_oa", "2026-W47", None, None, None, 3, None),
]

KPI_TARGETS = {"views": 200_000, "interaction_rate": 0.05, "leads": 150, "roi": 2.0, "gmv": 80_000}
KPI_DIMENSIONS = {
    "views": "content",
    "contents_published": "content",
    "interaction_rate": "content",
    "net_follower_gain": "growth",
    "private_domain_users": "growth",
    "gmv": "conversion",
    "leads": "conversion",
    "ad_spend": "conversion",
    "roi": "conversion",
    "negative_share": "brand",
}

USER_NEEDS = [
    ("2026-W45", "product_feedback", 150, 0.5, "好喝 | 包装好看"),
    ("2026-W46", "product_feedback", 170, 0.5, "太好喝了吧 | 回购三次"),
    ("2026-W46", "after_sales", 7, 0.02, "快递太慢"),
    ("2026-W46", "price_promotion", 99, 0.29, "多少钱一瓶"),
    ("2026-W46", "content_wishes", 21, 0.06, "下期测评"),
    ("2026-W46", "other", 43, 0.13, "支持"),
    ("2026-W47", "product_feedback", 210, 0.467706, "和上一款比怎么样 | 太好喝了吧，已经回购三次"),
    ("2026-W47", "after_sales", 12, 0.026726, "收到的货漏液了，客服也不回 | <b>快递</b>太慢了"),
    ("2026-W47", "price_promotion", 108, 0.240535, "请问在哪里买 | 多少钱一瓶"),
    ("2026-W47", "content_wishes", 27, 0.060134, "下期可以做个测评吗"),
    ("2026-W47", "other", 92, 0.204899, "=1+1 支持支持"),
]


def _engagement_rows() -> list[dict]:
    rows = []
    for (platform, account), weeks in ENGAGEMENT.items():
        for week, (contents, views, interactions, viral) in weeks.items():
            rows.append(
                {
                    "platform": platform,
                    "account_id": account,
                    "week": week,
                    "week_start": WEEK_START[week],
                    "contents_published": contents,
                    "views": views,
                    "interactions": interactions,
                    "interaction_rate": interactions / views,
                    "avg_views_per_content": views / contents,
                    "viral_contents": viral,
                    "viral_share": viral / contents,
                }
            )
    return rows


def platform_week_sum(platform: str, week: str, index: int) -> int:
    return sum(v[week][index] for (p, _), v in ENGAGEMENT.items() if p == platform and week in v)


def _growth_rows() -> list[dict]:
    rows = []
    for (platform, account), gains in GROWTH.items():
        for week, gain in zip(WEEKS, gains, strict=True):
            rows.append(
                {
                    "platform": platform,
                    "account_id": account,
                    "week": week,
                    "week_start": WEEK_START[week],
                    "net_follower_gain": gain,
                    "followers_end": FOLLOWERS_END[account] - (0 if week == WEEK else 1000),
                    "private_domain_users_end": None,
                    "private_domain_net_change": None,
                }
            )
    for week, (users, change) in PRIVATE_DOMAIN.items():
        rows.append(
            {
                "platform": "wecom",
                "account_id": "all",
                "week": week,
                "week_start": WEEK_START[week],
                "net_follower_gain": None,
                "followers_end": None,
                "private_domain_users_end": users,
                "private_domain_net_change": change,
            }
        )
    return rows


def _conversion_rows() -> list[dict]:
    rows = []
    for platform, week, gmv, orders, buyers, leads, spend in CONVERSION:
        rows.append(
            {
                "platform": platform,
                "week": week,
                "week_start": WEEK_START[week],
                "gmv": gmv,
                "paid_orders": orders,
                "buyers": buyers,
                "leads": leads,
                "ad_spend": spend,
                "roi": gmv / spend if gmv is not None and spend else None,
                "cost_per_lead": spend / leads if spend and leads else None,
                "viewer_to_payer_rate": None,
                "gmv_short_video": None,
                "gmv_live": None,
                "gmv_product_card": None,
            }
        )
    return rows


def kpi_value(kpi: str, week: str) -> float | None:
    if kpi == "views":
        return sum(platform_week_sum(p, week, 1) for p in ("douyin", "xiaohongshu", "wechat_oa"))
    if kpi == "contents_published":
        return sum(platform_week_sum(p, week, 0) for p in ("douyin", "xiaohongshu", "wechat_oa"))
    if kpi == "interaction_rate":
        views = kpi_value("views", week)
        inter = sum(platform_week_sum(p, week, 2) for p in ("douyin", "xiaohongshu", "wechat_oa"))
        return inter / views if views else None
    if kpi == "net_follower_gain":
        return sum(g[WEEKS.index(week)] for g in GROWTH.values())
    if kpi == "private_domain_users":
        return PRIVATE_DOMAIN.get(week, (None, None))[0]
    conv = [r for r in _conversion_rows() if r["week"] == week]
    if kpi in {"gmv", "leads", "ad_spend"}:
        values = [r[kpi] for r in conv if r[kpi] is not None]
        return sum(values) if values else None
    if kpi == "roi":
        gmv, spend = kpi_value("gmv", week), kpi_value("ad_spend", week)
        return gmv / spend if gmv and spend else None
    if kpi == "negative_share":
        return 0.0 if week == WEEK else 0.01
    raise KeyError(kpi)


def _scorecard_rows() -> list[dict]:
    rows = []
    for week in (PREVIOUS, WEEK):
        for kpi, dimension in KPI_DIMENSIONS.items():
            value = kpi_value(kpi, week)
            target = KPI_TARGETS.get(kpi)
            if kpi == "negative_share":
                target = 0.05
            if value is None:
                status = "no_value"
            elif target is None:
                status = "no_target"
            elif kpi == "negative_share":
                status = "met" if value <= target else "missed"
            else:
                status = "met" if value >= target else "missed"
            rows.append(
                {
                    "week": week,
                    "week_start": WEEK_START[week],
                    "dimension": dimension,
                    "kpi": kpi,
                    "platform": "all",
                    "value": value,
                    "target": target,
                    "attainment": value / target if value is not None and target else None,
                    "status": status,
                }
            )
        for platform in ("douyin", "xiaohongshu", "wechat_oa"):
            views = platform_week_sum(platform, week, 1)
            inter = platform_week_sum(platform, week, 2)
            contents = platform_week_sum(platform, week, 0)
            for kpi, value in (
                ("views", views),
                ("interaction_rate", inter / views if views else None),
                ("avg_views_per_content", views / contents if contents else None),
                (
                    "viral_share",
                    platform_week_sum(platform, week, 3) / contents if contents else None,
                ),
            ):
                rows.append(
                    {
                        "week": week,
                        "week_start": WEEK_START[week],
                        "dimension": "content",
                        "kpi": kpi,
                        "platform": platform,
                        "value": value,
                        "target": None,
                        "attainment": None,
                        "status": "no_target",
                    }
                )
    return rows


def _contents() -> tuple[list[dict], list[dict], list[dict]]:
    """dim_contents, fct_content_snapshots and mart_content_performance rows."""
    items = [
        # key, platform, account, title, published_at (Shanghai), views, likes, comments, shares, capped, gmv, leads
        (
            "k1",
            "douyin",
            "dy_main",
            XSS_TITLE,
            "2026-11-17 10:00",
            200_000,
            4000,
            300,
            200,
            False,
            30_000.0,
            None,
        ),
        (
            "k2",
            "douyin",
            "dy_main",
            "冷萃茶测评：真香还是踩雷",
            "2026-11-18 20:00",
            110_000,
            1800,
            200,
            100,
            False,
            10_000.0,
            2,
        ),
        (
            "k3",
            "xiaohongshu",
            "xhs_main",
            FORMULA_TITLE,
            "2026-11-18 20:30",
            4_000,
            200,
            30,
            20,
            False,
            None,
            None,
        ),
        (
            "k4",
            "wechat_oa",
            "wxoa_main",
            "新手必看：燕麦拿铁教程",
            "2026-11-19 00:00",
            100_000,
            500,
            100,
            300,
            True,
            None,
            3,
        ),
        (
            "k5",
            "douyin",
            "dy_main",
            "上周的内容",
            "2026-11-10 12:00",
            90_000,
            1500,
            200,
            100,
            False,
            None,
            None,
        ),
        (
            "k6",
            "xiaohongshu",
            "xhs_main",
            "露营装备清单",
            "2026-09-10 19:00",
            8_000,
            500,
            50,
            40,
            False,
            None,
            None,
        ),
        (
            "k7",
            "douyin",
            "dy_main",
            "办公室下午茶",
            "2026-08-20 21:00",
            50_000,
            900,
            80,
            60,
            False,
            None,
            None,
        ),
    ]
    dim, snaps, perf = [], [], []
    for (
        key,
        platform,
        account,
        title,
        at,
        views,
        likes,
        comments,
        shares,
        capped,
        gmv,
        leads,
    ) in items:
        published_at = pd.Timestamp(at, tz="Asia/Shanghai")
        interactions = likes + comments + shares
        dim.append(
            {
                "content_key": key,
                "platform": platform,
                "account_id": account,
                "content_id": f"id-{key}",
                "title": title,
                "content_type": "video",
                "published_at": published_at,
                "published_date": published_at.date(),
                "published_time_known": platform not in ("wechat_oa", "wechat_channels"),
            }
        )
        snaps.append(
            {
                "content_key": key,
                "snapshot_date": published_at.date() + dt.timedelta(days=5),
                "views": views,
                "likes": likes,
                "comments": comments,
                "shares": shares,
                "collects": 10,
                "interactions": interactions,
                "views_is_capped": capped,
            }
        )
        perf.append(
            {
                "content_key": key,
                "platform": platform,
                "account_id": account,
                "title": title,
                "published_at": published_at,
                "published_date": published_at.date(),
                "views": views,
                "views_is_capped": capped,
                "likes": likes,
                "comments": comments,
                "shares": shares,
                "collects": 10,
                "interactions": interactions,
                "interaction_rate": interactions / views,
                "is_viral": views >= 100_000,
                "attributed_gmv": gmv,
                "attributed_leads": leads,
            }
        )
    return dim, snaps, perf


def _growth_daily_rows() -> list[dict]:
    rows = []
    for (platform, account), gains in GROWTH.items():
        # Q3: 2026-09-28..30 and Q4 days: spread each week's gain over 7 days
        for week, gain in zip(WEEKS, gains, strict=True):
            start = WEEK_START[week]
            for d in range(7):
                day = start + dt.timedelta(days=d)
                rows.append(
                    {
                        "platform": platform,
                        "account_id": account,
                        "date": day,
                        "followers_total": FOLLOWERS_END[account] - 7 + d,
                        "new_followers": None,
                        "lost_followers": None,
                        "net_follower_gain": gain // 7 + (gain % 7 if d == 6 else 0),
                    }
                )
        rows.append(
            {
                "platform": platform,
                "account_id": account,
                "date": dt.date(2026, 9, 15),
                "followers_total": FOLLOWERS_END[account] - 5000,
                "new_followers": None,
                "lost_followers": None,
                "net_follower_gain": 100,
            }
        )
    return rows


#: the sentiment review queue (mart_sentiment_review_queue): rank, platform, type, text, model
#: label, P(positive), P(neutral), P(negative), created at; rank 3 lies after WEEK
REVIEW_QUEUE = [
    {
        "review_rank": rank,
        "item_key": f"rq{rank}",
        "item_type": item_type,
        "item_id": f"c{rank}",
        "platform": platform,
        "account_id": None,
        "item_text": text,
        "url": None,
        "model_label": label,
        "p_positive": p_pos,
        "p_neutral": 1 - p_pos - p_neg,
        "p_negative": p_neg,
        "certainty": max(p_pos, 1 - p_pos - p_neg, p_neg),
        "margin": None,
        "created_at": pd.Timestamp(created, tz="Asia/Shanghai"),
        "created_date": pd.Timestamp(created).date(),
        "week": None,
    }
    for rank, item_type, platform, text, label, p_pos, p_neg, created in (
        (1, "comment", "douyin", "<i>还行吧</i> 就那样", "neutral", 0.36, 0.30, "2026-11-21 10:00"),
        (
            2,
            "mention",
            "xiaohongshu",
            '=HYPERLINK("http://evil","点我")',
            "negative",
            0.3,
            0.4,
            "2026-11-19 08:30",
        ),
        (3, "comment", "douyin", "下周的评论", "positive", 0.45, 0.4, "2026-11-24 09:00"),
        (4, "comment", "douyin", "味道有点特别", "positive", 0.5, 0.3, "2026-11-17 12:00"),
    )
]


def build_warehouse(path: Path) -> Path:
    dim, snaps, perf = _contents()
    tables: dict[str, pd.DataFrame] = {
        "dim_accounts": pd.DataFrame(
            [
                {
                    "platform": "douyin",
                    "account_id": "dy_main",
                    "account_name": "禾野官方",
                    "first_snapshot_date": dt.date(2025, 6, 2),
                },
                {
                    "platform": "xiaohongshu",
                    "account_id": "xhs_main",
                    "account_name": "禾野生活馆",
                    "first_snapshot_date": dt.date(2025, 6, 2),
                },
                {
                    "platform": "wechat_oa",
                    "account_id": "wxoa_main",
                    "account_name": "wxoa_main",
                    "first_snapshot_date": dt.date(2025, 6, 2),
                },
            ]
        ),
        "dim_contents": pd.DataFrame(dim),
        "fct_content_snapshots": pd.DataFrame(snaps),
        "mart_content_performance": pd.DataFrame(perf),
        "mart_engagement_weekly": pd.DataFrame(_engagement_rows()),
        "mart_growth_daily": pd.DataFrame(_growth_daily_rows()),
        "mart_growth_weekly": pd.DataFrame(_growth_rows()),
        "mart_conversion_roi_weekly": pd.DataFrame(_conversion_rows()),
        "mart_sentiment_daily": pd.DataFrame(
            [
                {
                    "platform": "douyin",
                    "date": dt.date(2026, 11, 18),
                    "monitored_mentions": None,
                    "comments": None,
                    "unclassified": None,
                    "mentions": 40,
                    "positive": 6,
                    "neutral": 3,
                    "negative": 1,
                    "positive_rate": 0.6,
                    "negative_share": 0.1,
                    "negative_share_breach": True,
                    "negatives_responded_1h": 0,
                    "negatives_total": 1,
                },
                {
                    "platform": "xiaohongshu",
                    "date": dt.date(2026, 11, 19),
                    "monitored_mentions": None,
                    "comments": None,
                    "unclassified": None,
                    "mentions": 20,
                    "positive": 4,
                    "neutral": 1,
                    "negative": 0,
                    "positive_rate": 0.8,
                    "negative_share": 0.0,
                    "negative_share_breach": False,
                    "negatives_responded_1h": 0,
                    "negatives_total": 0,
                },
            ]
        ),
        "mart_sentiment_items": pd.DataFrame(
            [
                {
                    "item_type": "comment",
                    "platform": "douyin",
                    "item_text": "收到的货漏液了 <img src=x onerror=alert(1)>",
                    "sentiment": "negative",
                    "created_at": pd.Timestamp("2026-11-18 21:05", tz="Asia/Shanghai"),
                    "is_responded_1h": False,
                    "response_seconds": None,
                }
            ]
        ),
        "mart_sentiment_review_queue": pd.DataFrame(REVIEW_QUEUE),
        "mart_kpi_scorecard_weekly": pd.DataFrame(_scorecard_rows()),
        "mart_user_needs_weekly": pd.DataFrame(
            [
                {
                    "week": week,
                    "week_start": WEEK_START[week],
                    "topic": topic,
                    "topic_name": None,
                    "mentions": mentions,
                    "share": share,
                    "negative_mentions": None,
                    "example_texts": texts,
                }
                for week, topic, mentions, share, texts in USER_NEEDS
            ]
        ),
        "mart_posting_time": pd.DataFrame(
            [
                {
                    "platform": "douyin",
                    "weekday": 2,
                    "hour": 10,
                    "contents": 3,
                    "avg_views": 150_000.0,
                    "interaction_rate": 0.02,
                },
                {
                    "platform": "douyin",
                    "weekday": 3,
                    "hour": 20,
                    "contents": 2,
                    "avg_views": 90_000.0,
                    "interaction_rate": 0.019,
                },
            ]
        ),
        "mart_ab_test_results": pd.DataFrame(
            [
                {
                    "test_id": "AB001",
                    "variant": "A",
                    "hypothesis": "封面用人物出镜",
                    "platform": "douyin",
                    "content_key": "k1",
                    "impressions": 25_339,
                    "clicks": 6_251,
                    "rate": 0.246695,
                    "lift": None,
                    "p_value": None,
                    "is_significant": None,
                    "verdict": "对照组（A）",
                },
                {
                    "test_id": "AB001",
                    "variant": "B",
                    "hypothesis": "封面用人物出镜",
                    "platform": "douyin",
                    "content_key": "k2",
                    "impressions": 7_538,
                    "clicks": 1_294,
                    "rate": 0.171664,
                    "lift": -0.304146,
                    "p_value": 0.0,
                    "is_significant": True,
                    "verdict": "B 显著差于 A",
                },
            ]
        ),
        "mart_campaign_results": pd.DataFrame(
            [
                {
                    "campaign_id": "KOL001",
                    "campaign_name": "达人种草-小鹿",
                    "campaign_type": "kol",
                    "partner": "小鹿的日常",
                    "start_date": dt.date(2026, 10, 5),
                    "end_date": dt.date(2026, 10, 19),
                    "budget": 12_000.0,
                    "partner_exposure": 669_029,
                    "views": 7_545,
                    "leads": 0,
                    "goal_metric": "views",
                    "goal_value": 500_000.0,
                    "goal_actual": 7_545.0,
                    "goal_attainment": 0.01509,
                },
            ]
        ),
    }
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        for name, df in tables.items():
            create_contract_table(con, name, df)  # the contract's columns and types
        # no pilot in this brand's data: the channel-pilot report model builds on an empty mart
        create_contract_table(con, "mart_channel_pilots", pd.DataFrame())
    finally:
        con.close()
    build_report_models(path)
    return path


def copy_fixture_warehouse(built: Path, home: Path) -> Path:
    """A copy of ``built`` (the session's ``build_warehouse``, the fixture ``fixture_warehouse``)
    as ``<home>/warehouse.duckdb``: the same file ``build_warehouse`` would write there, without
    another dbt run. A test that writes to its warehouse writes to such a copy."""
    home.mkdir(parents=True, exist_ok=True)
    target = home / "warehouse.duckdb"
    shutil.copyfile(built, target)
    return target


def build_report_models(path: Path) -> None:
    """dbt builds the report models (and the seeds they read) on the marts of `path`."""
    run_dbt(
        path.parent,
        "build",
        "--select",
        "platforms content_themes posting_time_slots kpi_definitions "
        "path:models/intermediate/reporting path:models/marts/reporting",
        "--resource-type",
        "seed",
        "--resource-type",
        "model",
        name="reports",
        timeout=600,
    )
