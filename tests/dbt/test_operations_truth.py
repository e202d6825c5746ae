"""The operations marts of the generated corpus (``built``, conftest.py) against values computed
here from the generator's ground truth: the content calendar (which content each plan became,
samples/calendar_gen.py) and the piloted account (samples/accounts.py ``mark_pilot``).

What the truth knows of the exports: a plan's 发布链接 names a content id the warehouse holds for
公众号 (msgid) and 快手 (作品ID); 抖音 exports carry no id, so a 抖音 plan with a link is still
matched by its title."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest

from samples import SampleDataset
from tests.dbt.test_marts_truth import assert_rows_equal, monday, rows
from tests.support.truth import iso_week

pytestmark = pytest.mark.slow

Built = tuple[SampleDataset, Any, Any]
ID_LINK_PLATFORMS = {"wechat_oa", "kuaishou"}
EPOCH = dt.date(1970, 1, 1)


def day_of(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(number))


def calendar_truth(dataset: SampleDataset) -> dict[tuple[str, str, str], dict[str, Any]]:
    plans = dataset.frames["content_calendar"]
    as_of = dataset.snapshot_dates()[-1]
    out: dict[tuple[str, str, str], dict[str, Any]] = defaultdict(
        lambda: dict.fromkeys(
            (
                "planned",
                "published_as_planned",
                "published_late",
                "planned_not_published",
                "planned_pending",
                "cancelled",
                "unplanned_published",
                "matched_by_id",
                "matched_by_title",
            ),
            0,
        )
    )
    planned_contents: set[tuple[str, int]] = set()
    first_week: dict[tuple[str, str], dt.date] = {}
    for plan in plans.to_dict("records"):
        platform, account = plan["true_platform"], plan["true_account_id"]
        day = day_of(plan["true_planned_day"])
        key = (platform, account, iso_week(day))
        first_week[(platform, account)] = min(
            first_week.get((platform, account), monday(day)), monday(day)
        )
        row = out[key]
        row["week_start"] = monday(day)
        if plan["true_status"] == "cancelled":
            row["cancelled"] += 1
            continue
        row["planned"] += 1
        idx = int(plan["true_content_idx"])
        if idx < 0:
            row["planned_pending" if day >= as_of else "planned_not_published"] += 1
            continue
        planned_contents.add((platform, idx))
        contents = dataset.frames[f"contents.{platform}"]
        published = day_of(contents["published_day"].iat[idx])
        row["published_as_planned" if published <= day else "published_late"] += 1
        by_id = isinstance(plan["发布链接"], str) and platform in ID_LINK_PLATFORMS
        row["matched_by_id" if by_id else "matched_by_title"] += 1
    for (platform, account), start in first_week.items():
        contents = dataset.frames[f"contents.{platform}"]
        for idx in range(len(contents)):
            if contents["account_id"].iat[idx] != account or (platform, idx) in planned_contents:
                continue
            published = day_of(contents["published_day"].iat[idx])
            if start <= published < as_of:
                row = out[(platform, account, iso_week(published))]
                row["week_start"] = monday(published)
                row["unplanned_published"] += 1
    for row in out.values():
        due = row["planned"] - row["planned_pending"]
        row["on_time_rate"] = row["published_as_planned"] / due if due else None
    return dict(out)


def test_content_calendar_weekly_equals_the_truth(built: Built) -> None:
    dataset, con, _ = built
    actual = {
        (r["platform"], r["account_id"], r["week"]): r
        for r in rows(con, "select * from marts.mart_content_calendar_weekly")
    }
    expected = calendar_truth(dataset)
    assert_rows_equal(actual, expected)
    totals = {
        column: sum(r[column] for r in expected.values())
        for column in ("published_late", "planned_not_published", "unplanned_published")
    }
    assert all(value > 0 for value in totals.values()), totals  # every case is exercised
