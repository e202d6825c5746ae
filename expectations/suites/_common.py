"""What the suites share: the platforms (from the registry), the week format, and short
builders for the expectations every mart suite repeats.

GX is imported inside the builders only (its import takes seconds)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import registry

#: the content platforms of the spec (§1), from the platform registry
CONTENT_PLATFORMS = registry.content_platforms()
#: the platforms an account, a follower count or a private-domain figure can belong to
ACCOUNT_PLATFORMS = (*CONTENT_PLATFORMS, *registry.ids("private_domain"))

WEEK_REGEX = r"^\d{4}-W\d{2}$"


def enabled_platforms() -> tuple[str, ...]:
    """The platforms every report period must carry: the registry's enabled content platforms
    (`enabled` in dbt_project/seeds/platforms.csv; a team that does not run a platform sets it
    false there)."""
    return registry.content_platforms(enabled_only=True)


def latest_complete_week_query(table: str, as_of: dt.date) -> str:
    """The rows of the latest ISO week the table has rows for that ended before `as_of`
    (portable SQL: DuckDB and PostgreSQL). A week still running on `as_of` is not complete."""
    cutoff = (as_of - dt.timedelta(days=7)).isoformat()
    return (
        f"select * from {table} where week_start = "
        f"(select max(week_start) from {table} where week_start <= date '{cutoff}')"
    )


def not_null(columns: list[str]) -> list[Any]:
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in columns]


def non_negative(columns: list[str]) -> list[Any]:
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0) for c in columns]


def fractions(columns: list[str]) -> list[Any]:
    """Rates and shares: 0-1 on every row (NULL, where a denominator is 0, passes)."""
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, max_value=1) for c in columns]


def booleans(columns: list[str]) -> list[Any]:
    import great_expectations.expectations as gxe

    return [gxe.ExpectColumnValuesToBeInSet(column=c, value_set=[True, False]) for c in columns]


def week_format(column: str = "week") -> Any:
    import great_expectations.expectations as gxe

    return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=WEEK_REGEX)


def unique_key(columns: list[str]) -> Any:
    import great_expectations.expectations as gxe

    if len(columns) == 1:
        return gxe.ExpectColumnValuesToBeUnique(column=columns[0])
    return gxe.ExpectCompoundColumnsToBeUnique(column_list=columns)


def has_rows() -> Any:
    import great_expectations.expectations as gxe

    return gxe.ExpectTableRowCountToBeBetween(min_value=1)


def suite(name: str, expectations: list[Any]) -> Any:
    """An ExpectationSuite that refuses to lose an expectation (GX drops invalid ones silently)."""
    import great_expectations as gx

    built = gx.ExpectationSuite(name=name, expectations=expectations)
    if len(built.expectations) != len(expectations):
        raise ValueError(
            f"suite {name}: GX kept {len(built.expectations)} of {len(expectations)} expectations"
        )
    return built
