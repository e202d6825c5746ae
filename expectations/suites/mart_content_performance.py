"""Publish gate on marts.mart_content_performance (one content at its latest snapshot): the top,
viral and high-value contents of the reports."""

from __future__ import annotations

from typing import Any

from expectations.suites import _common as c

TABLE = "marts.mart_content_performance"
SEVERITY = "blocking"
KEY = ["content_key"]
COUNTS = [
    "views",
    "likes",
    "comments",
    "shares",
    "collects",
    "interactions",
    "attributed_gmv",
    "attributed_leads",
]


def build() -> Any:
    import great_expectations.expectations as gxe

    expectations: list[Any] = [
        c.has_rows(),
        c.unique_key(KEY),
        gxe.ExpectColumnValuesToBeInSet(column="platform", value_set=list(c.CONTENT_PLATFORMS)),
        *c.not_null([*KEY, "platform", "account_id", "published_date"]),
        *c.non_negative(COUNTS),
        *c.fractions(["interaction_rate"]),
        *c.booleans(["is_viral"]),
    ]
    return c.suite("mart_content_performance", expectations)
