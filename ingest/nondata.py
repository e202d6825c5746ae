"""Rows of an export that are not data: summary rows (合计, 总计, 小计, 平均 …), notes and
footers (注：…, 数据来源：…, 导出时间：…). They are taken out before the cells are typed, so
they are never a content and never in a sum, and the file's status line says which rows they
were, instead of the whole file being quarantined for a row whose date reads 「合计」.

A summary row: its first non-blank cell, in the first two columns, is a summary word (alone or
followed by a colon or a bracket: 「合计」, 「总计：」, 「平均值(30天)」). A note or footer: a row
with one non-blank cell, in the first column, that starts with a note word and a colon, or
with ※ or *, or that says where or when the data comes from (截至, 数据来源, 导出 …).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_SUMMARY = (
    r"^\s*(?:合计|总计|小计|汇总|总和|总数|平均|平均值|均值|累计|全部合计|"
    r"(?i:total|sum|subtotal|grand total|average|avg))\s*(?:[:：(（\[【].*)?$"
)
_NOTE = (
    r"^\s*(?:(?:注|注意|备注|说明|提示|温馨提示|数据来源|数据说明|统计说明|口径说明|导出时间|"
    r"统计时间|统计周期|数据更新时间|更新时间|制表|制表人|报表生成时间|(?i:note|notes|source))"
    r"\s*[:：]|[※*＊])|截至|截止|数据来源|仅供参考|导出于"
)
_SUMMARY_RE = re.compile(_SUMMARY)


def _text(column: pd.Series) -> pa.Array:
    if isinstance(column.dtype, pd.StringDtype):
        array = pa.array(column.array, from_pandas=True)
    else:
        array = pa.array(
            [v if isinstance(v, str) else None for v in column], type=pa.large_string()
        )
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.large_string())


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def may_hold(cells: pa.Table, labels: list[str]) -> bool:
    """True when a chunk of text cells (Arrow) may hold a row that is not data: the test that
    `split` starts with (False: `split` would return the chunk as it is)."""
    if not cells.num_rows or not labels:
        return False
    first = cells.column(labels[0])
    maybe = pc.fill_null(pc.match_substring_regex(first, _SUMMARY + "|" + _NOTE), False)
    if len(labels) > 1:
        second = pc.fill_null(pc.match_substring_regex(cells.column(labels[1]), _SUMMARY), False)
        maybe = pc.or_(maybe, second)
    return bool(pc.any(maybe).as_py())


def split(
    cells: pd.DataFrame, labels: list[str], keys: list[str] | None = None
) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """(the data rows, [(row number, what the row says)] of the rows that are not data).

    `keys` are the labels of the columns every data row fills (ids, dates): a summary row
    leaves them blank (or holds its summary word there), so a content titled 「合计」 with its
    id and date stays data."""
    if not len(cells) or not labels:
        return cells, []
    first = _text(cells[labels[0]])
    maybe = pc.fill_null(pc.match_substring_regex(first, _SUMMARY + "|" + _NOTE), False)
    second = None
    if len(labels) > 1:
        second = _text(cells[labels[1]])
        maybe = pc.or_(maybe, pc.fill_null(pc.match_substring_regex(second, _SUMMARY), False))
    if not pc.any(maybe).as_py():
        return cells, []
    found: list[tuple[int, str]] = []
    drop = np.zeros(len(cells), dtype=bool)
    for position in np.flatnonzero(maybe.to_numpy(zero_copy_only=False)):
        row = cells.iloc[position]
        values = [row[label] for label in labels]
        filled = [v for v in values if not _blank(v)]
        lead = next((v for v in values[:2] if not _blank(v)), None)
        shown = None
        keyed = [row[k] for k in keys or () if k in row.index]
        if (
            isinstance(lead, str)
            and _SUMMARY_RE.match(lead)
            and all(_blank(v) or v == lead for v in keyed)
        ):
            shown = lead.strip()
        elif (
            len(filled) == 1
            and len(labels) >= 3
            and isinstance(values[0], str)
            and not _blank(values[0])
            and re.search(_NOTE, values[0])
        ):
            shown = values[0].strip()
        if shown is not None:
            drop[position] = True
            found.append((int(row["_row_number"]), shown))
    if not found:
        return cells, []
    return cells[~drop], found


def describe(rows: list[tuple[int, str]]) -> str:
    """What a status line says of the rows left out."""
    shown = "; ".join(f"row {number} 「{text[:30]}」" for number, text in rows[:3])
    more = f" and {len(rows) - 3} more" if len(rows) > 3 else ""
    return (
        f"{len(rows)} row(s) that are not data (summary, note or footer) left out, never "
        f"counted: {shown}{more}"
    )
