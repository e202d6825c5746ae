"""What every report is made of: its kind and period, the tables behind it (which are also the
sheets of its workbook), its charts, the key numbers of its summary, and the marts it read."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import duckdb
import pandas as pd
from markupsafe import Markup

from reports.tables import Table
from warehouse import DuckDBReader, Reader


def dashboard_url(kind: str, configured: str | None) -> str | None:
    """The address of the dashboard (数据看板, `configured`: the settings' NEWMEDIA_DASHBOARD_URL)
    the weekly data review links to; None for the other reports, when unset, or when it is not
    an http(s) address."""
    value = (configured or "").strip()
    if kind != "weekly" or not value.startswith(("http://", "https://")):
        return None
    return value


KIND_TITLES = {
    "weekly": "数据复盘报告",
    "user-needs": "用户需求周报",
    "quarterly": "新媒体趋势洞察报告",
    "channel-pilot": "新渠道可行性报告",
}


class MartMissingError(RuntimeError):
    """A mart the report reads is not in the warehouse (dbt has not built it yet)."""


@dataclass
class Highlight:
    """A key number of the summary: shown as a card in the HTML and a line in the webhook."""

    label: str
    value: str
    change: str = ""  # "环比 +3.2%" …
    direction: int = 0  # 1 good, -1 bad, 0 neutral


@dataclass
class Report:
    kind: str
    period: str
    period_text: str
    template: str
    tables: dict[str, Table]
    charts: dict[str, Markup] = field(default_factory=dict)
    highlights: list[Highlight] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one-line findings after the key numbers

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]

    @property
    def file_stem(self) -> str:
        return f"{self.title}_{self.period}"

    def summary_lines(self) -> list[str]:
        """The key numbers, then the one-line findings (the robot's and the e-mail's text)."""
        lines = [
            f"{h.label}：{h.value}" + (f"（{h.change}）" if h.change else "")
            for h in self.highlights
        ]
        return lines + self.notes


class Marts:
    """Read-only queries on the marts schema of either target (warehouse.Reader; a DuckDB
    connection is wrapped in one), failing with a clear message when a mart is missing."""

    def __init__(self, reader: Reader | duckdb.DuckDBPyConnection, schema: str = "marts") -> None:
        self.reader = reader if isinstance(reader, Reader) else DuckDBReader(reader)
        self.schema = schema
        self.read: set[str] = set()

    @lru_cache(maxsize=64)  # noqa: B019 - one instance per report build
    def columns(self, table: str) -> frozenset[str]:
        return frozenset(self.reader.columns(self.schema, table))

    def exists(self, table: str) -> bool:
        return bool(self.columns(table))

    def has(self, table: str, column: str) -> bool:
        return column in self.columns(table)

    def require(self, *tables: str) -> None:
        missing = [t for t in tables if not self.exists(t)]
        if missing:
            raise MartMissingError(
                "the warehouse has no "
                + ", ".join(f"{self.schema}.{t}" for t in missing)
                + ": run `newmedia build` (dbt build) before publishing the report"
            )
        self.read.update(tables)

    def df(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """`sql` with `$name` parameters, on DuckDB or PostgreSQL alike (warehouse.reader)."""
        return self.reader.frame(sql, params)

    def optional(self, table: str, column: str, default: str = "null", alias: str = "") -> str:
        """`column` when the mart has it, else a SQL default (for columns beyond the contract)."""
        if self.has(table, column):
            return f"{alias}.{column} as {column}" if alias else column
        return f"{default} as {column}"
