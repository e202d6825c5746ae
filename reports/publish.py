"""Publish a report for a period: check the quality gates it depends on, read the marts
read-only from the configured target (the DuckDB file or PostgreSQL, through warehouse.Reader),
render HTML (charts inlined), print the PDF with headless Chromium, write the Excel
workbook, and put the three files in `$NEWMEDIA_HOME/reports/<kind>/<period>/`, replacing what a
previous run of the same period left there. Delivery (e-mail, group robot) is reports.delivery.

A report whose gates hold it (expectations.holds.active_holds) is not rendered and not sent:
its folder gets HOLD.md, the notice that says which check failed on which rows, and
ReportHeldError is raised with that notice.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from reports.base import KIND_TITLES, Marts, Report
from reports.periods import (
    SHANGHAI,
    Quarter,
    Week,
    latest_complete_quarter,
    latest_complete_week,
    parse_quarter,
    parse_week,
)
from warehouse import Reader, open_reader

log = logging.getLogger(__name__)
#: the periodic reports (a week or a quarter); the channel-pilot report is per pilot
KINDS = tuple(kind for kind in KIND_TITLES if kind != "channel-pilot")
HOLD_FILE = "HOLD.md"
Progress = Callable[[str], None]


class ReportHeldError(RuntimeError):
    """A failed blocking quality gate holds the report; str(error) is the notice."""

    def __init__(self, notice: str, folder: Path | None = None) -> None:
        super().__init__(notice)
        self.notice = notice
        self.folder = folder


@dataclass
class PublishedReport:
    kind: str
    period: str
    title: str
    folder: Path
    html: Path
    pdf: Path
    xlsx: Path
    summary: list[str]
    delivered: dict[str, Any] = field(default_factory=dict)
    #: the dashboard the report links to (the weekly data review's, when configured)
    dashboard_url: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "period": self.period,
            "title": self.title,
            "folder": str(self.folder),
            "html": str(self.html),
            "pdf": str(self.pdf),
            "xlsx": str(self.xlsx),
            "summary": self.summary,
            "delivered": self.delivered,
        }


def resolve_period(kind: str, period: str | None, today: dt.date | None = None) -> Week | Quarter:
    """The report's period: `period` parsed, else the latest complete week or quarter."""
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}: one of {', '.join(KINDS)}")
    if kind == "quarterly":
        return parse_quarter(period) if period else latest_complete_quarter(today)
    return parse_week(period) if period else latest_complete_week(today)


def check_holds(home: Path, kind: str, period: str, folder: Path) -> None:
    """Raise ReportHeldError (after writing HOLD.md) when a failed gate holds `kind`."""
    from expectations.holds import active_holds, hold_notice_markdown

    holds = active_holds(home, kind)
    if not holds:
        (folder / HOLD_FILE).unlink(missing_ok=True)
        return
    notice = hold_notice_markdown(kind, period, holds)
    folder.mkdir(parents=True, exist_ok=True)
    # the folder must not offer an earlier run's report as if it were current
    for child in folder.iterdir():
        if child.is_file():
            child.unlink()
        else:
            shutil.rmtree(child)
    (folder / HOLD_FILE).write_text(notice, encoding="utf-8")
    raise ReportHeldError(notice, folder)


def build_report(
    reader: Reader | duckdb.DuckDBPyConnection, kind: str, period: Week | Quarter
) -> Report:
    """Build `kind` for `period` from the marts `reader` reads (a DuckDB connection is wrapped)."""
    marts = Marts(reader)
    if kind == "weekly":
        from reports import weekly_data_review

        return weekly_data_review.build(marts, period)
    if kind == "user-needs":
        from reports import user_needs

        return user_needs.build(marts, period)
    from reports import quarterly_trends

    return quarterly_trends.build(marts, period)


def publish_report(
    kind: str,
    period: str | Week | Quarter | None = None,
    *,
    home: Path,
    warehouse: Path | None = None,
    target: str = "duckdb",
    postgres: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    pdf: bool = True,
    dashboard: str | None = None,
    chromium: str | None = None,
    lock_timeout: float | None = None,
) -> PublishedReport:
    """Render `kind` for `period` into home/reports/<kind>/<period>/ and return its files.

    The marts are read from `target`: "duckdb" reads the file `warehouse` (default
    home/warehouse.duckdb; waited for at most `lock_timeout` seconds while ingest or dbt writes
    it), "postgres" the PostgreSQL warehouse `postgres` connects to (psycopg2 keyword
    arguments). `dashboard` is the dashboard's address the weekly data review links to,
    `chromium` the browser binary that prints the PDF (the settings' NEWMEDIA_LOCK_TIMEOUT,
    NEWMEDIA_PG_*, NEWMEDIA_DASHBOARD_URL and NEWMEDIA_CHROMIUM)."""
    say = progress or (lambda _step: None)
    if not isinstance(period, (Week, Quarter)):
        period = resolve_period(kind, period, today)
    reports_dir = home / "reports"
    folder = reports_dir / kind / period.label
    say("检查质量闸门 (quality gates)")
    check_holds(home, kind, period.label, folder)

    say("读取 marts (reading the marts)")
    # on DuckDB, while ingest or dbt writes the file: wait, saying so, up to the lock timeout
    with open_reader(
        target,
        duckdb_path=warehouse or home / "warehouse.duckdb",
        postgres=postgres,
        on_wait=say,
        lock_timeout=lock_timeout,
    ) as reader:
        report = build_report(reader, kind, period)
    return write_report(
        report, folder, progress=say, pdf=pdf, dashboard=dashboard, chromium=chromium
    )


def write_report(
    report: Report,
    folder: Path,
    *,
    progress: Progress | None = None,
    pdf: bool = True,
    dashboard: str | None = None,
    chromium: str | None = None,
) -> PublishedReport:
    """Write HTML, PDF and workbook into a staging folder beside `folder`, then swap it in, so
    a re-run replaces the period's files whole and a failed run leaves the previous ones. The
    weekly data review links to `dashboard` (an http(s) address); `chromium` prints the PDF
    (default: found on PATH)."""
    from reports.base import dashboard_url
    from reports.charts import cjk_font
    from reports.chromium import print_pdf
    from reports.excel import write_workbook
    from reports.render import render_html

    say = progress or (lambda _step: None)
    link = dashboard_url(report.kind, dashboard)
    cjk_font()  # the PDF's Chinese text needs the font as much as the charts do: fail loudly
    generated_at = dt.datetime.now(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    from ingest.loader import owner_only

    owner_only(folder.parent.parent)  # home/reports: reports hold the team's figures
    owner_only(folder.parent)
    staging = folder.with_name(f".{folder.name}.{os.getpid()}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(mode=0o700)
    try:
        say("生成 HTML 与图表 (HTML and charts)")
        html = staging / f"{report.file_stem}.html"
        html.write_text(
            render_html(
                report.template,
                report=report,
                generated_at=generated_at,
                dashboard_url=link,
            ),
            encoding="utf-8",
        )
        if pdf:
            say("打印 PDF (headless Chromium)")
            print_pdf(
                html,
                staging / f"{report.file_stem}.pdf",
                f"{report.title} {report.period}",
                chromium=chromium,
            )
        say("写入 Excel (workbook)")
        about = [
            ("报告", report.title),
            ("周期", report.period_text),
            ("生成时间", f"{generated_at}（北京时间）"),
            ("数据来源", "、".join(report.sources)),
            ("摘要", "\n".join(report.summary_lines())),
        ]
        write_workbook(staging / f"{report.file_stem}.xlsx", about, list(report.tables.values()))
        (staging / "summary.json").write_text(
            json.dumps(
                {
                    "kind": report.kind,
                    "period": report.period,
                    "title": report.title,
                    "generated_at": generated_at,
                    "summary": report.summary_lines(),
                    "sources": report.sources,
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
        old = folder.with_name(f".{folder.name}.{os.getpid()}.old")
        if folder.exists():
            os.replace(folder, old)
        os.replace(staging, folder)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return PublishedReport(
        kind=report.kind,
        period=report.period,
        title=report.title,
        folder=folder,
        html=folder / f"{report.file_stem}.html",
        pdf=folder / f"{report.file_stem}.pdf",
        xlsx=folder / f"{report.file_stem}.xlsx",
        summary=report.summary_lines(),
        dashboard_url=link,
    )
