"""The team's publishing plan (内容排期) as its 飞书多维表格 export states it: one row per planned
content of every content account, with the ground truth of what became of it.

Most contents were planned: on their publishing day (on time), a day or two later (published
early: on time too) or one to three days earlier (published late); the rest went out without a
plan (unplanned). The plan's title is the content's title without its hashtags. Some plans were
never published (topics of their own), some were cancelled, and two are planned after the
period (not due yet). Published plans of 公众号, 快手 and 抖音 often carry the 发布链接.

Columns ``true_*`` are ground truth only: ``true_platform``/``true_account_id``, the content
(``true_content_idx``, its row in ``frames["contents.<platform>"]``, -1 for none),
``true_planned_day`` (a Shanghai day number) and ``true_status`` (planned / published /
cancelled).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

import registry
from samples.content_gen import part_rng
from samples.model import CONTENT_PLATFORMS, SampleDataset
from samples.timeutil import day_number

HEADER = (
    "计划发布时间",
    "平台",
    "账号",
    "选题/标题",
    "负责人",
    "状态",
    "发布链接",
    "内容形式",
)
OWNERS = ("王小禾", "李一鸣", "陈可可", "赵思远", "周晓雨")
#: topics planned but never published: their own words, so no published title resembles them
NEVER_TOPICS = (
    "品牌十周年幕后故事",
    "年度用户共创征集令",
    "工厂溯源探访纪录",
    "联名周边抽奖预告",
    "门店店员一日体验",
    "冬日限定包装揭秘",
)
_HASHTAG = re.compile(r"[#＃][^\s#＃]*")
UNPLANNED_SHARE = 0.12
LINKED_PLATFORMS = ("wechat_oa", "kuaishou", "douyin")


def plan_title(title: str) -> str:
    """The title a plan gives a content: its published title without hashtags."""
    return re.sub(r"\s+", " ", _HASHTAG.sub("", title)).strip()


def _link(platform: str, linked_id: str) -> str:
    if platform == "wechat_oa":
        mid, idx = linked_id.split("_")
        return f"https://mp.weixin.qq.com/s?__biz=MzA3NDM1MjQ2MQ==&mid={mid}&idx={idx}&sn=8f3a"
    if platform == "kuaishou":
        return f"https://www.kuaishou.com/short-video/{linked_id}"
    return f"https://www.douyin.com/video/{linked_id}"


def _planned_cell(day: int, hour: int | None) -> str:
    date = pd.Timestamp(day, unit="D")
    return date.strftime("%Y/%m/%d") + (f" {hour:02d}:00" if hour is not None else "")


def generate_calendar(ds: SampleDataset) -> pd.DataFrame:
    rng = part_rng(ds.seed, "content_calendar")
    names = registry.names_zh()
    first = day_number(ds.start)
    last = first + 7 * ds.weeks - 1
    rows: list[dict] = []

    def add(account, day, title, status, content_idx, link=None, content_type=None):
        hour = int(rng.integers(8, 22)) if account.variant == 0 else None
        rows.append(
            {
                "计划发布时间": _planned_cell(day, hour),
                "平台": names[account.platform] if rng.random() < 0.8 else account.platform,
                "账号": account.account_name if account.variant == 0 else account.account_id,
                "选题/标题": title,
                "负责人": OWNERS[int(rng.integers(0, len(OWNERS)))],
                "状态": status,
                "发布链接": link,
                "内容形式": content_type,
                "true_platform": account.platform,
                "true_account_id": account.account_id,
                "true_content_idx": content_idx,
                "true_planned_day": day,
                "true_status": {"已取消": "cancelled", "已发布": "published"}.get(
                    status, "planned"
                ),
            }
        )

    for platform in CONTENT_PLATFORMS:
        contents = ds.frames[f"contents.{platform}"]
        for account in ds.accounts_of(platform):
            mine = np.flatnonzero(contents["account_id"].to_numpy() == account.account_id)
            for idx in mine:
                title = plan_title(str(contents["title"].iat[idx]))
                if not title or rng.random() < UNPLANNED_SHARE:
                    continue  # published without a plan
                published = int(contents["published_day"].iat[idx])
                u = rng.random()
                if u < 0.15:
                    day = published - int(rng.integers(1, 4))  # published late
                elif u < 0.25:
                    day = published + int(rng.integers(1, 3))  # published early
                else:
                    day = published
                status = "已发布" if rng.random() < 0.85 else "待发布"
                link = None
                if platform in LINKED_PLATFORMS and status == "已发布" and rng.random() < 0.6:
                    link = _link(platform, str(contents["linked_id"].iat[idx]))
                add(account, day, title, status, int(idx), link, contents["content_type"].iat[idx])
            start = first + 7 * account.start_week
            for week in range(account.start_week, ds.weeks):
                for status, p in (("待发布", 0.35), ("已取消", 0.12)):
                    if rng.random() < p:
                        day = first + 7 * week + int(rng.integers(0, 7))
                        topic = NEVER_TOPICS[int(rng.integers(0, len(NEVER_TOPICS)))]
                        add(account, max(day, start), f"{topic}（{week + 1}）", status, -1)
    for platform in ("douyin", "xiaohongshu"):  # the next week's plan: not due yet
        account = ds.accounts_of(platform)[0]
        add(account, last + 3, "下周选题：" + NEVER_TOPICS[0], "待发布", -1)
    frame = pd.DataFrame(rows)
    return frame.sort_values(["true_planned_day", "true_platform"], kind="stable").reset_index(
        drop=True
    )
