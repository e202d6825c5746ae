"""The Excel workbook of a report: one sheet per table behind it, plus a sheet that says what the
report is (title, period, generated at, the marts read).

Text cells that start with "=", "+", "-" or "@" (and tab or carriage return) are neutralised
with a leading apostrophe, so a title such as "=HYPERLINK(…)" from an export stays text in Excel
and never runs as a formula (CSV/formula injection).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.tables import FORMATS, Table, plain, row_format

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def neutralise(value: Any) -> Any:
    """Text that Excel would read as a formula, prefixed with an apostrophe; other values as is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("_", name).strip("'")[:31] or "Sheet"
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"_{n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def write_workbook(path: Path, about: list[tuple[str, str]], tables: list[Table]) -> None:
    workbook = Workbook()
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="F0F4F8")
    taken: set[str] = set()

    sheet = workbook.active
    sheet.title = _sheet_name("说明", taken)
    for row, (key, value) in enumerate(about, start=1):
        sheet.cell(row=row, column=1, value=neutralise(key)).font = header_font
        sheet.cell(row=row, column=2, value=neutralise(value))
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 90

    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.sheet, taken))
        for col, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=1, column=col, value=neutralise(column.header))
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row, record in enumerate(table.records(), start=2):
            for col, column in enumerate(table.columns, start=1):
                value = plain(record[column.key])
                fmt = row_format(column, record)
                if fmt == "pp" and value is not None:
                    value = float(value) * 100  # shown as percentage points
                if fmt == "bool" and value is not None:
                    value = "是" if value else "否"
                if fmt == "text" and value is not None and not isinstance(value, str):
                    value = str(value)
                cell = sheet.cell(row=row, column=col, value=neutralise(value))
                if isinstance(value, str):
                    cell.data_type = "s"
                elif value is not None and fmt not in {"text", "bool"}:
                    cell.number_format = FORMATS[fmt]
        for col, column in enumerate(table.columns, start=1):
            width = (
                36 if column.fmt == "text" and column.key in {"title", "example", "text"} else 14
            )
            sheet.column_dimensions[get_column_letter(col)].width = width
        sheet.freeze_panes = "A2"
        if table.note or table.source:
            row = sheet.max_row + 2
            note = "；".join(
                x for x in (table.note, f"数据来源：{table.source}" if table.source else "") if x
            )
            sheet.cell(row=row, column=1, value=neutralise(note)).font = Font(
                italic=True, color="7B8794"
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
