"""企业微信: per-employee customer-contact behaviour and customer-group statistics by day."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from samples.accounts import volume_factor
from samples.content_gen import part_rng
from samples.model import Account
from samples.timeutil import day_number

EMPLOYEES = ("zhangwei", "lina", "wangfang", "chenjie", "liuyang", "zhaomin")


def employees(scale: float) -> list[str]:
    count = max(2, round(3 * volume_factor("wecom", scale)))
    return [
        EMPLOYEES[i % len(EMPLOYEES)] + ("" if i < len(EMPLOYEES) else str(i)) for i in range(count)
    ]


def generate_behavior(
    accounts: list[Account], start: dt.date, weeks: int, scale: float, seed: int
) -> pd.DataFrame:
    """get_user_behavior_data per employee and day; reply_percentage (percent units) and
    avg_reply_time (minutes) are absent on days without chats."""
    rng = part_rng(seed, "wecom_behavior")
    frames = []
    for account in accounts:
        for userid in employees(scale):
            days = np.arange(day_number(start), day_number(start) + 7 * weeks)
            n = len(days)
            chat = rng.poisson(12, n) * (rng.random(n) > 0.1)
            reply = chat > 0
            frames.append(
                pd.DataFrame(
                    {
                        "account_id": account.account_id,
                        "userid": userid,
                        "day": days,
                        "new_apply_cnt": rng.poisson(6, n),
                        "new_contact_cnt": rng.poisson(5, n),
                        "chat_cnt": chat,
                        "message_cnt": chat * rng.integers(2, 8, n),
                        "reply_percentage": np.where(
                            reply, rng.integers(4000, 10001, n) / 100, np.nan
                        ),
                        "avg_reply_time": pd.array(
                            np.where(reply, rng.integers(1, 30, n), 0), dtype="Int64"
                        ),
                        "negative_feedback_cnt": rng.poisson(0.1, n),
                    }
                )
            )
            frames[-1].loc[~reply, "avg_reply_time"] = pd.NA
    out = pd.concat(frames, ignore_index=True)
    out["date"] = pd.to_datetime(out["day"], unit="D").dt.date
    return out


def generate_groupchats(
    accounts: list[Account], start: dt.date, weeks: int, scale: float, seed: int
) -> pd.DataFrame:
    """statistic_group_by_day: member_total and chat_total are running totals."""
    rng = part_rng(seed, "wecom_groups")
    frames = []
    factor = volume_factor("wecom", scale)
    for account in accounts:
        days = np.arange(day_number(start), day_number(start) + 7 * weeks)
        n = len(days)
        new_chat = rng.poisson(0.3 * factor, n)
        new_member = rng.poisson(25 * factor, n)
        left = rng.poisson(8 * factor, n)
        chat_total = int(20 * factor) + np.cumsum(new_chat)
        member_total = int(3000 * factor) + np.cumsum(new_member - left)
        frames.append(
            pd.DataFrame(
                {
                    "account_id": account.account_id,
                    "day": days,
                    "new_chat_cnt": new_chat,
                    "chat_total": chat_total,
                    "chat_has_msg": (chat_total * rng.uniform(0.3, 0.8, n)).astype(np.int64),
                    "new_member_cnt": new_member,
                    "member_total": member_total,
                    "member_has_msg": (member_total * rng.uniform(0.05, 0.2, n)).astype(np.int64),
                    "msg_total": rng.poisson(400 * factor, n),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["date"] = pd.to_datetime(out["day"], unit="D").dt.date
    return out
