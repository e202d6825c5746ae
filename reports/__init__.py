"""Build the reports from the marts and publish them under $NEWMEDIA_HOME/reports/<kind>/<period>/:
《数据复盘报告》(weekly), 《用户需求周报》(user-needs) and 《新媒体趋势洞察报告》(quarterly), each as
a self-contained HTML file, a PDF and an Excel workbook. See reports/README.md."""

from reports.publish import (
    KINDS,
    PublishedReport,
    ReportHeldError,
    publish_report,
    resolve_period,
)

__all__ = [
    "KINDS",
    "PublishedReport",
    "ReportHeldError",
    "publish_report",
    "resolve_period",
]
