"""Vectorised writers of the platforms' cell forms, each paired with the value the text states.

Every function takes numpy arrays and returns numpy arrays of str (object dtype), so a column of
a million rows is formatted without a Python loop per row. Functions that lose precision also
give back the value the text states (``wan``), so the dataset stores exactly what a reader gets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from registry.timezone import TZ_NAME as SHANGHAI


def _s(a: np.ndarray) -> np.ndarray:
    """int array -> decimal strings."""
    return np.asarray(a, dtype=np.int64).astype(str).astype(object)


def _frac_digits(frac: np.ndarray, width: int) -> np.ndarray:
    """Fractional digits of ``frac`` (an int < 10**width), zero-padded, trailing zeros stripped;
    "" when frac is 0."""
    padded = np.char.zfill(np.asarray(frac, dtype=np.int64).astype(str), width)
    stripped = np.char.rstrip(padded, "0")
    return np.where(stripped == "", "", np.char.add(".", stripped)).astype(object)


def decimal_text(units: np.ndarray, decimals: int) -> np.ndarray:
    """``units`` integer multiples of 10**-decimals -> shortest text ("28.64", "20", "0.5")."""
    units = np.asarray(units, dtype=np.int64)
    base = 10**decimals
    neg = units < 0
    mag = np.abs(units)
    text = np.char.add(
        np.asarray(mag // base).astype(str), _frac_digits(mag % base, decimals).astype(str)
    )
    return np.where(neg, np.char.add("-", text), text).astype(object)


def percent(units: np.ndarray, decimals: int = 2) -> np.ndarray:
    """Rate in units of 10**-decimals percent -> "28.64%" (trailing zeros dropped: "20%")."""
    return np.char.add(decimal_text(units, decimals).astype(str), "%").astype(object)


def percent_value(units: np.ndarray, decimals: int = 2) -> np.ndarray:
    """The 0–1 fraction a ``percent`` text states."""
    return np.asarray(units, dtype=np.int64) / float(10 ** (decimals + 2))


def stars(tenths: np.ndarray) -> np.ndarray:
    """B站 star rating in tenths -> "3.5星" / "2星"."""
    return np.char.add(decimal_text(tenths, 1).astype(str), "星").astype(object)


def seconds_suffix(units: np.ndarray, decimals: int = 2) -> np.ndarray:
    """Duration in 10**-decimals seconds -> "14.73秒" / "10秒"."""
    return np.char.add(decimal_text(units, decimals).astype(str), "秒").astype(object)


def mm_ss(seconds: np.ndarray) -> np.ndarray:
    """Duration in whole seconds -> "00:52" / "03:05"."""
    seconds = np.asarray(seconds, dtype=np.int64)
    mm = np.char.zfill((seconds // 60).astype(str), 2)
    ss = np.char.zfill((seconds % 60).astype(str), 2)
    return np.char.add(np.char.add(mm, ":"), ss).astype(object)


def wan(
    values: np.ndarray, unit: str = "万", threshold: int = 10_000
) -> tuple[np.ndarray, np.ndarray]:
    """Counts -> ("1.2万" / "9876", stated value). At or above ``threshold`` the count is rounded
    to the nearest thousand and written in 万 with one decimal ("3万" when it is whole)."""
    values = np.asarray(values, dtype=np.int64)
    big = values >= threshold
    thousands = (values + 500) // 1000
    text_big = np.char.add(decimal_text(thousands, 1).astype(str), unit)
    text = np.where(big, text_big, values.astype(str)).astype(object)
    stated = np.where(big, thousands * 1000, values)
    return text, stated


def thousands_commas(units: np.ndarray, decimals: int = 0) -> np.ndarray:
    """Integer units of 10**-decimals -> "12,345" / "1,234.50" (fixed decimals)."""
    units = np.asarray(units, dtype=np.int64)
    base = 10**decimals
    whole = pd.Series(units // base).map("{:,}".format).to_numpy(dtype=object)
    if decimals == 0:
        return whole
    frac = np.char.zfill((units % base).astype(str), decimals)
    return np.char.add(np.char.add(whole.astype(str), "."), frac).astype(object)


def local_strftime(times: pd.Series | pd.DatetimeIndex, fmt: str) -> np.ndarray:
    """Shanghai local time -> text with ``fmt`` (e.g. "%Y年%m月%d日%H时%M分%S秒")."""
    series = pd.Series(times)
    return series.dt.tz_convert(SHANGHAI).dt.strftime(fmt).to_numpy(dtype=object)


def with_missing(text: np.ndarray, missing: np.ndarray, token: str = "-") -> np.ndarray:
    """Replace the cells where ``missing`` is true by ``token`` ("-" or "")."""
    return np.where(missing, token, text).astype(object)
