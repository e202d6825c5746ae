"""Deterministic sample exports of every platform, in their real forms, with their ground truth.

``build_dataset`` generates a brand's accounts and activity (``SampleDataset``, dataclasses in
``samples.model``); ``write_exports`` writes the files a marketer would download, under
``out/<platform>/<account_id>/<file name>``; ``generate_exports`` does both;
``write_bad_corpus`` writes the files ingest must quarantine or skip. The same arguments give
byte-identical files (fixed zip timestamps and workbook dates; mtimes at noon Shanghai time of
the snapshot date).

Every number the dataset holds is the value an ideal reader recovers from the files ("1.2万" ->
12000, "10万+" -> 100000 with ``views_is_capped``, "28.64%" -> 0.2864, "-" -> None).

Content exports are weekly snapshots: for each account and week, one file dated the day after
the week (the Monday when ``start`` is a Monday), listing every content published in the 35
days before that date with its cumulative metrics. D = snapshot date, YYYYMMDD = the same.

Files per report type (accounts of a platform alternate between the real variants):

- 小红书 note_list: ``xiaohongshu/<acct>/笔记列表明细表_D.xlsx`` (POI xlsx, banner row)
- 抖音 video_list: ``douyin/<acct>/抖音作品列表_YYYYMMDD.xlsx`` (two header variants)
- 公众号 article_7day: ``wechat_oa/<acct>/内容分析_已通知内容_YYYYMMDD.{xlsx,xls,csv}``
  (the csv account writes "10万+"); user_growth: ``用户分析_用户增长_D.xls`` (HTML);
  datacube: ``datacube_{getarticletotaldetail,getarticlesummary,getusersummary,
  getusercumulate}_D.json``
- 视频号 video_list: ``wechat_channels/<acct>/微信视频号动态数据明细_D.csv`` (15 or 19 columns)
- B站 video_compare: ``bilibili/<acct>/近期稿件对比_D.csv``
- 快手 video_list: ``kuaishou/<acct>/快手作品数据_D.xlsx`` or ``快手作品数据_YYYYMMDD.csv``
- fans_daily: ``<platform>/<acct>/粉丝数据_D.{xlsx,csv}`` for 视频号/抖音/小红书/B站/快手
  (B站 and 快手 second accounts: total only)
- comments (MediaCrawler): ``<platform>/<acct>/creator_comments_D.{csv,json,jsonl}`` for
  小红书/抖音/B站/快手
- 抖店 orders: ``douyin_shop/<shop>/订单导出_D.csv`` (second shop GBK, no 流量体裁/作品ID)
- 千川 product_daily: ``qianchuan/<acct>/<店铺名>_商品_D.xlsx``, one per day (D = that day)
- 直播 live_sessions: ``douyin/<acct>/直播列表_D.xlsx`` (罗盘) or ``直播数据_D.csv`` (创作者中心),
  ``wechat_channels/<acct>/视频号直播数据_D.csv`` (no session id), one file per week
- 罗盘 video_sales: ``douyin/<acct>/罗盘_短视频_D.xlsx`` (cumulative sales per video; the second
  account states the publish date only)
- 视频号小店 video_sales: ``wechat_channels/<acct>/视频号小店_短视频带货数据_D.xlsx`` (the second
  account: 动态ID, the date only, no viewers); 小红书 千帆 note_sales:
  ``xiaohongshu/<acct>/千帆_笔记数据明细_D.xlsx`` (the second account: 蒲公英-style, no id column,
  the id in 笔记链接)
- 企业微信: ``wecom/<acct>/behavior_<userid>_D.json``,
  ``wecom/<acct>/groupchat_statistic_group_by_day_D.json``
- templates: ``<template>/brand/<template>.csv`` (UTF-8), headers:

  - ad_spend: date, tool, platform, plan_id, plan_name, content_id, spend, impressions, clicks,
    conversions, gmv
  - leads: lead_id, created_at, source_platform, channel, content_id, campaign_id, contact_hash
  - mentions: mention_id, mentioned_at, platform, author, text, url, matched_keyword,
    interactions, sentiment, first_response_at, source_tool
  - search_index: date, keyword, platform, source, value
  - customers: external_id_hash, added_at, added_by, source_channel, tags, orders,
    last_active_at
  - campaigns: campaign_id, name, type, start_date, end_date, budget, goal_metric, goal_value,
    content_ids (``|``-separated), partner, partner_exposure
  - kpi_targets: kpi_id, dimension, kpi, platform, period, target
  - ab_tests: test_id, hypothesis, variant, platform, content_id, content_title, started_at,
    ended_at
  - brand_accounts: platform, account_id, account_name, author_ids

Ids other files use for a content are ``Content.linked_id`` (抖音 aweme id, 小红书 note id,
B站 aid, 公众号 msgid, 视频号 export id, 快手 photo id); the content export itself carries
``Content.content_id`` (None for 小红书, 抖音 and B站, keyed by title + published_at).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from samples.bad_corpus import write_bad_corpus
from samples.dataset import build_dataset
from samples.model import (
    Account,
    Comment,
    Content,
    ContentSnapshot,
    FollowerDay,
    GroupChatDay,
    LiveSession,
    Order,
    ProductDay,
    SampleDataset,
    VideoSales,
    WecomBehaviorDay,
)

__all__ = [
    "Account",
    "Comment",
    "Content",
    "ContentSnapshot",
    "FollowerDay",
    "GroupChatDay",
    "LiveSession",
    "Order",
    "ProductDay",
    "SampleDataset",
    "VideoSales",
    "WecomBehaviorDay",
    "build_dataset",
    "default_start",
    "generate_exports",
    "write_bad_corpus",
    "write_exports",
]


def write_exports(ds: SampleDataset, out: Path) -> list[Path]:
    """Write every export of ``ds`` under ``out``; return the paths written, in order."""
    from samples.writers import WRITERS

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for writer in WRITERS:
        paths.extend(writer(ds, out))
    return paths


def generate_exports(
    out: Path, start: dt.date, weeks: int, scale: float = 1.0, seed: int = 7
) -> SampleDataset:
    """Build the dataset and write its exports under ``out``."""
    ds = build_dataset(start, weeks, scale=scale, seed=seed)
    write_exports(ds, Path(out))
    return ds


def default_start(weeks: int, today: dt.date | None = None) -> dt.date:
    """The Monday ``weeks`` weeks before this week's Monday (Shanghai), so the data end with the
    latest complete ISO week."""
    from registry.timezone import SHANGHAI

    today = today or dt.datetime.now(SHANGHAI).date()
    monday = today - dt.timedelta(days=today.weekday())
    return monday - dt.timedelta(weeks=weeks)
