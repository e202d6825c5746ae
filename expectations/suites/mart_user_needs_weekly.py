"""Publish gate on marts.mart_user_needs_weekly (week × topic): what comments and messages ask
for, which the weekly user-needs report reads."""

from __future__ import annotations

from typing import Any

from expectations.suites import _common as c

TABLE = "marts.mart_user_needs_weekly"
SEVERITY = "blocking"
KEY = ["week", "topic"]


def build() -> Any:
    expectations: list[Any] = [
        c.has_rows(),
        c.unique_key(KEY),
        c.week_format(),
        *c.not_null(KEY),
        *c.non_negative(["mentions"]),
        *c.fractions(["share"]),
    ]
    return c.suite("mart_user_needs_weekly", expectations)
