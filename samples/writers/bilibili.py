"""B站 创作中心 近期稿件对比 (video_compare): csv, the 30 columns of the real file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from samples import formats
from samples.files import account_dir, finish, write_csv
from samples.model import SampleDataset
from samples.writers.common import snapshot_groups, units

COLUMNS = (
    ("视频标题", None),
    ("发布时间", None),
    ("播放量", "views"),
    ("游客播放占比", "guest_view_share"),
    ("粉丝观看率", "fan_view_rate"),
    ("封标点击率", "cover_ctr_stars"),
    ("粉丝点击率", "fan_ctr_stars"),
    ("游客点击率", "guest_ctr_stars"),
    ("3秒跳出率", "bounce_rate_3s"),
    ("粉丝3秒跳出率", "fan_bounce_rate_3s"),
    ("游客3秒跳出率", "guest_bounce_rate_3s"),
    ("互动率", "interaction_rate"),
    ("粉丝互动率", "fan_interaction_rate"),
    ("游客互动率", "guest_interaction_rate"),
    ("涨粉量", "followers_gained"),
    ("播转粉率", "view_to_follower_rate"),
    ("取关量", "unfollows"),
    ("点赞量", "likes"),
    ("点赞率", "like_rate"),
    ("评论量", "comments"),
    ("评论率", "comment_rate"),
    ("弹幕量", "danmaku"),
    ("弹幕率", "danmaku_rate"),
    ("收藏量", "collects"),
    ("收藏率", "collect_rate"),
    ("投币量", "coins"),
    ("投币率", "coin_rate"),
    ("转发量", "shares"),
    ("转发率", "share_rate"),
    ("平均播放进度", "avg_play_progress"),
)
HEADER = tuple(c for c, _ in COLUMNS)


def file_name(day) -> str:
    return f"近期稿件对比_{day.isoformat()}.csv"


def write(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    for account, day, rows in snapshot_groups(ds, "bilibili", "video_compare"):
        table: dict[str, np.ndarray] = {
            "视频标题": rows["title"].to_numpy(dtype=object),
            "发布时间": formats.local_strftime(rows["published_at"], "%Y年%m月%d日 %H:%M:%S"),
        }
        for label, name in COLUMNS[2:]:
            if name.endswith("_stars"):
                table[label] = formats.stars(units(rows[name], 1))
            elif "rate" in name or name.endswith(("_share", "_progress")):
                table[label] = formats.percent(units(rows[name], 3), 1)
            else:
                table[label] = rows[name].to_numpy(dtype=np.int64)
        path = account_dir(out, "bilibili", account.account_id) / file_name(day)
        write_csv(pd.DataFrame(table)[list(HEADER)], path, encoding="utf-8")
        paths.append(finish(path, day))
    return paths
