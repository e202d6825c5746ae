"""视频号助手 数据中心 → 单篇视频 → 下载表格 (video_list): csv utf-8-sig, 15 or 19 columns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from samples import formats
from samples.files import account_dir, finish, write_csv
from samples.model import SampleDataset
from samples.writers.common import missing, snapshot_groups, units

COUNT_COLUMNS = (
    ("播放量", "views"),
    ("推荐", "recommends"),
    ("喜欢", "likes"),
    ("评论量", "comments"),
    ("分享量", "shares"),
    ("关注量", "followers_gained"),
    ("转发聊天和朋友圈", "forwards_chat_moments"),
    ("设为铃声", "ringtone_sets"),
    ("设为状态", "status_sets"),
    ("设为朋友圈封面", "moments_cover_sets"),
)
EXTRA_COLUMNS = (
    ("企微链接点击次数", "wecom_link_clicks"),
    ("企微链接点击人数", "wecom_link_click_users"),
    ("添加到通讯录次数", "contact_adds"),
    ("添加到通讯录人数", "contact_add_users"),
)
HEADER_15 = (
    "视频描述",
    "视频ID",
    "发布时间",
    "完播率",
    "平均播放时长",
    *(c for c, _ in COUNT_COLUMNS),
)
HEADER_19 = (*HEADER_15, *(c for c, _ in EXTRA_COLUMNS))


def file_name(day) -> str:
    return f"微信视频号动态数据明细_{day.isoformat()}.csv"


def write(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    for account, day, rows in snapshot_groups(ds, "wechat_channels", "video_list"):
        table = {
            "视频描述": rows["title"].to_numpy(dtype=object),
            "视频ID": rows["content_id"].to_numpy(dtype=object),
            "发布时间": formats.local_strftime(rows["published_at"], "%Y/%m/%d"),
            "完播率": formats.with_missing(
                formats.percent(units(rows["completion_rate"], 4)), missing(rows["completion_rate"])
            ),
            "平均播放时长": formats.with_missing(
                formats.seconds_suffix(units(rows["avg_watch_seconds"], 2)),
                missing(rows["avg_watch_seconds"]),
            ),
        }
        columns = COUNT_COLUMNS + (EXTRA_COLUMNS if account.variant == 1 else ())
        for label, name in columns:
            table[label] = rows[name].to_numpy(dtype=np.int64)
        frame = pd.DataFrame(table)[list(HEADER_19 if account.variant == 1 else HEADER_15)]
        path = account_dir(out, "wechat_channels", account.account_id) / file_name(day)
        write_csv(frame, path, encoding="utf-8-sig")
        paths.append(finish(path, day))
    return paths
