"""抖音 创作者中心 投稿列表 export (video_list): xlsx, header on row 1, two header variants."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from samples import formats
from samples.files import account_dir, export_time, finish, write_xlsx
from samples.model import SampleDataset
from samples.writers.common import ints, missing, snapshot_groups, units

HEADER_A = (
    "作品名称",
    "发布时间",
    "体裁",
    "发布状态",
    "播放量",
    "完播率",
    "5s完播率",
    "作品时长",
    "2s跳出率",
    "平均播放时长",
    "点赞量",
    "评论量",
    "分享量",
    "收藏量",
    "主页访问量",
    "粉丝增量",
)
HEADER_B = (
    "作品名称",
    "发布时间",
    "体裁",
    "审核状态",
    "播放量",
    "完播率",
    "5s完播率",
    "封面点击率",
    "2s跳出率",
    "平均播放时长",
    "点赞量",
    "分享量",
    "评论量",
    "收藏量",
    "主页访问量",
    "粉丝增量",
)


def file_name(day) -> str:
    return f"抖音作品列表_{day.strftime('%Y%m%d')}.xlsx"


def _pct(rows, col: str) -> np.ndarray:
    return formats.with_missing(formats.percent(units(rows[col], 4)), missing(rows[col]))


def write(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    for account, day, rows in snapshot_groups(ds, "douyin", "video_list"):
        variant_a = account.variant == 0
        n = len(rows)
        cols: dict[str, np.ndarray] = {
            "作品名称": rows["title"].to_numpy(dtype=object),
            "体裁": rows["content_type"].to_numpy(dtype=object),
            "播放量": ints(rows["views"]),
            "完播率": _pct(rows, "completion_rate"),
            "5s完播率": _pct(rows, "completion_rate_5s"),
            "2s跳出率": _pct(rows, "bounce_rate_2s"),
            "点赞量": ints(rows["likes"]),
            "评论量": ints(rows["comments"]),
            "分享量": ints(rows["shares"]),
            "收藏量": ints(rows["collects"]),
            "主页访问量": ints(rows["profile_visits"]),
            "粉丝增量": ints(rows["followers_gained"]),
        }
        avg_missing = missing(rows["avg_watch_seconds"])
        if variant_a:
            header = HEADER_A
            cols["发布时间"] = formats.local_strftime(rows["published_at"], "%Y-%m-%d %H:%M")
            cols["发布状态"] = np.full(n, "已发布", dtype=object)
            dur = rows["duration_seconds"]
            cols["作品时长"] = formats.with_missing(
                formats.mm_ss(dur.fillna(0).to_numpy()), missing(dur)
            )
            cols["平均播放时长"] = formats.with_missing(
                formats.seconds_suffix(units(rows["avg_watch_seconds"], 1), 1), avg_missing
            )
        else:
            header = HEADER_B
            cols["发布时间"] = formats.local_strftime(rows["published_at"], "%Y/%m/%d %H:%M:%S")
            cols["审核状态"] = np.full(n, "审核通过", dtype=object)
            cols["封面点击率"] = _pct(rows, "cover_ctr")
            avg = rows["avg_watch_seconds"].to_numpy(dtype=float)
            cols["平均播放时长"] = np.where(avg_missing, "-", avg.astype(object))
        table = [cols[h] for h in header]
        data = (
            [v.item() if isinstance(v, np.generic) else v for v in row]
            for row in zip(*table, strict=True)
        )
        path = account_dir(out, "douyin", account.account_id) / file_name(day)
        write_xlsx(path, header, data, created=export_time(day))
        paths.append(finish(path, day))
    return paths
