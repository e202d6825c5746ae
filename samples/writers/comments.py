"""Comment files as NanmiCoder/MediaCrawler writes them (classic schema, with user fields).

``out/<platform>/<account>/creator_comments_<YYYY-MM-DD>.<csv|json|jsonl>``: one file per
account and week, the comments created in that week. CSV is utf-8-sig with the header from the
first dict's keys; counts are strings (MediaCrawler stores them as varchar). Top-level comments
have parent_comment_id "0" (抖音, B站) or "" (小红书); 快手 comments have no parent or like count.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from samples.files import account_dir, finish, write_csv
from samples.model import SampleDataset
from samples.timeutil import day_number

COLUMNS = {
    "xiaohongshu": (
        "comment_id",
        "create_time",
        "ip_location",
        "note_id",
        "content",
        "user_id",
        "nickname",
        "avatar",
        "sub_comment_count",
        "pictures",
        "parent_comment_id",
        "last_modify_ts",
        "like_count",
    ),
    "douyin": (
        "comment_id",
        "create_time",
        "ip_location",
        "aweme_id",
        "content",
        "user_id",
        "sec_uid",
        "short_user_id",
        "user_unique_id",
        "user_signature",
        "nickname",
        "avatar",
        "sub_comment_count",
        "like_count",
        "last_modify_ts",
        "parent_comment_id",
        "pictures",
    ),
    "bilibili": (
        "comment_id",
        "video_id",
        "content",
        "create_time",
        "sub_comment_count",
        "parent_comment_id",
        "like_count",
        "user_id",
        "nickname",
        "sex",
        "sign",
        "avatar",
        "last_modify_ts",
    ),
    "kuaishou": (
        "comment_id",
        "create_time",
        "video_id",
        "content",
        "user_id",
        "nickname",
        "avatar",
        "sub_comment_count",
        "last_modify_ts",
    ),
}
CONTENT_KEY = {
    "xiaohongshu": "note_id",
    "douyin": "aweme_id",
    "bilibili": "video_id",
    "kuaishou": "video_id",
}
MILLIS = {"xiaohongshu", "kuaishou"}  # create_time in ms; 抖音/B站 in seconds


def comment_form(platform: str, variant: int) -> str:
    if variant == 0:
        return "csv"
    return "json" if platform in {"xiaohongshu", "douyin"} else "jsonl"


def file_name(day: dt.date, form: str) -> str:
    return f"creator_comments_{day.isoformat()}.{form}"


def _table(platform: str, rows: pd.DataFrame, snapshot: dt.date) -> pd.DataFrame:
    n = len(rows)
    created = rows["created_s"].to_numpy(dtype=np.int64)
    stamp = created * 1000 if platform in MILLIS else created
    modify = str((day_number(snapshot) * 86400 - 8 * 3600 + 9 * 3600) * 1000)
    parent = rows["parent_comment_id"].to_numpy(dtype=object)
    root = "" if platform == "xiaohongshu" else "0"
    values = {
        "comment_id": rows["comment_id"].to_numpy(dtype=object),
        "create_time": stamp.astype(str).astype(object),
        "ip_location": rows["ip_location"].to_numpy(dtype=object),
        CONTENT_KEY[platform]: rows["content_linked_id"].to_numpy(dtype=object),
        "content": rows["text"].to_numpy(dtype=object),
        "user_id": rows["user_id"].to_numpy(dtype=object),
        "nickname": rows["nickname"].to_numpy(dtype=object),
        "avatar": np.char.add(
            "https://img.example-cdn.cn/avatar/", rows["user_id"].to_numpy(dtype=str)
        ).astype(object),
        "sub_comment_count": rows["sub_comment_count"].astype(str).to_numpy(dtype=object),
        "pictures": np.full(n, "", dtype=object),
        "parent_comment_id": np.where(pd.isna(parent), root, parent).astype(object),
        "last_modify_ts": np.full(n, modify, dtype=object),
        "like_count": rows["like_count"].astype(str).to_numpy(dtype=object),
        "sec_uid": np.char.add("MS4wLjABAAAA", rows["user_id"].to_numpy(dtype=str)).astype(object),
        "short_user_id": np.full(n, "", dtype=object),
        "user_unique_id": rows["user_id"].to_numpy(dtype=object),
        "user_signature": np.full(n, "", dtype=object),
        "sex": np.full(n, "保密", dtype=object),
        "sign": np.full(n, "", dtype=object),
    }
    return pd.DataFrame({c: values[c] for c in COLUMNS[platform]})


def write(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    comments = ds.frames["comments"]
    dates = ds.snapshot_dates()
    for platform in COLUMNS:
        mine = comments[comments["platform"] == platform]
        for account in ds.accounts_of(platform):
            rows_account = mine[mine["account_id"] == account.account_id]
            form = comment_form(platform, account.variant)
            for day in dates[account.start_week :]:  # a piloted account: from its start
                lo, hi = day_number(day) - 7, day_number(day)
                rows = rows_account[
                    (rows_account["created_day"] >= lo) & (rows_account["created_day"] < hi)
                ]
                table = _table(platform, rows, day)
                path = account_dir(out, platform, account.account_id) / file_name(day, form)
                if form == "csv":
                    write_csv(table, path, encoding="utf-8-sig")
                else:
                    table["create_time"] = table["create_time"].astype(np.int64)
                    if form == "json":
                        table.to_json(path, orient="records", force_ascii=False, indent=4)
                    else:
                        table.to_json(path, orient="records", lines=True, force_ascii=False)
                paths.append(finish(path, day))
    return paths
