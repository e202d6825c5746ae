"""Personal data recognised by its form, wherever it sits: mainland mobile numbers (with or
without +86 and separators) and 18-digit resident id numbers (身份证, checksum verified) in any
text cell, a known column or not; and whole columns whose header says they hold phone or id
numbers (收件人手机号码, 联系电话, 身份证号 …). They are replaced before they land:

- a cell that is nothing but one number becomes the salted SHA-256 of its digits, the value a
  known personal column (`pii`) gets, so the two can still be joined;
- a number inside free text (a 买家留言, a comment) becomes `[手机号#<10 hex>]` or
  `[身份证号#<10 hex>]`, the start of that same hash, and the rest of the text stays.

Id columns (order, product, user ids) are not searched: their digits are not personal data and
must stay joinable.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_SEP = r"[ \t\-]"
#: a cheap RE2 test: cells that may hold one of the numbers (checked exactly below)
_MAYBE = rf"1[3-9][0-9]{_SEP}?[0-9]{{4}}{_SEP}?[0-9]{{4}}|[0-9]{{17}}[0-9Xx]"
_PHONE = re.compile(
    rf"(?<![0-9])(?:(?:\+|00)?86{_SEP}?)?(1[3-9][0-9]){_SEP}?([0-9]{{4}}){_SEP}?([0-9]{{4}})(?![0-9])"
)
_ID = re.compile(
    r"(?<![0-9A-Za-z])([1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"[0-9]{3}[0-9Xx])(?![0-9A-Za-z])"
)
#: headers of columns that hold phone or id numbers as a whole (not counts or rates of them,
#: such as 电话咨询量 or 电话接通率)
PERSONAL_HEADER = re.compile(
    r"^(?!.*(?:数|量|率|次|占比|count|rate)\s*$).*"
    r"(?:手机|电话|联系方式|身份证|证件号|phone|mobile|telephone|id.?card)",
    re.IGNORECASE,
)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_checksum_ok(number: str) -> bool:
    """The ISO 7064 MOD 11-2 check character of an 18-digit resident id number."""
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


def digest(salt: bytes, value: str) -> str:
    """SHA-256 of salt + value, hex: how every piece of personal data is stored."""
    return hashlib.sha256(salt + value.encode("utf-8")).hexdigest()


def mask_text(text: str, salt: bytes) -> str:
    """`text` with every phone or id number replaced (see the module docstring)."""
    found: list[tuple[int, int, str, str]] = []
    for match in _ID.finditer(text):
        if id_checksum_ok(match.group(1)):
            found.append((match.start(), match.end(), "身份证号", match.group(1).upper()))
    for match in _PHONE.finditer(text):
        if not any(s < match.end() and match.start() < e for s, e, _, _ in found):
            found.append((match.start(), match.end(), "手机号", "".join(match.groups())))
    if not found:
        return text
    found.sort()
    if len(found) == 1 and text.strip() == text[found[0][0] : found[0][1]]:
        return digest(salt, found[0][3])
    out, at = [], 0
    for start, end, kind, value in found:
        out += [text[at:start], f"[{kind}#{digest(salt, value)[:10]}]"]
        at = end
    return "".join([*out, text[at:]])


def _as_text(values: pd.Series) -> pd.Series:
    """Each cell as the text it shows (whole numbers without ".0"), NA where missing."""

    def one(value: Any) -> Any:
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return pd.NA
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return str(value)

    if isinstance(values.dtype, pd.StringDtype):
        return values
    return values.astype("object").map(one).astype("string")


def mask_series(values: pd.Series, salt: bytes) -> pd.Series:
    """`values` with phone and id numbers replaced in the cells that hold any; the other cells
    stay as they are (type and all)."""
    if not len(values) or pd.api.types.is_bool_dtype(values.dtype):
        return values
    text = _as_text(values)
    array = pa.array(text.array, type=pa.large_string(), from_pandas=True)
    hit = pc.fill_null(pc.match_substring_regex(array, _MAYBE), False)
    if not pc.any(hit).as_py():
        return values
    where = np.flatnonzero(hit.to_numpy(zero_copy_only=False))
    masked = [mask_text(cell, salt) for cell in text.iloc[where]]
    changed = [
        i for i, (new, old) in enumerate(zip(masked, text.iloc[where], strict=True)) if new != old
    ]
    if not changed:
        return values
    out = (
        values.copy()
        if values.dtype == object or isinstance(values.dtype, pd.StringDtype)
        else values.astype("object")
    )
    positions = where[changed]
    out.iloc[positions] = [masked[i] for i in changed]
    return out


def hash_column(values: pd.Series, salt: bytes) -> pd.Series:
    """Every non-missing cell of a personal column as its salted hash (separators and +86 of a
    phone number left out, so it matches the known columns' hash of the same number)."""
    text = _as_text(values)

    def one(value: Any) -> Any:
        if value is pd.NA or not str(value).strip():
            return pd.NA
        value = str(value).strip()
        phone = _PHONE.fullmatch(value)
        return digest(salt, "".join(phone.groups()) if phone else value)

    return text.astype("object").map(one).astype("string")


def mask_frame(cells: pd.DataFrame, salt: bytes) -> pd.DataFrame:
    """Raw cells with personal data replaced: a column with a personal header hashed whole,
    every other column searched for phone and id numbers."""
    if cells.shape[1] == 0:
        return cells
    out = {}
    for label in cells.columns:
        column = cells[label]
        if PERSONAL_HEADER.search(str(label)):
            out[label] = hash_column(column, salt)
        else:
            out[label] = mask_series(column, salt)
    return pd.DataFrame(out, index=cells.index)
