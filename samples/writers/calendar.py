"""The publishing plan as the team exports it from 飞书多维表格: the whole plan once a week. The
next-to-last week's export is a CSV (UTF-8 with BOM) holding the plans up to a week after it, with
the statuses of then; the last is an xlsx holding every plan, which replaces it in the warehouse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from samples.calendar_gen import HEADER
from samples.files import account_dir, export_time, finish, write_csv, write_xlsx
from samples.model import SampleDataset
from samples.timeutil import day_number

FOLDER = "content_calendar"


def write(ds: SampleDataset, out: Path) -> list[Path]:
    frame = ds.frames.get("content_calendar")
    if frame is None or frame.empty:
        return []
    folder = account_dir(out, FOLDER, "brand")
    dates = ds.snapshot_dates()
    paths = []
    if len(dates) >= 2:
        earlier: dt.date = dates[-2]
        rows = frame[frame["true_planned_day"] < day_number(earlier) + 7].copy()
        rows.loc[rows["true_planned_day"] >= day_number(earlier), "状态"] = "待发布"
        path = folder / f"内容排期_{earlier.isoformat()}.csv"
        write_csv(rows[list(HEADER)], path, encoding="utf-8-sig")
        paths.append(finish(path, earlier))
    latest = dates[-1]
    path = folder / f"内容排期_{latest.isoformat()}.xlsx"
    cells = frame[list(HEADER)].astype(object).where(frame[list(HEADER)].notna(), None)
    write_xlsx(path, HEADER, cells.itertuples(index=False, name=None), export_time(latest))
    paths.append(finish(path, latest))
    return paths
