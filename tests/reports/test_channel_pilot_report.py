"""《新渠道可行性报告》: the report lays out the pilot's rows of mart_channel_pilots and
rpt_channel_pilot_comparison (written here by hand, as dbt would), escapes what reaches HTML and
Excel, is published per pilot and refuses an account that is not a pilot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from reports.base import Marts
from reports.channel_pilot import PilotNotFoundError, build, current_pilots, publish_channel_pilot
from reports.periods import Quarter

EVIL_NAME = '=HYPERLINK("http://evil","<b>试点</b>")'
WEEKS = ["2026-W42", "2026-W43", "2026-W44", "2026-W45"]


def _weeks() -> pd.DataFrame:
    rows = []
    for i, week in enumerate(WEEKS, start=1):
        rows.append(
            {
                "platform": "kuaishou",
                "account_id": "ks_pilot",
                "pilot_kind": "account",
                "pilot_start_week_start": dt.date(2026, 10, 12),
                "pilot_week": i,
                "week": week,
                "week_start": dt.date.fromisocalendar(2026, int(week[-2:]), 1),
                "contents": 5,
                "views": 10_000 * i,
                "interaction_rate": 0.05,
                "net_follower_gain": 100 * i,
                "ad_spend": 1000.0,
                "cost_per_follower": 1000.0 / (100 * i),
                "leads": 2,
                "cost_per_lead": 500.0,
                "gmv": None,
                "roi": None,
                "benchmark_accounts": 10,
                "benchmark_views_per_account": 20_000.0,
                "benchmark_interaction_rate": 0.04,
                "benchmark_net_follower_gain_per_account": 150.0,
                "benchmark_cost_per_follower": 8.0,
                "benchmark_cost_per_lead": 400.0,
                "benchmark_gmv_per_account": 0.0,
                "benchmark_roi": None,
                "views_per_week_to_date": 5_000.0 * (i + 1),
                "benchmark_views_per_week_to_date": 20_000.0,
                "cost_per_follower_to_date": 9.5,
                "benchmark_cost_per_follower_to_date": 8.0,
                "metrics_judged": 5,
                "metrics_met": 3 if i == 4 else 2,
                "verdict_code": "continue" if i == 4 else "extend",
                "verdict": "继续投入" if i == 4 else "延长试点",
            }
        )
    return pd.DataFrame(rows)


COMPARISON = [
    ("views_per_week", "每周播放/阅读", 25_000.0, 20_000.0, 1.25, False, 0.8, True),
    ("interaction_rate", "互动率", 0.05, 0.04, 1.25, False, 0.8, True),
    ("net_follower_gain_per_week", "每周净增粉丝", 250.0, 150.0, 1.6667, False, 0.8, True),
    ("cost_per_follower", "单粉成本（元）", 9.5, 8.0, 1.1875, True, 1.25, True),
    ("cost_per_lead", "单线索成本（元）", 500.0, 400.0, 1.25, True, 1.25, True),
    ("roi", "ROI（GMV/消耗）", None, None, None, False, 0.8, None),
]


@pytest.fixture()
def pilot_home(tmp_path: Path, holds) -> Path:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("create schema marts")
    con.register("weeks_frame", _weeks())
    con.execute("create table marts.mart_channel_pilots as select * from weeks_frame")
    comparison = pd.DataFrame(
        [
            {
                "platform": "kuaishou",
                "account_id": "ks_pilot",
                "week": "2026-W45",
                "pilot_week": 4,
                "metric": m,
                "metric_name": n,
                "metric_order": i,
                "pilot_value": p,
                "benchmark_value": b,
                "index_value": x,
                "lower_is_better": low,
                "bar": bar,
                "meets_bar": meets,
            }
            for i, (m, n, p, b, x, low, bar, meets) in enumerate(COMPARISON, start=1)
        ]
    )
    con.register("comparison_frame", comparison)
    con.execute("create table marts.rpt_channel_pilot_comparison as select * from comparison_frame")
    con.execute(
        "create table marts.dim_accounts as select 'kuaishou' as platform, "
        "'ks_pilot' as account_id, ? as account_name",
        [EVIL_NAME],
    )
    con.close()
    return tmp_path


def test_the_report_shows_the_pilot_against_the_established_channels(pilot_home: Path):
    con = duckdb.connect(str(pilot_home / "warehouse.duckdb"), read_only=True)
    try:
        report = build(Marts(con), "kuaishou", "ks_pilot")
    finally:
        con.close()
    assert report.period == "kuaishou-ks_pilot-2026-W45"
    assert report.context["verdict"] == "继续投入" and report.context["verdict_code"] == "continue"
    comparison = report.tables["comparison"].records()
    assert [r["metric_name"] for r in comparison][:2] == ["每周播放/阅读", "互动率"]
    assert comparison[0]["pilot_value"] == 25_000.0 and comparison[0]["meets"] == "达标"
    assert comparison[-1]["meets"] == "—"  # ROI not judged
    weekly = report.tables["weekly"].records()
    assert [r["week"] for r in weekly] == WEEKS
    assert [r["verdict"] for r in weekly] == ["延长试点"] * 3 + ["继续投入"]
    assert report.highlights[0].value == "继续投入" and report.highlights[1].value == "3 / 5"
    assert report.context["actions"][0].rule == "R2"


def test_published_files_escape_the_account_name(pilot_home: Path):
    published = publish_channel_pilot("kuaishou", "ks_pilot", home=pilot_home, pdf=False)
    assert published.folder == pilot_home / "reports" / "channel-pilot" / published.period
    html = published.html.read_text("utf-8")
    assert "<b>试点</b>" not in html and "&lt;b&gt;试点&lt;/b&gt;" in html
    for section in ("试点对比成熟渠道", "逐周表现", "判定规则", "<svg"):
        assert section in html
    book = openpyxl.load_workbook(published.xlsx)
    cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    assert any(isinstance(v, str) and "继续投入" in v for v in cells)


def test_not_a_pilot_and_bad_arguments_are_refused(pilot_home: Path):
    con = duckdb.connect(str(pilot_home / "warehouse.duckdb"), read_only=True)
    try:
        with pytest.raises(PilotNotFoundError, match="is not a pilot"):
            build(Marts(con), "douyin", "dy_main")
        with pytest.raises(ValueError, match="unknown content platform"):
            build(Marts(con), "myspace", "x")
        with pytest.raises(ValueError, match="not an account id"):
            build(Marts(con), "kuaishou", "../etc")
        assert current_pilots(Marts(con), Quarter(2026, 4)) == [("kuaishou", "ks_pilot")]
        assert current_pilots(Marts(con), Quarter(2027, 1)) == []
    finally:
        con.close()


def test_the_command_publishes_on_demand(pilot_home: Path, monkeypatch: pytest.MonkeyPatch):
    from newmedia.cli import main

    monkeypatch.setenv("NEWMEDIA_HOME", str(pilot_home))
    monkeypatch.setenv("NEWMEDIA_TARGET", "duckdb")
    monkeypatch.setattr(
        "reports.chromium.print_pdf", lambda html, pdf, title, **_: pdf.write_bytes(b"")
    )
    result = CliRunner().invoke(
        main, ["report", "channel-pilot", "--platform", "kuaishou", "--account", "ks_pilot"]
    )
    assert result.exit_code == 0, result.output
    assert "channel-pilot/kuaishou-ks_pilot-2026-W45" in result.output.replace("\n", "")
    refused = CliRunner().invoke(main, ["report", "channel-pilot", "--platform", "kuaishou"])
    assert refused.exit_code != 0 and "--account" in refused.output


def test_the_quarterly_task_publishes_one_report_per_pilot_of_the_quarter(
    pilot_home: Path, monkeypatch: pytest.MonkeyPatch
):
    from newmedia.settings import Settings
    from newmedia.tasks import publish_channel_pilots_for_quarter

    monkeypatch.setattr(
        "reports.chromium.print_pdf", lambda html, pdf, title, **_: pdf.write_bytes(b"")
    )
    settings = Settings(home=pilot_home, exports=pilot_home / "exports", target="duckdb")
    published = publish_channel_pilots_for_quarter("2026Q4", deliver=False, settings=settings)
    assert [p["period"] for p in published] == ["kuaishou-ks_pilot-2026-W45"]
    assert publish_channel_pilots_for_quarter("2027Q1", deliver=False, settings=settings) == []
