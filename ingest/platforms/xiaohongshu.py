"""小红书 (Xiaohongshu): the creator-centre note export 笔记列表明细表.xlsx.

The real file has a banner row merged across A1:M1 (「最多导出排序后前1000条笔记」) and the
13-column header on row 2; numbers are numeric cells with ".0"; 首次发布时间 is China time written
as 「2026年03月24日17时33分05秒」; 封面点击率 is a 0-1 fraction; 人均观看时长 is in seconds. The
export has no note id: staging keys a note by account, title and first publish time.
"""

from __future__ import annotations

from ingest.base import Column, ReportSpec

PLATFORM = "xiaohongshu"

NOTE_LIST = ReportSpec(
    platform=PLATFORM,
    report="note_list",
    title="小红书 笔记列表明细表",
    signature=("笔记标题",),
    columns=(
        Column("title", ("笔记标题", "标题", "笔记名称"), "text", required=True),
        Column(
            "published_at", ("首次发布时间", "发布时间"), "timestamp", required=True, not_null=True
        ),
        Column("content_type", ("体裁", "笔记类型", "类型")),
        Column("impressions", ("曝光", "曝光量", "曝光数"), "count"),
        Column(
            "views", ("观看量", "观看", "阅读量", "观看数"), "count", required=True, capped=True
        ),
        Column("cover_ctr", ("封面点击率",), "rate"),
        Column("likes", ("点赞", "点赞量", "点赞数"), "count", required=True),
        Column("comments", ("评论", "评论量", "评论数"), "count", required=True),
        Column("collects", ("收藏", "收藏量", "收藏数"), "count"),
        Column("followers_gained", ("涨粉", "涨粉数", "新增关注"), "count"),
        Column("shares", ("分享", "分享量", "分享数"), "count", required=True),
        Column("avg_watch_seconds", ("人均观看时长", "平均观看时长"), "duration"),
        Column("danmaku", ("弹幕", "弹幕数"), "count"),
    ),
)

REPORTS = (NOTE_LIST,)
