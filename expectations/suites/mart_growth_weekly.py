"""Publish gate on marts.mart_growth_weekly (platform × account × week): follower and
private-domain figures the weekly report and the scorecard read.

Net gains and net changes may be negative (more unfollows than follows), so only their keys and
the end-of-week totals are bounded."""

from __future__ import annotations

from typing import Any

from expectations.suites import _common as c

TABLE = "marts.mart_growth_weekly"
SEVERITY = "blocking"
KEY = ["platform", "account_id", "week"]
COUNTS = ["followers_end", "private_domain_users_end"]


def build() -> Any:
    import great_expectations.expectations as gxe

    expectations: list[Any] = [
        c.has_rows(),
        c.unique_key(KEY),
        gxe.ExpectColumnValuesToBeInSet(column="platform", value_set=list(c.ACCOUNT_PLATFORMS)),
        c.week_format(),
        *c.not_null([*KEY, "week_start"]),
        *c.non_negative(COUNTS),
    ]
    return c.suite("mart_growth_weekly", expectations)
