"""Daily follower data per account (fans_daily, 公众号 user_growth and datacube user summary)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from samples.accounts import volume_factor
from samples.content_gen import part_rng
from samples.model import CONTENT_PLATFORMS, Account
from samples.timeutil import day_number

TOTAL_ONLY_PLATFORMS = ("bilibili", "kuaishou")  # their variant-1 accounts give only the total


def total_only(account: Account) -> bool:
    return account.platform in TOTAL_ONLY_PLATFORMS and account.variant == 1


def generate_follower_days(
    accounts: list[Account], start: dt.date, weeks: int, scale: float, seed: int
) -> pd.DataFrame:
    """One row per content-platform account and day of the period (plus the day before the
    period for accounts that export only the total, so their first day's gain is known)."""
    frames = []
    first = day_number(start)
    for i, account in enumerate(a for a in accounts if a.platform in CONTENT_PLATFORMS):
        rng = part_rng(seed, "followers", account.platform, i)
        lam = 40 * volume_factor(account.platform, scale) * rng.uniform(0.5, 2.0)
        days = np.arange(first - 1, first + 7 * weeks)
        new = rng.poisson(lam, len(days))
        lost = rng.poisson(lam * rng.uniform(0.15, 0.4), len(days))
        # a bad week (anomaly) for some accounts: gains collapse
        if weeks >= 4 and rng.random() < 0.3:
            bad = (days >= first + 7 * (weeks - 2)) & (days < first + 7 * (weeks - 1))
            new = np.where(bad, new // 5, new)
        base = int(rng.integers(8_000, 200_000))
        start_day = first + 7 * account.start_week
        if account.start_week:  # a piloted account: no followers before it starts
            new = np.where(days >= start_day, new, 0)
            lost = np.where(days >= start_day, np.minimum(lost, new), 0)
            base = 0
        total = base + np.cumsum(new - lost)
        only_total = total_only(account)
        keep = days >= (start_day - 1 if only_total else start_day)
        frame = pd.DataFrame(
            {
                "platform": account.platform,
                "account_id": account.account_id,
                "day": days[keep],
                "followers_total": total[keep],
                "new_followers": pd.array(new[keep], dtype="Int64"),
                "lost_followers": pd.array(lost[keep], dtype="Int64"),
            }
        )
        if only_total:
            frame["new_followers"] = pd.NA
            frame["lost_followers"] = pd.NA
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out["date"] = pd.to_datetime(out["day"], unit="D").dt.date
    return out
