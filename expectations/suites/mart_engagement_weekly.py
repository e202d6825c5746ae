"""Publish gate on marts.mart_engagement_weekly: what the weekly report reads must be sane."""

from __future__ import annotations

from typing import Any

from expectations.suites._common import CONTENT_PLATFORMS

TABLE = "marts.mart_engagement_weekly"
SEVERITY = "blocking"
KEY = ["platform", "account_id", "week"]
RATES = ["interaction_rate", "viral_share", "live_follow_rate"]
COUNTS = ["contents_published", "views", "interactions", "viral_contents"]
#: the week's live sessions (NULL on a platform without a live export)
LIVE_COUNTS = [
    "live_sessions",
    "live_viewers",
    "live_watch_minutes",
    "live_avg_watch_seconds",
    "live_peak_concurrent",
    "live_new_followers",
    "live_product_clicks",
]


def build() -> Any:
    """The expectation suite (GX is imported here, not at module import: it is slow)."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    expectations: list[Any] = [
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=KEY),
        gxe.ExpectColumnValuesToBeInSet(column="platform", value_set=list(CONTENT_PLATFORMS)),
        gxe.ExpectColumnValuesToMatchRegex(column="week", regex=r"^\d{4}-W\d{2}$"),
    ]
    expectations += [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in [*KEY, "week_start"]]
    expectations += [
        gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, max_value=1) for c in RATES
    ]
    expectations += [
        gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0) for c in [*COUNTS, *LIVE_COUNTS]
    ]
    expectations.append(
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="contents_published", column_B="viral_contents", or_equal=True
        )
    )
    # the week's peak is one session's, and no session peaks above its viewers
    expectations.append(
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="live_viewers",
            column_B="live_peak_concurrent",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        )
    )
    return gx.ExpectationSuite(name="mart_engagement_weekly", expectations=expectations)
