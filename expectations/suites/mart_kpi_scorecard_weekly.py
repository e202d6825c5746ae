"""Publish gate on marts.mart_kpi_scorecard_weekly (week × dimension × kpi × platform, 'all' for
the total): the scorecard that opens the weekly data review.

A KPI's value may be negative (net follower gain), so value and attainment are not bounded."""

from __future__ import annotations

from typing import Any

from expectations.suites import _common as c

TABLE = "marts.mart_kpi_scorecard_weekly"
SEVERITY = "blocking"
KEY = ["week", "dimension", "kpi", "platform"]
#: the job description's four assessment dimensions
DIMENSIONS = ["content", "growth", "conversion", "brand"]
STATUSES = ["met", "missed", "no_target", "no_value"]


def build() -> Any:
    import great_expectations.expectations as gxe

    expectations: list[Any] = [
        c.has_rows(),
        c.unique_key(KEY),
        c.week_format(),
        *c.not_null([*KEY, "week_start", "status"]),
        gxe.ExpectColumnValuesToBeInSet(column="dimension", value_set=DIMENSIONS),
        gxe.ExpectColumnValuesToBeInSet(column="status", value_set=STATUSES),
    ]
    return c.suite("mart_kpi_scorecard_weekly", expectations)
