"""粉丝数据 (`fans_daily`, header unconfirmed): one row per day with the follower total and,
where the back office gives them, new, lost and net followers. The same header sits under every
content platform's folder, so there is one report type per platform (`<platform>__fans_daily`),
built by `fans_daily_spec`; the loader prefers the specs of the file's folder.

Some accounts only give the total (日期 + 粉丝总数): that form is a whole export, not half of
one, so it is recognised too (staging derives the day's gain from the day-over-day difference).
净增粉丝 can be negative, so it is a number, not a count.
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.base import Column, ReportSpec

PLATFORMS = ("wechat_oa", "wechat_channels", "douyin", "xiaohongshu", "bilibili", "kuaishou")

PLATFORM_NAMES = {
    "wechat_oa": "公众号",
    "wechat_channels": "视频号",
    "douyin": "抖音",
    "xiaohongshu": "小红书",
    "bilibili": "B站",
    "kuaishou": "快手",
}

DATE = Column("date", ("日期", "统计日期", "数据日期"), "date", required=True, not_null=True)
TOTAL = Column(
    "followers_total",
    ("粉丝总数", "总粉丝数", "粉丝数", "累计粉丝数", "累计粉丝"),
    "count",
    required=True,
)
COLUMNS = (
    DATE,
    TOTAL,
    Column("new_followers", ("新增粉丝", "新增粉丝数", "新增关注", "涨粉", "涨粉数"), "count"),
    Column("lost_followers", ("取关粉丝", "取关粉丝数", "取消关注", "取关数", "掉粉"), "count"),
    Column("net_followers", ("净增粉丝", "净增粉丝数", "净增关注", "净涨粉"), "number"),
)

_TOTAL_ONLY = ReportSpec("any", "fans_daily", "粉丝数据 (total only)", (DATE, TOTAL))


class FansDailySpec(ReportSpec):
    """A fans_daily report type. A header with both 日期 and 粉丝总数 is a whole export (the
    total-only form); the base score would rate it 2 of 5 columns, below a match."""

    def score(self, labels: Sequence[str]) -> float:
        if _TOTAL_ONLY.score(labels) == 1.0:
            return 1.0
        return super().score(labels)


def fans_daily_spec(platform: str) -> ReportSpec:
    """The fans_daily report type of one content platform."""
    return FansDailySpec(
        platform=platform,
        report="fans_daily",
        title=f"{PLATFORM_NAMES[platform]} 粉丝数据",
        columns=COLUMNS,
    )


REPORTS = tuple(fans_daily_spec(platform) for platform in PLATFORMS)
