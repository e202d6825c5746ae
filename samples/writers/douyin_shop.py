"""抖店 订单导出 (orders): csv per shop and week (orders submitted in the week).

The flagship shop writes UTF-8 with BOM and has 流量体裁/流量渠道/作品ID; the other writes GBK
without them. Order ids are 19-digit strings; amounts carry thousands separators.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from samples import formats
from samples.files import account_dir, finish, write_csv
from samples.model import SampleDataset
from samples.timeutil import day_number

HEADER = (
    "主订单编号",
    "子订单编号",
    "选购商品",
    "商品ID",
    "商品数量",
    "商品金额",
    "订单提交时间",
    "支付完成时间",
    "订单状态",
    "订单应付金额",
    "运费",
    "优惠总金额",
    "支付方式",
    "收件人",
    "收件人手机号",
    "省",
    "店铺名称",
)
CHANNEL_COLUMNS = ("流量体裁", "流量渠道", "作品ID")


def file_name(day: dt.date) -> str:
    return f"订单导出_{day.isoformat()}.csv"


def _cents(values: pd.Series) -> np.ndarray:
    return np.round(values.to_numpy(dtype=float) * 100).astype(np.int64)


def write(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    orders = ds.frames["orders"]
    for account in ds.accounts_of("douyin_shop"):
        mine = orders[orders["account_id"] == account.account_id]
        for day in ds.snapshot_dates():
            rows = mine[
                (mine["submitted_day"] >= day_number(day) - 7)
                & (mine["submitted_day"] < day_number(day))
            ]
            paid = rows["paid_s"].to_numpy() >= 0
            paid_text = pd.Series(
                pd.to_datetime(np.where(paid, rows["paid_s"], 0), unit="s", utc=True)
            )
            table = {
                "主订单编号": rows["order_id"].to_numpy(dtype=object),
                "子订单编号": rows["sub_order_id"].to_numpy(dtype=object),
                "选购商品": rows["product_name"].to_numpy(dtype=object),
                "商品ID": rows["product_id"].to_numpy(dtype=object),
                "商品数量": rows["quantity"].to_numpy(dtype=np.int64),
                "商品金额": formats.thousands_commas(_cents(rows["unit_price"]), 2),
                "订单提交时间": formats.local_strftime(rows["submitted_at"], "%Y-%m-%d %H:%M:%S"),
                "支付完成时间": np.where(
                    paid, formats.local_strftime(paid_text, "%Y-%m-%d %H:%M:%S"), ""
                ),
                "订单状态": rows["status"].to_numpy(dtype=object),
                "订单应付金额": formats.thousands_commas(_cents(rows["amount"]), 2),
                "运费": np.full(len(rows), "0.00", dtype=object),
                "优惠总金额": formats.thousands_commas(_cents(rows["discount"]), 2),
                "支付方式": np.where(paid, "抖音支付", ""),
                "收件人": np.full(len(rows), "张**", dtype=object),
                "收件人手机号": rows["buyer_phone"].to_numpy(dtype=object),
                "省": np.full(len(rows), "上海", dtype=object),
                "店铺名称": rows["account_name"].to_numpy(dtype=object),
            }
            header = list(HEADER)
            if account.variant == 0:
                channel = rows["channel"].to_numpy(dtype=object)
                table["流量体裁"] = channel
                table["流量渠道"] = (
                    pd.Series(channel)
                    .map({"短视频": "自然流量", "直播": "直播间", "商品卡": "搜索"})
                    .to_numpy(dtype=object)
                )
                table["作品ID"] = np.where(
                    pd.isna(rows["content_id"]), "", rows["content_id"].to_numpy(dtype=object)
                )
                header += list(CHANNEL_COLUMNS)
            path = account_dir(out, "douyin_shop", account.account_id) / file_name(day)
            encoding = "utf-8-sig" if account.variant == 0 else "gbk"
            write_csv(pd.DataFrame(table)[header], path, encoding=encoding, lineterminator="\r\n")
            paths.append(finish(path, day))
    return paths
