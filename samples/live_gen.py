"""直播 live sessions (抖音, 视频号) and the per-video sales list of 抖音电商罗盘.

Live: every 抖音 and 视频号 account goes live two to four evenings a week for one and a half to
four hours; a 抖音 account opens every fourth week with a 大场 of four times the viewers. A session's numbers follow a funnel: unique viewers, views (1.3–1.9 per viewer),
peak and average concurrent viewers, product clicks, buyers, orders and GMV, new followers and
the promotion spend of the live room. Values are what the exports state (the second 抖音
account's export writes viewers of 10 000 and more as "1.2万", so its viewers are rounded to the
thousand), and GPM is never generated: the mart computes it.

Video sales: for each 抖音 video that sold through the shop, its cumulative orders, buyers and
GMV at each weekly snapshot, counted from the 抖店 sub-orders that name it (both shops: the
back office sees the video even where the shop's order export has no 作品ID column), with its
views at that snapshot and its unique viewers.

Shop sales of 视频号 and 小红书 (视频号小店 短视频带货数据, 小红书 千帆 笔记数据明细): about half of
the videos and notes carry a product; such a content converts a steady share of its views
(0.2–0.8 % of its views pay, fewer of a viral content's extra views, a few pay twice) at one price (39–199 元), so at each weekly snapshot
its cumulative orders, payers and GMV follow the views that snapshot states. 视频号's list states
unique viewers (55–85 % of the views); 千帆's states reads only.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from samples.content_gen import part_rng
from samples.model import Account
from samples.timeutil import SHANGHAI_OFFSET, day_number, epoch_of_day

LIVE_PLATFORMS = ("douyin", "wechat_channels")
#: log-mean unique viewers per session
_LOG_VIEWERS = {"douyin": 8.4, "wechat_channels": 8.1}
#: how much of a session's GMV the live room's promotion costs (spend = gmv / roi)
_LIVE_ROI = {"douyin": (2.0, 4.5), "wechat_channels": (3.0, 6.0)}


def generate_live_sessions(
    accounts: list[Account], start: dt.date, weeks: int, scale: float, seed: int
) -> pd.DataFrame:
    """One row per live session of the 抖音 and 视频号 ``accounts``."""
    frames = []
    for platform in LIVE_PLATFORMS:
        mine = [a for a in accounts if a.platform == platform]
        rng = part_rng(seed, "live", platform)
        for account in mine:
            per_week = rng.integers(2, 5, weeks)
            n = int(per_week.sum())
            week = np.repeat(np.arange(weeks), per_week)
            day = np.concatenate(
                [np.sort(rng.choice(7, k, replace=False)) + 7 * w for w, k in enumerate(per_week)]
            )
            start_s = (
                epoch_of_day(start)
                + day * 86400
                + rng.integers(18, 21, n) * 3600
                + rng.choice([0, 30], n) * 60
            )
            duration = rng.integers(90, 241, n) * 60
            viewers = np.exp(rng.normal(_LOG_VIEWERS[platform] + 0.3 * np.log(scale), 0.45, n))
            viewers = np.maximum(viewers.astype(np.int64), 200)
            if platform == "douyin":  # a 大场 (promotion night) opens every fourth week
                first = np.r_[True, week[1:] != week[:-1]]
                viewers = np.where(first & (week % 4 == 0), viewers * 4, viewers)
            if platform == "douyin" and account.variant == 1:  # written as "1.2万"
                viewers = np.where(viewers >= 10_000, (viewers + 500) // 1000 * 1000, viewers)
            views = (viewers * rng.uniform(1.3, 1.9, n)).astype(np.int64)
            avg_watch = rng.integers(45, 240, n)
            avg_concurrent = np.round(viewers * avg_watch / duration, 1)
            peak = np.maximum((avg_concurrent * rng.uniform(1.8, 3.2, n)).astype(np.int64), 1)
            clicks = (viewers * rng.uniform(0.06, 0.18, n)).astype(np.int64)
            buyers = (clicks * rng.uniform(0.08, 0.2, n)).astype(np.int64)
            orders = buyers + rng.binomial(np.maximum(buyers, 0), 0.12)
            gmv_cents = np.round(orders * rng.uniform(6_000, 16_000, n)).astype(np.int64)
            lo, hi = _LIVE_ROI[platform]
            spend_cents = np.round(gmv_cents / rng.uniform(lo, hi, n)).astype(np.int64)
            if platform == "wechat_channels":  # 加热 only on some evenings
                spend_cents = np.where(rng.random(n) < 0.5, spend_cents, 0)
            ids = (7_430_000_000_000_000_000 + rng.integers(0, 10**15, n, dtype=np.int64)).astype(
                str
            )
            frames.append(
                pd.DataFrame(
                    {
                        "platform": platform,
                        "account_id": account.account_id,
                        "variant": account.variant,
                        "session_id": ids.astype(object),
                        "title": [
                            f"禾野{'直播间' if platform == 'douyin' else '视频号直播'}·第{w + 1}周第{i + 1}场"
                            for i, w in enumerate(week)
                        ],
                        "started_s": start_s,
                        "ended_s": start_s + duration,
                        "duration_seconds": duration,
                        "viewers": viewers,
                        "views": views,
                        "peak_concurrent": peak,
                        "avg_concurrent": avg_concurrent,
                        "avg_watch_seconds": avg_watch,
                        "new_followers": (viewers * rng.uniform(0.004, 0.02, n)).astype(np.int64),
                        "product_clicks": clicks,
                        "orders": orders,
                        "buyers": buyers,
                        "gmv": gmv_cents / 100,
                        "spend": spend_cents / 100,
                    }
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out["started_day"] = (out["started_s"] + SHANGHAI_OFFSET) // 86400
    tz = "Asia/Shanghai"
    out["started_at"] = pd.to_datetime(out["started_s"], unit="s", utc=True).dt.tz_convert(tz)
    out["ended_at"] = pd.to_datetime(out["ended_s"], unit="s", utc=True).dt.tz_convert(tz)
    return out


def generate_video_sales(
    contents: pd.DataFrame,
    snapshots: pd.DataFrame,
    orders: pd.DataFrame,
    start: dt.date,
    weeks: int,
    seed: int,
) -> pd.DataFrame:
    """Per 抖音 video and weekly snapshot: cumulative sales of the video up to the snapshot date
    (net of cancelled orders), for the videos in that snapshot that sold at least once."""
    rng = part_rng(seed, "video_sales")
    viewer_share = rng.uniform(0.55, 0.85, len(contents))
    sold = orders[orders["sold_content_id"].notna() & (orders["paid_s"] >= 0)]
    sold = sold[sold["status"] != "已取消"]
    sold_day = (sold["paid_s"].to_numpy() + SHANGHAI_OFFSET) // 86400
    index_of = {v: i for i, v in enumerate(contents["linked_id"].to_numpy())}
    idx = sold["sold_content_id"].map(index_of).to_numpy()
    rows = []
    snap = snapshots[["content_idx", "snapshot_day", "views", "views_is_capped"]]
    for day in day_number(start) + 7 * (np.arange(weeks) + 1):
        upto = sold_day < day
        if not upto.any():
            continue
        part = pd.DataFrame(
            {
                "content_idx": idx[upto],
                "order_id": sold["order_id"].to_numpy()[upto],
                "buyer": sold["buyer_phone"].to_numpy()[upto],
                "amount": sold["amount"].to_numpy()[upto],
            }
        )
        agg = part.groupby("content_idx").agg(
            gmv=("amount", "sum"), orders=("order_id", "nunique"), buyers=("buyer", "nunique")
        )
        shown = snap[snap["snapshot_day"] == day].set_index("content_idx")
        agg = agg.join(shown, how="inner").reset_index()
        agg["viewers"] = np.floor(agg["views"] * viewer_share[agg["content_idx"]]).astype(np.int64)
        agg["product_clicks"] = np.maximum(
            np.floor(agg["viewers"] * 0.03).astype(np.int64), agg["buyers"]
        )
        rows.append(agg)
    out = pd.concat(rows, ignore_index=True)
    out["gmv"] = np.round(out["gmv"], 2)
    meta = contents.iloc[out["content_idx"].to_numpy()].reset_index(drop=True)
    for column in ("account_id", "variant", "title", "linked_id", "published_s", "published_at"):
        out[column] = meta[column].to_numpy()
    out["platform"] = "douyin"
    return out.sort_values(["account_id", "snapshot_day", "published_s"]).reset_index(drop=True)


#: the platforms whose shops export per-content sales from the content's own figures
SHOP_SALES_PLATFORMS = ("wechat_channels", "xiaohongshu")
#: views at which a content's converting audience is half its views
SATURATION_VIEWS = 20_000.0


def generate_shop_sales(
    platform: str,
    contents: pd.DataFrame,
    snapshots: pd.DataFrame,
    start: dt.date,
    weeks: int,
    seed: int,
) -> pd.DataFrame:
    """Per 视频号 video or 小红书 note that carries a product and weekly snapshot day: its
    cumulative views (as the content export states them that day), viewers (视频号 only),
    product clicks, orders, payers and GMV, for the contents that sold at least once."""
    rng = part_rng(seed, "shop_sales", platform)
    n = len(contents)
    sells = rng.random(n) < 0.5
    pay_rate = rng.uniform(0.002, 0.008, n)
    repeat = rng.uniform(0.0, 0.08, n)  # share of payers who order twice
    price_cents = rng.choice(np.array([3_900, 5_900, 8_900, 12_900, 19_900]), n)
    viewer_share = rng.uniform(0.55, 0.85, n)
    snap = snapshots[["content_idx", "snapshot_day", "views", "views_is_capped"]]
    days = day_number(start) + 7 * (np.arange(weeks) + 1)
    shown = snap[snap["snapshot_day"].isin(days) & sells[snap["content_idx"].to_numpy()]].copy()
    idx = shown["content_idx"].to_numpy()
    views = shown["views"].to_numpy(dtype=np.int64)
    # a viral content's extra views are a broader, less buying audience: the views that convert
    # saturate (20 000 views count as 10 000, 100 000 as about 17 000), monotone in the views
    buying_views = views / (1.0 + views / SATURATION_VIEWS)
    buyers = np.floor(buying_views * pay_rate[idx]).astype(np.int64)
    shown["buyers"] = buyers
    shown["orders"] = buyers + np.floor(buyers * repeat[idx]).astype(np.int64)
    shown["gmv"] = shown["orders"].to_numpy() * price_cents[idx] / 100
    if platform == "wechat_channels":
        viewers = np.floor(views * viewer_share[idx]).astype(np.int64)
        shown["viewers"] = pd.array(viewers, dtype="Int64")
        shown["product_clicks"] = np.maximum(np.floor(viewers * 0.03).astype(np.int64), buyers)
    else:
        shown["viewers"] = pd.array([pd.NA] * len(shown), dtype="Int64")
        shown["product_clicks"] = np.maximum(np.floor(views * 0.02).astype(np.int64), buyers)
    out = shown[shown["orders"] > 0].reset_index(drop=True)
    meta = contents.iloc[out["content_idx"].to_numpy()].reset_index(drop=True)
    columns = ("account_id", "variant", "title", "linked_id", "published_s", "published_at")
    for column in (*columns, "content_type"):
        out[column] = meta[column].to_numpy()
    out["platform"] = platform
    if platform == "wechat_channels":  # the second account's list states no viewers
        out["viewers"] = out["viewers"].mask(out["variant"].to_numpy() == 1)
    return out.sort_values(["account_id", "snapshot_day", "published_s"]).reset_index(drop=True)
