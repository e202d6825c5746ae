"""小红书 创作服务平台 笔记列表明细表 (note_list): a POI xlsx with a banner row."""

from __future__ import annotations

from pathlib import Path

from samples.files import account_dir, export_time, finish
from samples.formats import local_strftime
from samples.model import SampleDataset
from samples.writers.common import snapshot_groups
from samples.xlsx_poi import write_poi_xlsx

BANNER = "最多导出排序后前1000条笔记"
HEADER = (
    "笔记标题",
    "首次发布时间",
    "体裁",
    "曝光",
    "观看量",
    "封面点击率",
    "点赞",
    "评论",
    "收藏",
    "涨粉",
    "分享",
    "人均观看时长",
    "弹幕",
)
METRIC_COLUMNS = (
    "impressions",
    "views",
    "cover_ctr",
    "likes",
    "comments",
    "collects",
    "followers_gained",
    "shares",
    "avg_watch_seconds",
    "danmaku",
)


def file_name(day) -> str:
    return f"笔记列表明细表_{day.isoformat()}.xlsx"


def write(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    for account, day, rows in snapshot_groups(ds, "xiaohongshu", "note_list"):
        published = local_strftime(rows["published_at"], "%Y年%m月%d日%H时%M分%S秒")
        metrics = rows[list(METRIC_COLUMNS)].astype(float).to_numpy().tolist()
        data = (
            [title, pub, kind, *values]
            for title, pub, kind, values in zip(
                rows["title"], published, rows["content_type"], metrics, strict=True
            )
        )
        path = account_dir(out, "xiaohongshu", account.account_id) / file_name(day)
        write_poi_xlsx(path, HEADER, data, created=export_time(day), banner=BANNER)
        paths.append(finish(path, day))
    return paths
