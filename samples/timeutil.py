"""Shanghai time helpers for the generator."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np

from registry.timezone import SHANGHAI

SHANGHAI_OFFSET = 8 * 3600  # no DST in China since 1991


def epoch_of_day(day: dt.date, hour: int = 0) -> int:
    """Unix seconds of ``day`` at ``hour``:00 Shanghai time."""
    return int(dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI).timestamp())


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (numpy datetime64[D] integer)."""
    return int(np.datetime64(day, "D").astype(np.int64))


def local_day_of_epoch(seconds: np.ndarray) -> np.ndarray:
    """Shanghai calendar day numbers of unix seconds."""
    return (np.asarray(seconds, dtype=np.int64) + SHANGHAI_OFFSET) // 86400


def to_date(day_num: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(day_num))


def to_datetime(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(seconds), tz=SHANGHAI)


def set_mtime(path: Path, day: dt.date) -> None:
    """Set a file's modification time to noon Shanghai time of ``day``."""
    stamp = epoch_of_day(day, 12)
    os.utime(path, (stamp, stamp))
