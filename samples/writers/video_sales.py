"""抖音电商罗盘 per-video sales list (作者视角 → 短视频), one file per 抖音 account and week,
dated the day after it: ``douyin/<acct>/罗盘_短视频_D.xlsx``, every video of the last 35 days
that sold, with its cumulative figures up to the export date.

The first account's list states 发布时间 to the minute (as the creator export does), the second
account's 发布日期 as a date only, so the link to the content falls back to title and day. Money
carries thousands commas; 千次观看成交金额 is the 罗盘's own figure (2 decimals).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from samples import formats
from samples.files import account_dir, export_time, finish, write_xlsx
from samples.model import SampleDataset
from samples.timeutil import to_date

HEADER_A = (
    "视频ID",
    "视频标题",
    "发布时间",
    "播放量",
    "观看人数",
    "商品点击人数",
    "成交订单数",
    "成交人数",
    "成交金额",
    "千次观看成交金额",
)
HEADER_B = (
    "作品ID",
    "作品名称",
    "发布日期",
    "视频播放量",
    "播放人数",
    "商品点击次数",
    "支付订单数",
    "支付人数",
    "视频成交金额",
)


def file_name(day) -> str:
    return f"罗盘_短视频_{day.isoformat()}.xlsx"


def write(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    sales = ds.frames["video_sales"]
    sales = sales[sales["platform"] == "douyin"]
    for account in ds.accounts_of("douyin"):
        mine = sales[sales["account_id"] == account.account_id]
        for day_no, rows in mine.groupby("snapshot_day", sort=True):
            day = to_date(int(day_no))
            rows = rows.sort_values("gmv", ascending=False, kind="stable")
            cents = np.round(rows["gmv"].to_numpy() * 100).astype(np.int64)
            gpm = np.round(rows["gmv"].to_numpy() / np.maximum(rows["views"].to_numpy(), 1) * 1e5)
            if account.variant == 0:
                header = HEADER_A
                published = formats.local_strftime(rows["published_at"], "%Y-%m-%d %H:%M")
            else:
                header = HEADER_B
                published = formats.local_strftime(rows["published_at"], "%Y/%m/%d")
            cols = [
                rows["linked_id"].to_numpy(dtype=object),
                rows["title"].to_numpy(dtype=object),
                published,
                rows["views"].to_numpy(dtype=np.int64),
                rows["viewers"].to_numpy(dtype=np.int64),
                rows["product_clicks"].to_numpy(dtype=np.int64),
                rows["orders"].to_numpy(dtype=np.int64),
                rows["buyers"].to_numpy(dtype=np.int64),
                formats.thousands_commas(cents, 2),
            ]
            if account.variant == 0:
                cols.append(formats.decimal_text(gpm.astype(np.int64), 2))
            data = (
                [v.item() if isinstance(v, np.generic) else v for v in row]
                for row in zip(*cols, strict=True)
            )
            path = account_dir(out, "douyin", account.account_id) / file_name(day)
            write_xlsx(path, header, data, created=export_time(day))
            paths.append(finish(path, day))
    return paths
