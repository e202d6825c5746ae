"""粉丝数据 (fans_daily; header unconfirmed) for 视频号, 抖音, 小红书, B站, 快手: xlsx or csv.

One file per account and week (the 7 days of the week). Accounts that give only the total
write 日期 + 粉丝总数, and their first file starts the day before the period.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from samples.files import account_dir, export_time, finish, write_csv, write_xlsx
from samples.growth_gen import total_only
from samples.model import SampleDataset

HEADER_FULL = ("日期", "粉丝总数", "新增粉丝", "取关粉丝", "净增粉丝")
HEADER_TOTAL = ("日期", "粉丝总数")
PLATFORMS = ("wechat_channels", "douyin", "xiaohongshu", "bilibili", "kuaishou")


def file_name(day: dt.date, variant: int) -> str:
    return f"粉丝数据_{day.isoformat()}.{'xlsx' if variant == 0 else 'csv'}"


def write(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    days = ds.frames["follower_days"]
    dates = ds.snapshot_dates()
    for platform in PLATFORMS:
        for account in ds.accounts_of(platform):
            mine = days[days["account_id"] == account.account_id]
            only_total = total_only(account)
            for i, day in enumerate(dates):
                if i < account.start_week:  # a piloted account: from its start
                    continue
                opening = i == account.start_week
                first = day - dt.timedelta(days=8 if (only_total and opening) else 7)
                week = mine[(mine["date"] >= first) & (mine["date"] < day)]
                table = pd.DataFrame(
                    {
                        "日期": [d.isoformat() for d in week["date"]],
                        "粉丝总数": week["followers_total"].astype(int).to_numpy(),
                    }
                )
                if not only_total:
                    new = week["new_followers"].astype(int).to_numpy()
                    lost = week["lost_followers"].astype(int).to_numpy()
                    table["新增粉丝"], table["取关粉丝"], table["净增粉丝"] = new, lost, new - lost
                path = account_dir(out, platform, account.account_id) / file_name(
                    day, account.variant
                )
                if account.variant == 0:
                    rows = ([r[0], *map(int, r[1:])] for r in table.itertuples(index=False))
                    write_xlsx(path, tuple(table.columns), rows, created=export_time(day))
                else:
                    write_csv(table, path, encoding="utf-8-sig")
                paths.append(finish(path, day))
    return paths
