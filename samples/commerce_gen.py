"""抖店 orders and 千川 全域推广 product days (sources of the platform douyin)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from registry.timezone import TZ_NAME
from samples import vocab
from samples.accounts import volume_factor
from samples.content_gen import HOUR_WEIGHTS, incident_weeks, part_rng
from samples.model import Account
from samples.timeutil import SHANGHAI_OFFSET, day_number, epoch_of_day

STATUSES = ("已完成", "已发货", "待发货", "已取消")
STATUS_P = (0.62, 0.15, 0.11, 0.12)
CHANNELS = ("短视频", "直播", "商品卡")
CHANNEL_P = (0.4, 0.35, 0.25)
TRAFFIC = {"短视频": "自然流量", "直播": "直播间", "商品卡": "搜索"}


def product_ids() -> list[str]:
    return [str(3_690_000_000_000_000_000 + 1_000_003 * i) for i in range(len(vocab.PRODUCTS))]


def generate_orders(
    accounts: list[Account],
    douyin_contents: pd.DataFrame,
    start: dt.date,
    weeks: int,
    scale: float,
    seed: int,
) -> pd.DataFrame:
    """Sub-orders: Poisson orders a day per shop, one or two products each; 12% cancelled
    (half of them never paid); 短视频 orders name the 抖音 content that sold them."""
    rng = part_rng(seed, "orders")
    days = 7 * weeks
    lam = 50 * volume_factor("douyin_shop", scale)
    per_day = rng.poisson(lam, (len(accounts), days))
    n_orders = int(per_day.sum())
    shop = np.repeat(np.repeat(np.arange(len(accounts)), days), per_day.ravel())
    day = np.repeat(np.tile(np.arange(days), len(accounts)), per_day.ravel())
    hour = rng.choice(24, n_orders, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    submitted = epoch_of_day(start) + day * 86400 + hour * 3600 + rng.integers(0, 3600, n_orders)
    order_no = np.argsort(submitted, kind="stable")
    rank = np.empty(n_orders, dtype=np.int64)
    rank[order_no] = np.arange(n_orders)
    order_id = 6_920_000_000_000_000_000 + rank * 1_000 + rng.integers(0, 100, n_orders) * 10
    # buyers: a pool smaller than the orders, so some buy again
    pool = max(10, int(n_orders * 0.7))
    buyer = rng.integers(0, pool, n_orders)
    phones = (13_000_000_000 + (buyer * 7_919 + 1_234_567) % 999_999_999).astype(str)
    status = np.asarray(STATUSES, dtype=object)[rng.choice(4, n_orders, p=STATUS_P)]
    unpaid = (status == "已取消") & (rng.random(n_orders) < 0.5)
    paid = submitted + rng.integers(5, 900, n_orders)
    channel = np.asarray(CHANNELS, dtype=object)[rng.choice(3, n_orders, p=CHANNEL_P)]
    # the 抖音 content behind a short-video order: one published before the order
    pub = douyin_contents["published_s"].to_numpy()
    linked = douyin_contents["linked_id"].to_numpy(dtype=object)
    before = np.searchsorted(np.sort(pub), submitted)
    order_by_pub = np.argsort(pub, kind="stable")
    pick = (rng.random(n_orders) * np.maximum(before, 1)).astype(np.int64)
    content = np.where(
        (channel == "短视频") & (before > 0),
        linked[order_by_pub][np.minimum(pick, len(pub) - 1)],
        None,
    )
    # sub-orders
    items = rng.choice([1, 2], n_orders, p=[0.8, 0.2])
    sub_of = np.repeat(np.arange(n_orders), items)
    sub_no = pd.Series(np.ones(len(sub_of), dtype=np.int64)).groupby(sub_of).cumsum().to_numpy()
    m = len(sub_of)
    product = rng.integers(0, len(vocab.PRODUCTS), m)
    price_cents = np.array([round(p * 100) for _, p in vocab.PRODUCTS])[product]
    quantity = np.where(rng.random(m) < 0.03, rng.integers(10, 40, m), rng.integers(1, 4, m))
    discount = np.where(rng.random(m) < 0.4, rng.integers(100, 1000, m), 0)
    amount_cents = np.maximum(price_cents * quantity - discount, 100)
    frame = pd.DataFrame(
        {
            "account_id": np.array([a.account_id for a in accounts], dtype=object)[shop[sub_of]],
            "account_name": np.array([a.account_name for a in accounts], dtype=object)[
                shop[sub_of]
            ],
            "variant": np.array([a.variant for a in accounts])[shop[sub_of]],
            "order_id": order_id[sub_of].astype(str),
            "sub_order_id": (order_id[sub_of] + sub_no).astype(str),
            "product_id": np.asarray(product_ids(), dtype=object)[product],
            "product_name": np.asarray([name for name, _ in vocab.PRODUCTS], dtype=object)[product],
            "unit_price": price_cents / 100,
            "quantity": quantity,
            "discount": discount / 100,
            "amount": amount_cents / 100,
            "status": status[sub_of],
            "submitted_s": submitted[sub_of],
            "paid_s": np.where(unpaid[sub_of], -1, paid[sub_of]),
            "channel": channel[sub_of],
            "content_id": content[sub_of],
            "buyer_phone": phones[sub_of],
        }
    )
    # the video that sold it, as the back office knows it (罗盘's per-video sales list), also
    # where the shop's own export does not name it
    frame["sold_content_id"] = frame["content_id"]
    # the second shop's export (GBK) has no 流量体裁 / 作品ID columns
    no_channel = frame["variant"].to_numpy() == 1
    frame["channel"] = np.where(no_channel, None, frame["channel"].to_numpy())
    frame["content_id"] = np.where(no_channel, None, frame["content_id"].to_numpy())
    frame = frame.sort_values(["account_id", "submitted_s", "sub_order_id"]).reset_index(drop=True)
    tz = TZ_NAME
    frame["submitted_at"] = pd.to_datetime(frame["submitted_s"], unit="s", utc=True).dt.tz_convert(
        tz
    )
    paid_at = pd.to_datetime(frame["paid_s"].where(frame["paid_s"] >= 0), unit="s", utc=True)
    frame["paid_at"] = paid_at.dt.tz_convert(tz).astype(object).where(frame["paid_s"] >= 0, None)
    frame["submitted_day"] = (frame["submitted_s"] + SHANGHAI_OFFSET) // 86400
    return frame


def generate_product_days(
    accounts: list[Account], start: dt.date, weeks: int, scale: float, seed: int
) -> pd.DataFrame:
    """千川 rows per product and day; some products have two rows a day (two plans). The tool's
    own GMV stays below the shop's (it promotes part of the sales) at a pay ROI of 1.2–2.8,
    except in the overspend week (``incident_weeks``), where spend is five times that."""
    rng = part_rng(seed, "qianchuan")
    names = [name for name, _ in vocab.PRODUCTS]
    ids = product_ids()
    factor = volume_factor("qianchuan", scale)
    n_products = min(len(names), max(3, round(5 * factor**0.5)))
    rows_per = max(1, round(factor**0.5))
    frames = []
    first = day_number(start)
    incidents = incident_weeks(weeks)
    for account in accounts:
        days = np.arange(first, first + 7 * weeks)
        prod = np.tile(np.repeat(np.arange(n_products), rows_per), len(days))
        day = np.repeat(days, n_products * rows_per)
        extra = (rng.random(len(day)) < 0.2) | (prod == 0)  # the same product on another row
        prod = np.concatenate([prod, prod[extra]])
        day = np.concatenate([day, day[extra]])
        m = len(day)
        impressions = rng.integers(2_000, 35_000, m)
        clicks = (impressions * rng.uniform(0.005, 0.06, m)).astype(np.int64)
        orders = (clicks * rng.uniform(0.0, 0.08, m)).astype(np.int64)
        price = np.array([p for _, p in vocab.PRODUCTS])[prod]
        gmv_cents = np.round(orders * price * 100 * rng.uniform(0.8, 1.0, m)).astype(np.int64)
        spend_cents = np.maximum(5_000, gmv_cents / rng.uniform(1.2, 2.8, m)).astype(np.int64)
        if "overspend" in incidents:
            week_of = (day - first) // 7
            spend_cents = np.where(week_of == incidents["overspend"], spend_cents * 5, spend_cents)
        frame = pd.DataFrame(
            {
                "account_id": account.account_id,
                "account_name": account.account_name,
                "day": day,
                "product_id": np.asarray(ids, dtype=object)[prod],
                "product_name": np.asarray(names, dtype=object)[prod],
                "impressions": impressions,
                "clicks": clicks,
                "ctr": np.round(clicks / impressions * 10_000) / 10_000,
                "cvr": np.round(np.where(clicks > 0, orders / np.maximum(clicks, 1), 0) * 10_000)
                / 10_000,
                "spend": spend_cents / 100,
                "gmv": gmv_cents / 100,
                "orders": orders,
                "roi": np.round(gmv_cents / spend_cents * 100) / 100,
                "order_cost": np.where(
                    orders > 0, np.round(spend_cents / np.maximum(orders, 1)) / 100, np.nan
                ),
                "user_paid": np.round(gmv_cents * 0.93) / 100,
                "coupon": np.round(gmv_cents * 0.04) / 100,
                "subsidy": np.round(gmv_cents * 0.03) / 100,
            }
        )
        frame["row_no"] = np.arange(len(frame))
        frames.append(frame.sort_values(["day", "product_id", "row_no"]))
    out = pd.concat(frames, ignore_index=True).drop(columns=["row_no"])
    out["date"] = pd.to_datetime(out["day"], unit="D").dt.date
    return out
