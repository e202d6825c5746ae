"""Publish a report for a period: read the marts read-only, render, write atomically."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb

from reports import weekly_data_review
from reports.periods import SHANGHAI, Week
from reports.render import render_html


def publish_weekly(warehouse: Path, reports_dir: Path, week: Week) -> Path:
    """Write 《数据复盘报告》 for `week` to reports/weekly/<week>/; returns the HTML path."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        review = weekly_data_review.build(con, week)
    finally:
        con.close()
    html = render_html(
        "weekly_data_review.html.j2",
        review=review,
        generated_at=dt.datetime.now(SHANGHAI).strftime("%Y-%m-%d %H:%M"),
    )
    target = reports_dir / "weekly" / week.label / f"数据复盘报告_{week.label}.html"
    _write_atomically(target, html)
    return target


def _write_atomically(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)
