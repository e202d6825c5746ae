"""Holds: a failed blocking gate stops the reports that depend on it.

`run_gates` records the latest status of every suite in `<home>/gates/status.json`
(`record_results`); a report asks `active_holds(home, kind)` before it publishes and, when there
are holds, writes `hold_notice_markdown(kind, period, holds)` instead of the report. A later run
in which the suite passes clears its hold.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from registry.timezone import SHANGHAI

STATUS_FILE = Path("gates") / "status.json"

#: report kind -> the mart suites its numbers come from (only blocking ones can hold it)
REPORT_DEPENDENCIES: dict[str, tuple[str, ...]] = {
    "weekly": (
        "mart_kpi_scorecard_weekly",
        "mart_kpi_scorecard_weekly__platforms",
        "mart_engagement_weekly",
        "mart_engagement_weekly__platforms__warning",
        "mart_growth_weekly",
        "mart_growth_weekly__platforms",
        "mart_conversion_roi_weekly",
        "mart_conversion_roi_weekly__platforms",
        "mart_content_performance",
        "mart_sentiment_daily",
        "mart_ab_test_results",
        "mart_live_sessions",
        "mart_content_calendar_weekly",
    ),
    "user-needs": ("mart_user_needs_weekly",),
    #: mart_channel_pilots, and the content, growth and conversion inputs it is built from
    "channel-pilot": (
        "mart_channel_pilots",
        "mart_engagement_weekly",
        "mart_growth_weekly",
        "mart_conversion_roi_weekly",
    ),
    "quarterly": (
        "mart_engagement_weekly",
        "mart_engagement_weekly__platforms__warning",
        "mart_growth_weekly",
        "mart_growth_weekly__platforms",
        "mart_conversion_roi_weekly",
        "mart_conversion_roi_weekly__platforms",
        "mart_content_performance",
        "mart_sentiment_daily",
        "mart_kpi_scorecard_weekly",
        "mart_ab_test_results",
    ),
}

#: the raw report types each kind reads through its marts (its `raw_<table>` blocking suites
#: hold it too): every raw table for the weekly and quarterly reports; comments and brand
#: mentions for the user-needs report
RAW_REPORTS: dict[str, tuple[str, ...] | None] = {
    "weekly": None,  # None: every report type
    "user-needs": ("comments", "mentions"),
    "channel-pilot": None,
    "quarterly": None,
}

REPORT_TITLES = {
    "weekly": ("《数据复盘报告》", "weekly data review"),
    "user-needs": ("《用户需求周报》", "weekly user needs"),
    "quarterly": ("《新媒体趋势洞察报告》", "quarterly trend insight"),
    "channel-pilot": ("《新渠道可行性报告》", "new-channel feasibility"),
}

#: what each check means, for the notice (Chinese, English)
EXPECTATION_WORDS = {
    "table_missing": ("数据表不存在", "the table does not exist"),
    "could_not_run": ("检查无法运行", "the check could not run"),
    "expect_column_values_to_be_between": ("数值超出允许范围", "values outside the allowed range"),
    "expect_column_values_to_not_be_null": ("存在空值", "missing values"),
    "expect_column_values_to_be_null": ("存在无法解析的单元格", "unreadable cells"),
    "expect_column_values_to_be_unique": ("键重复", "duplicate keys"),
    "expect_compound_columns_to_be_unique": ("键重复", "duplicate keys"),
    "expect_column_values_to_be_in_set": ("出现未知取值", "unknown values"),
    "expect_column_values_to_match_regex": ("格式不正确", "values in the wrong format"),
    "expect_column_distinct_values_to_contain_set": (
        "缺少平台或取值",
        "platforms or values missing for the period",
    ),
    "expect_table_row_count_to_be_between": ("行数不符合预期", "unexpected number of rows"),
    "expect_table_columns_to_match_set": ("表结构与预期不符", "columns differ from the spec"),
    "expect_column_values_to_be_in_type_list": ("列类型不符", "column type differs"),
    "expect_column_pair_values_a_to_be_greater_than_b": (
        "两列大小关系不成立",
        "one column exceeds the other",
    ),
}


def status_path(home: Path) -> Path:
    return Path(home) / STATUS_FILE


def load_status(home: Path) -> dict[str, Any]:
    """`{"updated_at": ..., "suites": {suite: result dict}}`; empty before the first run."""
    path = status_path(home)
    if not path.exists():
        return {"updated_at": None, "suites": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def record_results(home: Path, results: Iterable[Any]) -> None:
    """Write the latest status of each suite in `results` to `home/gates/status.json`, keeping
    the other suites' entries; a passing result replaces (clears) an earlier failure."""
    status = load_status(home)
    entries = status.setdefault("suites", {})
    for result in results:
        entry = result.as_dict() if hasattr(result, "as_dict") else dict(result)
        entries[entry["suite"]] = entry
    status["updated_at"] = dt.datetime.now(SHANGHAI).isoformat(timespec="seconds")
    path = status_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".status-", suffix=".json", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(status, out, ensure_ascii=False, indent=2, default=str)
    os.replace(tmp, path)


def active_holds(home: Path, report_kind: str) -> list[dict]:
    """The failed blocking suites `report_kind` depends on (its mart suites, and the raw suites
    of the report types it reads), as recorded by the latest run of each: [{suite, table, severity, failed: [{expectation, column, detail, examples, rows}],
    period, run_id, checked_at, data_docs}]. Empty when the report may be published."""
    if report_kind not in REPORT_DEPENDENCIES:
        raise ValueError(
            f"unknown report kind {report_kind!r}; known: {', '.join(REPORT_DEPENDENCIES)}"
        )
    entries = load_status(home).get("suites", {})
    holds = []
    for suite in dependencies(report_kind, entries):
        entry = entries.get(suite)
        if not entry or entry.get("success") or entry.get("severity") != "blocking":
            continue
        holds.append(
            {
                "suite": entry["suite"],
                "table": entry["table"],
                "severity": entry["severity"],
                "failed": [
                    {
                        "expectation": f.get("expectation"),
                        "column": f.get("column"),
                        "detail": f.get("detail"),
                        "examples": f.get("examples") or [],
                        "rows": f.get("rows") or [],
                    }
                    for f in entry.get("failed", [])
                ],
                "period": entry.get("period"),
                "run_id": entry.get("run_id"),
                "checked_at": entry.get("checked_at"),
                "data_docs": entry.get("data_docs"),
            }
        )
    return holds


def dependencies(report_kind: str, recorded: Iterable[str] = ()) -> list[str]:
    """The suites `report_kind` depends on: its mart suites, then the recorded blocking raw
    suites of the report types it reads."""
    raw_reports = RAW_REPORTS.get(report_kind, ())
    raw = sorted(
        name
        for name in recorded
        if name.startswith("raw_")
        and not name.endswith("__warning")
        and (raw_reports is None or name.rsplit("__", 1)[-1] in raw_reports)
    )
    return [*REPORT_DEPENDENCIES[report_kind], *raw]


def hold_notice_markdown(report_kind: str, period: str, holds: list[dict]) -> str:
    """The notice published in place of a held report, in Chinese and English: the report, the
    period, each failed check with its column, detail and example values, and what to do."""
    zh_title, en_title = REPORT_TITLES.get(report_kind, (report_kind, report_kind))
    lines = [
        f"# 报告暂停发布：{zh_title} {period}",
        f"# Report on hold: {en_title} {period}",
        "",
        f"- 报告 Report: {zh_title} / {en_title} (`{report_kind}`)",
        f"- 周期 Period: {period}",
        f"- 未通过的阻断检查 Failed blocking gates: {len(holds)}",
        "",
        "以下阻断级数据质量检查未通过。为避免发布错误的数字，本期报告暂停发布，直到检查通过。",
        "",
        "The blocking data-quality checks below failed. So that no wrong number is published, "
        "this report is held until they pass.",
        "",
    ]
    docs = None
    for number, hold in enumerate(holds, start=1):
        docs = docs or hold.get("data_docs")
        checked = f"{hold['period']}" if hold.get("period") else ""
        lines += [
            f"## {number}. `{hold['suite']}` — `{hold['table']}`"
            + (f" ({checked})" if checked else ""),
            "",
        ]
        if hold.get("checked_at"):
            lines += [f"检查时间 Checked at: {hold['checked_at']} (run `{hold.get('run_id')}`)", ""]
        lines += [
            "| 检查 Check | 含义 Meaning | 列 Column | 详情 Detail | 示例值 Example values |",
            "|---|---|---|---|---|",
        ]
        for check in hold.get("failed", []):
            zh, en = EXPECTATION_WORDS.get(check.get("expectation") or "", ("", ""))
            meaning = f"{zh} / {en}" if zh else ""
            examples = ", ".join(_cell(v) for v in check.get("examples") or []) or "–"
            lines.append(
                f"| `{check.get('expectation')}` | {meaning} | {_cell(check.get('column') or '–')}"
                f" | {_cell(check.get('detail'))} | {examples} |"
            )
        rows = [(check, row) for check in hold.get("failed", []) for row in check.get("rows") or []]
        if rows:
            lines += ["", "示例行 Example rows:", ""]
            for check, row in rows[:10]:
                shown = ", ".join(f"{k}={_cell(v)}" for k, v in row.items())
                lines.append(f"- `{check.get('expectation')}`: {shown}")
        lines.append("")
    lines += [
        "## 怎么办 What to do",
        "",
        "1. 查看上面的失败检查和示例行" + (f"，以及 Data Docs：`{docs}`" if docs else "") + "。",
        "   Read the failed checks and example rows above"
        + (f", and the Data Docs: `{docs}`" if docs else "")
        + ".",
        "2. 若是导出文件有误：从平台后台重新导出，放入 `exports/<平台>/<账号>/`，再运行流水线；"
        "若是模型问题：请数据工程师修正 dbt 模型。",
        "   If an export is wrong, download it again from the platform's back office into "
        "`exports/<platform>/<account>/` and run the pipeline; if a model is wrong, a data "
        "engineer fixes the dbt model.",
        "3. 重新运行 `newmedia build`（或整条流水线）。检查通过后暂停自动解除，"
        f"再运行 `newmedia report {report_kind} --period {period}` 发布本期报告。",
        f"   Run `newmedia build` (or the pipeline) again. Once the checks pass the hold clears "
        f"by itself; then `newmedia report {report_kind} --period {period}` publishes the report.",
        "",
    ]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    """A value safe inside a markdown table cell."""
    text = "NULL" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ").replace("\r", " ")
