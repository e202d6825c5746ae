"""Report tables: one definition of a table's columns and formats, rendered the same way in the
HTML (and so the PDF), the Excel workbook and the webhook summary.

A value is missing (NULL in the mart) when it is None, NaN or pandas' NA; it is shown as "—" and
left empty in Excel, never as 0.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

import registry

#: platform id → the name a reader sees (the registry's Chinese names), with the report's own
#: rows for all platforms and the mentions of other sites
PLATFORM_NAMES = {
    "all": "全部平台",
    **registry.names_zh(),
    "wecom": "企业微信（私域）",
    "other": "其他",
}
#: the order of platforms in tables and charts: the registry's content platforms, then 企业微信
PLATFORM_ORDER = [*registry.content_platforms(), *registry.ids("private_domain")]

# how a value is written: html/pdf text and the Excel number format
FORMATS: dict[str, str] = {
    "text": "@",
    "int": "#,##0",
    "num1": "#,##0.0",
    "num2": "#,##0.00",
    "cny": "#,##0.00",
    "pct": "0.0%",
    "pct2": "0.00%",
    "change": "+0.0%;-0.0%;0.0%",
    "pp": '+0.00" pp";-0.00" pp";0.00" pp"',
    "ratio": "0.00",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "bool": "@",
}


def platform_name(code: Any) -> str:
    if is_missing(code):
        return "—"
    return PLATFORM_NAMES.get(str(code), str(code))


def platform_rank(code: str) -> int:
    return PLATFORM_ORDER.index(code) if code in PLATFORM_ORDER else len(PLATFORM_ORDER)


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (str, bytes)) else False
    except (TypeError, ValueError):
        return False


def plain(value: Any) -> Any:
    """A Python value (int, float, str, date, bool or None) for Excel and JSON."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalars
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        from reports.periods import SHANGHAI

        value = value.astimezone(SHANGHAI).replace(tzinfo=None)
    return value


def format_value(value: Any, fmt: str) -> str:
    """The text a reader sees for `value` in format `fmt`."""
    value = plain(value)
    if value is None:
        return "—"
    if fmt == "text":
        return str(value)
    if fmt == "bool":
        return "是" if value else "否"
    if fmt == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]
    if fmt == "datetime":
        return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else str(value)
    number = float(value)
    if fmt == "int":
        return f"{number:,.0f}"
    if fmt == "num1":
        return f"{number:,.1f}"
    if fmt in {"num2", "cny"}:
        return f"{number:,.2f}"
    if fmt == "ratio":
        return f"{number:.2f}"
    if fmt == "pct":
        return f"{number * 100:.1f}%"
    if fmt == "pct2":
        return f"{number * 100:.2f}%"
    if fmt == "change":
        return f"{number * 100:+.1f}%"
    if fmt == "pp":
        return f"{number * 100:+.2f} pp"
    raise ValueError(f"unknown format {fmt!r}")


def change(current: Any, previous: Any) -> float | None:
    """Relative change current / previous − 1 (None when either is unknown or previous is 0)."""
    current, previous = plain(current), plain(previous)
    if current is None or previous is None or previous == 0:
        return None
    return float(current) / float(previous) - 1.0


def difference(current: Any, previous: Any) -> float | None:
    """current − previous (rates: the change in percentage points, as a fraction)."""
    current, previous = plain(current), plain(previous)
    if current is None or previous is None:
        return None
    return float(current) - float(previous)


def changes(current: Iterable[Any], previous: Iterable[Any]) -> list[float | None]:
    """`change` of each pair of `current` and `previous` (equal lengths)."""
    return [change(a, b) for a, b in zip(current, previous, strict=True)]


def in_platform_order(df: pd.DataFrame, *then: str) -> pd.DataFrame:
    """`df` with a "rank" column (the platform's place in PLATFORM_ORDER), sorted by rank, then
    platform, then the columns `then`; a fresh index."""
    df["rank"] = df["platform"].map(platform_rank)
    return df.sort_values(["rank", "platform", *then]).reset_index(drop=True)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    fmt: str = "text"  # a key of FORMATS, or "auto": the row's own "fmt" value (KPI tables)
    # when set, the cell is coloured by the sign of this column's value (up green, down red)
    signed: bool = False


@dataclass
class Table:
    """A table of a report: its sheet in the workbook, its title and note in the HTML."""

    sheet: str
    title: str
    columns: list[Column]
    frame: pd.DataFrame
    note: str = ""
    empty_text: str = "本期没有数据。"
    source: str = ""  # the marts it reads, named in the HTML and the workbook
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return self.frame.empty

    def records(self) -> list[dict[str, Any]]:
        """Rows as plain values, with "fmt" (the row's format for "auto" columns)."""
        return [
            {**{c.key: plain(row.get(c.key)) for c in self.columns}, "fmt": row.get("fmt")}
            for row in self._rows()
        ]

    def _rows(self) -> Iterator[dict[str, Any]]:
        for _, row in self.frame.iterrows():
            yield row.to_dict()

    def html_rows(self) -> list[list[tuple[str, str]]]:
        """Each row as (text, css class) per column."""
        rows = []
        for row in self._rows():
            cells = []
            for column in self.columns:
                value = row.get(column.key)
                fmt = row_format(column, row)
                css = "num" if fmt not in {"text", "date", "datetime", "bool"} else "text"
                if column.signed and not is_missing(value):
                    css += " up" if float(value) > 0 else " down" if float(value) < 0 else ""
                cells.append((format_value(value, fmt), css))
            rows.append(cells)
        return rows


def row_format(column: Column, row: dict[str, Any]) -> str:
    if column.fmt != "auto":
        return column.fmt
    fmt = row.get("fmt")
    return fmt if isinstance(fmt, str) and fmt in FORMATS else "num2"


def frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """A DataFrame of `rows` with exactly `columns` (empty when there are no rows)."""
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
