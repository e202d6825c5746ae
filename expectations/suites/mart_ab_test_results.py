"""Publish gate on marts.mart_ab_test_results (test × variant): per-variant impressions, clicks,
rate, lift and the two-proportion z-test.

Lift is relative to the control (≥ -1, unbounded above) and a test with too little data has NULL
statistics, so only the fractions and counts are bounded."""

from __future__ import annotations

from typing import Any

from expectations.suites import _common as c

TABLE = "marts.mart_ab_test_results"
SEVERITY = "blocking"
KEY = ["test_id", "variant"]


def build() -> Any:
    import great_expectations.expectations as gxe

    expectations: list[Any] = [
        c.has_rows(),
        c.unique_key(KEY),
        *c.not_null([*KEY, "verdict"]),
        *c.non_negative(["impressions", "clicks"]),
        *c.fractions(["rate", "p_value"]),
        gxe.ExpectColumnValuesToBeBetween(column="lift", min_value=-1),
        *c.booleans(["is_significant"]),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="impressions",
            column_B="clicks",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
    ]
    return c.suite("mart_ab_test_results", expectations)
