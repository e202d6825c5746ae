"""Fixtures of the report tests: a data directory whose warehouse holds the fixture marts, and
the quality-gate holds (expectations.holds) replaced by a controllable stand-in."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from tests.reports.marts_fixture import build_warehouse, copy_fixture_warehouse


class Holds:
    """Stands in for expectations.holds: no holds unless a test sets some."""

    def __init__(self) -> None:
        self.holds: list[dict] = []
        self.asked: list[tuple[Path, str]] = []

    def active_holds(self, home: Path, report_kind: str) -> list[dict]:
        self.asked.append((home, report_kind))
        return list(self.holds)

    @staticmethod
    def hold_notice_markdown(report_kind: str, period: str, holds: list[dict]) -> str:
        lines = [f"# {report_kind} {period} is held"]
        for hold in holds:
            for failed in hold["failed"]:
                lines.append(
                    f"- {hold['suite']} {hold['table']}: {failed['expectation']} on {failed['column']}"
                )
        return "\n".join(lines)


@pytest.fixture()
def holds(monkeypatch: pytest.MonkeyPatch) -> Holds:
    stand_in = Holds()
    module = types.ModuleType("expectations.holds")
    module.active_holds = stand_in.active_holds
    module.hold_notice_markdown = stand_in.hold_notice_markdown
    monkeypatch.setitem(sys.modules, "expectations.holds", module)
    return stand_in


@pytest.fixture(scope="session")
def fixture_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture marts and the report models dbt built on them, once per session: tests read
    it, or write to a copy of their own (``copy_fixture_warehouse``)."""
    return build_warehouse(tmp_path_factory.mktemp("marts") / "warehouse.duckdb")


@pytest.fixture()
def home(tmp_path: Path, fixture_warehouse: Path, holds: Holds) -> Path:
    """A fresh NEWMEDIA_HOME with a copy of the fixture warehouse."""
    copy_fixture_warehouse(fixture_warehouse, tmp_path)
    return tmp_path
