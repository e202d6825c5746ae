"""抖音 (Douyin): the creator-centre export 作品分析 → 投稿列表 → 导出 (抖音作品列表.xlsx).

Two header variants are known (发布状态 / 审核状态, 作品时长 / 封面点击率, the order of 分享量 and
评论量), so columns are matched by name. Rates are percent strings; 平均播放时长 may carry 秒.
完播率, 5s完播率 and 2s跳出率 are different metrics. The export has no video id: staging keys a
video by account, title and publish time.
"""

from __future__ import annotations

from ingest.base import Column, ReportSpec

PLATFORM = "douyin"

VIDEO_LIST = ReportSpec(
    platform=PLATFORM,
    report="video_list",
    title="抖音 作品列表",
    signature=("作品名称",),
    columns=(
        Column("title", ("作品名称", "作品标题", "视频标题"), "text", required=True),
        Column("published_at", ("发布时间", "发布日期"), "timestamp", required=True, not_null=True),
        Column("content_type", ("体裁", "作品类型")),
        Column("publish_status", ("发布状态", "审核状态")),
        Column("views", ("播放量", "播放数"), "count", required=True, capped=True),
        Column("completion_rate", ("完播率",), "rate"),
        Column("completion_rate_5s", ("5s完播率", "5秒完播率"), "rate"),
        Column("duration_seconds", ("作品时长", "视频时长"), "duration"),
        Column("cover_ctr", ("封面点击率",), "rate"),
        Column("bounce_rate_2s", ("2s跳出率", "2秒跳出率"), "rate"),
        Column("avg_watch_seconds", ("平均播放时长", "平均观看时长"), "duration"),
        Column("likes", ("点赞量", "点赞数", "点赞"), "count", required=True),
        Column("comments", ("评论量", "评论数", "评论"), "count", required=True),
        Column("shares", ("分享量", "分享数", "分享"), "count", required=True),
        Column("collects", ("收藏量", "收藏数", "收藏"), "count"),
        Column("profile_visits", ("主页访问量", "主页访问"), "count"),
        Column("followers_gained", ("粉丝增量", "涨粉量", "新增粉丝"), "count"),
    ),
)

REPORTS = (VIDEO_LIST,)
