"""直播 live-session exports, one file per account and week (the sessions started in the week),
dated the day after it:

- 抖音, first account: 抖音电商罗盘 直播列表 ``douyin/<acct>/直播列表_D.xlsx`` (直播间ID, times to
  the second, 直播时长 "2小时15分", 人均观看时长 "1分23秒", money with thousands commas, the
  罗盘's own 千次观看成交金额);
- 抖音, second account: 创作者中心 直播数据 ``douyin/<acct>/直播数据_D.csv`` (UTF-8 with BOM;
  直播时长(分钟) as a number, 累计观看人数 "1.2万" from 10 000 on, 用户支付金额 "¥1,234.50");
- 视频号: 视频号助手 直播数据 ``wechat_channels/<acct>/视频号直播数据_D.csv`` (no session id,
  直播时长 "01:23:45", 平均观看时长 "3分12秒").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from samples import formats
from samples.files import account_dir, export_time, finish, write_csv, write_xlsx
from samples.model import SampleDataset
from samples.timeutil import day_number

DOUYIN_COMPASS = (
    "直播标题",
    "直播间ID",
    "开播时间",
    "关播时间",
    "直播时长",
    "观看人次",
    "观看人数",
    "最高在线人数",
    "平均在线人数",
    "人均观看时长",
    "新增粉丝数",
    "商品点击人数",
    "成交订单数",
    "成交人数",
    "直播间成交金额",
    "千次观看成交金额",
    "千川消耗",
)
DOUYIN_CREATOR = (
    "直播ID",
    "开播时间",
    "下播时间",
    "直播时长(分钟)",
    "累计观看人数",
    "累计看播次数",
    "峰值在线人数",
    "平均在线",
    "人均看播时长",
    "涨粉人数",
    "商品点击次数",
    "支付订单数",
    "支付人数",
    "用户支付金额",
    "投放消耗",
)
CHANNELS = (
    "直播主题",
    "开始时间",
    "结束时间",
    "直播时长",
    "观看人数",
    "观看次数",
    "最高在线",
    "平均在线人数",
    "平均观看时长",
    "新增关注",
    "商品点击次数",
    "订单数",
    "成交人数",
    "成交金额",
    "加热消耗",
)


def _cents(values: pd.Series) -> np.ndarray:
    return np.round(values.to_numpy(dtype=float) * 100).astype(np.int64)


def _hours_minutes(seconds: np.ndarray) -> np.ndarray:
    """ "2小时15分" / "1小时" / "45分"."""
    out = []
    for s in np.asarray(seconds, dtype=np.int64):
        h, m = divmod(int(s) // 60, 60)
        out.append((f"{h}小时" if h else "") + (f"{m}分" if m or not h else ""))
    return np.asarray(out, dtype=object)


def _minutes_seconds(seconds: np.ndarray) -> np.ndarray:
    """ "1分23秒" / "45秒"."""
    out = []
    for s in np.asarray(seconds, dtype=np.int64):
        m, sec = divmod(int(s), 60)
        out.append((f"{m}分" if m else "") + f"{sec}秒")
    return np.asarray(out, dtype=object)


def _clock(seconds: np.ndarray) -> np.ndarray:
    s = np.asarray(seconds, dtype=np.int64)
    return np.asarray(
        [f"{x // 3600:02d}:{x % 3600 // 60:02d}:{x % 60:02d}" for x in s], dtype=object
    )


def _douyin_compass(rows: pd.DataFrame) -> tuple[tuple[str, ...], list[list[object]]]:
    gpm = np.round(rows["gmv"].to_numpy() / rows["viewers"].to_numpy() * 1000 * 100)
    table = {
        "直播标题": rows["title"].to_numpy(dtype=object),
        "直播间ID": rows["session_id"].to_numpy(dtype=object),
        "开播时间": formats.local_strftime(rows["started_at"], "%Y-%m-%d %H:%M:%S"),
        "关播时间": formats.local_strftime(rows["ended_at"], "%Y-%m-%d %H:%M:%S"),
        "直播时长": _hours_minutes(rows["duration_seconds"].to_numpy()),
        "观看人次": formats.thousands_commas(rows["views"].to_numpy()),
        "观看人数": formats.thousands_commas(rows["viewers"].to_numpy()),
        "最高在线人数": rows["peak_concurrent"].to_numpy(dtype=np.int64),
        "平均在线人数": rows["avg_concurrent"].to_numpy(dtype=float),
        "人均观看时长": _minutes_seconds(rows["avg_watch_seconds"].to_numpy()),
        "新增粉丝数": rows["new_followers"].to_numpy(dtype=np.int64),
        "商品点击人数": rows["product_clicks"].to_numpy(dtype=np.int64),
        "成交订单数": rows["orders"].to_numpy(dtype=np.int64),
        "成交人数": rows["buyers"].to_numpy(dtype=np.int64),
        "直播间成交金额": formats.thousands_commas(_cents(rows["gmv"]), 2),
        "千次观看成交金额": formats.decimal_text(gpm.astype(np.int64), 2),
        "千川消耗": formats.thousands_commas(_cents(rows["spend"]), 2),
    }
    data = [
        [v.item() if isinstance(v, np.generic) else v for v in row]
        for row in zip(*(table[h] for h in DOUYIN_COMPASS), strict=True)
    ]
    return DOUYIN_COMPASS, data


def _douyin_creator(rows: pd.DataFrame) -> pd.DataFrame:
    viewers_text, _ = formats.wan(rows["viewers"].to_numpy())
    table = {
        "直播ID": rows["session_id"].to_numpy(dtype=object),
        "开播时间": formats.local_strftime(rows["started_at"], "%Y/%m/%d %H:%M"),
        "下播时间": formats.local_strftime(rows["ended_at"], "%Y/%m/%d %H:%M"),
        "直播时长(分钟)": rows["duration_seconds"].to_numpy(dtype=np.int64) // 60,
        "累计观看人数": viewers_text,
        "累计看播次数": rows["views"].to_numpy(dtype=np.int64),
        "峰值在线人数": rows["peak_concurrent"].to_numpy(dtype=np.int64),
        "平均在线": rows["avg_concurrent"].to_numpy(dtype=float),
        "人均看播时长": rows["avg_watch_seconds"].to_numpy(dtype=np.int64),
        "涨粉人数": rows["new_followers"].to_numpy(dtype=np.int64),
        "商品点击次数": rows["product_clicks"].to_numpy(dtype=np.int64),
        "支付订单数": rows["orders"].to_numpy(dtype=np.int64),
        "支付人数": rows["buyers"].to_numpy(dtype=np.int64),
        "用户支付金额": np.char.add(
            "¥", formats.thousands_commas(_cents(rows["gmv"]), 2).astype(str)
        ).astype(object),
        "投放消耗": formats.decimal_text(_cents(rows["spend"]), 2),
    }
    return pd.DataFrame(table)[list(DOUYIN_CREATOR)]


def _channels(rows: pd.DataFrame) -> pd.DataFrame:
    table = {
        "直播主题": rows["title"].to_numpy(dtype=object),
        "开始时间": formats.local_strftime(rows["started_at"], "%Y-%m-%d %H:%M:%S"),
        "结束时间": formats.local_strftime(rows["ended_at"], "%Y-%m-%d %H:%M:%S"),
        "直播时长": _clock(rows["duration_seconds"].to_numpy()),
        "观看人数": rows["viewers"].to_numpy(dtype=np.int64),
        "观看次数": rows["views"].to_numpy(dtype=np.int64),
        "最高在线": rows["peak_concurrent"].to_numpy(dtype=np.int64),
        "平均在线人数": rows["avg_concurrent"].to_numpy(dtype=float),
        "平均观看时长": _minutes_seconds(rows["avg_watch_seconds"].to_numpy()),
        "新增关注": rows["new_followers"].to_numpy(dtype=np.int64),
        "商品点击次数": rows["product_clicks"].to_numpy(dtype=np.int64),
        "订单数": rows["orders"].to_numpy(dtype=np.int64),
        "成交人数": rows["buyers"].to_numpy(dtype=np.int64),
        "成交金额": formats.decimal_text(_cents(rows["gmv"]), 2),
        "加热消耗": formats.decimal_text(_cents(rows["spend"]), 2),
    }
    return pd.DataFrame(table)[list(CHANNELS)]


def file_name(platform: str, variant: int, day: dt.date) -> str:
    if platform == "wechat_channels":
        return f"视频号直播数据_{day.isoformat()}.csv"
    if variant == 0:
        return f"直播列表_{day.isoformat()}.xlsx"
    return f"直播数据_{day.isoformat()}.csv"


def write(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    sessions = ds.frames["live_sessions"]
    for platform in ("douyin", "wechat_channels"):
        for account in ds.accounts_of(platform):
            mine = sessions[sessions["account_id"] == account.account_id]
            for day in ds.snapshot_dates():
                rows = mine[
                    (mine["started_day"] >= day_number(day) - 7)
                    & (mine["started_day"] < day_number(day))
                ].sort_values("started_s")
                if rows.empty:
                    continue
                path = account_dir(out, platform, account.account_id) / file_name(
                    platform, account.variant, day
                )
                if platform == "wechat_channels":
                    write_csv(_channels(rows), path)
                elif account.variant == 0:
                    header, data = _douyin_compass(rows)
                    write_xlsx(path, header, data, created=export_time(day))
                else:
                    write_csv(_douyin_creator(rows), path)
                paths.append(finish(path, day))
    return paths
