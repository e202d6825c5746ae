"""Publish gate on marts.mart_conversion_roi_weekly (platform × week): GMV net of cancellations,
orders, buyers, leads, spend and the ratios built on them."""

from __future__ import annotations

from typing import Any

from expectations.suites import _common as c

TABLE = "marts.mart_conversion_roi_weekly"
SEVERITY = "blocking"
KEY = ["platform", "week"]
COUNTS = ["gmv", "paid_orders", "buyers", "leads", "ad_spend", "roi", "cost_per_lead"]
RATES = ["viewer_to_payer_rate"]


def build() -> Any:
    import great_expectations.expectations as gxe

    expectations: list[Any] = [
        c.has_rows(),
        c.unique_key(KEY),
        gxe.ExpectColumnValuesToBeInSet(column="platform", value_set=list(c.ACCOUNT_PLATFORMS)),
        c.week_format(),
        *c.not_null([*KEY, "week_start"]),
        *c.non_negative(COUNTS),
        *c.fractions(RATES),
        # every buyer paid at least one order
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="paid_orders",
            column_B="buyers",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
    ]
    return c.suite("mart_conversion_roi_weekly", expectations)
