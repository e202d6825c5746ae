"""Shared, vectorised cell parsers for the platform exports.

Readers load an export into a DataFrame of raw cells (Python str, int, float, datetime or
None/NaN, as they came out of the file) and call these parsers column by column. Every parser
takes a whole ``pd.Series`` and returns a Series (or DataFrame) with the same index and a pandas
nullable dtype. NULL tokens ("", "-", "--", "None" …) become NA, never 0. Cells that are not null
but cannot be parsed become NA too; ``invalid_mask(original, parsed)`` finds them so the reader
can report file, row, column and value.

Speed: numbers that are already numbers, and strings that are plain decimals, take a fast path
(numpy / a pyarrow cast). Everything else goes through pyarrow regular expressions
(``pyarrow.compute.extract_regex``, RE2 syntax) applied to the leftover cells only. The only
per-cell Python code runs on the few odd cells (full-width characters, mixed-type object columns
from spreadsheets, ``datetime.time`` durations).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from registry.timezone import TZ_NAME

__all__ = [
    "NULL_TOKENS",
    "TZ",
    "invalid_mask",
    "is_null",
    "parse_bool",
    "parse_count",
    "parse_counts",
    "parse_date",
    "parse_duration_seconds",
    "parse_id",
    "parse_number",
    "parse_rate",
    "parse_stars",
    "parse_text",
    "parse_timestamp",
    "snapshot_date_from_name",
]

TZ = TZ_NAME

#: Cell texts (after stripping, compared case-insensitively) that mean "missing".
NULL_TOKENS: frozenset[str] = frozenset(
    {"", "-", "--", "—", "——", "－", "/", "none", "nan", "null", "nat", "<na>", "n/a"}
)

NumericMode = Literal["auto", "excel", "unix_s", "unix_ms", "yyyymmdd"]
BareRate = Literal["fraction", "percent", "hundredth"]

_STR = pd.StringDtype("pyarrow")
_LSTR = pa.large_string()
_TRIM = " \t\r\n\x0b\x0c\u3000\xa0\ufeff\u200b\u2009\u202f"
_NULL_SET = pa.array(sorted(NULL_TOKENS), type=_LSTR)


def _case_variants(token: str) -> set[str]:
    out = {""}
    for ch in token:
        out = {v + c for v in out for c in {ch, ch.upper()}}
    return out


#: the NULL tokens in every mix of upper and lower case: `is_in` without `utf8_lower` (no
#: other character lowercases to one of theirs)
_NULL_CASES = pa.array(sorted(set().union(*map(_case_variants, NULL_TOKENS))), type=_LSTR)
#: UTF-8 starts of the characters `_fold` changes: a cheap test before the regular expression
_FOLD_BYTES = (b"\xef\xbc", b"\xef\xbd", b"\xe3\x80\x80", b"\xe2\x88\x92")
_NUMERIC_KINDS = {"integer", "floating", "mixed-integer-float", "decimal", "empty"}
_MAX_SAFE = 2.0**53

# Full-width ASCII (U+FF01–U+FF5E), ideographic space and the minus sign → ASCII.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0x2212: 0x2D}
_FOLD_RE = "[\uff01-\uff5e\u3000\u2212]"

_PLAIN = r"^[-+]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$"
_PLAIN_ENDS = pa.array(list("0123456789."), type=pa.large_string())
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_UNIT = r"百万|[万wW千kK亿]"
_UNITS = pa.array(["万", "w", "千", "k", "亿", "百万"], type=_LSTR)
_UNIT_FACTORS = np.array([1e4, 1e4, 1e3, 1e3, 1e8, 1e6, 1.0])  # last: no unit

_COUNT_RE = (
    rf"^(?P<a>{_NUM})\s*(?P<au>{_UNIT})?\s*"
    rf"(?:(?P<cap>\+|以上)|(?:~|至|到|-|–|—)\s*(?P<b>{_NUM})\s*(?P<bu>{_UNIT})?)?$"
)
_NUMBER_RE = (
    rf"^(?P<s1>[-+])?\s*(?:[¥￥$]|RMB|CNY)?\s*(?P<s2>[-+])?\s*(?P<n>{_NUM}|\.\d+)"
    rf"\s*(?P<u>{_UNIT})?\s*(?:元)?$"
)
_RATE_RE = rf"^(?P<n>[-+]?(?:{_NUM}|\.\d+))\s*(?P<p>%|‰)$"
_SIMPLE_PERCENT = r"^\d+(?:\.\d+)?%$"
_SIMPLE_SECONDS = r"^\d+(?:\.\d+)?秒$"
_STARS_RE = rf"^(?P<n>{_NUM})\s*(?:星|颗星)$"
_DURATION_RE = (
    rf"^(?:(?:(?P<h>{_NUM})\s*(?:小时|时|hrs|hr|h))?\s*"
    rf"(?:(?P<m>{_NUM})\s*(?:分钟|分|mins|min|m))?\s*"
    rf"(?:(?P<s>{_NUM})\s*(?:秒钟|秒|secs|sec|s))?"
    r"|(?:(?P<ch>\d+):)?(?P<cm>\d+):(?P<cs>\d{1,2}(?:\.\d+)?))$"
)
# Zero-padded timestamp forms, decoded as fixed-width byte layouts (Y year, M month, D day,
# H hour, m minute, S second; anything else is a literal).
_STAMP_TEMPLATES = (
    "YYYY-MM-DD HH:mm:SS",
    "YYYY-MM-DDTHH:mm:SS",
    "YYYY/MM/DD HH:mm:SS",
    "YYYY-MM-DD HH:mm",
    "YYYY/MM/DD HH:mm",
    "YYYY-MM-DD",
    "YYYY/MM/DD",
    "YYYY年MM月DD日HH时mm分SS秒",
    "YYYY年MM月DD日 HH:mm:SS",
    "YYYY年MM月DD日 HH:mm",
    "YYYY年MM月DD日",
)
_STAMP_RE = (
    r"^(?P<Y>\d{4})\s*[-/.年]\s*(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]*(?P<H>\d{1,2})\s*[:时点]\s*(?P<Mi>\d{1,2})"
    r"(?:\s*(?:分\s*|:)(?P<S>\d{1,2}(?:\.\d{1,9})?)?\s*秒?)?)?"
    r"\s*(?P<tz>Z|[-+]\d{2}:?\d{2})?$"
)
_NAME_DATE = re.compile(r"(?<!\d)(?=((?:19|20)\d{2})([-_]?)(\d{2})\2(\d{2})(?!\d))")
_BOOL_TRUE = ("是", "true", "yes", "y", "t", "1", "1.0", "对", "有")
_BOOL_FALSE = ("否", "false", "no", "n", "f", "0", "0.0", "错", "无")
_BOOLS = pa.array(_BOOL_TRUE + _BOOL_FALSE, type=_LSTR)


# --------------------------------------------------------------------------- helpers


def _is_number_dtype(s: pd.Series) -> bool:
    """True for numeric (numpy or nullable) dtypes, bool excluded."""
    return pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)


def _np(a: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An arrow array as numpy (nulls become NaN for floats, None for objects)."""
    return a.to_numpy(zero_copy_only=False)


def _arrow_text(s: pd.Series) -> pa.Array:
    """Every cell as an arrow string, as it is (not stripped; missing values null)."""
    a = pa.array(s.astype(_STR).array)
    if isinstance(a, pa.ChunkedArray):
        a = a.combine_chunks()
    return a.cast(_LSTR)


def _tokens_to_null(a: pa.Array) -> pa.Array:
    """Stripped arrow strings, with NULL tokens as null."""
    a = pc.utf8_trim(a, characters=_TRIM)
    is_tok = pc.is_in(a, value_set=_NULL_CASES)
    return pc.if_else(is_tok, pa.scalar(None, _LSTR), a)


def _raw_text(s: pd.Series) -> pa.Array:
    """Every cell as a stripped arrow string, with NULL tokens and missing values as null."""
    return _tokens_to_null(_arrow_text(s))


def _digits(a: pa.Array) -> np.ndarray:
    """Mask of the cells that are only ASCII digits (no sign, space, comma or point): the
    plain counts most columns hold, read without regular expressions."""
    return _flag(pc.ascii_is_decimal(a))


def _fold(a: pa.Array) -> pa.Array:
    """Full-width digits, signs and punctuation → ASCII (Python runs on those cells only)."""
    wide = ~_flag(pc.string_is_ascii(a)) & _flag(pc.is_valid(a))
    if not wide.any():
        return a
    raw = a.cast(pa.large_binary())
    near = np.zeros(len(a), dtype=bool)
    for start in _FOLD_BYTES:
        near |= _flag(pc.match_substring(raw, start))
    wide &= near
    if not wide.any():
        return a
    hit = np.zeros(len(a), dtype=bool)
    hit[wide] = _matched(pc.filter(a, pa.array(wide)), _FOLD_RE)
    if not hit.any():
        return a
    mask = pa.array(hit)
    fixed = [v.translate(_FOLD).strip() for v in pc.filter(a, mask).to_pylist()]
    return pc.replace_with_mask(a, mask, pa.array(fixed, type=_LSTR))


def _clean_text(s: pd.Series) -> pa.Array:
    """Stripped, null-token-free, full-width-folded arrow strings for a Series."""
    return _fold(_raw_text(s))


def _split(s: pd.Series) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """Split cells into plain numbers and leftover text.

    Returns ``(num, pos, txt)``: ``num`` is float64 (NaN where the cell is not a plain number),
    ``pos`` the positions of the leftover non-null text cells and ``txt`` their (folded) text.
    """
    n = len(s)
    if _is_number_dtype(s):
        num = s.to_numpy(dtype="float64", na_value=np.nan)
        return num, np.empty(0, dtype=np.intp), pa.array([], type=_LSTR)
    if s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) in _NUMERIC_KINDS:
        num = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        return num, np.empty(0, dtype=np.intp), pa.array([], type=_LSTR)
    a = _arrow_text(s)
    num = np.full(n, np.nan)
    digits = _digits(a)
    if digits.all():  # plain counts: what a regular expression would find, faster
        return _np(pc.cast(a, pa.float64())), np.empty(0, dtype=np.intp), pa.array([], type=_LSTR)
    if digits.any():
        num[digits] = _np(pc.cast(pc.filter(a, pa.array(digits)), pa.float64()))
        others = np.flatnonzero(~digits)
        a = pc.take(a, pa.array(others))
    else:
        others = None
    a = _fold(_tokens_to_null(a))
    # a plain number ends with a digit or a point, and has no "/" or ":" (dates and times
    # do): only such cells go to the regular expression
    tail = _flag(pc.is_in(pc.utf8_slice_codeunits(a, -1), value_set=_PLAIN_ENDS))
    plain_np = np.zeros(len(a), dtype=bool)
    if tail.any():
        where = np.flatnonzero(tail)
        candidates = pc.take(a, pa.array(where))
        other = _flag(pc.match_substring(candidates, "/")) | _flag(
            pc.match_substring(candidates, ":")
        )
        if not other.all():
            keep = where[~other]
            plain_np[keep] = _matched(pc.filter(candidates, pa.array(~other)), _PLAIN)
    plain = pa.array(plain_np)
    sub = np.full(len(a), np.nan)
    if plain_np.any():
        sub[plain_np] = _f(pc.filter(a, plain))
    rest = _flag(pc.is_valid(a)) & ~plain_np
    pos = np.flatnonzero(rest)
    if others is None:
        return sub, pos, pc.filter(a, rest)
    num[others] = sub
    return num, others[pos], pc.filter(a, rest)


def _groups(txt: pa.Array, pattern: str) -> dict[str, pa.Array]:
    """Named groups of an anchored RE2 pattern; null where no match or the group is empty."""
    st = pc.extract_regex(txt, pattern)
    out = {}
    for i in range(st.type.num_fields):
        name = st.type.field(i).name
        f = pc.struct_field(st, name)
        out[name] = pc.if_else(pc.equal(f, ""), pa.scalar(None, _LSTR), f)
    return out


def _flag(a: pa.Array) -> np.ndarray:
    """Arrow booleans → numpy bool, null as False."""
    return _np(pc.fill_null(a, False)).astype(bool)


def _matched(txt: pa.Array, pattern: str) -> np.ndarray:
    """Boolean numpy mask: which cells fully match an anchored pattern."""
    return _flag(pc.match_substring_regex(txt, pattern))


def _f(a: pa.Array) -> np.ndarray:
    """Number group (may hold thousands commas) → float64 with NaN for null."""
    if pc.any(pc.match_substring(a, ",")).as_py():
        a = pc.replace_substring(a, ",", "")
    return _np(pc.cast(a, pa.float64()))


def _factor(unit: pa.Array) -> np.ndarray:
    """Unit group (万, w, 千, k, 亿, 百万 or null) → multiplier (1 where null)."""
    idx = pc.fill_null(pc.index_in(pc.utf8_lower(unit), value_set=_UNITS), len(_UNITS))
    return _UNIT_FACTORS[_np(idx).astype(np.intp)]


def _finite(x: np.ndarray) -> np.ndarray:
    """NaN in place of ±inf."""
    return np.where(np.isfinite(x), x, np.nan)


def _float_series(x: np.ndarray, s: pd.Series) -> pd.Series:
    """float64 with NaN → Float64 Series on the index of ``s``."""
    x = _finite(np.asarray(x, dtype="float64"))
    arr = pd.arrays.FloatingArray(np.nan_to_num(x), np.isnan(x))
    return pd.Series(arr, index=s.index, name=s.name)


def _int_series(x: np.ndarray, s: pd.Series) -> pd.Series:
    """Integral float64 with NaN → Int64 Series on the index of ``s``."""
    bad = ~np.isfinite(x) | (np.abs(x) >= 2.0**63)
    values = np.where(bad, 0, x).astype("int64")
    return pd.Series(pd.arrays.IntegerArray(values, bad), index=s.index, name=s.name)


def _string_series(a: pa.Array, s: pd.Series) -> pd.Series:
    """Arrow strings → "string" Series on the index of ``s``."""
    return pd.Series(pd.array(a.cast(pa.string()), dtype=_STR), index=s.index, name=s.name)


def _round(x: np.ndarray, decimals: int) -> np.ndarray:
    """``np.round`` that leaves huge values (where scaling would overflow) as they are."""
    with np.errstate(over="ignore", invalid="ignore"):
        r = np.round(x, decimals)
    return np.where(np.isfinite(r), r, x)


def _nonneg(x: np.ndarray) -> np.ndarray:
    """NaN in place of negative and non-finite values."""
    return np.where(np.isfinite(x) & (x >= 0), x, np.nan)


# --------------------------------------------------------------------------- null and invalid


def is_null(s: pd.Series) -> pd.Series:
    """True where a cell is missing: None, NaN, NA, NaT or a NULL token such as "-" or ""."""
    if _is_number_dtype(s) or pd.api.types.is_datetime64_any_dtype(s.dtype):
        return pd.Series(s.isna().to_numpy(), index=s.index, name=s.name)
    a = _arrow_text(s)
    digits = _digits(a)  # never null
    mask = np.zeros(len(s), dtype=bool)
    if not digits.all():
        rest = ~digits
        mask[rest] = _flag(pc.is_null(_tokens_to_null(pc.filter(a, pa.array(rest)))))
    return pd.Series(mask, index=s.index, name=s.name)


def invalid_mask(original: pd.Series, parsed: pd.Series | pd.DataFrame) -> pd.Series:
    """True where a cell was not null but its parse is NA (for DataFrames: the ``value`` column)."""
    if isinstance(parsed, pd.DataFrame):
        parsed = parsed["value"]
    missing = parsed.isna().to_numpy()
    bad = np.zeros(len(original), dtype=bool)
    if missing.any():  # only a cell whose parse is NA can be invalid
        where = np.flatnonzero(missing)
        bad[where] = ~is_null(original.iloc[where]).to_numpy()
    return pd.Series(bad, index=original.index, name=original.name)


# --------------------------------------------------------------------------- numbers


def _count_fast(num: np.ndarray) -> np.ndarray:
    """Plain numbers as counts: non-negative integers only, NaN otherwise."""
    ok = np.isfinite(num) & (num >= 0) & (np.floor(num) == num)
    return np.where(ok, num, np.nan)


def _count_text(txt: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Leftover count texts → (lower value, upper end, capped flag) as float64/bool arrays."""
    g = _groups(txt, _COUNT_RE)
    a, b = _f(g["a"]), _f(g["b"])
    fa, fb = _factor(g["au"]), _factor(g["bu"])
    is_range = ~np.isnan(b)
    # "5-10万" means 5万–10万: a bare lower end takes the upper end's unit when that fits.
    inherit = is_range & _flag(pc.is_null(g["au"])) & (a * fb <= b * fb)
    fa = np.where(inherit, fb, fa)
    lo, hi = a * fa, b * fb
    lo = np.where(fa > 1, np.round(lo), lo)
    hi = np.where(fb > 1, np.round(hi), hi)
    lo, hi = _count_fast(lo), _count_fast(hi)
    bad = is_range & (np.isnan(hi) | ~(lo <= hi))
    lo = np.where(bad, np.nan, lo)
    hi = np.where(is_range & ~bad, hi, np.nan)
    capped = _flag(pc.is_valid(g["cap"]))
    return lo, hi, capped


def parse_counts(s: pd.Series) -> pd.DataFrame:
    """Parse counts such as 1234, "1,234", "1.2万", "3.1w", "10万+", "7.5w~10w".

    Returns columns ``value`` (Int64: the count, the lower end of a range or the lower bound
    of a capped value), ``upper`` (Int64: upper end of a range, else NA) and ``is_capped``
    (boolean: True for "10万+"-style values, NA where ``value`` is NA). Non-integral plain counts
    and negative counts are invalid; values with a 万/w/千/k/亿 unit are rounded.
    """
    exact = _digit_counts(s)
    if exact is not None:  # the usual column: plain digits only
        n = len(s)
        return pd.DataFrame(
            {
                "value": pd.Series(exact, index=s.index, name=s.name),
                "upper": _int_series(np.full(n, np.nan), s),
                "is_capped": pd.arrays.BooleanArray(np.zeros(n, bool), np.zeros(n, bool)),
            },
            index=s.index,
        )
    num, pos, txt = _split(s)
    value = _count_fast(num)
    upper = np.full(len(s), np.nan)
    capped = np.zeros(len(s), dtype=bool)
    if len(pos):
        value[pos], upper[pos], capped[pos] = _count_text(txt)
    v = _int_series(value, s)
    flag = pd.arrays.BooleanArray(capped, np.isnan(value))
    return pd.DataFrame(
        {"value": v, "upper": _int_series(upper, s), "is_capped": flag}, index=s.index
    )


def _digit_counts(s: pd.Series) -> pd.arrays.IntegerArray | None:
    """The counts of a text column whose every cell is ASCII digits, at most 15 of them (so
    below 2**53: the value ``parse_counts`` reads through float64, read as an integer), else
    None."""
    if not len(s) or _is_number_dtype(s) or s.dtype == object:
        return None
    a = _arrow_text(s)
    if a.null_count or not pc.all(pc.ascii_is_decimal(a)).as_py():
        return None
    if pc.max(pc.binary_length(a)).as_py() > 15:
        return None
    values = _np(pc.cast(a, pa.int64()))
    return pd.arrays.IntegerArray(values, np.zeros(len(values), dtype=bool))


def parse_count(s: pd.Series) -> pd.Series:
    """Parse counts like ``parse_counts`` and return only ``value`` (Int64)."""
    return parse_counts(s)["value"].rename(s.name)


def parse_number(s: pd.Series) -> pd.Series:
    """Parse decimals and money: "1,234.56", "¥1,234.56", "-12.5", "1.2万" → Float64."""
    num, pos, txt = _split(s)
    if len(pos):
        g = _groups(txt, _NUMBER_RE)
        neg = _flag(pc.equal(pc.coalesce(g["s1"], g["s2"]), "-"))
        both = _flag(pc.is_valid(g["s1"])) & _flag(pc.is_valid(g["s2"]))
        x = _f(g["n"]) * _factor(g["u"])
        num[pos] = np.where(both, np.nan, np.where(neg, -x, x))
    return _float_series(num, s)


def parse_rate(s: pd.Series, bare: BareRate = "fraction") -> pd.Series:
    """Parse rates to a Float64 fraction: "28.64%" → 0.2864; "5‰" → 0.005.

    Bare numbers (numbers or numeric strings without %) are read by ``bare``: "fraction"
    (0.2864 stays), "percent" (60.25 → 0.6025) or "hundredth" (B站 API, 100 → 0.01).
    Star ratings ("3.5星") and negatives are invalid; values above 1 are kept.
    """
    divisor = {"fraction": 1.0, "percent": 100.0, "hundredth": 10000.0}.get(bare)
    if divisor is None:
        raise ValueError(f"bare must be 'fraction', 'percent' or 'hundredth', not {bare!r}")
    num, pos, txt = _split(s)
    num = num / divisor
    if len(pos):
        num[pos] = _rate_text(txt)
    return _float_series(_round(_nonneg(num), 10), s)


def _rate_text(txt: pa.Array) -> np.ndarray:
    """Leftover rate texts ("28.64%", "5‰") → fractions (float64, NaN where unreadable)."""
    out = np.full(len(txt), np.nan)
    simple = _matched(txt, _SIMPLE_PERCENT)  # the usual form, without capture groups
    if simple.any():
        out[simple] = _f(pc.utf8_slice_codeunits(pc.filter(txt, pa.array(simple)), 0, -1)) / 100
    rest = ~simple
    if rest.any():
        g = _groups(pc.filter(txt, pa.array(rest)), _RATE_RE)
        per = np.where(_flag(pc.equal(g["p"], "‰")), 1000.0, 100.0)
        out[rest] = _f(g["n"]) / per
    return out


def parse_stars(s: pd.Series) -> pd.Series:
    """Parse star ratings: "3.5星" → 3.5, "2星" → 2.0, bare numbers as they are (Float64)."""
    num, pos, txt = _split(s)
    if len(pos):
        num[pos] = _f(_groups(txt, _STARS_RE)["n"])
    return _float_series(_nonneg(num), s)


# --------------------------------------------------------------------------- durations


def _clock_seconds(v: object) -> float:
    """Seconds of a ``datetime.time`` or ``timedelta`` cell (NaN for anything else)."""
    if isinstance(v, dt.timedelta):
        return v.total_seconds()
    if isinstance(v, dt.time):
        return v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
    return np.nan


def _duration_text(txt: pa.Array) -> np.ndarray:
    """Leftover duration texts ("1分23秒", "00:01:23", "12.5s") → seconds (float64)."""
    simple = _matched(txt, _SIMPLE_SECONDS)  # the usual "14.73秒", without capture groups
    if not simple.any():
        return _duration_groups(txt)
    out = np.full(len(txt), np.nan)
    out[simple] = _f(pc.utf8_slice_codeunits(pc.filter(txt, pa.array(simple)), 0, -1))
    rest = ~simple
    if rest.any():
        out[rest] = _duration_groups(pc.filter(txt, pa.array(rest)))
    return out


def _duration_groups(txt: pa.Array) -> np.ndarray:
    g = _groups(pc.utf8_lower(txt), _DURATION_RE)
    h, m, sec = _f(g["h"]), _f(g["m"]), _f(g["s"])
    ch, cm, cs = _f(g["ch"]), _f(g["cm"]), _f(g["cs"])
    units = np.nansum([h * 3600, m * 60, sec], axis=0)
    has_units = ~(np.isnan(h) & np.isnan(m) & np.isnan(sec))
    clock = np.nan_to_num(ch) * 3600 + cm * 60 + cs
    clock_ok = (cs < 60) & (np.isnan(ch) | (cm < 60))
    return np.where(has_units, units, np.where(clock_ok, clock, np.nan))


def parse_duration_seconds(s: pd.Series) -> pd.Series:
    """Parse durations to seconds (Float64).

    Forms: numbers (already seconds), "14.73秒", "1分23秒", "1小时2分3秒", "12.5s",
    "00:52" (mm:ss), "00:01:23" / "1:02:03" (h:mm:ss), ``timedelta`` and ``time`` cells.
    """
    if pd.api.types.is_timedelta64_dtype(s.dtype):
        return _float_series(s.dt.total_seconds().to_numpy(float, na_value=np.nan), s)
    num, pos, txt = _split(s)
    if len(pos):
        num[pos] = _duration_text(txt)
        odd = pos[np.isnan(num[pos])]
        if len(odd) and s.dtype == object:
            num[odd] = s.iloc[odd].map(_clock_seconds).to_numpy(dtype=float)
    return _float_series(_round(_nonneg(num), 9), s)


# --------------------------------------------------------------------------- timestamps


def _local_ns(
    y: np.ndarray,
    mo: np.ndarray,
    d: np.ndarray,
    h: np.ndarray | float = 0.0,
    mi: np.ndarray | float = 0.0,
    sec: np.ndarray | float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock components (floats; NaN time parts = 0) → (naive int64 ns, valid mask)."""
    y, mo, d, h, mi, sec = np.broadcast_arrays(y, mo, d, *map(np.nan_to_num, (h, mi, sec)))
    ok = (
        (y >= 1900) & (y <= 2200) & (mo >= 1) & (mo <= 12) & (d >= 1) & (d <= 31)
        & (h < 24) & (mi < 60) & (sec < 60)
    )  # fmt: skip
    y, mo, d = np.where(ok, y, 1970), np.where(ok, mo, 1), np.where(ok, d, 1)
    h, mi, sec = np.where(ok, h, 0), np.where(ok, mi, 0), np.where(ok, sec, 0)
    year, month = y.astype("int64"), mo.astype("int64")
    day = (d - 1).astype("int64") + 1
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    ok &= day <= _MONTH_DAYS[month] + (leap & (month == 2))  # rejects 2026-02-30
    clock = np.round((h * 3600 + mi * 60 + sec) * 1e9).astype("int64")
    return _days_from_civil(year, month, day) * 86_400_000_000_000 + clock, ok


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (int64 arrays, years ≥ 0), the
    integer arithmetic of H. Hinnant's ``days_from_civil``."""
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(m > 2, m - 3, m + 9) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468


def _compile_template(template: str) -> tuple[np.ndarray, np.ndarray, dict[str, slice]]:
    """A ``_STAMP_TEMPLATES`` entry → (UTF-8 bytes, literal-byte mask, field byte slices)."""
    raw, literal, fields = bytearray(), [], {}
    for m in re.finditer(r"Y+|M+|D+|H+|m+|S+|.", template):
        tok = m.group()
        if tok[0] in "YMDHmS":
            fields[tok[0]] = slice(len(raw), len(raw) + len(tok))
            raw += b"0" * len(tok)
            literal += [False] * len(tok)
        else:
            enc = tok.encode()
            raw += enc
            literal += [True] * len(enc)
    return np.frombuffer(bytes(raw), np.uint8), np.array(literal), fields


_STAMP_LAYOUTS = [_compile_template(t) for t in _STAMP_TEMPLATES]


def _byte_rows(txt: pa.Array, rows: np.ndarray, width: int) -> np.ndarray:
    """The UTF-8 bytes of the given rows (all ``width`` bytes long) as a (rows × width) matrix."""
    b = txt.cast(pa.large_binary())
    offsets = np.frombuffer(b.buffers()[1], np.int64)[b.offset : b.offset + len(b) + 1]
    data = np.frombuffer(b.buffers()[2], np.uint8)
    return np.lib.stride_tricks.sliding_window_view(data, width)[offsets[rows]]


def _decode(m: np.ndarray, cols: slice | None) -> np.ndarray | float:
    """Decimal value of the ASCII digit bytes ``cols`` of a (rows × bytes) matrix (0 if None)."""
    if cols is None:
        return 0.0
    out = m[:, cols.start].astype(np.int64) - 48
    for column in range(cols.start + 1, cols.stop):
        out = out * 10 + (m[:, column].astype(np.int64) - 48)
    return out.astype(float)


def _stamp_fixed(txt: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cells in a zero-padded ``_STAMP_TEMPLATES`` form → (naive int64 ns, valid, matched).

    Rows are grouped by byte length; each group is one uint8 matrix compared with the
    template's literal bytes and decoded digit by digit with numpy.
    """
    n = len(txt)
    ns, ok, done = np.zeros(n, "int64"), np.zeros(n, bool), np.zeros(n, bool)
    lengths = _np(pc.fill_null(pc.binary_length(txt), -1))
    for raw, literal, fields in _STAMP_LAYOUTS:
        rows = np.flatnonzero((lengths == len(raw)) & ~done)
        if not len(rows):
            continue
        m = _byte_rows(txt, rows, len(raw))
        digit = m[:, ~literal]
        hit = (m[:, literal] == raw[literal]).all(1) & ((digit >= 48) & (digit <= 57)).all(1)
        if not hit.all():
            rows, m = rows[hit], m[hit]
        ns[rows], ok[rows] = _local_ns(*(_decode(m, fields.get(k)) for k in "YMDHmS"))
        done[rows] = True
    return ns, ok, done


def _stamp_text(txt: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Leftover timestamp texts → (int64 ns, valid mask, is-UTC mask).

    Zero-padded common forms go by fixed-width byte layouts; the rest (no padding, offsets,
    fractions of a second, dots) through one component regex.
    """
    ns, ok, done = _stamp_fixed(txt)
    utc = np.zeros(len(txt), bool)
    other = ~done
    if other.any():
        g = _groups(pc.filter(txt, other), _STAMP_RE)
        local, good = _local_ns(*(_f(g[k]) for k in ("Y", "mo", "d", "H", "Mi", "S")))
        off = _tz_offset_ns(g["tz"])
        ns[other] = local - np.nan_to_num(off).astype("int64")
        ok[other], utc[other] = good, ~np.isnan(off)
    return ns, ok, utc


def _tz_offset_ns(tz: pa.Array) -> np.ndarray:
    """Offset groups ("Z", "+08:00", "-0530") → offset in ns (NaN where absent)."""
    t = pc.replace_substring(pc.replace_substring(tz, ":", ""), "Z", "+0000")
    sign = np.where(_flag(pc.starts_with(t, "-")), -1.0, 1.0)
    hh = _f(pc.utf8_slice_codeunits(t, 1, 3))
    mm = _f(pc.utf8_slice_codeunits(t, 3, 5))
    return sign * (hh * 3600 + mm * 60) * 1e9


# Numeric timestamp kinds: (name, lowest, highest) accepted in "auto" mode and, when forced,
# the widest range that stays inside datetime64[ns].
_AUTO_KINDS = (
    ("yyyymmdd", 19000101, 22001231),
    ("excel", 20000, 80000),
    ("unix_s", 1e9, 1e11),
    ("unix_ms", 1e11, 1e14),
)
_FORCED_RANGE = {
    "yyyymmdd": (19000101, 22001231),
    "excel": (1, 110000),
    "unix_s": (-9e9, 9e9),
    "unix_ms": (-9e12, 9e12),
}
_KIND_NAMES = [name for name, _, _ in _AUTO_KINDS]


def _numeric_kind(x: np.ndarray, mode: NumericMode) -> np.ndarray:
    """Per cell, the index in ``_KIND_NAMES`` of the numeric form that applies (-1 for none)."""
    if mode != "auto":
        lo, hi = _FORCED_RANGE[mode]
        return np.where((x >= lo) & (x <= hi), _KIND_NAMES.index(mode), -1).astype("int8")
    kind = np.full(len(x), -1, dtype="int8")
    for code, (_, lo, hi) in enumerate(_AUTO_KINDS):
        inside = (x > lo) & (x < hi) if code == 1 else (x >= lo) & (x < hi)
        kind[(kind < 0) & inside] = code
    return kind


def _stamp_numbers(x: np.ndarray, mode: NumericMode) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numbers → (int64 ns, valid mask, is-UTC mask) by ``mode`` or, for "auto", by range."""
    kind = _numeric_kind(x, mode)
    ns = np.zeros(len(x), dtype="int64")
    ok = kind >= 0
    ymd = kind == 0
    if ymd.any():
        v = x[ymd]
        ns[ymd], good = _local_ns(v // 10000, v // 100 % 100, v % 100)
        ok[ymd] = good & (np.floor(v) == v)
    for code, unit_ns, offset_ns in (
        (1, 86_400_000_000_000, -25569 * 86_400_000_000_000),  # excel: days since 1899-12-30
        (2, 1_000_000_000, 0),  # unix seconds
        (3, 1_000_000, 0),  # unix milliseconds
    ):
        sel = kind == code
        # rounding to the microsecond removes float noise (46100.5 days, 1.7e9 s …)
        us = np.round(x[sel] * (unit_ns / 1000)) + offset_ns // 1000
        fits = np.abs(us) < 9.2e15  # inside datetime64[ns]
        ns[sel] = np.where(fits, us, 0).astype("int64") * 1000
        ok[sel] &= fits
    utc = kind >= 2
    return ns, ok, utc


def _to_shanghai(ns: np.ndarray, ok: np.ndarray, utc: np.ndarray, s: pd.Series) -> pd.Series:
    """Combine wall-clock (China time) and UTC ns into a datetime64[ns, Asia/Shanghai] Series."""
    ns = np.where(ok, ns, np.iinfo("int64").min)
    local = pd.DatetimeIndex(np.where(utc, np.iinfo("int64").min, ns).view("datetime64[ns]"))
    local = local.tz_localize(TZ, ambiguous="NaT", nonexistent="NaT").asi8
    out = np.where(utc, ns, local)
    idx = pd.DatetimeIndex(out.view("datetime64[ns]")).tz_localize("UTC").tz_convert(TZ)
    return pd.Series(idx, index=s.index, name=s.name)


def _datetime_like(s: pd.Series) -> pd.Series | None:
    """Fast path for datetime64 columns and object columns of datetime/date objects."""
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s.dt.tz_convert(TZ).astype(f"datetime64[ns, {TZ}]")
    if pd.api.types.is_datetime64_dtype(s.dtype):
        local = s.astype("datetime64[ns]").dt.tz_localize(TZ, ambiguous="NaT", nonexistent="NaT")
        return local
    if s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) in {"datetime", "date"}:
        try:
            parsed = pd.to_datetime(s)
        except (TypeError, ValueError):
            return None
        return _datetime_like(parsed) if parsed.dtype != object else None
    return None


def parse_timestamp(s: pd.Series, numeric: NumericMode = "auto") -> pd.Series:
    """Parse instants to datetime64[ns, Asia/Shanghai]; naive values are China time.

    Strings: "2026年03月24日17时33分05秒", "2026年06月03日 16:41:25", "2026年6月3日",
    "2026-06-03 16:41:25", "2026-06-03T16:41:25+08:00" (aware: converted), "2026/6/25 9:05".
    Cells: datetime/date/Timestamp objects. Numbers (or numeric strings), by ``numeric``:
    "yyyymmdd" (20220329), "excel" (serial days, epoch 1899-12-30, China time), "unix_s" and
    "unix_ms" (UTC instants); "auto" picks by range (yyyymmdd for 8-digit dates, excel for
    20000 < x < 80000, unix_s for 1e9 ≤ x < 1e11, unix_ms for 1e11 ≤ x < 1e14).
    """
    if numeric not in ("auto", "excel", "unix_s", "unix_ms", "yyyymmdd"):
        raise ValueError(f"unknown numeric mode {numeric!r}")
    fast = _datetime_like(s)
    if fast is not None:
        return fast.rename(s.name)
    num, pos, txt = _split(s)
    ns, ok, utc = _stamp_numbers(num, numeric)
    if len(pos):
        ns[pos], ok[pos], utc[pos] = _stamp_text(txt)
    return _to_shanghai(ns, ok, utc, s)


def parse_date(s: pd.Series, numeric: NumericMode = "auto") -> pd.Series:
    """The Asia/Shanghai calendar date of ``parse_timestamp`` (dtype date32[pyarrow])."""
    ts = parse_timestamp(s, numeric)
    days = ts.dt.tz_localize(None).to_numpy().astype("datetime64[D]")
    arr = pa.array(days, type=pa.date32(), from_pandas=True)
    return pd.Series(pd.arrays.ArrowExtensionArray(arr), index=s.index, name=s.name)


# --------------------------------------------------------------------------- ids and text


def _float_cells(s: pd.Series) -> np.ndarray:
    """Mask of cells that hold a float (a whole float column, or floats in an object column)."""
    if pd.api.types.is_float_dtype(s.dtype):
        return s.notna().to_numpy()
    kind = pd.api.types.infer_dtype(s, skipna=True) if s.dtype == object else ""
    if kind == "floating":
        return s.notna().to_numpy()
    if kind not in {"mixed-integer-float", "mixed", "mixed-integer"}:
        return np.zeros(len(s), dtype=bool)
    return s.map(lambda v: isinstance(v, float) and v == v).to_numpy(dtype=bool)


def _render(s: pd.Series, strict: bool) -> pa.Array:
    """Cells as stripped text; integral floats below 2**53 without ".0".

    Other floats become null when ``strict`` (ids) and keep their repr otherwise (text).
    """
    a = _raw_text(s)
    fl = _float_cells(s)
    if not fl.any():
        return a
    x = s[fl].to_numpy(dtype="float64")
    whole = np.isfinite(x) & (np.floor(x) == x) & (np.abs(x) < _MAX_SAFE)
    ints = pa.array(np.where(whole, x, 0).astype("int64")).cast(_LSTR)
    rendered = pc.if_else(pa.array(whole), ints, pc.filter(a, pa.array(fl)))
    if strict:
        rendered = pc.if_else(pa.array(whole), rendered, pa.scalar(None, _LSTR))
    return pc.replace_with_mask(a, pa.array(fl), rendered)


def parse_id(s: pd.Series) -> pd.Series:
    """Parse ids to "string": strings stripped and kept as they are ("10000050_1", "0012").

    Ints render as digits; floats only when exactly an integer below 2**53 (12345.0 → "12345");
    any other float (7.3012345678901e18, 12.5) is invalid.
    """
    return _string_series(_render(s, strict=True), s)


def parse_text(s: pd.Series) -> pd.Series:
    """Parse free text to "string": stripped; empty and NULL tokens become NA."""
    return _string_series(_render(s, strict=False), s)


def parse_bool(s: pd.Series) -> pd.Series:
    """Parse flags to "boolean": 是/否, true/false, yes/no, y/n, 1/0 (case-insensitive)."""
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype("boolean")
    a = pc.utf8_lower(_clean_text(s))
    idx = _np(pc.fill_null(pc.index_in(a, value_set=_BOOLS), -1)).astype(np.intp)
    values = (idx >= 0) & (idx < len(_BOOL_TRUE))
    arr = pd.arrays.BooleanArray(values, idx < 0)
    return pd.Series(arr, index=s.index, name=s.name)


# --------------------------------------------------------------------------- file names


def snapshot_date_from_name(name: str) -> dt.date | None:
    """The last real date in a file name ("YYYY-MM-DD", "YYYY_MM_DD" or "YYYYMMDD").

    Digits that are part of a longer digit run do not count. Returns None when there is none.
    """
    found = None
    for m in _NAME_DATE.finditer(name):
        y, _, mo, d = m.groups()
        try:
            found = dt.date(int(y), int(mo), int(d))
        except ValueError:
            continue
    return found
