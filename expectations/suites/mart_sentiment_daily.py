"""Publish gate on marts.mart_sentiment_daily (platform × day): mention and comment sentiment
counts, the rates the brand KPIs use, and the 1-hour response SLA.

Mentions come from monitoring tools too (微博, 知乎 …), so the platform is not limited to the six
content platforms."""

from __future__ import annotations

from typing import Any

from expectations.suites import _common as c

TABLE = "marts.mart_sentiment_daily"
SEVERITY = "blocking"
KEY = ["platform", "date"]
COUNTS = [
    "mentions",
    "positive",
    "neutral",
    "negative",
    "negatives_responded_1h",
    "negatives_total",
]
RATES = ["positive_rate", "negative_share"]


def build() -> Any:
    import great_expectations.expectations as gxe

    expectations: list[Any] = [
        c.has_rows(),
        c.unique_key(KEY),
        *c.not_null(KEY),
        *c.non_negative(COUNTS),
        *c.fractions(RATES),
        *c.booleans(["negative_share_breach"]),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="negatives_total",
            column_B="negatives_responded_1h",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
    ]
    return c.suite("mart_sentiment_daily", expectations)
