"""B站 (Bilibili): 创作中心 → 近期稿件对比 → 自选指标 → 导出 (近期稿件对比.csv).

The real file has 30 columns, no banner row, and no video id (staging keys a video by account,
title and publish time). 发布时间 is China time written 「2026年06月03日 16:41:25」; rates are
percent strings ("55.9%"); 封标点击率, 粉丝点击率 and 游客点击率 are star ratings ("3.5星"), kept
as `*_ctr_stars` and never mixed with the rates. Titles may end with a full-width comma.
"""

from __future__ import annotations

from ingest.base import Column, ReportSpec

PLATFORM = "bilibili"

VIDEO_COMPARE = ReportSpec(
    platform=PLATFORM,
    report="video_compare",
    title="B站 近期稿件对比",
    columns=(
        Column("title", ("视频标题", "稿件标题", "标题"), "text", required=True),
        Column("published_at", ("发布时间",), "timestamp", required=True, not_null=True),
        Column("views", ("播放量", "播放"), "count", required=True, capped=True),
        Column("guest_view_share", ("游客播放占比",), "rate"),
        Column("fan_view_rate", ("粉丝观看率",), "rate"),
        Column("cover_ctr_stars", ("封标点击率",), "stars"),
        Column("fan_ctr_stars", ("粉丝点击率",), "stars"),
        Column("guest_ctr_stars", ("游客点击率",), "stars"),
        Column("bounce_rate_3s", ("3秒跳出率",), "rate"),
        Column("fan_bounce_rate_3s", ("粉丝3秒跳出率",), "rate"),
        Column("guest_bounce_rate_3s", ("游客3秒跳出率",), "rate"),
        Column("interaction_rate", ("互动率",), "rate"),
        Column("fan_interaction_rate", ("粉丝互动率",), "rate"),
        Column("guest_interaction_rate", ("游客互动率",), "rate"),
        Column("followers_gained", ("涨粉量", "涨粉"), "count"),
        Column("view_to_follower_rate", ("播转粉率",), "rate"),
        Column("unfollows", ("取关量", "取关"), "count"),
        Column("likes", ("点赞量", "点赞"), "count", required=True),
        Column("like_rate", ("点赞率",), "rate"),
        Column("comments", ("评论量", "评论"), "count", required=True),
        Column("comment_rate", ("评论率",), "rate"),
        Column("danmaku", ("弹幕量", "弹幕"), "count"),
        Column("danmaku_rate", ("弹幕率",), "rate"),
        Column("collects", ("收藏量", "收藏"), "count"),
        Column("collect_rate", ("收藏率",), "rate"),
        Column("coins", ("投币量", "投币"), "count"),
        Column("coin_rate", ("投币率",), "rate"),
        Column("shares", ("转发量", "分享量", "转发"), "count", required=True),
        Column("share_rate", ("转发率", "分享率"), "rate"),
        Column("avg_play_progress", ("平均播放进度",), "rate"),
    ),
)

REPORTS = (VIDEO_COMPARE,)
