"""build_dataset: generate every table of the sample brand as pandas frames."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from samples import content_metrics as cm
from samples import wechat_gen
from samples.accounts import build_accounts, mark_pilot
from samples.calendar_gen import generate_calendar
from samples.comments_gen import COMMENT_PLATFORMS, generate_comments
from samples.commerce_gen import generate_orders, generate_product_days
from samples.content_gen import generate_contents, part_rng, snapshot_skeleton
from samples.growth_gen import generate_follower_days
from samples.live_gen import (
    SHOP_SALES_PLATFORMS,
    generate_live_sessions,
    generate_shop_sales,
    generate_video_sales,
)
from samples.model import SampleDataset
from samples.template_gen import generate_templates
from samples.timeutil import day_number
from samples.wecom_gen import generate_behavior, generate_groupchats

# platform -> (report, snapshot function)
CONTENT_REPORTS = {
    "wechat_oa": ("article_7day", cm.wechat_oa_snapshots),
    "wechat_channels": ("video_list", cm.wechat_channels_snapshots),
    "douyin": ("video_list", cm.douyin_snapshots),
    "xiaohongshu": ("note_list", cm.xiaohongshu_snapshots),
    "bilibili": ("video_compare", cm.bilibili_snapshots),
    "kuaishou": ("video_list", cm.kuaishou_snapshots),
}


def build_dataset(start: dt.date, weeks: int, scale: float = 1.0, seed: int = 7) -> SampleDataset:
    """The in-memory model of a brand's accounts and their activity over ``weeks`` weeks from
    ``start``; deterministic for the arguments."""
    if weeks < 1:
        raise ValueError("weeks must be >= 1")
    if scale <= 0:
        raise ValueError("scale must be > 0")
    accounts = build_accounts(scale)
    mark_pilot(accounts, weeks)
    ds = SampleDataset(start=start, weeks=weeks, scale=scale, seed=seed, accounts=accounts)
    for platform, (report, snapshots) in CONTENT_REPORTS.items():
        contents = generate_contents(platform, ds.accounts_of(platform), start, weeks, scale, seed)
        if platform == "douyin":
            contents["duration_seconds"] = cm.douyin_durations(contents, seed)
        if platform == "wechat_oa":
            _wechat_article_facts(contents, seed)
        skel = snapshot_skeleton(contents, start, weeks)
        ds.frames[f"contents.{platform}"] = contents
        ds.frames[f"snapshots.{platform}.{report}"] = snapshots(contents, skel, seed)
        if platform == "wechat_oa":
            ds.frames["snapshots.wechat_oa.datacube_articletotaldetail"] = cm.wechat_oa_datacube(
                contents, day_number(start), weeks, seed
            )
    follower_days = generate_follower_days(ds.accounts, start, weeks, scale, seed)
    ds.frames["follower_days"] = follower_days
    ds.frames["wechat_oa.article_daily"] = wechat_gen.article_daily(
        ds.frames["snapshots.wechat_oa.datacube_articletotaldetail"], seed
    )
    ds.frames["wechat_oa.user_source_days"] = wechat_gen.user_source_days(follower_days, seed)
    ds.frames["comments"] = pd.concat(
        [
            generate_comments(
                platform,
                ds.accounts_of(platform),
                ds.frames[f"contents.{platform}"],
                start,
                weeks,
                scale,
                seed,
            )
            for platform in COMMENT_PLATFORMS
        ],
        ignore_index=True,
    )
    ds.frames["orders"] = generate_orders(
        ds.accounts_of("douyin_shop"), ds.frames["contents.douyin"], start, weeks, scale, seed
    )
    ds.frames["live_sessions"] = generate_live_sessions(ds.accounts, start, weeks, scale, seed)
    douyin_sales = generate_video_sales(
        ds.frames["contents.douyin"],
        ds.frames["snapshots.douyin.video_list"],
        ds.frames["orders"],
        start,
        weeks,
        seed,
    )
    shop_sales = [
        generate_shop_sales(
            platform,
            ds.frames[f"contents.{platform}"],
            ds.frames[f"snapshots.{platform}.{CONTENT_REPORTS[platform][0]}"],
            start,
            weeks,
            seed,
        )
        for platform in SHOP_SALES_PLATFORMS
    ]
    ds.frames["video_sales"] = pd.concat([douyin_sales, *shop_sales], ignore_index=True)
    ds.frames["product_days"] = generate_product_days(
        ds.accounts_of("qianchuan"), start, weeks, scale, seed
    )
    wecom = ds.accounts_of("wecom")
    ds.frames["wecom_behavior"] = generate_behavior(wecom, start, weeks, scale, seed)
    ds.frames["groupchat_days"] = generate_groupchats(wecom, start, weeks, scale, seed)
    for name, frame in generate_templates(ds).items():
        ds.frames[f"template.{name}"] = frame.reset_index(drop=True)
    ds.frames["content_calendar"] = generate_calendar(ds)
    return ds


def _wechat_article_facts(contents, seed: int) -> None:
    """Per-article facts shared by article_7day and datacube: readers per read, finish rate,
    送达人数 (the followers the mass message reached)."""
    rng = part_rng(seed, "article_facts", "wechat_oa")
    n = len(contents)
    contents["r_reader"] = rng.uniform(0.6, 0.9, n)
    contents["finish_rate"] = rng.integers(3000, 9000, n) / 10000.0
    base = np.where(contents["variant"].to_numpy() == 0, 52_000, 23_000)
    contents["delivered"] = base + rng.integers(0, 3000, n)
