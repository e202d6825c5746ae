"""《新渠道可行性报告》new-channel feasibility: a pilot account's (or platform's) weeks against the
established channels, with the rule-based verdict continue / extend the pilot / stop. Every
number comes from dbt: mart_channel_pilots (one row per pilot week, the verdict as of each week,
its rules in the model's description) and rpt_channel_pilot_comparison (the six verdict metrics
at the latest week, weeks to date, against the established channels' same weeks). This module
selects the pilot's rows and lays them out.

Published by the quarterly DAG for every account in its first two quarters (a pilot with weeks
in the quarter before the run), and on demand: ``newmedia report channel-pilot --platform P
--account A``. Files go to ``$NEWMEDIA_HOME/reports/channel-pilot/<platform>-<account>-<week>/``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

import registry
from reports import charts
from reports.base import Highlight, Marts, Report
from reports.periods import Quarter
from reports.rules import Action
from reports.tables import Column, Table, format_value, plain, platform_name

KIND = "channel-pilot"
MART = "mart_channel_pilots"
COMPARISON = "rpt_channel_pilot_comparison"
#: an account id as a landing folder names it: no path separators, no leading dot
_ACCOUNT = re.compile(r"^[^/\\\x00-\x1f.][^/\\\x00-\x1f]{0,127}$")
VERDICTS = {
    "continue": ("继续投入", 1),
    "extend": ("延长试点", 0),
    "stop": ("停止试点", -1),
}
PILOT_KINDS = {"platform": "新平台", "account": "新账号"}
METRIC_FORMATS = {
    "views_per_week": "int",
    "interaction_rate": "pct2",
    "net_follower_gain_per_week": "num1",
    "cost_per_follower": "cny",
    "cost_per_lead": "cny",
    "roi": "ratio",
}
RULES = [
    "R1 试点不足 4 周，或没有任何一项指标可比 → 延长试点（数据不足，继续观察）。",
    "R2 可比指标中至少一半达标 → 继续投入。达标：每周播放/阅读、互动率、每周净增粉丝、ROI "
    "不低于成熟渠道同期的 0.8 倍；单粉成本、单线索成本不高于成熟渠道同期的 1.25 倍。",
    "R3 试点满 8 周且达标指标不足四分之一 → 停止试点。",
    "R4 其余情况 → 延长试点。",
    "口径：试点 = 首次出现（发布内容或有粉丝数据）晚于数据起始 2 周以上的内容账号，在其最初两个自然季度内；"
    "成熟渠道 = 其余内容账号，按周合并（播放、粉丝、GMV 取每账号平均，比率与成本取合计之比）；"
    "投放消耗、线索与 GMV 为能对应到该账号作品的部分。",
]


class PilotNotFoundError(ValueError):
    """The account is not a pilot in the warehouse (or not an account at all)."""


def check_pilot_arguments(platform: str, account: str) -> None:
    """A registered platform and an account id that can name a folder; else ValueError."""
    if platform not in registry.content_platforms():
        known = "、".join(registry.content_platforms())
        raise ValueError(f"unknown content platform {platform!r}: one of {known}")
    if not _ACCOUNT.match(account):
        raise ValueError(f"{account!r} is not an account id (the account's folder name)")


def pilot_rows(marts: Marts, platform: str, account: str) -> pd.DataFrame:
    marts.require(MART)
    df = marts.df(
        f"select * from marts.{MART} where platform = $platform and account_id = $account",
        {"platform": platform, "account": account},
    )
    return df.sort_values("pilot_week", kind="stable").reset_index(drop=True)


def current_pilots(marts: Marts, quarter: Quarter) -> list[tuple[str, str]]:
    """The pilots with weeks in `quarter` (accounts in their first two quarters then)."""
    marts.require(MART)
    df = marts.df(
        f"select distinct platform, account_id from marts.{MART} "
        "where week_start >= $start and week_start <= $end",
        {"start": quarter.start, "end": quarter.end},
    )
    return sorted((str(p), str(a)) for p, a in zip(df["platform"], df["account_id"], strict=True))


def _number(value: Any, fmt: str) -> str:
    return format_value(value, fmt)


def build(marts: Marts, platform: str, account: str) -> Report:
    check_pilot_arguments(platform, account)
    weeks = pilot_rows(marts, platform, account)
    if weeks.empty:
        raise PilotNotFoundError(
            f"{platform_name(platform)} {account} is not a pilot in marts.{MART}: a pilot is an "
            "account whose first week comes 2 weeks or more after the data's first week, in its "
            "first two quarters (run `newmedia build` after loading its exports)"
        )
    marts.require(COMPARISON)
    comparison = marts.df(
        f"select * from marts.{COMPARISON} where platform = $platform and account_id = $account",
        {"platform": platform, "account": account},
    ).sort_values("metric_order", kind="stable")
    latest = {k: plain(v) for k, v in weeks.iloc[-1].items()}
    verdict_text, direction = VERDICTS[latest["verdict_code"]]
    name = platform_name(platform)
    account_name = _account_name(marts, platform, account)

    comparison = comparison.assign(
        fmt=comparison["metric"].map(METRIC_FORMATS),
        meets=comparison["meets_bar"].map(
            lambda v: "—" if plain(v) is None else ("达标" if v else "未达标")
        ),
        bar_text=[
            f"≤ {b:.2f} 倍" if low else f"≥ {b:.2f} 倍"
            for b, low in zip(comparison["bar"], comparison["lower_is_better"], strict=True)
        ],
    ).reset_index(drop=True)
    weekly = weeks.assign(verdict=weeks["verdict"]).reset_index(drop=True)

    tables = {
        "comparison": Table(
            "对比成熟渠道",
            f"试点至今对比成熟渠道（截至 {latest['week']}，第 {latest['pilot_week']} 周）",
            [
                Column("metric_name", "指标"),
                Column("pilot_value", "试点", "auto"),
                Column("benchmark_value", "成熟渠道同期", "auto"),
                Column("index_value", "试点 / 成熟渠道", "ratio"),
                Column("bar_text", "达标线"),
                Column("meets", "是否达标"),
            ],
            comparison,
            note="试点至今各周合计与成熟渠道同期合计之比；无法计算的指标（如无投放或无 GMV）不参与判定。",
            source=COMPARISON,
        ),
        "weekly": Table(
            "试点逐周",
            "试点逐周数据与当周结论",
            [
                Column("pilot_week", "试点周", "int"),
                Column("week", "ISO 周"),
                Column("contents", "发布数", "int"),
                Column("views", "播放/阅读", "int"),
                Column("interaction_rate", "互动率", "pct2"),
                Column("net_follower_gain", "净增粉丝", "int"),
                Column("ad_spend", "投放消耗（元）", "cny"),
                Column("cost_per_follower", "单粉成本（元）", "cny"),
                Column("leads", "线索", "int"),
                Column("cost_per_lead", "单线索成本（元）", "cny"),
                Column("gmv", "GMV（元）", "cny"),
                Column("roi", "ROI", "ratio"),
                Column("metrics_met", "达标项", "int"),
                Column("metrics_judged", "可比项", "int"),
                Column("verdict", "当周结论"),
            ],
            weekly,
            source=MART,
        ),
        "benchmark": Table(
            "成熟渠道逐周",
            "成熟渠道同期（每账号平均 / 合计之比）",
            [
                Column("week", "ISO 周"),
                Column("benchmark_accounts", "账号数", "int"),
                Column("benchmark_views_per_account", "每账号播放/阅读", "int"),
                Column("benchmark_interaction_rate", "互动率", "pct2"),
                Column("benchmark_net_follower_gain_per_account", "每账号净增粉丝", "num1"),
                Column("benchmark_cost_per_follower", "单粉成本（元）", "cny"),
                Column("benchmark_cost_per_lead", "单线索成本（元）", "cny"),
                Column("benchmark_roi", "ROI", "ratio"),
            ],
            weekly,
            source=MART,
        ),
    }
    x = [str(w) for w in weeks["week"]]
    report_charts = {
        "views": charts.lines(
            "每周播放/阅读：试点 vs 成熟渠道每账号平均",
            x,
            {
                "试点": [plain(v) for v in weeks["views"]],
                "成熟渠道（每账号）": [plain(v) for v in weeks["benchmark_views_per_account"]],
            },
        ),
        "followers": charts.lines(
            "每周净增粉丝：试点 vs 成熟渠道每账号平均",
            x,
            {
                "试点": [plain(v) for v in weeks["net_follower_gain"]],
                "成熟渠道（每账号）": [
                    plain(v) for v in weeks["benchmark_net_follower_gain_per_account"]
                ],
            },
        ),
        "index": charts.bars(
            "试点 / 成熟渠道（试点至今）",
            [str(n) for n in comparison["metric_name"]],
            {"指数": [plain(v) for v in comparison["index_value"]]},
            kind="ratio",
            horizontal=True,
            reference=1.0,
            reference_label="成熟渠道 = 1",
        ),
    }
    judged, met = latest["metrics_judged"] or 0, latest["metrics_met"] or 0
    highlights = [
        Highlight("结论", verdict_text, f"第 {latest['pilot_week']} 周", direction),
        Highlight("达标指标", f"{met} / {judged}", "可比指标中达标的项数"),
        Highlight(
            "每周播放/阅读",
            _number(latest.get("views_per_week_to_date"), "int"),
            "成熟渠道 " + _number(latest.get("benchmark_views_per_week_to_date"), "int"),
        ),
        Highlight(
            "单粉成本",
            _number(latest.get("cost_per_follower_to_date"), "cny"),
            "成熟渠道 " + _number(latest.get("benchmark_cost_per_follower_to_date"), "cny"),
        ),
    ]
    reasons = [
        f"{row['metric_name']}：试点 {format_value(row['pilot_value'], row['fmt'])}，"
        f"成熟渠道 {format_value(row['benchmark_value'], row['fmt'])}，{row['meets']}"
        for _, row in comparison.iterrows()
        if plain(row["meets_bar"]) is not None
    ]
    action = Action(
        rule={"continue": "R2", "stop": "R3"}.get(latest["verdict_code"], "R1/R4"),
        finding=f"{name} {account_name}：{verdict_text}（达标 {met} / 可比 {judged}）",
        action={
            "continue": "转为常规渠道：纳入周报与 KPI 目标，按当前节奏继续投入内容与投放。",
            "extend": "延长试点：保持投入，再观察 4 周；重点改进未达标的指标。",
            "stop": "停止试点：暂停新增内容与投放，把预算转回表现更好的成熟渠道。",
        }[latest["verdict_code"]],
        priority=1 if latest["verdict_code"] != "extend" else 2,
    )
    pilot_start = plain(latest.get("pilot_start_week_start"))
    return Report(
        kind=KIND,
        period=f"{platform}-{account}-{latest['week']}",
        period_text=(
            f"{name} · {account_name}（{PILOT_KINDS.get(latest['pilot_kind'], '')}试点，"
            f"{format_value(pilot_start, 'date')} 起，截至 {latest['week']}，"
            f"共 {latest['pilot_week']} 周）"
        ),
        template="channel_pilot.html.j2",
        tables=tables,
        charts=report_charts,
        highlights=highlights,
        context={
            "platform_name": name,
            "account_name": account_name,
            "latest": latest,
            "verdict": verdict_text,
            "verdict_code": latest["verdict_code"],
            "reasons": reasons,
            "actions": [action],
            "rules": RULES,
        },
        sources=[MART, COMPARISON],
        notes=[f"结论：{verdict_text}（{'；'.join(reasons) or '暂无可比指标'}）"],
    )


def _account_name(marts: Marts, platform: str, account: str) -> str:
    if not marts.exists("dim_accounts"):
        return account
    df = marts.df(
        "select account_name from marts.dim_accounts "
        "where platform = $platform and account_id = $account",
        {"platform": platform, "account": account},
    )
    return str(df.iloc[0, 0]) if not df.empty and plain(df.iloc[0, 0]) else account


def publish_channel_pilot(
    platform: str,
    account: str,
    *,
    home: Path,
    warehouse: Path | None = None,
    target: str = "duckdb",
    postgres: Mapping[str, Any] | None = None,
    progress: Any = None,
    pdf: bool = True,
    chromium: str | None = None,
    lock_timeout: float | None = None,
):
    """Render the report of the pilot `platform`/`account` into
    home/reports/channel-pilot/<platform>-<account>-<week>/ (HTML, PDF, Excel); `chromium`
    prints the PDF (the settings' NEWMEDIA_CHROMIUM; default: found on PATH)."""
    from reports.publish import check_holds, write_report
    from warehouse import open_reader

    say = progress or (lambda _step: None)
    check_pilot_arguments(platform, account)
    say("读取 marts (reading the marts)")
    with open_reader(
        target,
        duckdb_path=warehouse or home / "warehouse.duckdb",
        postgres=postgres,
        on_wait=say,
        lock_timeout=lock_timeout,
    ) as reader:
        report = build(Marts(reader), platform, account)
    folder = home / "reports" / KIND / report.period
    say("检查质量闸门 (quality gates)")
    check_holds(home, KIND, report.period, folder)
    return write_report(report, folder, progress=say, pdf=pdf, chromium=chromium)


def pilots_for_quarter(
    quarter: Quarter,
    *,
    home: Path,
    warehouse: Path | None = None,
    target: str = "duckdb",
    postgres: Mapping[str, Any] | None = None,
    lock_timeout: float | None = None,
) -> list[tuple[str, str]]:
    """The pilots with weeks in `quarter`, read from the marts."""
    from warehouse import open_reader

    with open_reader(
        target,
        duckdb_path=warehouse or home / "warehouse.duckdb",
        postgres=postgres,
        lock_timeout=lock_timeout,
    ) as reader:
        marts = Marts(reader)
        if not marts.exists(MART):
            return []
        return current_pilots(marts, quarter)
