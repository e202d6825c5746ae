"""Deterministic file writing: CSV via pandas, xlsx via xlsxwriter with fixed dates, mtimes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
import xlsxwriter

from samples.timeutil import SHANGHAI, set_mtime


def account_dir(out: Path, platform: str, account_id: str) -> Path:
    path = out / platform / account_id
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_time(day: dt.date) -> dt.datetime:
    """When a snapshot is downloaded: 09:30 Shanghai time on its date."""
    return dt.datetime(day.year, day.month, day.day, 9, 30, tzinfo=SHANGHAI)


def finish(path: Path, day: dt.date) -> Path:
    """Set the file's mtime to noon of its snapshot date and return it."""
    set_mtime(path, day)
    return path


def write_csv(
    frame: pd.DataFrame,
    path: Path,
    encoding: str = "utf-8-sig",
    sep: str = ",",
    lineterminator: str = "\n",
) -> None:
    """Write a frame of already formatted cells (None -> empty cell)."""
    frame.to_csv(
        path,
        index=False,
        encoding=encoding,
        sep=sep,
        lineterminator=lineterminator,
        errors="strict",
    )


def write_xlsx(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    created: dt.datetime,
    sheet: str = "Sheet1",
    banner: str | None = None,
) -> None:
    """One-sheet xlsx via xlsxwriter in constant-memory mode: strings stay strings (no
    formula or URL conversion), numbers numeric, ``None`` an empty cell."""
    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties({"created": created.replace(tzinfo=None), "author": ""})
    sheet_ = book.add_worksheet(sheet)
    r = 0
    if banner is not None:
        sheet_.merge_range(0, 0, 0, len(header) - 1, banner)
        r = 1
    sheet_.write_row(r, 0, list(header))
    for row in rows:
        r += 1
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet_.write_string(r, c, value)
            else:
                sheet_.write_number(r, c, value)
    book.close()
