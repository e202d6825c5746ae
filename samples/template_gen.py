"""Rows of the CSV templates for sources without a standard export (English snake_case headers).

Times are China time written ``YYYY-MM-DD HH:MM:SS``; dates ``YYYY-MM-DD``; money in CNY with
2 decimals; empty cells are missing. Columns named ``true_*`` are ground truth only (not written).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd

from samples import vocab
from samples.accounts import volume_factor
from samples.comments_gen import COMMENT_PLATFORMS, brand_author_id
from samples.content_gen import part_rng
from samples.model import CONTENT_PLATFORMS, SampleDataset
from samples.timeutil import SHANGHAI_OFFSET, day_number, epoch_of_day

TOOLS = (
    ("DOU+", "douyin"),
    ("薯条", "xiaohongshu"),
    ("磁力金牛", "kuaishou"),
    ("微信广告", "wechat_channels"),
)
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _times(seconds: np.ndarray) -> np.ndarray:
    return (
        pd.to_datetime(np.asarray(seconds, dtype=np.int64) + SHANGHAI_OFFSET, unit="s")
        .strftime(TIME_FORMAT)
        .to_numpy(dtype=object)
    )


def _dates(days: np.ndarray) -> np.ndarray:
    return pd.to_datetime(np.asarray(days), unit="D").strftime("%Y-%m-%d").to_numpy(dtype=object)


def _sha(values: np.ndarray) -> np.ndarray:
    return np.array([hashlib.sha256(v.encode()).hexdigest() for v in values], dtype=object)


def _content_ref(contents: pd.DataFrame, rng: np.random.Generator, before_s: np.ndarray):
    """A content published before each time (its linked id), or '' when none is."""
    pub = contents["published_s"].to_numpy()
    order = np.argsort(pub, kind="stable")
    count = np.searchsorted(pub[order], before_s)
    pick = np.minimum(
        (rng.random(len(before_s)) * np.maximum(count, 1)).astype(np.int64), len(pub) - 1
    )
    ids = contents["linked_id"].to_numpy(dtype=object)[order][pick]
    return np.where(count > 0, ids, "").astype(object)


def ad_spend(ds: SampleDataset, rng: np.random.Generator) -> pd.DataFrame:
    days = np.arange(day_number(ds.start), day_number(ds.start) + 7 * ds.weeks)
    plans = max(1, round(2 * volume_factor("douyin", ds.scale) ** 0.5))
    frames = []
    for t_no, (tool, platform) in enumerate(TOOLS):
        day = np.repeat(days, plans)
        plan = np.tile(np.arange(plans), len(days))
        n = len(day)
        spend_cents = rng.integers(3_000, 100_000, n)  # 30–1,000 元 a plan and day
        impressions = spend_cents // 100 * rng.integers(20, 60, n)
        clicks = (impressions * rng.uniform(0.01, 0.05, n)).astype(np.int64)
        conversions = (clicks * rng.uniform(0.0, 0.1, n)).astype(np.int64)
        gmv_cents = np.where(
            platform == "douyin", (spend_cents * rng.uniform(0.8, 3.5, n)).astype(np.int64), 0
        )
        noon = (day * 86400 - SHANGHAI_OFFSET) + 12 * 3600
        frames.append(
            pd.DataFrame(
                {
                    "date": _dates(day),
                    "tool": tool,
                    "platform": platform,
                    "plan_id": np.char.mod(f"{t_no + 1}%08d", day * 10 + plan).astype(object),
                    "plan_name": np.char.add(f"{tool}加热-", plan.astype(str)).astype(object),
                    "content_id": _content_ref(ds.frames[f"contents.{platform}"], rng, noon),
                    "spend": spend_cents / 100,
                    "impressions": impressions,
                    "clicks": clicks,
                    "conversions": conversions,
                    "gmv": np.where(gmv_cents > 0, gmv_cents / 100, np.nan),
                }
            )
        )
    return pd.concat(frames, ignore_index=True).sort_values(["date", "tool", "plan_id"])


def leads(ds: SampleDataset, rng: np.random.Generator) -> pd.DataFrame:
    n = rng.poisson(420 * ds.weeks * ds.scale)  # 60 a day: a lead costs tens to hundreds of 元
    t = epoch_of_day(ds.start) + rng.integers(0, 7 * ds.weeks * 86400, n)
    t.sort()
    platform = np.asarray(CONTENT_PLATFORMS, dtype=object)[
        rng.integers(0, len(CONTENT_PLATFORMS), n)
    ]
    content = np.empty(n, dtype=object)
    for p in CONTENT_PLATFORMS:
        mask = platform == p
        content[mask] = _content_ref(ds.frames[f"contents.{p}"], rng, t[mask])
    phones = (13_800_000_000 + rng.integers(0, 99_999_999, n)).astype(str)
    return pd.DataFrame(
        {
            "lead_id": np.char.mod("L%07d", np.arange(1, n + 1)).astype(object),
            "created_at": _times(t),
            "source_platform": platform,
            "channel": np.where(rng.random(n) < 0.55, "表单提交", "企微添加").astype(object),
            "content_id": content,
            "campaign_id": np.where(rng.random(n) < 0.4, "CMP001", "").astype(object),
            "contact_hash": _sha(phones),
        }
    )


def mentions(ds: SampleDataset, rng: np.random.Generator) -> pd.DataFrame:
    n = rng.poisson(12 * ds.weeks * ds.scale)
    t = np.sort(epoch_of_day(ds.start) + rng.integers(0, 7 * ds.weeks * 86400, n))
    u = rng.random(n)
    label = np.where(u < 0.06, "negative", np.where(u < 0.5, "neutral", "positive")).astype(object)
    pools = {
        "positive": vocab.MENTION_TEXTS_POSITIVE,
        "neutral": vocab.MENTION_TEXTS_NEUTRAL,
        "negative": vocab.MENTION_TEXTS_NEGATIVE,
    }
    text = np.empty(n, dtype=object)
    for name, pool in pools.items():
        mask = label == name
        text[mask] = np.asarray(pool, dtype=object)[rng.integers(0, len(pool), mask.sum())]
    platforms = np.asarray(("weibo", "xiaohongshu", "douyin", "zhihu", "bilibili"), dtype=object)
    platform = platforms[rng.integers(0, len(platforms), n)]
    tool_gave = rng.random(n) < 0.7
    responded = (label == "negative") & (rng.random(n) < 0.85)
    lag = np.where(rng.random(n) < 0.8, rng.integers(300, 3500, n), rng.integers(3700, 20000, n))
    keyword = np.asarray(vocab.BRAND_KEYWORDS, dtype=object)[rng.integers(0, 3, n)]
    ids = np.char.mod("M%07d", np.arange(1, n + 1)).astype(object)
    return pd.DataFrame(
        {
            "mention_id": ids,
            "mentioned_at": _times(t),
            "platform": platform,
            "author": np.char.add("用户", rng.integers(1000, 99999, n).astype(str)).astype(object),
            "text": text,
            "url": np.char.add("https://example.com/post/", ids.astype(str)).astype(object),
            "matched_keyword": keyword,
            "interactions": rng.geometric(0.05, n),
            "sentiment": np.where(tool_gave, label, "").astype(object),
            "first_response_at": np.where(responded, _times(t + lag), "").astype(object),
            "source_tool": np.where(rng.random(n) < 0.6, "新榜", "蝉妈妈").astype(object),
            "true_sentiment": label,
        }
    )


def search_index(ds: SampleDataset, rng: np.random.Generator) -> pd.DataFrame:
    days = np.arange(day_number(ds.start), day_number(ds.start) + 7 * ds.weeks)
    sources = (("wechat_oa", "微信指数"), ("douyin", "巨量算数"), ("xiaohongshu", "小红书搜索"))
    frames = []
    for keyword in vocab.BRAND_KEYWORDS:
        for platform, source in sources:
            base = rng.integers(2_000, 80_000)
            frames.append(
                pd.DataFrame(
                    {
                        "date": _dates(days),
                        "keyword": keyword,
                        "platform": platform,
                        "source": source,
                        "value": (base * rng.uniform(0.7, 1.3, len(days))).astype(np.int64),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def customers(ds: SampleDataset, rng: np.random.Generator) -> pd.DataFrame:
    from samples.wecom_gen import employees

    n = max(20, round(400 * ds.scale))
    added = epoch_of_day(ds.start) - 86400 * 90 + rng.integers(0, 86400 * (90 + 7 * ds.weeks), n)
    external = np.char.mod("wmABCD%010d", np.arange(n)).astype(str)
    orders = np.where(rng.random(n) < 0.3, rng.geometric(0.5, n), 0)
    active = added + rng.integers(0, 86400 * 30, n)
    end = epoch_of_day(ds.end) + 86399
    staff = np.asarray(employees(ds.scale), dtype=object)
    tags = np.asarray(("新客", "老客|复购", "直播引流", "高意向", ""), dtype=object)
    sources = np.asarray(("抖音", "小红书", "公众号", "视频号", "线下门店"), dtype=object)
    return pd.DataFrame(
        {
            "external_id_hash": _sha(external),
            "added_at": _times(added),
            "added_by": staff[rng.integers(0, len(staff), n)],
            "source_channel": sources[rng.integers(0, len(sources), n)],
            "tags": tags[rng.integers(0, len(tags), n)],
            "orders": orders,
            "last_active_at": np.where(
                rng.random(n) < 0.8, _times(np.minimum(active, end)), ""
            ).astype(object),
        }
    )


def campaigns(ds: SampleDataset, rng: np.random.Generator) -> pd.DataFrame:
    dy = ds.frames["contents.douyin"]["linked_id"].to_numpy(dtype=object)
    xhs = ds.frames["contents.xiaohongshu"]["linked_id"].to_numpy(dtype=object)
    mid = ds.start + dt.timedelta(days=7 * (ds.weeks // 2))
    return pd.DataFrame(
        {
            "campaign_id": ["CMP001", "KOL001", "KOL002"],
            "name": ["双11预热", "达人种草-小鹿", "达人测评-阿柚"],
            "type": ["campaign", "kol", "kol"],
            "start_date": [ds.start.isoformat(), ds.start.isoformat(), mid.isoformat()],
            "end_date": [ds.end.isoformat(), mid.isoformat(), ds.end.isoformat()],
            "budget": [50_000.0, 12_000.0, 8_000.0],
            "goal_metric": ["gmv", "views", "interactions"],
            "goal_value": [200_000.0, 500_000.0, 20_000.0],
            "content_ids": ["|".join(dy[:3]), "|".join(xhs[:2]), "|".join(dy[3:5])],
            "partner": ["", "小鹿的日常", "阿柚测评"],
            "partner_exposure": [
                np.nan,
                float(rng.integers(100_000, 900_000)),
                float(rng.integers(50_000, 400_000)),
            ],
        }
    )


KPIS = (
    ("content", "views", 200_000.0),
    ("content", "interaction_rate", 0.05),
    ("content", "viral_share", 0.05),
    ("growth", "net_follower_gain", 1_500.0),
    ("conversion", "gmv", 80_000.0),
    ("conversion", "leads", 400.0),
    ("conversion", "roi", 2.0),
    ("brand", "negative_share", 0.05),
    ("brand", "positive_rate", 0.4),
)


def kpi_targets(ds: SampleDataset, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for week_start in ds.snapshot_dates():
        monday = week_start - dt.timedelta(days=7)
        iso = monday.isocalendar()
        period = f"{iso.year}-W{iso.week:02d}"
        for dimension, kpi, target in KPIS:
            rows.append((f"{dimension}.{kpi}", dimension, kpi, "all", period, target))
    return pd.DataFrame(
        rows, columns=["kpi_id", "dimension", "kpi", "platform", "period", "target"]
    )


def ab_tests(ds: SampleDataset, rng: np.random.Generator) -> pd.DataFrame:
    xhs = ds.frames["contents.xiaohongshu"]
    picks = xhs.iloc[: min(4, len(xhs))]
    rows = []
    for i, rec in enumerate(picks.to_dict("records")):
        test = f"AB{1 + i // 2:03d}"
        started = pd.Timestamp(rec["published_s"] + SHANGHAI_OFFSET, unit="s")
        rows.append(
            {
                "test_id": test,
                "hypothesis": "标题带数字的封面点击率更高" if i < 2 else "真人出镜封面点击率更高",
                "variant": "A" if i % 2 == 0 else "B",
                "platform": "xiaohongshu",
                "content_id": rec["linked_id"],
                "content_title": rec["title"],
                "started_at": started.strftime(TIME_FORMAT),
                "ended_at": (started + pd.Timedelta(days=7)).strftime(TIME_FORMAT),
            }
        )
    return pd.DataFrame(rows)


def brand_accounts(ds: SampleDataset, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for platform in CONTENT_PLATFORMS:
        for no, account in enumerate(ds.accounts_of(platform)):
            author = brand_author_id(platform, no) if platform in COMMENT_PLATFORMS else ""
            rows.append((platform, account.account_id, account.account_name, author))
    return pd.DataFrame(rows, columns=["platform", "account_id", "account_name", "author_ids"])


REVIEWERS = ("运营-小王", "运营-阿杰", "客服主管-林")
OVERRIDE_REASONS = {
    "negative": "人工复核：确认负面，已转客服跟进",
    "neutral": "人工复核：咨询，非负面",
    "positive": "人工复核：正面评价",
}


def sentiment_overrides(ds: SampleDataset, rng: np.random.Generator) -> pd.DataFrame:
    """A few manual sentiment labels from the team's review, each the item's true label: top-level
    comments (negative ones most often: the alerts show them) and mentions the tool gave no
    label, reviewed 1 to 48 hours after they were posted."""
    comments = ds.frames["comments"]
    top = comments[~comments["is_brand_reply"].to_numpy(dtype=bool)]
    n_comments = min(len(top), max(2, round(ds.weeks * 0.6)))
    weights = np.where(top["sentiment"].to_numpy() == "negative", 6.0, 1.0)
    weights = weights / weights.sum() if len(top) else weights
    picked = top.iloc[np.sort(rng.choice(len(top), n_comments, replace=False, p=weights))]
    all_mentions = mentions(ds, part_rng(ds.seed, "template", "mentions"))
    untagged = all_mentions[all_mentions["sentiment"] == ""]
    n_mentions = min(len(untagged), max(1, round(ds.weeks * 0.3)))
    chosen = untagged.iloc[np.sort(rng.choice(len(untagged), n_mentions, replace=False))]
    mentioned_s = (
        pd.to_datetime(chosen["mentioned_at"]).to_numpy().astype("datetime64[s]").astype(np.int64)
        - SHANGHAI_OFFSET
    )
    items = pd.DataFrame(
        {
            "item_type": ["comment"] * len(picked) + ["mention"] * len(chosen),
            "platform": [*picked["platform"], *chosen["platform"]],
            "item_id": [*picked["comment_id"], *chosen["mention_id"]],
            "sentiment": [*picked["sentiment"], *chosen["true_sentiment"]],
            "posted_s": np.concatenate([picked["created_s"].to_numpy(), mentioned_s]),
        }
    )
    n = len(items)
    end = epoch_of_day(ds.end) + 86399
    reviewed = np.minimum(items["posted_s"].to_numpy() + rng.integers(3600, 48 * 3600, n), end)
    return pd.DataFrame(
        {
            "item_type": items["item_type"].to_numpy(dtype=object),
            "platform": items["platform"].to_numpy(dtype=object),
            "item_id": items["item_id"].to_numpy(dtype=object),
            "sentiment": items["sentiment"].to_numpy(dtype=object),
            "reason": items["sentiment"].map(OVERRIDE_REASONS).to_numpy(dtype=object),
            "reviewed_by": np.asarray(REVIEWERS, dtype=object)[rng.integers(0, len(REVIEWERS), n)],
            "reviewed_at": _times(reviewed),
        }
    )


TEMPLATES = {
    "ad_spend": ad_spend,
    "leads": leads,
    "mentions": mentions,
    "search_index": search_index,
    "customers": customers,
    "campaigns": campaigns,
    "kpi_targets": kpi_targets,
    "ab_tests": ab_tests,
    "brand_accounts": brand_accounts,
    "sentiment_overrides": sentiment_overrides,
}


def generate_templates(ds: SampleDataset) -> dict[str, pd.DataFrame]:
    return {
        name: build(ds, part_rng(ds.seed, "template", name)) for name, build in TEMPLATES.items()
    }
