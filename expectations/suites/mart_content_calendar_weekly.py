"""Publish gate on marts.mart_content_calendar_weekly (platform × account × week): the 内容排期
section of the weekly data review.

A team that does not export its calendar has no plan, so an empty mart passes. Every plan of a
week is in exactly one outcome, and every published plan was matched by id or by title: the
suite reads the mart with `plans_unaccounted` = planned − published_as_planned − published_late −
planned_not_published − planned_pending and `published_unmatched` = published_as_planned +
published_late − matched_by_id − matched_by_title, both of which must be 0."""

from __future__ import annotations

import datetime as dt
from typing import Any

from expectations.suites import _common as c

TABLE = "marts.mart_content_calendar_weekly"
SEVERITY = "blocking"
KEY = ["platform", "account_id", "week"]
COUNTS = [
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
RATES = ["on_time_rate"]


def query(table: str, as_of: dt.date) -> str:
    """The whole mart, with the plans no outcome accounts for and the published plans no match
    method accounts for (portable SQL)."""
    return (
        "select *, planned - published_as_planned - published_late - planned_not_published "
        "- planned_pending as plans_unaccounted, "
        "published_as_planned + published_late - matched_by_id - matched_by_title "
        f"as published_unmatched from {table}"
    )


def build() -> Any:
    import great_expectations.expectations as gxe

    expectations: list[Any] = [
        c.unique_key(KEY),
        gxe.ExpectColumnValuesToBeInSet(column="platform", value_set=list(c.CONTENT_PLATFORMS)),
        c.week_format(),
        *c.not_null([*KEY, "week_start"]),
        *c.non_negative(COUNTS),
        *c.fractions(RATES),
        # on time, late, not published or pending: each plan once, and no more
        gxe.ExpectColumnValuesToBeBetween(column="plans_unaccounted", min_value=0, max_value=0),
        # published on time or late: matched by id or by title
        gxe.ExpectColumnValuesToBeBetween(column="published_unmatched", min_value=0, max_value=0),
    ]
    return c.suite("mart_content_calendar_weekly", expectations)
