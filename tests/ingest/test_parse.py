"""Tests for ingest.parse: the shared, vectorised cell parsers."""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import parse as P

SH = ZoneInfo("Asia/Shanghai")
NA = pd.NA
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SERIES_PARSERS = [
    P.parse_count,
    P.parse_number,
    P.parse_rate,
    P.parse_stars,
    P.parse_duration_seconds,
    P.parse_timestamp,
    P.parse_date,
    P.parse_id,
    P.parse_text,
    P.parse_bool,
]


def obj(*values: object, index: list | None = None) -> pd.Series:
    """Raw cells as a reader hands them over: an object Series."""
    return pd.Series(list(values), dtype=object, index=index)


def ts(text: str) -> pd.Timestamp:
    """A wall-clock China time."""
    return pd.Timestamp(text, tz="Asia/Shanghai")


def na_list(s: pd.Series) -> list:
    """Values with every missing marker as None, for exact comparisons."""
    return [None if pd.isna(v) else v for v in s.tolist()]


# --------------------------------------------------------------------------- nulls


NULL_CELLS = ["", "   ", "\u3000", "-", "--", "—", "/", "None", "NONE", "nan", "NaN", "null"]


def test_null_tokens_exported():
    for token in ("", "-", "--", "—", "/", "none", "nan", "null"):
        assert token in P.NULL_TOKENS


def test_is_null():
    s = obj(*NULL_CELLS, None, np.nan, pd.NA, 0, "0", 0.0, "x", " - ")
    expected = [True] * (len(NULL_CELLS) + 3) + [False, False, False, False, True]
    got = P.is_null(s)
    assert got.dtype == bool
    assert got.tolist() == expected


def test_is_null_numeric_dtypes():
    assert P.is_null(pd.Series([1.0, np.nan, 0.0])).tolist() == [False, True, False]
    assert P.is_null(pd.Series([1, None, 0], dtype="Int64")).tolist() == [False, True, False]


@pytest.mark.parametrize("parser", [*SERIES_PARSERS, P.parse_counts])
def test_null_cells_are_na_and_not_invalid(parser):
    s = obj(*NULL_CELLS, None, np.nan)
    parsed = parser(s)
    values = parsed["value"] if isinstance(parsed, pd.DataFrame) else parsed
    assert values.isna().all()
    assert not P.invalid_mask(s, parsed).any()


def test_zero_is_not_null():
    s = obj(0, "0", 0.0, "0.0")
    assert P.parse_count(s).tolist() == [0, 0, 0, 0]
    assert P.parse_number(s).tolist() == [0.0] * 4
    assert P.parse_rate(obj("0%", 0)).tolist() == [0.0, 0.0]


# --------------------------------------------------------------------------- counts


COUNT_CASES = [
    (1234, 1234, None, False),
    (1234.0, 1234, None, False),
    ("1234", 1234, None, False),
    ("12235.0", 12235, None, False),
    ("1,234", 1234, None, False),
    ("1,234,567", 1234567, None, False),
    ("1.2万", 12000, None, False),
    ("11.9万", 119000, None, False),
    ("3.1w", 31000, None, False),
    ("3.1W", 31000, None, False),
    ("1.5千", 1500, None, False),
    ("1.5k", 1500, None, False),
    ("2亿", 200_000_000, None, False),
    ("1.23456万", 12346, None, False),
    ("10万+", 100000, None, True),
    ("10w+", 100000, None, True),
    ("100000+", 100000, None, True),
    ("1000+", 1000, None, True),
    ("7.5w~10w", 75000, 100000, False),
    ("1000-2000", 1000, 2000, False),
    ("1w～2.5w", 10000, 25000, False),
    ("1万至2万", 10000, 20000, False),
    ("5-10万", 50000, 100000, False),
    ("1000-2w", 1000, 20000, False),
    (" 42 ", 42, None, False),
    ("１２３", 123, None, False),
    ("１，２３４", 1234, None, False),
    (0, 0, None, False),
]


def test_parse_counts_forms():
    s = obj(*(c[0] for c in COUNT_CASES))
    got = P.parse_counts(s)
    assert list(got.columns) == ["value", "upper", "is_capped"]
    assert got.dtypes.astype(str).tolist() == ["Int64", "Int64", "boolean"]
    assert na_list(got["value"]) == [c[1] for c in COUNT_CASES]
    assert na_list(got["upper"]) == [c[2] for c in COUNT_CASES]
    assert got["is_capped"].tolist() == [c[3] for c in COUNT_CASES]
    assert not P.invalid_mask(s, got).any()


def test_parse_counts_invalid():
    bad = ["1.5", 12.7, -3, "-3", "abc", "2000-1000", "1,2345", "3.5星", "28%", "1.5+", "inf"]
    s = obj(*bad, "7", "-")
    got = P.parse_counts(s)
    assert na_list(got["value"]) == [None] * len(bad) + [7, None]
    assert na_list(got["is_capped"]) == [None] * len(bad) + [False, None]
    assert got["upper"].isna().all()
    assert P.invalid_mask(s, got).tolist() == [True] * len(bad) + [False, False]


def test_parse_count_series_and_index():
    s = obj("1.2万", "-", 5, index=[10, 20, 30]).rename("播放量")
    got = P.parse_count(s)
    assert got.dtype == "Int64"
    assert got.name == "播放量"
    assert got.index.tolist() == [10, 20, 30]
    assert na_list(got) == [12000, None, 5]
    assert P.parse_counts(s).index.tolist() == [10, 20, 30]


@pytest.mark.parametrize(
    "s",
    [
        pd.Series([1, 2, 3]),
        pd.Series([1.0, np.nan, 3.0]),
        pd.Series([1, None, 3], dtype="Int64"),
        pd.Series(["1", None, "3"]),  # pandas default str dtype
        pd.Series(["1", None, "3"], dtype="string"),
    ],
)
def test_parse_count_input_dtypes(s):
    assert na_list(P.parse_count(s)) == [1, None if s.isna()[1] else 2, 3]


# --------------------------------------------------------------------------- numbers


def test_parse_number():
    s = obj("1,234.56", "¥1,234.56", "￥-5元", "1.2万", "-12.5", "+7", 3, 2.5, ".5", "1e3", "-")
    got = P.parse_number(s)
    assert got.dtype == "Float64"
    assert na_list(got) == [
        1234.56,
        1234.56,
        -5.0,
        12000.0,
        -12.5,
        7.0,
        3.0,
        2.5,
        0.5,
        1000.0,
        None,
    ]
    assert not P.invalid_mask(s, got).any()


def test_parse_number_invalid():
    s = obj("abc", "12%", "1.2.3", "--5", "3.5星", float("inf"), "1")
    assert P.invalid_mask(s, P.parse_number(s)).tolist() == [True] * 6 + [False]


# --------------------------------------------------------------------------- rates


def test_parse_rate_fraction():
    s = obj("28.64%", "0%", "100%", "150%", 0.2864, "0.2864", "５５．９％", "5‰", "1,234.5%", 0)
    got = P.parse_rate(s)
    assert got.dtype == "Float64"
    assert na_list(got) == [0.2864, 0.0, 1.0, 1.5, 0.2864, 0.2864, 0.559, 0.005, 12.345, 0.0]


def test_parse_rate_bare_modes():
    s = obj(60.25, "60.25", "28.64%", 100, 0)
    assert na_list(P.parse_rate(s, bare="percent")) == [0.6025, 0.6025, 0.2864, 1.0, 0.0]
    assert na_list(P.parse_rate(s, bare="hundredth")) == [0.006025, 0.006025, 0.2864, 0.01, 0.0]
    with pytest.raises(ValueError):
        P.parse_rate(s, bare="permille")


def test_parse_rate_invalid():
    s = obj("3.5星", "2星", "-1%", -0.5, "abc", "%", "0.3")
    got = P.parse_rate(s)
    assert na_list(got) == [None] * 6 + [0.3]
    assert P.invalid_mask(s, got).tolist() == [True] * 6 + [False]


def test_parse_stars():
    s = obj("3.5星", "2星", 4, "4.5", "28%", "abc", "-1星", "-")
    got = P.parse_stars(s)
    assert got.dtype == "Float64"
    assert na_list(got) == [3.5, 2.0, 4.0, 4.5, None, None, None, None]
    assert P.invalid_mask(s, got).tolist() == [False] * 4 + [True] * 3 + [False]


# --------------------------------------------------------------------------- durations


def test_parse_duration_seconds():
    cells = {
        "14.73秒": 14.73,
        "10秒": 10.0,
        "1分23秒": 83.0,
        "2分钟": 120.0,
        "1时2分3秒": 3723.0,
        "1小时2分3秒": 3723.0,
        "00:01:23": 83.0,
        "00:52": 52.0,
        "75:30": 4530.0,
        "1:02:03": 3723.0,
        "12.5s": 12.5,
        "12s": 12.0,
        "1h2m3s": 3723.0,
        12: 12.0,
        3.5: 3.5,
        "45": 45.0,
        dt.time(0, 1, 23): 83.0,
        dt.timedelta(minutes=2, seconds=5): 125.0,
    }
    s = obj(*cells)
    got = P.parse_duration_seconds(s)
    assert got.dtype == "Float64"
    assert na_list(got) == list(cells.values())
    assert not P.invalid_mask(s, got).any()


def test_parse_duration_invalid():
    s = obj("abc", "00:61", "1:60:00", "-5", -5, "5星", "1分", "-")
    got = P.parse_duration_seconds(s)
    assert na_list(got) == [None] * 6 + [60.0, None]
    assert P.invalid_mask(s, got).tolist() == [True] * 6 + [False, False]


def test_parse_duration_timedelta_dtype():
    s = pd.Series(pd.to_timedelta(["00:01:23", None]))
    assert na_list(P.parse_duration_seconds(s)) == [83.0, None]


# --------------------------------------------------------------------------- timestamps


TIMESTAMP_CASES = [
    ("2026年03月24日17时33分05秒", "2026-03-24 17:33:05"),
    ("2026年06月03日 16:41:25", "2026-06-03 16:41:25"),
    ("2026年6月3日", "2026-06-03 00:00:00"),
    ("2026年6月3日 9:05", "2026-06-03 09:05:00"),
    ("2026-06-03 16:41:25", "2026-06-03 16:41:25"),
    ("2026-06-03T16:41:25", "2026-06-03 16:41:25"),
    ("2026-06-03 16:41:25.5", "2026-06-03 16:41:25.5"),
    ("2026-06-03T16:41:25+08:00", "2026-06-03 16:41:25"),
    ("2026-06-03T08:41:25Z", "2026-06-03 16:41:25"),
    ("2026-06-03T10:41:25+02:00", "2026-06-03 16:41:25"),
    ("2026/06/25", "2026-06-25 00:00:00"),
    ("2026/6/25 9:05", "2026-06-25 09:05:00"),
    ("2026/06/25 09:05:07", "2026-06-25 09:05:07"),
    ("2026-06-25", "2026-06-25 00:00:00"),
    ("2026.06.25", "2026-06-25 00:00:00"),
    (20220329, "2022-03-29 00:00:00"),
    ("20220329", "2022-03-29 00:00:00"),
    (dt.datetime(2026, 1, 2, 3, 4, 5), "2026-01-02 03:04:05"),
    (dt.date(2026, 1, 2), "2026-01-02 00:00:00"),
    (pd.Timestamp("2026-01-02 03:04:05"), "2026-01-02 03:04:05"),
    (dt.datetime(2026, 1, 1, 19, 4, 5, tzinfo=dt.UTC), "2026-01-02 03:04:05"),
    (46100.5, "2026-03-19 12:00:00"),
    (45658, "2025-01-01 00:00:00"),
    (1711272785, "2024-03-24 17:33:05"),
    (1711272785123, "2024-03-24 17:33:05.123"),
    ("1711272785", "2024-03-24 17:33:05"),
    ("２０２６年６月３日", "2026-06-03 00:00:00"),
]


def test_parse_timestamp_forms():
    s = obj(*(c[0] for c in TIMESTAMP_CASES))
    got = P.parse_timestamp(s)
    assert str(got.dtype) == "datetime64[ns, Asia/Shanghai]"
    assert got.tolist() == [ts(c[1]) for c in TIMESTAMP_CASES]
    assert not P.invalid_mask(s, got).any()


def test_parse_timestamp_invalid():
    bad = [
        "2026-02-30",
        "2026年13月01日",
        "2026-06-03 25:00:00",
        "x",
        12,
        20221332,
        "2026-06",
        1e15,
    ]
    s = obj(*bad, "-", "2026-06-03")
    got = P.parse_timestamp(s)
    assert got.isna().tolist() == [True] * (len(bad) + 1) + [False]
    assert P.invalid_mask(s, got).tolist() == [True] * len(bad) + [False, False]


def test_parse_timestamp_forced_numeric():
    assert P.parse_timestamp(obj(45658), numeric="excel").tolist() == [ts("2025-01-01")]
    assert P.parse_timestamp(obj(86400), numeric="unix_s").tolist() == [ts("1970-01-02 08:00")]
    ms = P.parse_timestamp(obj(1711272785123), numeric="unix_ms")
    assert ms.tolist() == [ts("2024-03-24 17:33:05.123")]
    assert P.parse_timestamp(obj("20220329"), numeric="yyyymmdd").tolist() == [ts("2022-03-29")]
    assert P.parse_timestamp(obj(46100.5), numeric="unix_s").tolist() == [
        ts("1970-01-01 20:48:20.5")
    ]
    with pytest.raises(ValueError):
        P.parse_timestamp(obj(1), numeric="days")


def test_parse_timestamp_datetime_columns():
    naive = pd.Series(pd.to_datetime(["2026-06-03 16:41:25", None]))
    assert P.parse_timestamp(naive).tolist()[0] == ts("2026-06-03 16:41:25")
    aware = naive.dt.tz_localize("UTC")
    got = P.parse_timestamp(aware)
    assert str(got.dtype) == "datetime64[ns, Asia/Shanghai]"
    assert got.tolist()[0] == ts("2026-06-04 00:41:25")
    assert got.isna().tolist() == [False, True]
    dates = obj(dt.date(2026, 1, 2), None, dt.date(2026, 1, 3))
    assert P.parse_timestamp(dates).tolist()[::2] == [ts("2026-01-02"), ts("2026-01-03")]


def test_parse_timestamp_keeps_index_and_name():
    s = obj("2026/06/25", None, index=["a", "b"]).rename("发布时间")
    got = P.parse_timestamp(s)
    assert got.index.tolist() == ["a", "b"]
    assert got.name == "发布时间"


def test_parse_date():
    # 16:30 UTC on 2 June is already 3 June in Shanghai
    s = obj("2026-06-02T16:30:00Z", 1780417800, "2026年6月3日", "2026/06/25 23:59:59", "-", "x")
    got = P.parse_date(s)
    assert got.dtype == pd.ArrowDtype(pa.date32())
    assert na_list(got) == [
        dt.date(2026, 6, 3),
        dt.date(2026, 6, 3),
        dt.date(2026, 6, 3),
        dt.date(2026, 6, 25),
        None,
        None,
    ]
    assert P.invalid_mask(s, got).tolist() == [False] * 5 + [True]


# --------------------------------------------------------------------------- ids, text, bool


def test_parse_id():
    s = obj(
        12345.0,
        12345,
        "10000050_1",
        " export/abc ",
        "3712345678901234567",
        3712345678901234567,
        "0012",
        "12345.0",
        7.3012345678901e18,
        12.5,
        "-",
    )
    got = P.parse_id(s)
    assert got.dtype == "string"
    assert na_list(got) == [
        "12345",
        "12345",
        "10000050_1",
        "export/abc",
        "3712345678901234567",
        "3712345678901234567",
        "0012",
        "12345.0",
        None,
        None,
        None,
    ]
    assert P.invalid_mask(s, got).tolist() == [False] * 8 + [True, True, False]


def test_parse_id_numeric_dtypes():
    assert na_list(P.parse_id(pd.Series([1.0, np.nan, 2.0]))) == ["1", None, "2"]
    assert na_list(P.parse_id(pd.Series([1, 2]))) == ["1", "2"]
    assert na_list(P.parse_id(pd.Series([1.5, 2.0]))) == [None, "2"]


def test_parse_text():
    s = obj("  标题 😀 ", "", "   ", "-", "None", None, 2026, 2026.0, 3.5, "a\u3000")
    got = P.parse_text(s)
    assert got.dtype == "string"
    assert na_list(got) == ["标题 😀", None, None, None, None, None, "2026", "2026", "3.5", "a"]
    assert not P.invalid_mask(s, got).any()


def test_parse_bool():
    s = obj("是", "否", "TRUE", "false", "Yes", "n", 1, 0, 1.0, True, False, "x", None, 2)
    got = P.parse_bool(s)
    assert got.dtype == "boolean"
    expected = [True, False, True, False, True, False, True, False, True, True, False]
    assert na_list(got) == [*expected, None, None, None]
    assert P.invalid_mask(s, got).tolist() == [False] * 11 + [True, False, True]
    assert P.parse_bool(pd.Series([True, False])).tolist() == [True, False]


# --------------------------------------------------------------------------- file names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("店铺名_商品_2026-11-23.xlsx", dt.date(2026, 11, 23)),
        ("orders_20261123.csv", dt.date(2026, 11, 23)),
        ("orders_2026_11_23.csv", dt.date(2026, 11, 23)),
        ("a_2026-01-05_b_20260203.csv", dt.date(2026, 2, 3)),
        ("2026-11-23_b_20261399.csv", dt.date(2026, 11, 23)),
        ("笔记列表明细表.xlsx", None),
        ("orders_20261332.csv", None),
        ("id_120261123.csv", None),
        ("id_202611231.csv", None),
        ("mixed_2026-11_23.csv", None),
        ("近期稿件对比.csv", None),
    ],
)
def test_snapshot_date_from_name(name, expected):
    assert P.snapshot_date_from_name(name) == expected


# --------------------------------------------------------------------------- properties

counts = st.integers(min_value=0, max_value=10**12)


@FAST
@given(st.lists(counts, min_size=1, max_size=30))
def test_prop_count_plain_forms(ns):
    safe = [n for n in ns if n < 2**53]
    cells = [str(n) for n in ns] + [f"{n:,}" for n in ns] + [f"{n}.0" for n in ns] + ns
    cells += [float(n) for n in safe]
    got = P.parse_counts(obj(*cells))
    assert got["value"].tolist() == ns * 4 + safe
    assert not got["is_capped"].any()
    assert got["upper"].isna().all()
    # whole numeric columns take the numeric path
    assert P.parse_count(pd.Series(ns, dtype="int64")).tolist() == ns


@FAST
@given(st.lists(st.integers(min_value=0, max_value=10**6).map(lambda k: k * 1000), min_size=1))
def test_prop_count_wan(ns):
    cells = [f"{n / 10000:.1f}万" for n in ns] + [f"{n / 10000:.1f}w" for n in ns]
    assert P.parse_count(obj(*cells)).tolist() == ns * 2


@FAST
@given(st.lists(st.tuples(counts, counts), min_size=1, max_size=20))
def test_prop_count_ranges_and_caps(pairs):
    lo = [min(a, b) for a, b in pairs]
    hi = [max(a, b) for a, b in pairs]
    ranges = P.parse_counts(obj(*(f"{a}~{b}" for a, b in zip(lo, hi, strict=True))))
    assert ranges["value"].tolist() == lo
    assert ranges["upper"].tolist() == hi
    capped = P.parse_counts(obj(*(f"{a}+" for a in lo)))
    assert capped["value"].tolist() == lo
    assert capped["is_capped"].all()


@FAST
@given(st.lists(st.integers(min_value=-(10**9), max_value=-1), min_size=1, max_size=20))
def test_prop_negative_counts_invalid(ns):
    s = obj(*ns, *(str(n) for n in ns))
    assert P.invalid_mask(s, P.parse_counts(s)).all()


@FAST
@given(st.lists(st.integers(min_value=0, max_value=10000), min_size=1, max_size=30))
def test_prop_rate_percent_strings(ks):
    ps = [k / 10000 for k in ks]
    got = P.parse_rate(obj(*(f"{p * 100:.2f}%" for p in ps)))
    assert all(math.isclose(g, p, abs_tol=1e-9) for g, p in zip(got, ps, strict=True))
    bare = P.parse_rate(obj(*ps))
    assert all(math.isclose(g, p, abs_tol=1e-9) for g, p in zip(bare, ps, strict=True))
    pct = P.parse_rate(obj(*(p * 100 for p in ps)), bare="percent")
    assert all(math.isclose(g, p, abs_tol=1e-9) for g, p in zip(pct, ps, strict=True))


@FAST
@given(st.lists(st.integers(min_value=-(10**11), max_value=10**11), min_size=1, max_size=30))
def test_prop_number_money(cents):
    xs = [c / 100 for c in cents]
    cells = [f"{x:,.2f}" for x in xs] + [f"¥{x:,.2f}" for x in xs] + [str(x) for x in xs]
    got = P.parse_number(obj(*cells))
    assert all(
        math.isclose(g, x, rel_tol=1e-12, abs_tol=1e-9) for g, x in zip(got, xs * 3, strict=True)
    )


aware_datetimes = st.datetimes(
    min_value=dt.datetime(2015, 1, 1),
    max_value=dt.datetime(2030, 12, 31),
    timezones=st.sampled_from([SH, dt.UTC, ZoneInfo("America/New_York")]),
)


def china_forms(d: dt.datetime) -> list[str]:
    """One instant written in every string form the exports use, in Shanghai wall time."""
    c = d.astimezone(SH)
    return [
        c.strftime("%Y年%m月%d日%H时%M分%S秒"),
        c.strftime("%Y年%m月%d日 %H:%M:%S"),
        f"{c.year}年{c.month}月{c.day}日 {c.hour}:{c.minute:02d}:{c.second:02d}",
        c.strftime("%Y-%m-%d %H:%M:%S"),
        c.strftime("%Y-%m-%dT%H:%M:%S+08:00"),
        d.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        c.strftime("%Y/%m/%d %H:%M:%S"),
        f"{c.year}/{c.month}/{c.day} {c.hour}:{c.minute:02d}:{c.second:02d}",
    ]


@FAST
@given(st.lists(aware_datetimes, min_size=1, max_size=10))
def test_prop_timestamp_chinese_forms_round_trip(ds):
    cells = [form for d in ds for form in china_forms(d)]
    got = P.parse_timestamp(obj(*cells))
    expected = [pd.Timestamp(d.replace(microsecond=0)).tz_convert(SH) for d in ds for _ in range(8)]
    assert got.tolist() == expected
    days = [c.astimezone(SH).date() for c in ds]
    date_cells = [f"{day:%Y/%m/%d}" for day in days] + [f"{day:%Y年%m月%d日}" for day in days]
    date_cells += [int(f"{day:%Y%m%d}") for day in days]
    assert P.parse_date(obj(*date_cells)).tolist() == days * 3


@FAST
@given(st.lists(aware_datetimes, min_size=1, max_size=20))
def test_prop_unix_and_excel_round_trip(ds):
    secs = [int(d.timestamp()) for d in ds]
    millis = [int(d.timestamp() * 1000) for d in ds]
    expected_s = [pd.Timestamp(n, unit="s", tz="UTC").tz_convert(SH) for n in secs]
    expected_ms = [pd.Timestamp(n, unit="ms", tz="UTC").tz_convert(SH) for n in millis]
    got = P.parse_timestamp(obj(*secs, *millis, *map(str, secs)))
    assert got.tolist() == expected_s + expected_ms + expected_s
    walls = [d.astimezone(SH).replace(tzinfo=None, microsecond=0) for d in ds]
    serials = [(w - dt.datetime(1899, 12, 30)) / dt.timedelta(days=1) for w in walls]
    excel = P.parse_timestamp(obj(*serials))
    one_ms = pd.Timedelta(1, "ms")
    assert all(abs(g - pd.Timestamp(w, tz=SH)) < one_ms for g, w in zip(excel, walls, strict=True))


@FAST
@given(st.lists(st.tuples(st.integers(0, 99), st.integers(0, 59), st.integers(0, 59)), min_size=1))
def test_prop_duration_round_trip(hms):
    secs = [h * 3600 + m * 60 + s for h, m, s in hms]
    cells = [f"{h}:{m:02d}:{s:02d}" for h, m, s in hms]
    cells += [f"{h:02d}:{m:02d}:{s:02d}" for h, m, s in hms]
    cells += [f"{h}小时{m}分{s}秒" for h, m, s in hms]
    cells += [f"{h}时{m}分{s}秒" for h, m, s in hms]
    cells += [f"{n}秒" for n in secs] + secs
    got = P.parse_duration_seconds(obj(*cells))
    assert got.tolist() == [float(n) for n in secs] * 6
    mmss = [(m, s) for _, m, s in hms]
    got = P.parse_duration_seconds(obj(*(f"{m:02d}:{s:02d}" for m, s in mmss)))
    assert got.tolist() == [float(m * 60 + s) for m, s in mmss]


junk_text = st.text(alphabet="abcdgjquvxz中文标题的😀?!@#&*()", min_size=1, max_size=12).filter(
    lambda t: t.strip().lower() not in P.NULL_TOKENS
)


@FAST
@given(st.lists(junk_text, min_size=1, max_size=10))
def test_prop_junk_text_is_invalid(texts):
    s = obj(*texts)
    for parser in [
        P.parse_counts,
        P.parse_number,
        P.parse_rate,
        P.parse_stars,
        P.parse_duration_seconds,
        P.parse_timestamp,
        P.parse_date,
        P.parse_bool,
    ]:
        assert P.invalid_mask(s, parser(s)).all(), parser.__name__


any_cell = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["1.2万", "10w+", "28.64%", "3.5星", "00:52", "2026/06/25", "-", "－"]),
)


@FAST
@given(st.lists(any_cell, max_size=15))
def test_prop_never_raises(cells):
    s = obj(*cells)
    null = P.is_null(s)
    for parser in [*SERIES_PARSERS, P.parse_counts]:
        parsed = parser(s)
        assert len(parsed) == len(s)
        assert parsed.index.equals(s.index)
        values = parsed["value"] if isinstance(parsed, pd.DataFrame) else parsed
        assert values[null.to_numpy()].isna().all(), parser.__name__
        bad = P.invalid_mask(s, parsed)
        assert (bad == (~null & values.isna())).all()
