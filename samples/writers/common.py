"""Helpers shared by the export writers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pandas as pd

from samples.model import Account, SampleDataset
from samples.timeutil import to_date


def snapshot_groups(
    ds: SampleDataset, platform: str, report: str
) -> Iterator[tuple[Account, dt.date, pd.DataFrame]]:
    """(account, snapshot date, rows) per written file: snapshot rows joined with their
    contents, the most recently published first."""
    contents = ds.frames[f"contents.{platform}"]
    snaps = ds.frames[f"snapshots.{platform}.{report}"]
    extra = [c for c in contents.columns if c not in snaps.columns]
    joined = snaps.join(contents[extra], on="content_idx")
    joined = joined.sort_values(
        ["account_no", "snapshot_day", "published_s", "seq"], ascending=[True, True, False, False]
    )
    accounts = ds.accounts_of(platform)
    for (account_no, day), rows in joined.groupby(["account_no", "snapshot_day"], sort=True):
        yield accounts[int(account_no)], to_date(int(day)), rows


def ints(values: pd.Series) -> np.ndarray:
    """Counts as Python-friendly int64 (no NaN expected)."""
    return values.to_numpy(dtype=np.int64)


def missing(values: pd.Series) -> np.ndarray:
    return values.isna().to_numpy()


def units(values: pd.Series, decimals: int) -> np.ndarray:
    """Stated fractions/decimals -> integer units of 10**-decimals (NaN -> 0, mask separately)."""
    return np.round(values.fillna(0).to_numpy(dtype=float) * 10**decimals).astype(np.int64)
