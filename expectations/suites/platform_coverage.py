""" "Every enabled platform present for the period": for a weekly mart, the latest complete ISO week
it has rows for (a week that ended before the run's date, Shanghai) must have rows for every
enabled content platform of the registry (dbt_project/seeds/platforms.csv).

The suites are named `<mart>__platforms` (blocking) or `<mart>__platforms__warning`:

- mart_growth_weekly: blocking. Every platform reports followers every day (粉丝数据, 用户增长),
  so a platform missing from a complete week means its export was not dropped in.
- mart_conversion_roi_weekly and mart_kpi_scorecard_weekly: blocking. Both carry a row for every
  platform each week, even a zero one, so a missing platform is a broken build.
- mart_engagement_weekly: warning. Its grain is the week a content was *published*: a platform
  that published nothing that week rightly has no row, so its absence is reported, not blocking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from expectations.suites import _common as c

#: weekly marts checked, and whether a missing platform blocks their reports
COVERAGE: dict[str, str] = {
    "mart_engagement_weekly": "warning",
    "mart_growth_weekly": "blocking",
    "mart_conversion_roi_weekly": "blocking",
    "mart_kpi_scorecard_weekly": "blocking",
}


@dataclass(frozen=True)
class CoverageSuite:
    name: str
    mart: str
    severity: str

    @property
    def table(self) -> str:
        return f"marts.{self.mart}"

    @property
    def key(self) -> list[str]:
        return ["week", "platform"]

    def query(self, table: str, as_of: dt.date) -> str:
        return c.latest_complete_week_query(table, as_of)

    def build(self) -> Any:
        import great_expectations.expectations as gxe

        expectations = [
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            gxe.ExpectColumnDistinctValuesToContainSet(
                column="platform", value_set=list(c.enabled_platforms())
            ),
        ]
        return c.suite(self.name, expectations)


def suite_names() -> list[str]:
    return [
        f"{mart}__platforms" + ("__warning" if severity == "warning" else "")
        for mart, severity in COVERAGE.items()
    ]


def load(name: str) -> CoverageSuite:
    mart = name.removesuffix("__warning").removesuffix("__platforms")
    if mart not in COVERAGE or name not in suite_names():
        raise KeyError(f"no platform coverage suite {name!r}")
    return CoverageSuite(name=name, mart=mart, severity=COVERAGE[mart])
