"""快手 创作者服务平台 作品数据 (video_list; header unconfirmed): xlsx or csv.

播放量 at or above 10 000 is written abbreviated: "3.1万" in the xlsx form, "1.2w" in the csv.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from samples import formats
from samples.files import account_dir, export_time, finish, write_csv, write_xlsx
from samples.model import SampleDataset
from samples.writers.common import missing, snapshot_groups, units

HEADER = (
    "作品ID",
    "作品描述",
    "发布时间",
    "作品类型",
    "播放量",
    "点赞量",
    "评论量",
    "分享量",
    "涨粉量",
    "完播率",
    "平均观看时长",
)


def file_name(day, variant: int) -> str:
    return (
        f"快手作品数据_{day.isoformat()}.xlsx"
        if variant == 0
        else f"快手作品数据_{day.strftime('%Y%m%d')}.csv"
    )


def write(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    for account, day, rows in snapshot_groups(ds, "kuaishou", "video_list"):
        views = rows["views"].to_numpy(dtype=np.int64)
        text, _ = formats.wan(views, unit="万" if account.variant == 0 else "w")
        plain = views < 10_000
        table = {
            "作品ID": rows["content_id"].to_numpy(dtype=object),
            "作品描述": rows["title"].to_numpy(dtype=object),
            "发布时间": formats.local_strftime(rows["published_at"], "%Y-%m-%d %H:%M:%S"),
            "作品类型": rows["content_type"].to_numpy(dtype=object),
            "播放量": np.where(plain, views.astype(object), text),
            "点赞量": rows["likes"].to_numpy(dtype=np.int64),
            "评论量": rows["comments"].to_numpy(dtype=np.int64),
            "分享量": rows["shares"].to_numpy(dtype=np.int64),
            "涨粉量": rows["followers_gained"].to_numpy(dtype=np.int64),
            "完播率": formats.with_missing(
                formats.percent(units(rows["completion_rate"], 3), 1),
                missing(rows["completion_rate"]),
            ),
        }
        avg, avg_missing = rows["avg_watch_seconds"], missing(rows["avg_watch_seconds"])
        path = account_dir(out, "kuaishou", account.account_id) / file_name(day, account.variant)
        if account.variant == 0:
            table["平均观看时长"] = np.where(
                avg_missing, "-", avg.to_numpy(dtype=float).astype(object)
            )
            data = (
                [v.item() if isinstance(v, np.generic) else v for v in row]
                for row in zip(*(table[h] for h in HEADER), strict=True)
            )
            write_xlsx(path, HEADER, data, created=export_time(day))
        else:
            table["平均观看时长"] = formats.with_missing(
                formats.seconds_suffix(units(avg, 1), 1), avg_missing
            )
            write_csv(pd.DataFrame(table)[list(HEADER)], path, encoding="utf-8-sig")
        paths.append(finish(path, day))
    return paths
