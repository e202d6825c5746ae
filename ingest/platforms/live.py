"""直播 live sessions: 抖音 (抖音电商罗盘 / 创作者中心 直播列表) and 视频号 (视频号助手 直播数据).

One row per live session (场次). The two exports carry the same facts under different labels, so
both report types share one column list with wide alias lists; which one a file is follows from
its landing folder (exports/douyin/… or exports/wechat_channels/…). The evidence for each label is
in docs/export-reference.md (抖音: public code that maps the 罗盘 live list and the 巨量罗盘 live-screen
API; 视频号: **header unconfirmed**, labels from the 视频号助手 help pages as articles quote them).

Quirks the aliases and kinds absorb:
- 直播时长 as text ("2小时15分", "01:23:45", "95分钟") is a duration; 直播时长(分钟) is a bare
  number of minutes and lands apart (`duration_minutes`), staging converts it.
- 观看人数 is unique viewers (UV), 观看人次 / 观看次数 are views (PV): kept apart.
- 平均在线人数 may be fractional; 人均观看时长 as "1分23秒" or seconds.
- Money with thousands commas or a ¥ sign; "-" is missing (NULL, never 0).
- 直播间ID / 直播ID is a 19-digit room id (text); a file without it is keyed by account and
  开播时间 in staging.
"""

from __future__ import annotations

from ingest.base import Column, ReportSpec


def _columns() -> tuple[Column, ...]:
    return (
        Column(
            "session_id",
            (
                "直播间ID",
                "直播ID",
                "直播id",
                "场次ID",
                "直播场次ID",
                "房间ID",
                "room_id",
                "直播间id",
            ),
            "id",
        ),
        Column("title", ("直播标题", "直播间标题", "直播主题", "直播名称", "直播间名称")),
        Column(
            "started_at",
            ("开播时间", "直播开始时间", "开始时间", "开播日期时间"),
            "timestamp",
            required=True,
            not_null=True,
        ),
        Column("ended_at", ("关播时间", "下播时间", "直播结束时间", "结束时间"), "timestamp"),
        Column("duration_seconds", ("直播时长", "开播时长", "直播时长(秒)"), "duration"),
        Column("duration_minutes", ("直播时长(分钟)", "直播时长_分钟", "直播时长(min)"), "number"),
        Column(
            "viewers",
            (
                "观看人数",
                "直播间观看人数",
                "累计观看人数",
                "场观",
                "看播人数",
                "累计在线人数",
                "观看人数UV",
            ),
            "count",
            required=True,
        ),
        Column(
            "views", ("观看人次", "观看次数", "累计看播次数", "观看人次PV", "看播次数"), "count"
        ),
        Column(
            "peak_concurrent",
            (
                "最高在线人数",
                "最高在线",
                "峰值在线人数",
                "峰值人数",
                "同时最高在线人数",
                "在线人数峰值",
                "最高同时在线",
                "PCU",
            ),
            "count",
        ),
        Column("avg_concurrent", ("平均在线人数", "平均在线", "ACU", "分均在线人数"), "number"),
        Column(
            "avg_watch_seconds",
            ("人均观看时长", "平均观看时长", "人均看播时长", "人均观看时长(秒)", "人均停留时长"),
            "duration",
        ),
        Column(
            "new_followers",
            ("新增粉丝数", "新增粉丝", "涨粉人数", "涨粉数", "新增关注", "新增关注人数", "涨粉"),
            "count",
        ),
        Column("comments", ("评论次数", "评论数", "评论人数"), "count"),
        Column("likes", ("点赞次数", "点赞数"), "count"),
        Column(
            "product_clicks",
            ("商品点击人数", "商品点击次数", "商品点击", "商品点击量", "直播间商品点击人数"),
            "count",
        ),
        Column(
            "orders",
            ("成交订单数", "直播间成交订单数", "支付订单数", "订单数", "成交单数"),
            "count",
        ),
        Column("buyers", ("成交人数", "直播间成交人数", "支付人数", "购买人数"), "count"),
        Column(
            "gmv",
            (
                "直播间成交金额",
                "成交金额",
                "成交金额(元)",
                "累计支付金额",
                "用户支付金额",
                "直播销售额",
                "销售额",
                "带货销售额",
            ),
            "number",
        ),
        Column("gpm", ("千次观看成交金额", "GPM", "看播GPM"), "number"),
        Column(
            "spend",
            ("千川消耗", "投放消耗", "消耗", "整体消耗", "加热消耗", "投流消耗", "推广消耗"),
            "number",
        ),
    )


DOUYIN_LIVE_SESSIONS = ReportSpec(
    platform="douyin",
    report="live_sessions",
    title="抖音 直播列表（抖音电商罗盘 / 创作者中心）",
    columns=_columns(),
)

WECHAT_CHANNELS_LIVE_SESSIONS = ReportSpec(
    platform="wechat_channels",
    report="live_sessions",
    title="视频号 直播数据（视频号助手）",
    columns=_columns(),
)

REPORTS = (DOUYIN_LIVE_SESSIONS, WECHAT_CHANNELS_LIVE_SESSIONS)
