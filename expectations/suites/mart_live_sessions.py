"""Publish gate on marts.mart_live_sessions (one live session): the 直播 section of the weekly
data review reads its sessions as they are.

A team without a live export has no session, so an empty mart passes (the other checks hold on
every row there is). GPM is checked against its definition: the suite reads the mart with
`gpm_deviation` = |gpm − gmv / viewers × 1000| (a NULL gpm counts as 0 where the definition
gives a value), which must stay within 0.01 元."""

from __future__ import annotations

import datetime as dt
from typing import Any

from expectations.suites import _common as c

TABLE = "marts.mart_live_sessions"
SEVERITY = "blocking"
KEY = ["platform", "account_id", "session_id"]
COUNTS = [
    "duration_seconds",
    "viewers",
    "views",
    "peak_concurrent",
    "avg_concurrent",
    "avg_watch_seconds",
    "new_followers",
    "product_clicks",
    "orders",
    "buyers",
    "gmv",
    "gpm",
    "ad_spend",
    "roi",
    # 商品点击 may be 次数 (clicks, not people) where an export states only that: ≥ 0, unbounded
    "product_click_rate",
]
RATES = ["viewer_to_payer_rate", "follow_rate"]
#: GPM's rounding allowance, in 元 per thousand viewers
GPM_TOLERANCE = 0.01


def query(table: str, as_of: dt.date) -> str:
    """The whole mart, with GPM's deviation from gmv / viewers × 1000 (portable SQL)."""
    return (
        "select *, abs(coalesce(gpm, 0) - coalesce(1000.0 * gmv / nullif(viewers, 0), 0)) "
        f"as gpm_deviation from {table}"
    )


def build() -> Any:
    import great_expectations.expectations as gxe

    expectations: list[Any] = [
        c.unique_key(KEY),
        gxe.ExpectColumnValuesToBeInSet(column="platform", value_set=list(c.CONTENT_PLATFORMS)),
        c.week_format(),
        *c.not_null([*KEY, "started_at", "started_date", "week", "week_start", "viewers"]),
        *c.non_negative(COUNTS),
        *c.fractions(RATES),
        # gpm = gmv / viewers × 1000
        gxe.ExpectColumnValuesToBeBetween(
            column="gpm_deviation", min_value=0, max_value=GPM_TOLERANCE
        ),
        # every buyer placed an order; nobody is online twice at the peak
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="orders",
            column_B="buyers",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="viewers",
            column_B="peak_concurrent",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
    ]
    return c.suite("mart_live_sessions", expectations)
