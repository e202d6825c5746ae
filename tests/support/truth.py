"""What the tests that compute marts from the generator's ground truth share: the content export
of each platform and the calendar as the marts count it (ISO weeks, Shanghai days). Written here
independently of ``samples``, so that the truth is not the generator's own bookkeeping."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: the content export of each platform (the truth also holds 公众号 datacube snapshots)
CONTENT_REPORTS = {
    "wechat_oa": "wechat_oa.article_7day",
    "wechat_channels": "wechat_channels.video_list",
    "douyin": "douyin.video_list",
    "xiaohongshu": "xiaohongshu.note_list",
    "bilibili": "bilibili.video_compare",
    "kuaishou": "kuaishou.video_list",
}
#: the six content platforms of the spec (§1), in its order
CONTENT_PLATFORMS = tuple(CONTENT_REPORTS)


def iso_week(day: dt.date) -> str:
    """The ISO week of ``day`` as the marts write it, e.g. ``2026-W40``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def china_time(value: dt.datetime | str) -> dt.datetime:
    """An instant in Shanghai time (templates write China time as ``YYYY-MM-DD HH:MM:SS``)."""
    if isinstance(value, str):
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI)


def shanghai_day(value: dt.datetime | str) -> dt.date:
    """The Shanghai calendar day of an instant or of a template's China time."""
    return china_time(value).date()
