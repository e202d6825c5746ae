"""快手 (Kuaishou): 创作者服务平台 作品数据 export (xlsx or csv).

The full export header is unconfirmed, so the reader accepts every documented label as an alias:
the creator centre's metric names (播放/观看, 点赞, 评论, 分享, 涨粉/新增粉丝, 平均观看时长,
完播率), the columns a daily-ops script reads (播放量, 点赞量, 涨粉量) and the open platform's
field names (photo_id, caption, view_count, like_count, comment_count, create_time). Counts may be
display strings ("1.2w", "3.1万"); 完播率 is a percent string; 平均观看时长 is seconds or "29.5秒".
作品ID, where present, is the key (the photo id other files use); 作品ID is optional because
the header is unconfirmed.
"""

from __future__ import annotations

from ingest.base import Column, ReportSpec

PLATFORM = "kuaishou"

VIDEO_LIST = ReportSpec(
    platform=PLATFORM,
    report="video_list",
    title="快手 作品数据",
    columns=(
        Column("content_id", ("作品ID", "作品id", "photo_id"), "id"),
        Column(
            "title",
            ("作品描述", "作品标题", "标题", "描述", "caption"),
            "text",
            required=True,
        ),
        Column(
            "published_at",
            ("发布时间", "发布日期", "创建时间", "create_time"),
            "timestamp",
            required=True,
            not_null=True,
        ),
        Column("content_type", ("作品类型", "类型")),
        Column(
            "views",
            ("播放量", "播放数", "播放", "观看", "view_count"),
            "count",
            required=True,
            capped=True,
        ),
        Column("likes", ("点赞量", "点赞数", "点赞", "like_count"), "count", required=True),
        Column("comments", ("评论量", "评论数", "评论", "comment_count"), "count", required=True),
        Column("shares", ("分享量", "分享数", "分享"), "count"),
        Column("followers_gained", ("涨粉量", "涨粉数", "涨粉", "新增粉丝"), "count"),
        Column("completion_rate", ("完播率",), "rate"),
        Column("avg_watch_seconds", ("平均观看时长",), "duration"),
    ),
)

REPORTS = (VIDEO_LIST,)
