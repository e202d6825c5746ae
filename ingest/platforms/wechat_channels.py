"""微信视频号 (WeChat Channels): 视频号助手 数据中心 → 单篇视频 → 下载表格
(微信视频号动态数据明细.csv).

CSV in UTF-8 with BOM, header on the first row, one row per video, in two forms: 15 columns, or
19 with the four 企微链接 / 添加到通讯录 columns at the end. 视频ID ("export/…") is the stable key.
完播率 is a percent string ("28.64%"), 平均播放时长 carries 秒 ("14.73秒"), 发布时间 is a date only
("2026/06/25", so `published_at` is midnight China time) and "-" means missing. 推荐 (❤) and
喜欢 (👍) are different counters: 喜欢 is `likes`, 推荐 is `recommends` (like 在看 on 公众号).
There are no 曝光 and no 收藏 columns.
"""

from __future__ import annotations

from ingest.base import Column, ReportSpec

PLATFORM = "wechat_channels"

VIDEO_LIST = ReportSpec(
    platform=PLATFORM,
    report="video_list",
    title="视频号 单篇视频数据",
    columns=(
        Column("title", ("视频描述", "视频标题", "描述"), "text", required=True),
        Column("content_id", ("视频ID", "视频id", "exportId"), "id", required=True, not_null=True),
        Column("published_at", ("发布时间",), "timestamp", required=True, not_null=True),
        Column("completion_rate", ("完播率",), "rate"),
        Column("avg_watch_seconds", ("平均播放时长", "平均观看时长"), "duration"),
        Column("views", ("播放量", "播放"), "count", required=True, capped=True),
        Column("recommends", ("推荐", "推荐(❤)", "点赞(❤)"), "count", required=True),
        Column("likes", ("喜欢", "喜欢(👍)"), "count", required=True),
        Column("comments", ("评论量", "评论"), "count", required=True),
        Column("shares", ("分享量", "分享"), "count", required=True),
        Column("followers_gained", ("关注量", "关注"), "count"),
        Column("forwards_chat_moments", ("转发聊天和朋友圈",), "count"),
        Column("ringtone_sets", ("设为铃声",), "count"),
        Column("status_sets", ("设为状态",), "count"),
        Column("moments_cover_sets", ("设为朋友圈封面",), "count"),
        Column("wecom_link_clicks", ("企微链接点击次数",), "count"),
        Column("wecom_link_click_users", ("企微链接点击人数",), "count"),
        Column("contact_adds", ("添加到通讯录次数",), "count"),
        Column("contact_add_users", ("添加到通讯录人数",), "count"),
    ),
)

REPORTS = (VIDEO_LIST,)
