"""Run GX suites on DataFrames and say, for a person, which checks failed and on which rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from expectations import suites


@dataclass
class FailedCheck:
    expectation: str
    column: str | None
    detail: str
    examples: list[Any] = field(default_factory=list)

    def describe(self) -> str:
        where = f" on column {self.column}" if self.column else ""
        shown = f"; example values: {self.examples}" if self.examples else ""
        return f"{self.expectation}{where}: {self.detail}{shown}"


@dataclass
class GateResult:
    suite: str
    table: str
    severity: str
    success: bool
    evaluated: int
    failed: list[FailedCheck]

    @property
    def blocks(self) -> bool:
        return self.severity == "blocking" and not self.success

    def as_dict(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "table": self.table,
            "severity": self.severity,
            "success": self.success,
            "evaluated": self.evaluated,
            "failed": [f.__dict__ for f in self.failed],
        }


class GateFailedError(Exception):
    """A blocking gate failed: the message names the suite, the checks and example rows."""

    def __init__(self, results: list[GateResult]) -> None:
        self.results = results
        lines = []
        for result in results:
            lines.append(f"gate {result.suite} ({result.table}) failed:")
            lines += [f"  - {check.describe()}" for check in result.failed]
        super().__init__("\n".join(lines))


def validate_frame(suite_name: str, frame: pd.DataFrame) -> GateResult:
    """Validate one DataFrame with the suite `suite_name` in an ephemeral GX context."""
    import great_expectations as gx

    module = suites.load(suite_name)
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas(name=f"{suite_name}_source")
    asset = source.add_dataframe_asset(name=suite_name)
    batch = asset.add_batch_definition_whole_dataframe(name="whole")
    suite = context.suites.add(module.build())
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{suite_name}_validation", data=batch, suite=suite)
    )
    result = definition.run(
        batch_parameters={"dataframe": frame},
        result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5},
    )
    failed = [_failed_check(r) for r in result.results if not r.success]
    return GateResult(
        suite=suite_name,
        table=module.TABLE,
        severity=module.SEVERITY,
        success=bool(result.success),
        evaluated=len(result.results),
        failed=failed,
    )


def _failed_check(check: Any) -> FailedCheck:
    config = check.expectation_config
    kwargs = dict(config.kwargs)
    details = check.result or {}
    if check.exception_info and check.exception_info.get("raised_exception"):
        detail = f"could not run: {check.exception_info.get('exception_message')}"
    elif "unexpected_count" in details:
        detail = f"{details['unexpected_count']} of {details.get('element_count')} rows fail"
    else:
        observed = details.get("observed_value")
        detail = f"observed {observed!r}, expected {_expected(kwargs)}"
    examples = details.get("partial_unexpected_list") or []
    return FailedCheck(
        expectation=config.type,
        column=kwargs.get("column") or kwargs.get("column_A"),
        detail=detail,
        examples=[_plain(v) for v in examples[:5]],
    )


def _expected(kwargs: dict[str, Any]) -> str:
    shown = {k: v for k, v in kwargs.items() if k not in {"batch_id", "column"}}
    return json.dumps(shown, ensure_ascii=False, default=str)


def _plain(value: Any) -> Any:
    return value if isinstance(value, (int, float, str, bool)) or value is None else str(value)


def read_table(warehouse: Path, table: str) -> pd.DataFrame:
    """Read a warehouse table over a read-only connection (DuckDB has one writer)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(f"select * from {table}").df()
    finally:
        con.close()


def run_gates(warehouse: Path, names: tuple[str, ...] = suites.MART_SUITES) -> list[GateResult]:
    """Run the suites on the warehouse's tables; raise GateFailedError if a blocking one fails."""
    results = [
        validate_frame(name, read_table(warehouse, suites.load(name).TABLE)) for name in names
    ]
    blocking = [r for r in results if r.blocks]
    if blocking:
        raise GateFailedError(blocking)
    return results
