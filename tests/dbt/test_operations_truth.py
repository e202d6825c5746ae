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
from tests.dbt.test_marts_truth import (
    assert_rows_equal,
    build_truth,
    daily_gains,
    interactions,
    leads_of,
    monday,
    net_paid,
    rows,
)
from tests.support.truth import CONTENT_PLATFORMS, iso_week, shanghai_day

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


# --- channel pilots ---------------------------------------------------------------------------

PILOT_AFTER_WEEKS, MIN_WEEKS, STOP_WEEKS, BAR, COST_BAR = 2, 4, 8, 0.8, 1.25  # dbt vars
SUMMED = ("views", "rate_interactions", "rate_views", "net_follower_gain", "ad_spend", "leads")


def add(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else a + b


def div(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def account_weeks(dataset: SampleDataset) -> dict[tuple[str, str, dt.date], dict[str, Any]]:
    """Per content account and week (Monday): what the exports state of it, spend, leads and GMV
    where they name one of its contents by an id the warehouse knows."""
    truth = build_truth(dataset)
    weeks: dict[tuple[str, str, dt.date], dict[str, Any]] = {}

    def row(platform: str, account: str, day: dt.date) -> dict[str, Any]:
        return weeks.setdefault(
            (platform, account, monday(day)), {**dict.fromkeys(SUMMED), "gmv": None}
        )

    for item in truth.contents:
        c = item.content
        r = row(c.platform, c.account_id, item.published_date)
        views, inter = item.latest.get("views"), interactions(item.latest)
        r["views"] = add(r["views"], views)
        if views is not None and inter is not None:
            r["rate_interactions"] = add(r["rate_interactions"], inter)
            r["rate_views"] = add(r["rate_views"], views)
    gains = daily_gains(dataset)
    for d in dataset.follower_days:
        gain = gains[(d.platform, d.account_id, d.date)]
        if gain is None and not d.followers_total:
            continue
        r = row(d.platform, d.account_id, d.date)
        r["net_follower_gain"] = add(r["net_follower_gain"], gain)
    owner = {
        key: (item.content.platform, item.content.account_id) for key, item in truth.by_link.items()
    }
    spend_platforms = {r["platform"] for r in dataset.templates["ad_spend"]} | {
        p.platform for p in dataset.product_days
    }
    order_platforms = {o.platform for o in dataset.orders}
    for (platform, _account, _week), r in weeks.items():
        r["leads"] = 0
        r["ad_spend"] = 0.0 if platform in spend_platforms else None
        r["gmv"] = 0.0 if platform in order_platforms else None
    for s in dataset.templates["ad_spend"]:
        who = owner.get((s["platform"], s["content_id"]))
        if who:
            weeks[(*who, monday(dt.date.fromisoformat(s["date"])))]["ad_spend"] += s["spend"]
    for lead in leads_of(dataset):
        who = owner.get((lead["source_platform"], lead["content_id"]))
        if who:
            weeks[(*who, monday(shanghai_day(lead["created_at"])))]["leads"] += 1
    for order in dataset.orders:
        who = owner.get((order.platform, order.content_id)) if order.content_id else None
        if who and net_paid(order):
            weeks[(*who, monday(shanghai_day(order.paid_at)))]["gmv"] += order.amount
    return weeks


def cost_index(cum: dict[str, Any], total: str) -> float | None:
    """(spend / total) of the pilot to date over that of the established channels."""
    mine_ok = (cum[total] or 0) > 0 and (cum["ad_spend"] or 0) > 0
    bench_ok = (cum["b_" + total] or 0) > 0 and (cum["b_ad_spend"] or 0) > 0
    if not (mine_ok and bench_ok):
        return None
    return (cum["ad_spend"] / cum[total]) / (cum["b_ad_spend"] / cum["b_" + total])


def pilots_truth(dataset: SampleDataset) -> dict[tuple[str, str, str], dict[str, Any]]:
    weeks = account_weeks(dataset)
    firsts: dict[tuple[str, str], dt.date] = {}
    for platform, account, week in weeks:
        firsts[(platform, account)] = min(firsts.get((platform, account), week), week)
    data_start = min(firsts.values())
    pilots = {
        key: first
        for key, first in firsts.items()
        if first >= data_start + dt.timedelta(weeks=PILOT_AFTER_WEEKS)
    }
    established = set(firsts) - set(pilots)
    assert {key[1] for key in pilots} == {a.account_id for a in dataset.accounts if a.start_week}
    bench: dict[dt.date, dict[str, Any]] = defaultdict(lambda: {"accounts": 0, "gmv": None})
    for (platform, account, week), r in weeks.items():
        if (platform, account) in established:
            b = bench[week]
            b["accounts"] += 1
            for column in (*SUMMED, "gmv"):
                b[column] = add(b.get(column), r[column])
    out = {}
    for platform, account in pilots:
        cum: dict[str, Any] = {}
        mine = sorted(w for p, a, w in weeks if (p, a) == (platform, account))
        for n, week in enumerate(mine, start=1):
            r, b = weeks[(platform, account, week)], bench[week]
            for column in (*SUMMED, "gmv"):
                cum[column] = add(cum.get(column), r[column])
                cum["b_" + column] = add(cum.get("b_" + column), b.get(column))
            cum["b_accounts"] = cum.get("b_accounts", 0) + b["accounts"]
            indexes = {
                "reach_index": div(div(cum["views"], n), div(cum["b_views"], cum["b_accounts"])),
                "engagement_index": div(
                    div(cum["rate_interactions"], cum["rate_views"]),
                    div(cum["b_rate_interactions"], cum["b_rate_views"]),
                ),
                "growth_index": div(
                    div(cum["net_follower_gain"], n),
                    div(cum["b_net_follower_gain"], cum["b_accounts"]),
                )
                if (cum["b_net_follower_gain"] or 0) > 0
                else None,
            }

            indexes["cost_per_follower_index"] = cost_index(cum, "net_follower_gain")
            indexes["cost_per_lead_index"] = cost_index(cum, "leads")
            indexes["roi_index"] = (
                (cum["gmv"] or 0) / cum["ad_spend"] / (cum["b_gmv"] / cum["b_ad_spend"])
                if (cum["ad_spend"] or 0) > 0
                and (cum["b_ad_spend"] or 0) > 0
                and (cum["b_gmv"] or 0) > 0
                else None
            )
            judged = sum(v is not None for v in indexes.values())
            met = sum(
                v is not None and (v <= COST_BAR if name.startswith("cost") else v >= BAR)
                for name, v in indexes.items()
            )
            if n < MIN_WEEKS or judged == 0:
                verdict = "extend"
            elif 2 * met >= judged:
                verdict = "continue"
            elif n >= STOP_WEEKS and 4 * met < judged:
                verdict = "stop"
            else:
                verdict = "extend"
            views, gain, spend = r["views"], r["net_follower_gain"], r["ad_spend"]
            out[(platform, account, iso_week(week))] = {
                "pilot_kind": "account"
                if any(p == platform for p, _ in established)
                else "platform",
                "pilot_week": n,
                "week_start": week,
                "views": views,
                "interaction_rate": div(r["rate_interactions"], r["rate_views"]),
                "net_follower_gain": gain,
                "ad_spend": spend,
                "cost_per_follower": div(spend, gain) if (gain or 0) > 0 else None,
                "leads": r["leads"],
                "cost_per_lead": div(spend, r["leads"]),
                "gmv": r["gmv"],
                "roi": div(r["gmv"], spend),
                "benchmark_accounts": b["accounts"],
                "benchmark_views_per_account": div(b["views"], b["accounts"]),
                **indexes,
                "metrics_judged": judged,
                "metrics_met": met,
                "verdict_code": verdict,
            }
    return out


def test_channel_pilots_equal_the_truth(built: Built) -> None:
    dataset, con, _ = built
    actual = {
        (r["platform"], r["account_id"], r["week"]): r
        for r in rows(con, "select * from marts.mart_channel_pilots")
    }
    expected = pilots_truth(dataset)
    assert expected  # the generator pilots an account
    assert {p for p, _, _ in expected} <= set(CONTENT_PLATFORMS)
    assert_rows_equal(actual, expected)
