"""`newmedia report weekly|user-needs|quarterly [--period …]`: progress, the files, the summary;
a held report or a bad period exits non-zero with a clear message."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from newmedia.cli import main
from tests.reports.marts_fixture import QUARTER, WEEK, copy_fixture_warehouse


@pytest.fixture()
def cli_home(tmp_path, fixture_warehouse, monkeypatch):
    copy_fixture_warehouse(fixture_warehouse, tmp_path)
    monkeypatch.setenv("NEWMEDIA_HOME", str(tmp_path))
    return tmp_path


def test_report_command_writes_the_three_files(cli_home):
    result = CliRunner().invoke(main, ["report", "quarterly", "--period", QUARTER])
    assert result.exit_code == 0, result.output
    folder = cli_home / "reports" / "quarterly" / QUARTER
    names = sorted(p.name for p in folder.iterdir())
    stem = f"新媒体趋势洞察报告_{QUARTER}"
    assert {f"{stem}.html", f"{stem}.pdf", f"{stem}.xlsx"} <= set(names)
    assert "report written" in result.output and "打印 PDF" in result.output  # progress


def test_report_command_fails_clearly(cli_home, holds):
    result = CliRunner().invoke(main, ["report", "quarterly", "--period", WEEK])
    assert result.exit_code == 1 and "a quarter is written like 2026Q3" in result.output
    holds.holds = [
        {
            "suite": "mart_user_needs_weekly",
            "table": "marts.mart_user_needs_weekly",
            "failed": [
                {
                    "expectation": "expect_column_values_to_not_be_null",
                    "column": "topic",
                    "detail": "",
                    "examples": [],
                }
            ],
        }
    ]
    result = CliRunner().invoke(main, ["report", "user-needs", "--period", WEEK])
    assert result.exit_code == 1
    assert "held by a failed quality gate" in result.output and "topic" in result.output
    assert (cli_home / "reports" / "user-needs" / WEEK / "HOLD.md").exists()
