"""Every mart of the generated demo corpus against the values computed here, in plain Python, from
the generator's ground truth (``samples.SampleDataset``) and the metric definitions of
spec §3: the numbers the exports state, counted as the spec counts them, never read back from the
warehouse. The corpus and its ``dbt build`` are the session fixture ``built`` (``conftest.py``).

Sentiment (mart_sentiment_daily and the scorecard's sentiment KPIs) is counted from the items' true
labels: a manual override (sentiment_overrides template, each the item's true label) wins, then
a mention's monitoring-tool label where the template states one, else the packaged model's label
of the text (sentiment.classify_many: what the warehouse stores; it agrees with the generator's
drawn label on 0.996 of its texts, and its accuracy is measured in tests/sentiment). Not here: mart_sentiment_items (one row per item) and the figures
``test_dbt_build.py`` already checks.

The truth only knows what the exports state: a content's id for other files (orders, leads, A/B
tests) is known where its export carries it (公众号 msgid, 视频号 视频ID, 快手 作品ID) or where the
ab_tests template names it by a title that exactly one content of its platform has; 公众号 likes,
comments and collects are the datacube article totals as of the snapshot date."""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from samples import Content, ContentSnapshot, SampleDataset
from tests.support.truth import (
    CONTENT_PLATFORMS,
    CONTENT_REPORTS,
    china_time,
    iso_week,
    shanghai_day,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DATACUBE_REPORT = "wechat_oa.datacube_articletotaldetail"
#: exports that state the publish time (公众号 and 视频号 state the date only)
TIMED_PLATFORMS = {"douyin", "xiaohongshu", "bilibili", "kuaishou"}
#: exports that state unique viewers: 公众号 总阅读人数 (readers); 视频号, 抖音, 小红书, B站 and
#: 快手 state plays or views only
UNIQUE_VIEWER_PLATFORMS = {"wechat_oa"}
#: 巨量千川 spend and 抖店 orders count for douyin
ORDER_PLATFORMS = {"douyin"}
VIRAL_VIEWS = 100_000
LEAD_CHANNELS = {"表单提交", "企微添加"}
CANCELLED = "已取消"
AB_MIN_IMPRESSIONS, AB_MIN_CLICKS, AB_ALPHA = 1000, 30, 0.05  # dbt_project.yml vars
#: spec §3's four dimensions, and the KPIs that are better when lower (a spend budget, the cost
#: per lead, the negative share); the sentiment KPIs are SENTIMENT_KPIS, checked on their own
KPI_DIMENSIONS = {
    "views": "content",
    "contents_published": "content",
    "interaction_rate": "content",
    "avg_views_per_content": "content",
    "viral_share": "content",
    "net_follower_gain": "growth",
    "private_domain_users": "growth",
    "private_domain_net_change": "growth",
    "viewer_to_payer_rate": "growth",
    "gmv": "conversion",
    "live_gmv": "conversion",
    "paid_orders": "conversion",
    "leads": "conversion",
    "ad_spend": "conversion",
    "roi": "conversion",
    "cost_per_lead": "conversion",
    "search_volume": "brand",
}
SENTIMENT_KPIS = {
    "positive_rate": "brand",
    "negative_share": "brand",
    "negative_response_sla_rate": "brand",
}
LOWER_IS_BETTER = {"ad_spend", "cost_per_lead", "negative_share"}
RATIO_KPIS = {
    "viewer_to_payer_rate",
    "interaction_rate",
    "avg_views_per_content",
    "viral_share",
    "roi",
    "cost_per_lead",
    *SENTIMENT_KPIS,
}
TIERS = ("potential", "interested", "paying")
#: the session fixture ``built``: (ground truth, read-only warehouse connection, dbt build)
Built = tuple[SampleDataset, Any, Any]
ENGAGED_DAYS = 30
#: mention platforms kept as they are (the six content platforms, weibo, zhihu); others: `other`
SENTIMENT_PLATFORMS = {*CONTENT_PLATFORMS, "weibo", "zhihu"}
SENTIMENTS = ("positive", "neutral", "negative")
NEGATIVE_SHARE_TARGET = 0.05  # dbt_project.yml vars
RESPONSE_SLA = dt.timedelta(hours=1)


# --- calendar (iso_week, china_time, shanghai_day: support.truth) ------------------------


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- arithmetic as the spec states it -------------------------------------------------------


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """A ratio of sums; unknown when a part is unknown or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def total(values: Iterable[float | None]) -> float | None:
    """A sum that skips unknown values; unknown when every value is."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def interactions(metrics: dict[str, Any]) -> int | None:
    """likes + comments + shares; unknown when one of them is."""
    parts = [metrics.get("likes"), metrics.get("comments"), metrics.get("shares")]
    return None if any(p is None for p in parts) else sum(parts)


def approx(expected: Any) -> Any:
    if isinstance(expected, float):
        return pytest.approx(expected, rel=1e-9, abs=1e-9)
    return expected


def assert_rows_equal(
    actual: dict[Any, dict[str, Any]], expected: dict[Any, dict[str, Any]]
) -> None:
    """Same keys, and every expected column equal (floats approximately, None exactly)."""
    assert set(actual) == set(expected), (
        sorted(set(expected) - set(actual))[:10],
        sorted(set(actual) - set(expected))[:10],
    )
    for key in sorted(expected, key=str):
        for column, value in expected[key].items():
            got = actual[key][column]
            if value is None:
                assert got is None, (key, column, got)
            else:
                assert got == approx(value), (key, column, got, value)


def rows(con: Any, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


# --- the truth ------------------------------------------------------------------------------


@dataclass(eq=False)
class ContentTruth:
    """A content as its exports state it, at every snapshot and at its latest one."""

    content: Content
    snapshots: list[tuple[dt.date, dict[str, Any], bool]]  # (date, metrics, views_is_capped)
    linked_id: str | None  # the id other files use, where the exports make it known

    @property
    def published_date(self) -> dt.date:
        return shanghai_day(self.content.published_at)

    @property
    def week(self) -> str:
        return iso_week(self.published_date)

    @property
    def latest(self) -> dict[str, Any]:
        return max(self.snapshots, key=lambda s: s[0])[1]


@dataclass
class Truth:
    dataset: SampleDataset
    contents: list[ContentTruth] = field(default_factory=list)
    #: (platform, linked id) -> the content, where the exports make the link known
    by_link: dict[tuple[str, str], ContentTruth] = field(default_factory=dict)
    #: the content -> its latest row of a per-video sales list (抖音电商罗盘, 视频号小店, 千帆)
    #: that links to it, and the method that links it
    sales: dict[ContentTruth, Any] = field(default_factory=dict)
    sales_method: dict[ContentTruth, str] = field(default_factory=dict)


def datacube_totals(dataset: SampleDataset) -> dict[str, list[ContentSnapshot]]:
    """公众号 getarticletotaldetail as exported: each week's file holds the articles sent that week
    with their cumulative details up to the day before the file's snapshot date (the day after
    the sending week), so later stat days are in no file."""
    out: dict[str, list[ContentSnapshot]] = {}
    for content in dataset.contents_of("wechat_oa"):
        week_no = (shanghai_day(content.published_at) - dataset.start).days // 7
        last_stat = dataset.start + dt.timedelta(days=7 * (week_no + 1) - 1)
        out[content.linked_id] = [
            s
            for s in content.snapshots
            if s.report == DATACUBE_REPORT and s.snapshot_date <= last_stat
        ]
    return out


def snapshot_metrics(
    content: Content, snapshot: ContentSnapshot, datacube: dict[str, list[ContentSnapshot]]
) -> dict[str, Any]:
    metrics = dict(snapshot.metrics)
    if content.platform == "wechat_oa":  # 点赞, 评论, 收藏, 在看 from the datacube totals
        stated = [
            s for s in datacube[content.linked_id] if s.snapshot_date <= snapshot.snapshot_date
        ]
        latest = max(stated, key=lambda s: s.snapshot_date).metrics if stated else {}
        for name in ("likes", "comments", "collects"):
            metrics[name] = latest.get(name)
        metrics["recommends"] = latest.get("zaikan")
    return metrics


def latest_video_sales(dataset: SampleDataset) -> dict[tuple[str, str], Any]:
    """(platform, video id) -> its row of the latest per-video sales list that names it."""
    latest: dict[tuple[str, str], Any] = {}
    for row in dataset.video_sales:
        key = (row.platform, row.video_id)
        if key not in latest or row.snapshot_date > latest[key].snapshot_date:
            latest[key] = row
    return latest


def _minute(at: dt.datetime) -> dt.datetime:
    return china_time(at).replace(second=0, microsecond=0)


def sales_links(dataset: SampleDataset) -> dict[tuple[str, str], tuple[Any, str]]:
    """(platform, the content's linked id) -> (the latest sales-list row of the content, the
    method that links them), as the lists state them: 抖音's 罗盘 list names no id the creator
    export carries, so title and publish minute (first account) or day (second); 视频号小店 states
    the 视频ID the video export carries (`id`); 千帆 / 蒲公英 state the note id, which the note
    export lacks, so title and creation minute, where exactly one note of the account has that
    title and minute (an untitled note stays unmatched)."""
    contents = {(c.platform, c.linked_id): c for c in dataset.contents}
    minutes = Counter(
        (c.platform, c.account_id, c.title.strip(), _minute(c.published_at))
        for c in dataset.contents
        if c.title and c.title.strip()
    )
    out: dict[tuple[str, str], tuple[Any, str]] = {}
    for (platform, video_id), row in latest_video_sales(dataset).items():
        content = contents[(platform, video_id)]
        title = (row.title or "").strip()
        if platform == "douyin":
            variant = dataset.account(row.account_id).variant
            method = "title_time" if variant == 0 else "title_date"
        elif content.content_id == video_id:
            method = "id"
        elif (
            title
            and _minute(row.published_at) == _minute(content.published_at)
            and minutes[(platform, row.account_id, title, _minute(row.published_at))] == 1
        ):
            method = "title_time"
        else:
            continue
        out[(platform, video_id)] = (row, method)
    return out


def build_truth(dataset: SampleDataset) -> Truth:
    truth = Truth(dataset)
    datacube = datacube_totals(dataset)
    # the ab_tests template names contents by their linked id and title
    titled: dict[tuple[str, str], str] = {}
    for row in dataset.templates["ab_tests"]:
        if row["content_id"] and row["content_title"]:
            titled[(row["platform"], row["content_title"])] = row["content_id"]
    title_counts = Counter((c.platform, c.title) for c in dataset.contents)
    linked_sales = sales_links(dataset)
    for content in dataset.contents:
        exported = [s for s in content.snapshots if s.report == CONTENT_REPORTS[content.platform]]
        assert exported, content
        snapshots = [
            (s.snapshot_date, snapshot_metrics(content, s, datacube), s.views_is_capped)
            for s in exported
        ]
        sold, method = linked_sales.get((content.platform, content.linked_id), (None, None))
        # the export states the id, or the sales list states it beside the title and time
        if content.content_id is not None or sold is not None:
            linked = content.linked_id
        elif (
            content.title
            and title_counts[(content.platform, content.title)] == 1
            and (content.platform, content.title) in titled
        ):
            linked = titled[(content.platform, content.title)]
            assert linked == content.linked_id
        else:
            linked = None
        item = ContentTruth(content, snapshots, linked)
        truth.contents.append(item)
        if sold is not None:
            truth.sales[item] = sold
            truth.sales_method[item] = method
        if linked is not None:
            truth.by_link[(content.platform, linked)] = item
    return truth


@pytest.fixture(scope="module")
def truth(built: Built) -> Truth:
    return build_truth(built[0])


def net_paid(order: Any) -> bool:
    return order.paid_at is not None and order.status != CANCELLED


def leads_of(dataset: SampleDataset) -> list[dict[str, Any]]:
    return [row for row in dataset.templates["leads"] if row["channel"] in LEAD_CHANNELS]


def natural_key(
    platform: str, account_id: str, title: str | None, published_at: dt.datetime
) -> tuple[str, str, str | None, dt.datetime]:
    return (platform, account_id, title or None, china_time(published_at))


def content_keys(con: Any) -> dict[str, tuple[str, str, str | None, dt.datetime]]:
    """content_key -> (platform, account_id, title, published_at) from dim_contents."""
    return {
        r["content_key"]: natural_key(r["platform"], r["account_id"], r["title"], r["published_at"])
        for r in rows(con, "select * from marts.dim_contents")
    }


def truth_key(item: ContentTruth) -> tuple[str, str, str | None, dt.datetime]:
    c = item.content
    return natural_key(c.platform, c.account_id, c.title, c.published_at)


# --- contents -------------------------------------------------------------------------------


def test_dim_contents_holds_every_content_once(built: Built, truth: Truth) -> None:
    _, con, _ = built
    actual = rows(con, "select * from marts.dim_contents")
    assert len(actual) == len(truth.contents)
    by_key = {
        natural_key(r["platform"], r["account_id"], r["title"], r["published_at"]): r
        for r in actual
    }
    assert len(by_key) == len(actual), "two contents share platform, account, title and time"
    expected = {truth_key(item): item for item in truth.contents}
    assert set(by_key) == set(expected)
    for key, item in expected.items():
        got, c = by_key[key], item.content
        assert got["published_date"] == item.published_date, key
        assert got["content_type"] == ("video" if c.content_type == "视频" else "image_text"), key
        assert got["linked_id"] == item.linked_id, key
        if c.content_id is not None:  # the export's own id
            assert got["content_id"] == c.content_id, key
        assert got["published_time_known"] == (c.platform in TIMED_PLATFORMS), key
        assert got["first_snapshot_date"] == min(s[0] for s in item.snapshots), key
        assert got["latest_snapshot_date"] == max(s[0] for s in item.snapshots), key
    counts = Counter((r["platform"], r["account_id"]) for r in actual)
    assert counts == Counter((c.platform, c.account_id) for c in truth.dataset.contents)


def test_fct_content_snapshots_hold_every_exported_snapshot(built: Built, truth: Truth) -> None:
    _, con, _ = built
    keys = content_keys(con)
    actual = {
        (keys[r["content_key"]], r["snapshot_date"]): r
        for r in rows(con, "select * from marts.fct_content_snapshots")
    }
    expected = {}
    for item in truth.contents:
        for day, metrics, capped in item.snapshots:
            expected[(truth_key(item), day)] = {
                "views": metrics.get("views"),
                "likes": metrics.get("likes"),
                "comments": metrics.get("comments"),
                "shares": metrics.get("shares"),
                "collects": metrics.get("collects"),
                "interactions": interactions(metrics),
                "views_is_capped": capped,
                "readers": metrics.get("readers"),
                "impressions": metrics.get("impressions"),
                "recommends": metrics.get("recommends"),
                "followers_gained": metrics.get("followers_gained"),
            }
    assert_rows_equal(actual, expected)
    assert any(v["views_is_capped"] for v in expected.values()), "the corpus has 10万+ views"


def test_content_performance_equals_the_truth(built: Built, truth: Truth) -> None:
    dataset, con, _ = built
    gmv: dict[ContentTruth, float] = defaultdict(float)
    orders: dict[ContentTruth, set[str]] = defaultdict(set)
    for order in dataset.orders:
        item = truth.by_link.get((order.platform, order.content_id or ""))
        if item is not None and net_paid(order):
            gmv[item] += order.amount
            orders[item].add(order.order_id)
    leads: Counter[ContentTruth] = Counter()
    lead_platforms = {row["source_platform"] for row in dataset.templates["leads"]}
    for row in leads_of(dataset):
        item = truth.by_link.get((row["source_platform"], row["content_id"] or ""))
        if item is not None:
            leads[item] += 1
    expected = {}
    for item in truth.contents:
        m, platform = item.latest, item.content.platform
        views, inter = m.get("views"), interactions(m)
        # attribution needs the content's id and a source of orders / leads for its platform
        attributable_gmv = item.linked_id is not None and platform in ORDER_PLATFORMS
        attributable_leads = item.linked_id is not None and platform in lead_platforms
        sold = truth.sales.get(item)  # the sales list wins over the orders
        if sold is not None:
            sales_gmv, sales_orders, source = sold.gmv, sold.orders, "sales_list"
        elif attributable_gmv:
            sales_gmv, sales_orders, source = gmv[item], len(orders[item]), "orders"
        else:
            sales_gmv, sales_orders, source = None, None, None
        expected[truth_key(item)] = {
            "platform": platform,
            "account_id": item.content.account_id,
            "published_date": item.published_date,
            "week": item.week,
            "views": views,
            "likes": m.get("likes"),
            "comments": m.get("comments"),
            "shares": m.get("shares"),
            "collects": m.get("collects"),
            "interactions": inter,
            "interaction_rate": ratio(inter, views),
            "is_viral": None if views is None else views >= VIRAL_VIEWS,
            "attributed_gmv": sales_gmv,
            "attributed_orders": sales_orders,
            "gmv_source": source,
            "sales_match_method": truth.sales_method.get(item),
            "sales_buyers": None if sold is None else sold.buyers,
            "viewer_to_payer_rate": None if sold is None else ratio(sold.buyers, sold.viewers),
            "attributed_leads": leads[item] if attributable_leads else None,
        }
    # high-value content: the content's share of the attributed leads of its week's contents
    week_leads: dict[str, int] = defaultdict(int)
    for value in expected.values():
        week_leads[value["week"]] += value["attributed_leads"] or 0
    week_gmv: dict[str, float] = defaultdict(float)
    for value in expected.values():
        week_gmv[value["week"]] += value["attributed_gmv"] or 0
    for value in expected.values():
        value["attributed_leads_share"] = ratio(
            value["attributed_leads"], week_leads[value["week"]]
        )
        value["attributed_gmv_share"] = ratio(value["attributed_gmv"], week_gmv[value["week"]])
    keys = content_keys(con)
    actual = {
        keys[r["content_key"]]: r for r in rows(con, "select * from marts.mart_content_performance")
    }
    assert_rows_equal(actual, expected)
    assert sum(leads.values()) > 0, "the corpus attributes leads to contents"
    assert any(v["is_viral"] for v in expected.values())
    methods = Counter(v["sales_match_method"] for v in expected.values())
    assert methods["title_time"] and methods["title_date"] and methods["id"], methods
    sold_platforms = {p for p, v in expected.items() if v["gmv_source"] == "sales_list"}
    assert {p[0] for p in sold_platforms} == {"douyin", "wechat_channels", "xiaohongshu"}


def test_engagement_weekly_rates_equal_the_truth(built: Built, truth: Truth) -> None:
    _, con, _ = built
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for item in truth.contents:
        groups[(item.content.platform, item.content.account_id, item.week)].append(item.latest)
    expected = {}
    for key, latest in groups.items():
        rated = [m for m in latest if m.get("views") is not None and interactions(m) is not None]
        views = total(m.get("views") for m in latest)
        viral = sum(1 for m in latest if (m.get("views") or 0) >= VIRAL_VIEWS)
        expected[key] = {
            "contents_published": len(latest),
            "views": views,
            "interaction_rate": ratio(
                sum(interactions(m) for m in rated), sum(m["views"] for m in rated)
            ),
            "avg_views_per_content": ratio(views, len(latest)),
            "viral_contents": viral,
            "viral_share": ratio(viral, len(latest)),
        }
    actual = {
        (r["platform"], r["account_id"], r["week"]): r
        for r in rows(con, "select * from marts.mart_engagement_weekly")
    }
    assert_rows_equal(actual, expected)


def test_posting_time_equals_the_truth(built: Built, truth: Truth) -> None:
    _, con, _ = built
    groups: dict[tuple[str, int, int], list[dict[str, Any]]] = defaultdict(list)
    for item in truth.contents:
        if item.content.platform not in TIMED_PLATFORMS:
            continue
        published = china_time(item.content.published_at)
        groups[(item.content.platform, published.isoweekday(), published.hour)].append(item.latest)
    expected = {}
    for key, latest in groups.items():
        rated = [m for m in latest if m.get("views") is not None and interactions(m) is not None]
        views = total(m.get("views") for m in latest)
        expected[key] = {
            "contents": len(latest),
            "views": views,
            "avg_views": ratio(views, len(latest)),
            "interaction_rate": ratio(
                sum(interactions(m) for m in rated), sum(m["views"] for m in rated)
            ),
            "viral_contents": sum(1 for m in latest if (m.get("views") or 0) >= VIRAL_VIEWS),
        }
    actual = {
        (r["platform"], r["weekday"], r["hour"]): r
        for r in rows(con, "select * from marts.mart_posting_time")
    }
    assert_rows_equal(actual, expected)
    assert {k[0] for k in expected} == TIMED_PLATFORMS


# --- A/B tests ------------------------------------------------------------------------------


def normal_cdf(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def test_ab_test_results_equal_the_truth(built: Built, truth: Truth) -> None:
    dataset, con, _ = built
    variants: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in dataset.templates["ab_tests"]:
        item = truth.by_link.get((row["platform"], row["content_id"] or ""))
        numbers: dict[str, Any] = {"impressions": None, "clicks": None, "basis": "unmatched"}
        if item is not None:
            m = item.latest
            if (m.get("impressions") or 0) > 0:  # 小红书 曝光: a view is a click on the cover
                numbers = {"impressions": m["impressions"], "clicks": m["views"]}
                numbers["basis"] = "cover_ctr"
            else:  # clicks or views: interactions over views
                numbers = {"impressions": m.get("views"), "clicks": interactions(m)}
                numbers["basis"] = "engagement"
        variants[row["test_id"]][row["variant"]] = numbers
    expected = {}
    for test_id, by_variant in variants.items():
        control_name = min(by_variant)  # the first variant by name is the control
        control = by_variant[control_name]
        control_rate = ratio(control["clicks"], control["impressions"])
        for name, v in by_variant.items():
            rate = ratio(v["clicks"], v["impressions"])
            is_control = name == control_name
            enough = all(
                x["impressions"] is not None
                and x["clicks"] is not None
                and x["impressions"] >= AB_MIN_IMPRESSIONS
                and x["clicks"] >= AB_MIN_CLICKS
                and x["clicks"] <= x["impressions"]
                for x in (v, control)
            )
            p_value = None
            if not is_control and enough:
                pooled = (v["clicks"] + control["clicks"]) / (
                    v["impressions"] + control["impressions"]
                )
                se = math.sqrt(
                    pooled * (1 - pooled) * (1 / v["impressions"] + 1 / control["impressions"])
                )
                z = (rate - control_rate) / se
                p_value = 2 * (1 - normal_cdf(abs(z)))
            if is_control:
                verdict = "control"
            elif v["basis"] == "unmatched" or control_rate is None:
                verdict = "no_data"
            elif not enough:
                verdict = "insufficient_data"
            elif p_value < AB_ALPHA:
                verdict = "better" if rate > control_rate else "worse"
            else:
                verdict = "no_difference"
            expected[(test_id, name)] = {
                "is_control": is_control,
                "metric_basis": v["basis"],
                "impressions": v["impressions"],
                "clicks": v["clicks"],
                "rate": rate,
                "lift": None
                if is_control or rate is None or not control_rate
                else rate / control_rate - 1,
                "is_significant": None if is_control or not enough else p_value < AB_ALPHA,
                "verdict_code": verdict,
                "p_value": p_value,
            }
    actual = {
        (r["test_id"], r["variant"]): r
        for r in rows(con, "select * from marts.mart_ab_test_results")
    }
    p_values = {k: v.pop("p_value") for k, v in expected.items()}
    assert_rows_equal(actual, expected)
    for key, p_value in p_values.items():  # Φ by an approximation (1.5e-7), 6 decimals
        if p_value is None:
            assert actual[key]["p_value"] is None, key
        else:
            assert actual[key]["p_value"] == pytest.approx(p_value, abs=1e-6), key


# --- growth ---------------------------------------------------------------------------------


def daily_gains(dataset: SampleDataset) -> dict[tuple[str, str, dt.date], int | None]:
    """new − lost, else the day-over-day difference of the total (unknown without the day before)."""
    totals = {(d.platform, d.account_id, d.date): d.followers_total for d in dataset.follower_days}
    gains = {}
    for d in dataset.follower_days:
        if d.new_followers is not None and d.lost_followers is not None:
            gains[(d.platform, d.account_id, d.date)] = d.new_followers - d.lost_followers
        else:
            previous = totals.get((d.platform, d.account_id, d.date - dt.timedelta(days=1)))
            gains[(d.platform, d.account_id, d.date)] = (
                None if previous is None else d.followers_total - previous
            )
    return gains


def private_domain_weeks(dataset: SampleDataset) -> dict[str, dict[str, Any]]:
    """WeCom customers (added by the week's end) + group members (member_total of the WeCom
    accounts on the week's last day with group data), at the end of each week with group data."""
    members: dict[dt.date, int] = defaultdict(int)
    for day in dataset.groupchat_days:
        members[day.date] += day.member_total
    added = sorted(shanghai_day(c["added_at"]) for c in dataset.templates["customers"])
    weeks: dict[str, dt.date] = {}
    for day in members:
        weeks[iso_week(day)] = max(day, weeks.get(iso_week(day), day))
    out: dict[str, dict[str, Any]] = {}
    previous = None
    for week in sorted(weeks):
        end = weeks[week]
        customers = sum(1 for a in added if a <= end)
        users = customers + members[end]
        out[week] = {
            "wecom_customers_end": customers,
            "group_members_end": members[end],
            "private_domain_users_end": users,
            "private_domain_net_change": None if previous is None else users - previous,
        }
        previous = users
    return out


def test_growth_weekly_equals_the_truth(built: Built) -> None:
    dataset, con, _ = built
    gains = daily_gains(dataset)
    weeks: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for d in dataset.follower_days:
        weeks[(d.platform, d.account_id, iso_week(d.date))].append(d)
    expected: dict[tuple[str, str, str], dict[str, Any]] = {}
    for key, days in weeks.items():
        last = max(days, key=lambda d: d.date)
        expected[key] = {
            "week_start": monday(last.date),
            "new_followers": total(d.new_followers for d in days),
            "lost_followers": total(d.lost_followers for d in days),
            "net_follower_gain": total(gains[(d.platform, d.account_id, d.date)] for d in days),
            "followers_end": last.followers_total,
            "private_domain_users_end": None,
            "private_domain_net_change": None,
        }
    for week, values in private_domain_weeks(dataset).items():
        expected[("wecom", "all", week)] = {
            "net_follower_gain": None,
            "followers_end": None,
            **values,
        }
    actual = {
        (r["platform"], r["account_id"], r["week"]): r
        for r in rows(con, "select * from marts.mart_growth_weekly")
    }
    assert_rows_equal(actual, expected)


# --- conversion -----------------------------------------------------------------------------


def conversion_truth(dataset: SampleDataset, truth: Truth) -> dict[tuple[str, str], dict]:
    """Per platform and week: GMV net of cancellations by channel, paid orders, buyers, leads,
    spend, ROI, cost per lead and the viewer-to-payer rate, each NULL for a platform that has no
    source for it and 0 in a week without activity on a platform that has one."""
    gmv: dict[tuple[str, str], float] = defaultdict(float)
    by_channel: dict[tuple[str, str, str], float] = defaultdict(float)
    orders: dict[tuple[str, str], set[str]] = defaultdict(set)
    buyers: dict[tuple[str, str], set[str]] = defaultdict(set)
    order_platforms = {o.platform for o in dataset.orders}
    for order in dataset.orders:
        if not net_paid(order):
            continue
        key = (order.platform, iso_week(shanghai_day(order.paid_at)))
        gmv[key] += order.amount
        by_channel[(*key, order.channel or "unknown")] += order.amount
        orders[key].add(order.order_id)
        buyers[key].add(order.buyer_phone)
    spend: dict[tuple[str, str], float] = defaultdict(float)
    for row in dataset.product_days:  # 千川
        spend[(row.platform, iso_week(row.date))] += row.spend
    for row in dataset.templates["ad_spend"]:  # DOU+, 薯条, 磁力金牛, 微信广告
        spend[(row["platform"], iso_week(dt.date.fromisoformat(row["date"])))] += row["spend"]
    spend_platforms = {k[0] for k in spend}
    leads: Counter[tuple[str, str]] = Counter()
    for row in leads_of(dataset):
        leads[(row["source_platform"], iso_week(shanghai_day(row["created_at"])))] += 1
    lead_platforms = {row["source_platform"] for row in dataset.templates["leads"]}
    # unique viewers: 公众号 readers of the week's articles (the sum of each one's 总阅读人数)
    viewers: dict[tuple[str, str], int] = defaultdict(int)
    for item in truth.contents:
        if item.content.platform in UNIQUE_VIEWER_PLATFORMS:
            viewers[(item.content.platform, item.week)] += item.latest["readers"]
    # 直播: the sessions started in the week, as the live exports state them
    live: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for session in dataset.live_sessions:
        key = (session.platform, iso_week(shanghai_day(session.started_at)))
        for name in ("gmv", "orders", "buyers", "viewers"):
            live[key][name] += getattr(session, name)
        live[key]["sessions"] += 1
    live_platforms = {s.platform for s in dataset.live_sessions}
    # viewers and buyers stated per content: sessions and the sales-listed videos of the week
    video: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # (every listed video, linked or not; a list without viewers, as 千帆's, states no rate)
    for (platform, _), row in latest_video_sales(dataset).items():
        if row.viewers is None:
            continue
        key = (platform, iso_week(shanghai_day(row.published_at)))
        video[key]["buyers"] += row.buyers
        video[key]["viewers"] += row.viewers
    platforms = order_platforms | spend_platforms | lead_platforms | live_platforms
    weeks = {k[1] for k in (*gmv, *spend, *leads, *live)}
    expected = {}
    for platform in platforms:
        for week in weeks:
            key = (platform, week)
            has_orders = platform in order_platforms
            has_live = platform in live_platforms
            has_spend = platform in spend_platforms
            has_leads = platform in lead_platforms
            session = live.get(key, {})
            if has_orders:
                sales = (gmv[key], by_channel[(*key, "直播")], len(orders[key]), len(buyers[key]))
            elif has_live:  # no order source: the live sessions are the platform's sales
                sales = (
                    session.get("gmv", 0),
                    session.get("gmv", 0),
                    session.get("orders", 0),
                    session.get("buyers", 0),
                )
            else:
                sales = (None, None, None, None)
            stated = key in live or key in video
            content_buyers = (
                session.get("buyers", 0) + video.get(key, {}).get("buyers", 0) if stated else None
            )
            content_viewers = (
                session.get("viewers", 0) + video.get(key, {}).get("viewers", 0) if stated else None
            )
            value = {
                "week_start": dt.date.fromisocalendar(int(week[:4]), int(week[6:]), 1),
                "gmv": sales[0],
                "gmv_live": sales[1],
                "paid_orders": sales[2],
                "buyers": sales[3],
                "leads": leads[key] if has_leads else None,
                "ad_spend": spend[key] if has_spend else None,
                "unique_viewers": viewers.get(key),
                "live_sessions": session.get("sessions", 0) if has_live else None,
                "live_gmv": session.get("gmv", 0) if has_live else None,
                "live_buyers": session.get("buyers", 0) if has_live else None,
                "live_viewers": session.get("viewers", 0) if has_live else None,
                "content_buyers": content_buyers,
                "content_viewers": content_viewers,
            }
            for channel, column in (
                ("短视频", "gmv_short_video"),
                ("商品卡", "gmv_product_card"),
                ("unknown", "gmv_channel_unknown"),
            ):
                value[column] = by_channel[(*key, channel)] if has_orders else None
            value["roi"] = ratio(value["gmv"], value["ad_spend"])
            value["cost_per_lead"] = ratio(value["ad_spend"], value["leads"])
            value["viewer_to_payer_rate"] = ratio(content_buyers, content_viewers)
            expected[key] = value
    return expected


def test_conversion_roi_weekly_equals_the_truth_for_every_platform(
    built: Built, truth: Truth
) -> None:
    dataset, con, _ = built
    expected = conversion_truth(dataset, truth)
    actual = {
        (r["platform"], r["week"]): r
        for r in rows(con, "select * from marts.mart_conversion_roi_weekly")
    }
    assert_rows_equal(actual, expected)
    assert {k[0] for k in expected} == set(CONTENT_PLATFORMS)
    assert all(v["ad_spend"] is not None for k, v in expected.items() if k[0] == "xiaohongshu")


def test_viewer_to_payer_rate_comes_from_sessions_and_sales_listed_videos(
    built: Built, truth: Truth
) -> None:
    """用户转化率 = buyers / viewers stated for the same content: the live sessions of 抖音 and
    视频号 and the videos of 罗盘's sales list, so both platforms have it in every week with live
    sessions, while platforms without such exports have none (NULL, never 0)."""
    dataset, con, _ = built
    expected = conversion_truth(dataset, truth)
    actual = {
        (r["platform"], r["week"]): r
        for r in rows(con, "select * from marts.mart_conversion_roi_weekly")
    }
    for key, value in expected.items():
        assert actual[key]["viewer_to_payer_rate"] == approx(value["viewer_to_payer_rate"]), key
    known = {k[0] for k, v in expected.items() if v["viewer_to_payer_rate"] is not None}
    assert known == {"douyin", "wechat_channels"}, known
    rates = [v["viewer_to_payer_rate"] for v in expected.values() if v["viewer_to_payer_rate"]]
    assert all(0 < r < 0.2 for r in rates), rates


# --- the KPI scorecard ----------------------------------------------------------------------


def kpi_parts(dataset: SampleDataset, truth: Truth) -> dict[tuple[str, str, str], tuple]:
    """(week, kpi, platform) -> (numerator, denominator or None for a count), per platform."""
    parts: dict[tuple[str, str, str], tuple] = {}
    content_groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for item in truth.contents:
        content_groups[(item.week, item.content.platform)].append(item.latest)
    for (week, platform), latest in content_groups.items():
        rated = [m for m in latest if m.get("views") is not None and interactions(m) is not None]
        views = total(m.get("views") for m in latest)
        viral = sum(1 for m in latest if (m.get("views") or 0) >= VIRAL_VIEWS)
        parts[(week, "views", platform)] = (views, None)
        parts[(week, "contents_published", platform)] = (len(latest), None)
        parts[(week, "interaction_rate", platform)] = (
            sum(interactions(m) for m in rated),
            sum(m["views"] for m in rated),
        )
        parts[(week, "avg_views_per_content", platform)] = (views, len(latest))
        parts[(week, "viral_share", platform)] = (viral, len(latest))
    gains = daily_gains(dataset)
    week_gains: dict[tuple[str, str], list[int | None]] = defaultdict(list)
    for (platform, _, day), gain in gains.items():
        week_gains[(iso_week(day), platform)].append(gain)
    for (week, platform), values in week_gains.items():
        parts[(week, "net_follower_gain", platform)] = (total(values), None)
    for week, values in private_domain_weeks(dataset).items():
        parts[(week, "private_domain_users", "wecom")] = (values["private_domain_users_end"], None)
        parts[(week, "private_domain_net_change", "wecom")] = (
            values["private_domain_net_change"],
            None,
        )
    for (platform, week), v in conversion_truth(dataset, truth).items():
        parts[(week, "gmv", platform)] = (v["gmv"], None)
        parts[(week, "paid_orders", platform)] = (v["paid_orders"], None)
        parts[(week, "leads", platform)] = (v["leads"], None)
        parts[(week, "ad_spend", platform)] = (v["ad_spend"], None)
        parts[(week, "roi", platform)] = (v["gmv"], v["ad_spend"])
        parts[(week, "cost_per_lead", platform)] = (v["ad_spend"], v["leads"])
        parts[(week, "live_gmv", platform)] = (v["live_gmv"], None)
        parts[(week, "viewer_to_payer_rate", platform)] = (
            v["content_buyers"],
            v["content_viewers"],
        )
    search: dict[tuple[str, str], int] = defaultdict(int)
    for row in dataset.templates["search_index"]:
        search[(iso_week(dt.date.fromisoformat(row["date"])), row["platform"])] += row["value"]
    for (week, platform), value in search.items():
        parts[(week, "search_volume", platform)] = (value, None)
    return parts


def kpi_truth(
    dataset: SampleDataset,
    truth: Truth,
    parts: dict[tuple[str, str, str], tuple] | None = None,
    kpis: dict[str, str] = KPI_DIMENSIONS,
) -> dict[tuple[str, str, str], dict]:
    """Value, target and status per (week, kpi, platform) of ``kpis`` (kpi -> dimension), from
    ``parts`` (``kpi_parts`` by default)."""
    parts = kpi_parts(dataset, truth) if parts is None else parts
    totals: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for (week, kpi, _), pair in parts.items():
        totals[(week, kpi)].append(pair)
    values: dict[tuple[str, str, str], float | None] = {}
    for (week, kpi, platform), (num, den) in parts.items():
        values[(week, kpi, platform)] = ratio(num, den) if kpi in RATIO_KPIS else num
    for (week, kpi), pairs in totals.items():  # 'all': ratios of sums over platforms
        num = total(p[0] for p in pairs)
        den = total(p[1] for p in pairs)
        values[(week, kpi, "all")] = ratio(num, den) if kpi in RATIO_KPIS else num
    targets = {
        (row["period"], row["kpi"], row["platform"]): row["target"]
        for row in dataset.templates["kpi_targets"]
        if row["kpi"] in kpis
    }
    expected = {}
    for key in set(values) | set(targets):
        value, target = values.get(key), targets.get(key)
        if target is None:
            status = "no_target"
        elif value is None:
            status = "no_value"
        elif key[1] in LOWER_IS_BETTER:
            status = "met" if value <= target else "missed"
        else:
            status = "met" if value >= target else "missed"
        expected[key] = {
            "dimension": kpis[key[1]],
            "value": value,
            "target": target,
            "attainment": ratio(value, target),
            "status": status,
        }
    return expected


def assert_scorecard_equals(
    con: Any, expected: dict[tuple[str, str, str], dict], kpis: Iterable[str]
) -> dict[tuple[str, str, str], dict]:
    """The scorecard rows of `kpis` equal `expected` where the truth knows a value or a target;
    a platform that does not provide a KPI has no value for it (a row with NULL, or no row).
    Returns the known rows."""
    kpis = set(kpis)
    actual = {
        (r["week"], r["kpi"], r["platform"]): r
        for r in rows(con, "select * from marts.mart_kpi_scorecard_weekly")
        if r["kpi"] in kpis
    }
    known = {k: v for k, v in expected.items() if v["value"] is not None or v["target"]}
    unknown = {k: v for k, v in actual.items() if k not in known}
    assert all(v["value"] is None and v["target"] is None for v in unknown.values()), unknown
    assert_rows_equal({k: v for k, v in actual.items() if k in known}, known)
    return known


def test_kpi_scorecard_equals_the_truth(built: Built, truth: Truth) -> None:
    dataset, con, _ = built
    known = assert_scorecard_equals(con, kpi_truth(dataset, truth), KPI_DIMENSIONS)
    statuses = Counter(v["status"] for k, v in known.items() if k[2] == "all" and v["target"])
    assert statuses["met"] and statuses["missed"], statuses


# --- sentiment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentimentItem:
    """A brand mention or a comment on the brand's contents (brand replies excluded) with its true
    label and the brand's first response."""

    item_type: str
    platform: str
    label: str
    created_at: dt.datetime
    first_response_at: dt.datetime | None

    @property
    def day(self) -> dt.date:
        return shanghai_day(self.created_at)

    @property
    def responded_1h(self) -> bool:
        return (
            self.first_response_at is not None
            and self.first_response_at - self.created_at <= RESPONSE_SLA
        )


def override_labels(dataset: SampleDataset) -> dict[tuple[str, str | None, str], str]:
    """(item type, platform of a comment, item id) -> the latest manual label."""
    latest: dict[tuple[str, str | None, str], tuple[dt.datetime, str]] = {}
    for row in dataset.templates["sentiment_overrides"]:
        platform = row["platform"] if row["item_type"] == "comment" else None
        key = (row["item_type"], platform, str(row["item_id"]))
        reviewed = china_time(row["reviewed_at"])
        if key not in latest or reviewed > latest[key][0]:
            latest[key] = (reviewed, row["sentiment"])
    return {key: label for key, (_, label) in latest.items()}


def sentiment_items(dataset: SampleDataset) -> list[SentimentItem]:
    """Every comment (brand replies excluded, first response: its earliest brand reply) and every
    mention (platform `other` outside SENTIMENT_PLATFORMS), labelled by the override, else the
    tool's label of a mention, else the packaged model's label of its text."""
    from sentiment import classify_many

    overrides = override_labels(dataset)
    texts = sorted(
        {c.text for c in dataset.comments if not c.is_brand_reply}
        | {m["text"] for m in dataset.templates["mentions"] if m["text"]}
    )
    model = dict(zip(texts, classify_many(texts)["label"], strict=True))
    first_reply: dict[tuple[str, str], dt.datetime] = {}
    for c in dataset.comments:
        if c.is_brand_reply and c.parent_comment_id is not None:
            key, at = (c.platform, str(c.parent_comment_id)), china_time(c.created_at)
            first_reply[key] = min(at, first_reply.get(key, at))
    items = [
        SentimentItem(
            "comment",
            c.platform,
            overrides.get(("comment", c.platform, str(c.comment_id))) or model[c.text],
            china_time(c.created_at),
            first_reply.get((c.platform, str(c.comment_id))),
        )
        for c in dataset.comments
        if not c.is_brand_reply
    ]
    for m in dataset.templates["mentions"]:
        label = (
            overrides.get(("mention", None, m["mention_id"]))
            or m["sentiment"]
            or (model[m["text"]] if m["text"] else "unclassified")
        )
        responded = m["first_response_at"]
        items.append(
            SentimentItem(
                "mention",
                m["platform"] if m["platform"] in SENTIMENT_PLATFORMS else "other",
                label,
                china_time(m["mentioned_at"]),
                china_time(responded) if responded else None,
            )
        )
    return items


def sentiment_counts(items: list[SentimentItem]) -> dict[str, Any]:
    labels = Counter(item.label for item in items)
    classified = sum(labels[s] for s in SENTIMENTS)
    responded = sum(1 for i in items if i.label == "negative" and i.responded_1h)
    negative_share = ratio(labels["negative"], classified)
    return {
        "mentions": len(items),
        "monitored_mentions": sum(1 for i in items if i.item_type == "mention"),
        "comments": sum(1 for i in items if i.item_type == "comment"),
        **{s: labels[s] for s in SENTIMENTS},
        "unclassified": len(items) - classified,
        "classified": classified,
        "positive_rate": ratio(labels["positive"], classified),
        "negative_share": negative_share,
        "negative_share_breach": (
            None if negative_share is None else negative_share > NEGATIVE_SHARE_TARGET
        ),
        "negatives_responded_1h": responded,
        "negatives_total": labels["negative"],
        "negative_response_sla_rate": ratio(responded, labels["negative"]),
    }


def test_sentiment_daily_equals_the_truth(built: Built) -> None:
    """Per platform and Shanghai day: items by true label, the rates over classified items, the
    5 % breach and the negatives whose first brand response came within 1 hour."""
    dataset, con, _ = built
    items = sentiment_items(dataset)
    groups: dict[tuple[str, dt.date], list[SentimentItem]] = defaultdict(list)
    for item in items:
        groups[(item.platform, item.day)].append(item)
    expected = {key: sentiment_counts(group) for key, group in groups.items()}
    actual = {
        (r["platform"], r["date"]): r for r in rows(con, "select * from marts.mart_sentiment_daily")
    }
    assert_rows_equal(actual, expected)
    # the corpus exercises every rule: overrides, mentions without a tool label, both sides of
    # the SLA and of the breach
    assert override_labels(dataset)
    assert any(m["sentiment"] is None for m in dataset.templates["mentions"])
    negatives = [i for i in items if i.label == "negative"]
    assert {i.responded_1h for i in negatives} == {True, False}
    assert {v["negative_share_breach"] for v in expected.values()} == {True, False}


def test_kpi_scorecard_sentiment_kpis_equal_the_truth(built: Built, truth: Truth) -> None:
    """positive_rate, negative_share and negative_response_sla_rate per ISO week and platform
    (and over all platforms: ratios of sums), with their targets and statuses."""
    dataset, con, _ = built
    weeks: dict[tuple[str, str], list[SentimentItem]] = defaultdict(list)
    for item in sentiment_items(dataset):
        weeks[(iso_week(item.day), item.platform)].append(item)
    parts: dict[tuple[str, str, str], tuple] = {}
    for (week, platform), group in weeks.items():
        counts = sentiment_counts(group)
        parts[(week, "positive_rate", platform)] = (counts["positive"], counts["classified"])
        parts[(week, "negative_share", platform)] = (counts["negative"], counts["classified"])
        parts[(week, "negative_response_sla_rate", platform)] = (
            counts["negatives_responded_1h"],
            counts["negatives_total"],
        )
    known = assert_scorecard_equals(
        con, kpi_truth(dataset, truth, parts, SENTIMENT_KPIS), SENTIMENT_KPIS
    )
    assert {k[1] for k in known} == set(SENTIMENT_KPIS)


# --- user needs -----------------------------------------------------------------------------


def need_topics() -> list[tuple[int, str, str]]:
    """The keyword groups of seed user_need_keywords: (priority, keyword, topic)."""
    path = ROOT / "dbt_project" / "seeds" / "user_need_keywords.csv"
    with path.open(encoding="utf-8") as handle:
        return sorted(
            (int(r["priority"]), r["keyword"], r["topic"]) for r in csv.DictReader(handle)
        )


def test_user_needs_weekly_equals_the_truth(built: Built) -> None:
    """Every comment (brand replies excluded) and mention, by the ISO week it was written, in the
    topic of the first keyword group (by priority) with a keyword inside it, else `other`."""
    dataset, con, _ = built
    texts: list[tuple[str, str]] = [
        (iso_week(shanghai_day(c.created_at)), c.text)
        for c in dataset.comments
        if not c.is_brand_reply and c.text
    ]
    texts += [
        (iso_week(shanghai_day(m["mentioned_at"])), m["text"])
        for m in dataset.templates["mentions"]
        if m["text"]
    ]
    keywords = need_topics()
    grouped: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for week, text in texts:
        topic = next((t for _, k, t in keywords if k in text), "other")
        grouped[(week, topic)][text] += 1
    week_totals = Counter(week for week, _ in texts)
    expected = {}
    for (week, topic), counter in grouped.items():
        mentions = sum(counter.values())
        examples = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        expected[(week, topic)] = {
            "week_start": dt.date.fromisocalendar(int(week[:4]), int(week[6:]), 1),
            "mentions": mentions,
            "share": mentions / week_totals[week],
            "example_texts": " | ".join(text for text, _ in examples),
        }
    actual = {
        (r["week"], r["topic"]): r for r in rows(con, "select * from marts.mart_user_needs_weekly")
    }
    assert_rows_equal(actual, expected)
    assert {k[1] for k in expected} >= {"after_sales", "price_promotion", "other"}


# --- user tiers -----------------------------------------------------------------------------


def test_user_tiers_weekly_equals_the_truth(built: Built) -> None:
    """WeCom customers in tiers as of the customer list's snapshot date (the templates are saved
    on the last snapshot date): paying with ≥ 1 paid order, interested when active (read,
    clicked or chatted) in the 30 days up to that date without an order, potential otherwise;
    repurchase rate = customers with ≥ 2 paid orders / customers with ≥ 1."""
    dataset, con, _ = built
    as_of = dataset.snapshot_dates()[-1]
    counts: Counter[str] = Counter()
    repeat = 0
    for row in dataset.templates["customers"]:
        orders = row["orders"] or 0
        active = row["last_active_at"]
        engaged = (
            active is not None
            and as_of - dt.timedelta(days=ENGAGED_DAYS - 1) <= shanghai_day(active) <= as_of
        )
        tier = "paying" if orders >= 1 else "interested" if engaged else "potential"
        counts[tier] += 1
        repeat += orders >= 2
    customers = sum(counts.values())
    week = iso_week(as_of)
    expected = {
        (week, tier): {
            "week_start": monday(as_of),
            "as_of_date": as_of,
            "users": counts[tier],
            "share": counts[tier] / customers,
            "repeat_buyers": repeat if tier == "paying" else None,
            "repurchase_rate": ratio(repeat, counts["paying"]) if tier == "paying" else None,
        }
        for tier in TIERS
    }
    actual = {
        (r["week"], r["tier"]): r for r in rows(con, "select * from marts.mart_user_tiers_weekly")
    }
    assert_rows_equal(actual, expected)
    assert all(counts[tier] > 0 for tier in TIERS), counts
