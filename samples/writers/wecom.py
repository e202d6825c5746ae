"""企业微信 API responses saved as JSON: get_user_behavior_data (behavior) per employee and week,
groupchat/statistic_group_by_day (groupchat_daily) per week.

The behaviour file carries the employee's ``userid`` beside the response (the request's filter),
since the response itself does not name it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from samples.files import account_dir, finish
from samples.model import SampleDataset
from samples.timeutil import day_number

BEHAVIOR_KEYS = (
    "stat_time",
    "chat_cnt",
    "message_cnt",
    "reply_percentage",
    "avg_reply_time",
    "negative_feedback_cnt",
    "new_apply_cnt",
    "new_contact_cnt",
)


def _stat_time(day: int) -> int:
    return int(day) * 86400 - 8 * 3600


def _dump(path: Path, payload: dict) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")


def write(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    behavior = ds.frames["wecom_behavior"]
    groups = ds.frames["groupchat_days"]
    for account in ds.accounts_of("wecom"):
        folder = account_dir(out, "wecom", account.account_id)
        mine = behavior[behavior["account_id"] == account.account_id]
        for day in ds.snapshot_dates():
            lo, hi = day_number(day) - 7, day_number(day)
            week = mine[(mine["day"] >= lo) & (mine["day"] < hi)]
            for userid, rows in week.groupby("userid", sort=True):
                items = []
                for rec in rows.to_dict("records"):
                    item = {"stat_time": _stat_time(rec["day"])}
                    for key in BEHAVIOR_KEYS[1:]:
                        value = rec[key]
                        if (
                            value is None
                            or value is np.nan
                            or (isinstance(value, float) and np.isnan(value))
                            or str(value) == "<NA>"
                        ):
                            continue  # absent when there were no replies
                        item[key] = float(value) if key == "reply_percentage" else int(value)
                    items.append(item)
                path = folder / f"behavior_{userid}_{day.isoformat()}.json"
                _dump(
                    path,
                    {"errcode": 0, "errmsg": "ok", "userid": userid, "behavior_data": items},
                )
                paths.append(finish(path, day))
            gweek = groups[
                (groups["account_id"] == account.account_id)
                & (groups["day"] >= lo)
                & (groups["day"] < hi)
            ]
            items = [
                {
                    "stat_time": _stat_time(rec["day"]),
                    "data": {
                        key: int(rec[key])
                        for key in (
                            "new_chat_cnt",
                            "chat_total",
                            "chat_has_msg",
                            "new_member_cnt",
                            "member_total",
                            "member_has_msg",
                            "msg_total",
                        )
                    },
                }
                for rec in gweek.to_dict("records")
            ]
            path = folder / f"groupchat_statistic_group_by_day_{day.isoformat()}.json"
            _dump(path, {"errcode": 0, "errmsg": "ok", "items": items})
            paths.append(finish(path, day))
    return paths
