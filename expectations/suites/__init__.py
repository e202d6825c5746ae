"""The suites, by name. A suite is named after what it checks:

- `mart_<name>`: a module `expectations/suites/mart_<name>.py` with TABLE, SEVERITY, KEY (the
  grain, used to show failed rows) and build();
- `mart_<name>__platforms[__warning]`: every enabled platform present in the latest complete week
  (`platform_coverage.py`);
- `raw_<platform>__<report>[__warning]`: generated from the readers' specs (`raw.py`).

A `__warning` suffix marks a non-blocking suite; every other suite blocks the reports that
depend on it.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: mart suites that gate the reports, in the order they run
MART_TABLE_SUITES = (
    "mart_engagement_weekly",
    "mart_growth_weekly",
    "mart_conversion_roi_weekly",
    "mart_sentiment_daily",
    "mart_kpi_scorecard_weekly",
    "mart_user_needs_weekly",
    "mart_content_performance",
    "mart_ab_test_results",
    "mart_live_sessions",
    "mart_content_calendar_weekly",
    "mart_channel_pilots",
)
#: marts rightly empty for a team without the source (no live export, no calendar export, no
#: pilot account yet): their suites pass on no rows; every other mart suite needs rows
MAY_BE_EMPTY = frozenset(
    {"mart_live_sessions", "mart_content_calendar_weekly", "mart_channel_pilots"}
)
MART_SUITES = (
    *MART_TABLE_SUITES,
    "mart_engagement_weekly__platforms__warning",
    "mart_growth_weekly__platforms",
    "mart_conversion_roi_weekly__platforms",
    "mart_kpi_scorecard_weekly__platforms",
)


@dataclass(frozen=True)
class Suite:
    """What a run needs of a suite: the table it reads, how (query), its severity, its build."""

    name: str
    table: str
    severity: str
    key: tuple[str, ...]
    build: Callable[[], Any]
    query: Callable[[str, dt.date], str]
    #: a column that only grows as rows are appended (a raw table's `_ingested_at`): a run may
    #: read `delta_query(table, after)`, the rows after a value of it (`gates.read_suites`)
    delta_column: str | None = None
    delta_query: Callable[[str, str], str] | None = None

    # the module-style names (TABLE, SEVERITY) some callers use
    @property
    def TABLE(self) -> str:
        return self.table

    @property
    def SEVERITY(self) -> str:
        return self.severity


def _whole_table(table: str, as_of: dt.date) -> str:
    return f"select * from {table}"


def raw_suites() -> tuple[str, ...]:
    from expectations.suites import raw

    return tuple(raw.suite_names())


def all_suites() -> tuple[str, ...]:
    """Every suite: the raw layer first, then the marts."""
    return (*raw_suites(), *MART_SUITES)


def load(name: str) -> Suite:
    """The suite `name`."""
    if name.startswith("raw_"):
        from expectations.suites import raw

        found: Any = raw.load(name)
    elif "__platforms" in name:
        from expectations.suites import platform_coverage

        found = platform_coverage.load(name)
    else:
        try:
            module = importlib.import_module(f"expectations.suites.{name}")
        except ModuleNotFoundError as exc:
            raise KeyError(f"no suite named {name!r}") from exc
        return Suite(
            name=name,
            table=module.TABLE,
            severity=module.SEVERITY,
            key=tuple(getattr(module, "KEY", ())),
            build=module.build,
            query=getattr(module, "query", _whole_table),
        )
    return Suite(
        name=name,
        table=found.table,
        severity=found.severity,
        key=tuple(found.key),
        build=found.build,
        query=found.query,
        delta_column=getattr(found, "delta_column", None),
        delta_query=getattr(found, "delta_query", None),
    )
