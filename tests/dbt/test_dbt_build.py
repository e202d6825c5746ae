"""dbt build on a generated corpus: every model and test passes, every mart of spec §4 exists with
its required columns, and a few marts hold the numbers computed here, independently, from the
generator's ground truth (``samples.build_dataset``). The corpus and its build are the
session fixture ``built`` of ``conftest.py``, shared with ``test_marts_truth.py``."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import pytest

from ops.dbt import PIPELINE_BUILD_FLAGS
from tests.support.truth import CONTENT_REPORTS, iso_week, shanghai_day
from tests.support.warehouse import run_dbt

pytestmark = pytest.mark.slow

#: spec §4: mart -> required columns
REQUIRED = {
    "dim_accounts": ["platform", "account_id", "account_name"],
    "dim_contents": [
        "content_key",
        "platform",
        "account_id",
        "content_id",
        "title",
        "content_type",
        "published_at",
        "published_date",
    ],
    "fct_content_snapshots": [
        "content_key",
        "snapshot_date",
        "views",
        "likes",
        "comments",
        "shares",
        "collects",
        "interactions",
        "views_is_capped",
    ],
    "mart_content_performance": [
        "content_key",
        "platform",
        "account_id",
        "title",
        "published_date",
        "views",
        "likes",
        "comments",
        "shares",
        "collects",
        "interactions",
        "interaction_rate",
        "is_viral",
        "attributed_gmv",
        "attributed_leads",
    ],
    "mart_engagement_weekly": [
        "platform",
        "account_id",
        "week",
        "week_start",
        "contents_published",
        "views",
        "interactions",
        "interaction_rate",
        "avg_views_per_content",
        "viral_contents",
        "viral_share",
    ],
    "mart_growth_daily": [
        "platform",
        "account_id",
        "date",
        "followers_total",
        "new_followers",
        "lost_followers",
        "net_follower_gain",
    ],
    "mart_growth_weekly": [
        "platform",
        "account_id",
        "week",
        "week_start",
        "net_follower_gain",
        "followers_end",
        "private_domain_users_end",
        "private_domain_net_change",
    ],
    "mart_conversion_roi_weekly": [
        "platform",
        "week",
        "week_start",
        "gmv",
        "paid_orders",
        "buyers",
        "leads",
        "ad_spend",
        "roi",
        "cost_per_lead",
        "viewer_to_payer_rate",
    ],
    "mart_sentiment_daily": [
        "platform",
        "date",
        "mentions",
        "positive",
        "neutral",
        "negative",
        "positive_rate",
        "negative_share",
        "negative_share_breach",
        "negatives_responded_1h",
        "negatives_total",
    ],
    "mart_kpi_scorecard_weekly": [
        "week",
        "dimension",
        "kpi",
        "platform",
        "value",
        "target",
        "attainment",
        "status",
    ],
    "mart_user_needs_weekly": ["week", "topic", "mentions", "share", "example_texts"],
    "mart_posting_time": [
        "platform",
        "weekday",
        "hour",
        "contents",
        "avg_views",
        "interaction_rate",
    ],
    "mart_ab_test_results": [
        "test_id",
        "variant",
        "impressions",
        "clicks",
        "rate",
        "lift",
        "p_value",
        "is_significant",
        "verdict",
    ],
}


def test_build_runs_every_model_test_and_unit_test(built) -> None:
    _, _, completed = built
    assert "ERROR=0" in completed.stdout and "SKIP=0" in completed.stdout
    assert "unit test" in completed.stdout


def test_the_pipeline_s_build_leaves_out_the_unit_tests_and_nothing_else(tmp_path) -> None:
    """The producer's `dbt build` flags (`ops.dbt.PIPELINE_BUILD_FLAGS`) select every node of a
    plain `dbt build` except the unit tests, which test the SQL on fixtures, not the rows."""

    def nodes(*flags: str) -> dict[str, set[str]]:
        listed = run_dbt(
            tmp_path,
            "ls",
            "--resource-type",
            "all",
            "--output",
            "json",
            "--output-keys",
            "unique_id resource_type",
            "--quiet",
            *flags,
        )
        found: dict[str, set[str]] = defaultdict(set)
        for line in listed.stdout.splitlines():
            if line.startswith("{"):
                node = json.loads(line)
                found[node["resource_type"]].add(node["unique_id"])
        return found

    everything, pipeline = nodes(), nodes(*PIPELINE_BUILD_FLAGS)
    assert len(everything["unit_test"]) >= 40 and "unit_test" not in pipeline
    assert len(everything["test"]) >= 400 and len(everything["model"]) >= 100
    assert {kind: ids for kind, ids in everything.items() if kind != "unit_test"} == pipeline


def test_every_mart_has_its_required_columns(built) -> None:
    _, con, _ = built
    for mart, required in REQUIRED.items():
        columns = {
            row[0]
            for row in con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'marts' and table_name = ?",
                [mart],
            ).fetchall()
        }
        assert columns, f"marts.{mart} is missing"
        assert set(required) <= columns, (mart, set(required) - columns)
        rows = con.execute(f"select count(*) from marts.{mart}").fetchall()[0][0]
        assert rows > 0, f"marts.{mart} is empty"


def test_growth_daily_net_follower_gain_equals_the_truth(built) -> None:
    dataset, con, _ = built
    days = sorted(dataset.follower_days, key=lambda d: (d.platform, d.account_id, d.date))
    totals = {(d.platform, d.account_id, d.date): d.followers_total for d in days}
    expected = {}
    for d in days:
        if d.new_followers is not None and d.lost_followers is not None:
            gain = d.new_followers - d.lost_followers
        else:  # total only: the day-over-day difference, unknown on the first day
            previous = totals.get((d.platform, d.account_id, d.date - dt.timedelta(days=1)))
            gain = None if previous is None else d.followers_total - previous
        expected[(d.platform, d.account_id, d.date)] = (d.followers_total, gain)
    rows = con.execute(
        "select platform, account_id, date, followers_total, net_follower_gain "
        "from marts.mart_growth_daily"
    ).fetchall()
    actual = {(r[0], r[1], r[2]): (r[3], r[4]) for r in rows}
    assert set(actual) == set(expected)
    assert actual == expected
    gains = [g for _, g in expected.values() if g is not None]
    assert any(g < 0 for g in gains) or sum(gains) > 0
    total_only = [k for k, (_, g) in expected.items() if g is not None and k[0] == "kuaishou"]
    assert total_only, "the sample has kuaishou follower days"


def test_conversion_roi_weekly_equals_the_truth_for_douyin(built) -> None:
    dataset, con, _ = built
    gmv: dict[str, float] = defaultdict(float)
    orders: dict[str, set[str]] = defaultdict(set)
    buyers: dict[str, set[str]] = defaultdict(set)
    for order in dataset.orders:
        if order.paid_at is None or order.status == "已取消":
            continue
        week = iso_week(shanghai_day(order.paid_at))
        gmv[week] += order.amount
        orders[week].add(order.order_id)
        buyers[week].add(order.buyer_phone)
    spend: dict[str, float] = defaultdict(float)
    for row in dataset.product_days:  # 千川 counts for douyin
        spend[iso_week(row.date)] += row.spend
    for row in dataset.templates["ad_spend"]:
        if row["platform"] == "douyin":
            spend[iso_week(dt.date.fromisoformat(row["date"]))] += row["spend"]
    rows = con.execute(
        "select week, gmv, paid_orders, buyers, ad_spend, roi "
        "from marts.mart_conversion_roi_weekly where platform = 'douyin'"
    ).fetchall()
    actual = {r[0]: r[1:] for r in rows}
    assert set(actual) == set(gmv) | set(spend)
    for week in sorted(gmv):
        got_gmv, got_orders, got_buyers, got_spend, got_roi = actual[week]
        assert got_gmv == pytest.approx(gmv[week], abs=0.005), week
        assert got_orders == len(orders[week]), week
        assert got_buyers == len(buyers[week]), week
        assert got_spend == pytest.approx(spend[week], abs=0.005), week
        assert got_roi == pytest.approx(gmv[week] / spend[week], rel=1e-9), week
    # GMV needs a sales source: 抖店 orders (douyin) or live sessions (视频号, which has no
    # order source); NULL, not 0, for the platforms with neither
    others = con.execute(
        "select distinct platform from marts.mart_conversion_roi_weekly "
        "where platform <> 'douyin' and gmv is not null"
    ).fetchall()
    assert {r[0] for r in others} == {"wechat_channels"}


def test_leads_per_platform_and_week_equal_the_truth(built) -> None:
    dataset, con, _ = built
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for row in dataset.templates["leads"]:
        week = iso_week(shanghai_day(row["created_at"]))
        expected[(row["source_platform"], week)] += 1
    rows = con.execute(
        "select platform, week, leads from marts.mart_conversion_roi_weekly where leads > 0"
    ).fetchall()
    assert {(r[0], r[1]): r[2] for r in rows} == dict(expected)


def test_engagement_views_of_every_platform_equal_the_truth(built) -> None:
    dataset, con, _ = built
    expected: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for content in dataset.contents:
        snapshots = [s for s in content.snapshots if s.report == CONTENT_REPORTS[content.platform]]
        latest = max(snapshots, key=lambda s: s.snapshot_date)
        key = (content.platform, content.account_id, iso_week(shanghai_day(content.published_at)))
        views = latest.metrics.get("views")
        expected[key][0] += 1
        expected[key][1] += views or 0
        expected[key][2] += 1 if views is not None and views >= 100_000 else 0
    rows = con.execute(
        "select platform, account_id, week, contents_published, views, viral_contents "
        "from marts.mart_engagement_weekly where contents_published > 0"
    ).fetchall()
    actual = {(r[0], r[1], r[2]): list(r[3:]) for r in rows}
    assert {k[0] for k in actual} == set(CONTENT_REPORTS)
    assert actual == dict(expected)


def test_sentiment_of_mentions_equals_the_tool_labels(built) -> None:
    """A mention the monitoring tool labelled keeps the tool's label unless the team overrode it
    (sentiment_overrides template), with its 1-hour response SLA. Comments and unlabelled
    mentions are labelled by the lexicon classifier, which this test leaves to its own tests."""
    dataset, con, _ = built
    overridden = {
        row["item_id"]
        for row in dataset.templates.get("sentiment_overrides", [])
        if row["item_type"] == "mention"
    }
    expected: dict[str, tuple[str, dt.date, bool]] = {}
    for row in dataset.templates["mentions"]:
        if not row["sentiment"] or row["mention_id"] in overridden:
            continue
        created = dt.datetime.strptime(row["mentioned_at"], "%Y-%m-%d %H:%M:%S")
        answered = False
        if row["first_response_at"]:
            response = dt.datetime.strptime(row["first_response_at"], "%Y-%m-%d %H:%M:%S")
            answered = (response - created).total_seconds() <= 3600
        expected[row["mention_id"]] = (row["sentiment"], created.date(), answered)
    rows = con.execute(
        "select item_id, sentiment, created_date, is_responded_1h from marts.mart_sentiment_items "
        "where item_type = 'mention' and sentiment_source = 'source_label'"
    ).fetchall()
    assert {r[0]: (r[1], r[2], r[3]) for r in rows} == expected
    assert any(label == "negative" and answered for label, _, answered in expected.values())
