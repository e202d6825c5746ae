"""The sample brand's economics look like a consumer brand's (issue 14): weekly ROI around
1.5–4, a lead costing tens to hundreds of 元, live rooms selling at a plausible GPM, 千川's own
GMV below the shop's, and a few weeks in trouble on purpose (a throttled account, an overspent
千川 week) for the anomaly and action rules to find. Computed from the generator's truth."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from samples import build_dataset
from samples.content_gen import incident_weeks

START = dt.date(2026, 9, 28)
WEEKS = 8


@pytest.fixture(scope="module")
def ds():
    return build_dataset(START, WEEKS, scale=1.0, seed=7)


def week_of(day: dt.date) -> int:
    return (day - START).days // 7


def weekly(ds) -> dict[int, dict[str, float]]:
    out: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for o in ds.orders:
        if o.paid_at is not None and o.status != "已取消":
            out[week_of(o.paid_at.date())]["gmv"] += o.amount
    for s in ds.live_sessions:  # 视频号 has no order source: its live sales are its GMV
        if s.platform == "wechat_channels":
            out[week_of(s.started_at.date())]["gmv"] += s.gmv
    for p in ds.product_days:
        out[week_of(p.date)]["spend"] += p.spend
        out[week_of(p.date)]["qianchuan_gmv"] += p.gmv
        out[week_of(p.date)]["qianchuan_spend"] += p.spend
    for row in ds.templates["ad_spend"]:
        out[week_of(dt.date.fromisoformat(row["date"]))]["spend"] += row["spend"]
    for row in ds.templates["leads"]:
        if row["channel"] in ("表单提交", "企微添加"):
            out[week_of(dt.date.fromisoformat(row["created_at"][:10]))]["leads"] += 1
    return out


def test_weekly_roi_and_cost_per_lead_are_plausible(ds) -> None:
    incidents = incident_weeks(WEEKS)
    for week, v in weekly(ds).items():
        roi = v["gmv"] / v["spend"]
        cost_per_lead = v["spend"] / v["leads"]
        if week == incidents["overspend"]:
            assert roi < 1.5, (week, roi)
            continue
        assert 1.5 <= roi <= 4.5, (week, roi)
        assert 20 <= cost_per_lead <= 500, (week, cost_per_lead)
        assert v["qianchuan_gmv"] < v["gmv"], week  # the tool promotes part of the sales


def test_the_overspent_week_has_douyin_roi_below_one(ds) -> None:
    week = incident_weeks(WEEKS)["overspend"]
    v = weekly(ds)[week]
    douyin_gmv = sum(
        o.amount
        for o in ds.orders
        if o.paid_at is not None and o.status != "已取消" and week_of(o.paid_at.date()) == week
    )
    douyin_spend = v["qianchuan_spend"] + sum(
        r["spend"]
        for r in ds.templates["ad_spend"]
        if r["platform"] == "douyin" and week_of(dt.date.fromisoformat(r["date"])) == week
    )
    assert douyin_gmv / douyin_spend < 1


@pytest.mark.parametrize(
    ("platform", "incident"), [("xiaohongshu", "views_drop"), ("douyin", "douyin_views_drop")]
)
def test_a_throttled_account_drops_far_below_its_recent_weeks(ds, platform, incident) -> None:
    week = incident_weeks(WEEKS)[incident]
    account = ds.accounts_of(platform)[0].account_id
    views: dict[int, int] = defaultdict(int)
    for c in ds.contents_of(platform, account):
        views[week_of(c.published_at.date())] += c.latest.metrics["views"] or 0
    baseline = [views[w] for w in range(week - 4, week)]
    mean = sum(baseline) / 4
    assert views[week] < mean / 2, (views[week], baseline)


def test_live_rooms_sell_at_a_plausible_gpm(ds) -> None:
    gpms = sorted(s.gmv / s.viewers * 1000 for s in ds.live_sessions)
    assert 300 < gpms[len(gpms) // 2] < 5000, gpms
