"""Publish gate on marts.mart_channel_pilots (pilot account × week since its start): the
《新渠道可行性报告》 reads its weeks and verdicts.

The mart is empty while no account is a pilot (a corpus shorter than a pilot's start, a team that
pilots nothing), so an empty mart passes. Follower gains and the growth index may be negative;
every other figure is a count, an amount, a cost or a ratio of them (≥ 0), and the verdict one of
the documented three, in English and in Chinese."""

from __future__ import annotations

from typing import Any

from expectations.suites import _common as c

TABLE = "marts.mart_channel_pilots"
SEVERITY = "blocking"
KEY = ["platform", "account_id", "week"]
#: the verdict's code and its Chinese wording (mart_channel_pilots.sql)
VERDICTS = {"continue": "继续投入", "extend": "延长试点", "stop": "停止试点"}
PILOT_KINDS = ["platform", "account"]
#: the six metrics the verdict judges (reach, engagement, growth, cost per follower and per lead,
#: ROI)
METRICS = 6
NON_NEGATIVE = [
    "contents",
    "views",
    "ad_spend",
    "cost_per_follower",
    "leads",
    "cost_per_lead",
    "gmv",
    "roi",
    "benchmark_accounts",
    "benchmark_views_per_account",
    "benchmark_cost_per_follower",
    "benchmark_cost_per_lead",
    "benchmark_gmv_per_account",
    "benchmark_roi",
    "views_per_week_to_date",
    "cost_per_follower_to_date",
    "cost_per_lead_to_date",
    "roi_to_date",
    "benchmark_views_per_week_to_date",
    "benchmark_cost_per_follower_to_date",
    "benchmark_cost_per_lead_to_date",
    "benchmark_roi_to_date",
    "reach_index",
    "engagement_index",
    "cost_per_follower_index",
    "cost_per_lead_index",
    "roi_index",
]
RATES = [
    "interaction_rate",
    "benchmark_interaction_rate",
    "interaction_rate_to_date",
    "benchmark_interaction_rate_to_date",
]


def build() -> Any:
    import great_expectations.expectations as gxe

    expectations: list[Any] = [
        c.unique_key(KEY),
        c.unique_key(["platform", "account_id", "pilot_week"]),
        gxe.ExpectColumnValuesToBeInSet(column="platform", value_set=list(c.CONTENT_PLATFORMS)),
        c.week_format(),
        *c.not_null([*KEY, "week_start", "pilot_week", "pilot_kind", "verdict_code", "verdict"]),
        gxe.ExpectColumnValuesToBeInSet(column="pilot_kind", value_set=PILOT_KINDS),
        gxe.ExpectColumnValuesToBeInSet(column="verdict_code", value_set=list(VERDICTS)),
        # the Chinese verdict says what the code says
        gxe.ExpectColumnPairValuesToBeInSet(
            column_A="verdict_code",
            column_B="verdict",
            value_pairs_set=list(VERDICTS.items()),
            ignore_row_if="either_value_is_missing",
        ),
        gxe.ExpectColumnValuesToBeBetween(column="pilot_week", min_value=1),
        gxe.ExpectColumnValuesToBeBetween(column="metrics_judged", min_value=0, max_value=METRICS),
        *c.non_negative(["metrics_met", *NON_NEGATIVE]),
        *c.fractions(RATES),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="metrics_judged",
            column_B="metrics_met",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
    ]
    return c.suite("mart_channel_pilots", expectations)
