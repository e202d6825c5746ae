"""巨量千川 全域推广 → 商品 daily export (product_daily): ``店铺名_商品_YYYY-MM-DD.xlsx``.

Money with thousands separators and 2 decimals, 点击率/转化率 as "3.21%", all as text cells,
"-" for 整体成交订单成本 without orders; a product can take several rows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from samples import formats
from samples.files import account_dir, export_time, finish, write_xlsx
from samples.model import SampleDataset
from samples.timeutil import to_date

HEADER = (
    "商品ID",
    "商品名称",
    "整体展示次数",
    "整体点击次数",
    "整体点击率",
    "整体转化率",
    "整体消耗",
    "整体成交金额",
    "整体成交订单数",
    "整体支付ROI",
    "整体成交订单成本",
    "用户实际支付金额",
    "智能优惠券金额",
    "电商平台补贴金额",
)


def file_name(shop: str, day) -> str:
    return f"{shop}_商品_{day.isoformat()}.xlsx"


def _money(values) -> np.ndarray:
    return formats.thousands_commas(np.round(np.nan_to_num(values) * 100).astype(np.int64), 2)


def write(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    frame = ds.frames["product_days"]
    for account in ds.accounts_of("qianchuan"):
        mine = frame[frame["account_id"] == account.account_id]
        for day_no, rows in mine.groupby("day", sort=True):
            day = to_date(int(day_no))
            cost = rows["order_cost"].to_numpy(dtype=float)
            cols = [
                rows["product_id"].to_numpy(dtype=object),
                rows["product_name"].to_numpy(dtype=object),
                formats.thousands_commas(rows["impressions"].to_numpy()),
                formats.thousands_commas(rows["clicks"].to_numpy()),
                formats.percent(np.round(rows["ctr"].to_numpy() * 10_000).astype(np.int64)),
                formats.percent(np.round(rows["cvr"].to_numpy() * 10_000).astype(np.int64)),
                _money(rows["spend"].to_numpy()),
                _money(rows["gmv"].to_numpy()),
                formats.thousands_commas(rows["orders"].to_numpy()),
                formats.decimal_text(np.round(rows["roi"].to_numpy() * 100).astype(np.int64), 2),
                formats.with_missing(_money(cost), np.isnan(cost)),
                _money(rows["user_paid"].to_numpy()),
                _money(rows["coupon"].to_numpy()),
                _money(rows["subsidy"].to_numpy()),
            ]
            data = (list(r) for r in zip(*cols, strict=True))
            path = account_dir(out, "qianchuan", account.account_id) / file_name(
                account.account_name, day
            )
            write_xlsx(path, HEADER, data, created=export_time(day))
            paths.append(finish(path, day))
    return paths
