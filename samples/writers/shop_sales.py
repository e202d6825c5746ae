"""Per-content sales lists of the 视频号 and 小红书 shops, one file per account and week, dated
the day after it, every video or note of the last 35 days that sold, with its cumulative
figures up to the export date:

- 视频号小店 / 微信小店 短视频带货数据: ``wechat_channels/<acct>/视频号小店_短视频带货数据_D.xlsx``.
  The first account's list states 视频ID ("export/…"), 发布时间 to the second and 观看人数; the
  second account's 动态ID, 发布日期 (a date only), no viewers, and money with thousands commas.
- 小红书 千帆 笔记数据明细: ``xiaohongshu/<acct>/千帆_笔记数据明细_D.xlsx``. The first account's list
  carries the labels public code reads from 千帆's file (笔记标题, 笔记ID, 笔记链接, 笔记创建时间,
  笔记支付金额 …); the second account's (a 蒲公英-style list) names 笔记名称, 笔记链接 without an id
  column, 发布时间, 阅读量 and 成交 figures, so the id comes from the link.

Both forms are **header unconfirmed** (docs/export-reference.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from samples import formats
from samples.files import account_dir, export_time, finish, write_xlsx
from samples.model import SampleDataset
from samples.timeutil import to_date

CHANNELS_HEADER_A = (
    "视频ID",
    "视频描述",
    "发布时间",
    "播放量",
    "观看人数",
    "商品点击人数",
    "成交订单数",
    "成交人数",
    "成交金额(元)",
)
CHANNELS_HEADER_B = (
    "动态ID",
    "短视频标题",
    "发布日期",
    "播放次数",
    "商品点击次数",
    "支付订单数",
    "支付人数",
    "支付金额",
)
QIANFAN_HEADER = (
    "笔记标题",
    "笔记ID",
    "笔记链接",
    "作者昵称",
    "笔记创建时间",
    "笔记类型",
    "笔记支付金额",
    "笔记支付订单数",
    "笔记商品点击次数",
    "笔记商品点击人数",
    "笔记支付人数",
    "笔记阅读数",
)
PUGONGYING_HEADER = (
    "笔记名称",
    "笔记链接",
    "发布时间",
    "阅读量",
    "成交订单数",
    "成交人数",
    "成交金额",
)

NOTE_URL = "https://www.xiaohongshu.com/explore/"


def channels_file_name(day) -> str:
    return f"视频号小店_短视频带货数据_{day.isoformat()}.xlsx"


def qianfan_file_name(day) -> str:
    return f"千帆_笔记数据明细_{day.isoformat()}.xlsx"


def _plain(rows):
    return ([v.item() if isinstance(v, np.generic) else v for v in row] for row in rows)


def _titles(rows) -> np.ndarray:
    """Titles as written: an untitled note is an empty cell."""
    return np.array([t or None for t in rows["title"]], dtype=object)


def write(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    sales = ds.frames["video_sales"]
    for platform in ("wechat_channels", "xiaohongshu"):
        for account in ds.accounts_of(platform):
            mine = sales[
                (sales["platform"] == platform) & (sales["account_id"] == account.account_id)
            ]
            for day_no, rows in mine.groupby("snapshot_day", sort=True):
                day = to_date(int(day_no))
                rows = rows.sort_values("gmv", ascending=False, kind="stable")
                cents = np.round(rows["gmv"].to_numpy() * 100).astype(np.int64)
                folder = account_dir(out, platform, account.account_id)
                if platform == "wechat_channels":
                    header, cols = _channels(rows, cents, account.variant)
                    path = folder / channels_file_name(day)
                else:
                    header, cols = _qianfan(rows, cents, account.variant, account.account_name)
                    path = folder / qianfan_file_name(day)
                write_xlsx(path, header, _plain(zip(*cols, strict=True)), created=export_time(day))
                paths.append(finish(path, day))
    return paths


def _channels(rows, cents: np.ndarray, variant: int):
    ids = rows["linked_id"].to_numpy(dtype=object)
    counts = [rows[c].to_numpy(dtype=np.int64) for c in ("product_clicks", "orders", "buyers")]
    if variant == 0:
        published = formats.local_strftime(rows["published_at"], "%Y-%m-%d %H:%M:%S")
        viewers = rows["viewers"].to_numpy(dtype=np.int64)
        cols = [ids, _titles(rows), published, rows["views"].to_numpy(dtype=np.int64), viewers]
        return CHANNELS_HEADER_A, [*cols, *counts, cents / 100]
    published = formats.local_strftime(rows["published_at"], "%Y/%m/%d")
    cols = [ids, _titles(rows), published, rows["views"].to_numpy(dtype=np.int64)]
    return CHANNELS_HEADER_B, [*cols, *counts, formats.thousands_commas(cents, 2)]


def _qianfan(rows, cents: np.ndarray, variant: int, author: str):
    ids = rows["linked_id"].to_numpy(dtype=object)
    links = np.array([NOTE_URL + i for i in ids], dtype=object)
    published = formats.local_strftime(rows["published_at"], "%Y-%m-%d %H:%M:%S")
    views = rows["views"].to_numpy(dtype=np.int64)
    orders = rows["orders"].to_numpy(dtype=np.int64)
    buyers = rows["buyers"].to_numpy(dtype=np.int64)
    clicks = rows["product_clicks"].to_numpy(dtype=np.int64)
    if variant == 0:
        cols = [
            _titles(rows),
            ids,
            links,
            np.full(len(rows), author, dtype=object),
            published,
            rows["content_type"].to_numpy(dtype=object),
            cents / 100,
            orders,
            clicks + clicks // 3,  # 次数 ≥ 人数
            clicks,
            buyers,
            views,
        ]
        return QIANFAN_HEADER, cols
    cols = [
        _titles(rows),
        links,
        published,
        views,
        orders,
        buyers,
        formats.thousands_commas(cents, 2),
    ]
    return PUGONGYING_HEADER, cols
