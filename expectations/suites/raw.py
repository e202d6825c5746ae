"""Suites on the raw layer, generated from the readers' ReportSpecs (`ingest.platforms`): the column
lists, kinds and not-null keys are read from the specs, never copied here.

For every report type `<platform>__<report>` there are two suites:

- `raw_<platform>__<report>` (blocking: hard rules the marts rely on): every lineage column and
  every `not_null` column of the spec has a value; the lineage names this report type and
  platform and carries a SHA-256; counts, durations and the upper ends of capped counts are ≥ 0;
  rates are fractions within their bound (1, or the documented bound of `RATE_BOUNDS`); star
  ratings are 0-5; the table can be read (row count ≥ 0: an empty table is a report type not
  exported yet).
- `raw_<platform>__<report>__warning` (warning: shape drift a person should look at): the table's
  columns are exactly the spec's columns plus lineage (a newer reader, or a column dropped by
  hand, shows here); each column's type is the one its kind is stored as; rates with a bound
  above 1 stay within 0-1 for 95 % of rows; fewer than 5 % of rows have unreadable cells
  (`_invalid`).

A run reads the rows ingested since the suite's latest validation of the same columns and
definition (`delta_query`, after the `_ingested_at` it recorded; `expectations.gates` keeps that
watermark and moves it only when the suite passes), else the table's newest rows. At most the
`RAW_ROW_LIMIT` most recently ingested rows are read, so a large table stays fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: the most recent rows of a raw table that a run reads (by `_ingested_at`, then file and row)
RAW_ROW_LIMIT = 200_000

RATE_KINDS = frozenset({"rate", "rate_percent", "rate_hundredth"})
#: rates that can legitimately exceed 1, with the hard upper bound used instead of 1:
#: B站 平均播放进度 counts replays (a looped short video passes 100 %), and 公众号 送达阅读率
#: divides reads (not readers) by the users the message was delivered to.
RATE_BOUNDS: dict[str, float] = {
    "avg_play_progress": 10.0,
    "delivery_read_rate": 10.0,
    "read_delivery_rate": 10.0,
}
STARS_MAX = 5
SHA256_REGEX = r"^[0-9a-f]{64}$"
INVALID_MOSTLY = 0.95
#: where a failed row is: its file and row number
ROW_KEY = ["_file_name", "_row_number"]

#: types a column of each kind may have, as pandas dtypes (after `gates.gx_frame`) or SQL types
#: (PostgreSQL through GX's SQL source); all-NULL columns read as `object` and pass any list
_TEXT = ["str", "VARCHAR", "TEXT"]
KIND_TYPES: dict[str, list[str]] = {
    "text": _TEXT,
    "id": _TEXT,
    "pii": _TEXT,
    "json": [*_TEXT, "JSON", "JSONB"],
    "count": ["int64", "float64", "BIGINT", "INTEGER", "SMALLINT", "NUMERIC"],
    "number": ["float64", "DOUBLE", "DOUBLE_PRECISION", "FLOAT", "REAL", "NUMERIC"],
    "timestamp": ["datetime64", "datetime64[us]", "datetime64[ns]", "TIMESTAMP", "DATETIME"],
    "date": ["datetime64", "datetime64[us]", "datetime64[ns]", "DATE"],
    "bool": ["bool", "BooleanDtype", "BOOLEAN"],
}
for _kind in ("rate", "rate_percent", "rate_hundredth", "stars", "duration"):
    KIND_TYPES[_kind] = KIND_TYPES["number"]
_SQL_KIND = {
    "VARCHAR": "text",
    "BIGINT": "count",
    "DOUBLE": "number",
    "TIMESTAMPTZ": "timestamp",
    "DATE": "date",
    "BOOLEAN": "bool",
    "JSON": "json",
}


@dataclass(frozen=True)
class RawSuite:
    """A generated suite: the same interface as a suite module (table, severity, build)."""

    name: str
    spec: Any  # ingest.base.ReportSpec
    warning: bool

    @property
    def table(self) -> str:
        return f'raw."{self.spec.table}"'

    @property
    def severity(self) -> str:
        return "warning" if self.warning else "blocking"

    @property
    def key(self) -> list[str]:
        return ROW_KEY

    #: raw rows are only ever appended, each with the time its file was ingested: a run can
    #: validate the rows ingested after those it validated before (`delta_query`)
    delta_column = "_ingested_at"

    def query(self, table: str, as_of: Any = None) -> str:
        # ties broken by file and row: the same rows every time (the rows of one file share their
        # `_ingested_at`), so an unchanged table keeps its fingerprint (`expectations.gates`)
        return (
            f"select * from {table} "
            f"order by _ingested_at desc, _file_sha256, _row_number limit {RAW_ROW_LIMIT}"
        )

    def delta_query(self, table: str, after: str) -> str:
        """The rows ingested after `after` (a DuckDB TIMESTAMPTZ as text, as `watermark_text`
        checks it), the newest `RAW_ROW_LIMIT` of them in the order of `query`."""
        return (
            f"select * from {table} where _ingested_at > timestamptz '{watermark_text(after)}' "
            f"order by _ingested_at desc, _file_sha256, _row_number limit {RAW_ROW_LIMIT}"
        )

    def build(self) -> Any:
        expectations = _shape(self.spec) if self.warning else _hard_rules(self.spec)
        from expectations.suites._common import suite

        return suite(self.name, expectations)


_WATERMARK = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?")


def watermark_text(value: str) -> str:
    """`value` when it is a TIMESTAMPTZ as DuckDB writes it (`2026-12-06 18:05:14.018267+08`);
    ValueError otherwise, so nothing else from the status file reaches SQL."""
    if not isinstance(value, str) or not _WATERMARK.fullmatch(value):
        raise ValueError(f"not a watermark timestamp: {value!r}")
    return value


def suite_names() -> list[str]:
    """`raw_<table>` and `raw_<table>__warning` for every report type the readers declare."""
    from ingest.platforms import all_specs

    names: list[str] = []
    for spec in all_specs():
        names += [f"raw_{spec.table}", f"raw_{spec.table}__warning"]
    return names


def load(name: str) -> RawSuite:
    from ingest.platforms import all_specs

    warning = name.endswith("__warning")
    table = name.removeprefix("raw_").removesuffix("__warning")
    for spec in all_specs():
        if spec.table == table:
            return RawSuite(name=name, spec=spec, warning=warning)
    raise KeyError(f"no report type {table!r} for raw suite {name!r}")


def table_columns(spec: Any) -> list[tuple[str, str]]:
    """(column, kind) of the raw table, in order: lineage, the spec's columns, trailing JSON."""
    from ingest.raw import LINEAGE_COLUMNS, TRAILING_COLUMNS

    def kind_of(sql_type: str) -> str:
        return _SQL_KIND[sql_type.replace(" NOT NULL", "").strip().upper()]

    columns = [(name, kind_of(t)) for name, t in LINEAGE_COLUMNS]
    for column in spec.columns:
        columns += [
            (name, column.kind if name == column.name else kind_of(t))
            for name, t in column.sql_columns()
        ]
    columns += [(name, kind_of(t)) for name, t in TRAILING_COLUMNS]
    return columns


def _hard_rules(spec: Any) -> list[Any]:
    import great_expectations.expectations as gxe

    from ingest.raw import LINEAGE_COLUMNS

    lineage = [name for name, _ in LINEAGE_COLUMNS]
    expectations: list[Any] = [
        gxe.ExpectTableRowCountToBeBetween(min_value=0),
        gxe.ExpectColumnValuesToMatchRegex(column="_file_sha256", regex=SHA256_REGEX),
        gxe.ExpectColumnValuesToBeInSet(column="_report_type", value_set=[spec.report]),
        gxe.ExpectColumnValuesToBeInSet(column="_platform", value_set=[spec.platform]),
        gxe.ExpectColumnValuesToBeBetween(column="_row_number", min_value=1),
    ]
    expectations += [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in lineage]
    expectations += [
        gxe.ExpectColumnValuesToNotBeNull(column=c.name) for c in spec.columns if c.not_null
    ]
    for column in spec.columns:
        if column.kind in {"count", "duration"}:
            expectations.append(gxe.ExpectColumnValuesToBeBetween(column=column.name, min_value=0))
        if column.capped:
            expectations.append(
                gxe.ExpectColumnValuesToBeBetween(column=f"{column.name}_upper", min_value=0)
            )
        if column.kind in RATE_KINDS:
            expectations.append(
                gxe.ExpectColumnValuesToBeBetween(
                    column=column.name, min_value=0, max_value=RATE_BOUNDS.get(column.name, 1)
                )
            )
        if column.kind == "stars":
            expectations.append(
                gxe.ExpectColumnValuesToBeBetween(
                    column=column.name, min_value=0, max_value=STARS_MAX
                )
            )
    return expectations


def _shape(spec: Any) -> list[Any]:
    import great_expectations.expectations as gxe

    columns = table_columns(spec)
    expectations: list[Any] = [
        gxe.ExpectTableColumnsToMatchSet(column_set=[n for n, _ in columns], exact_match=True)
    ]
    expectations += [
        gxe.ExpectColumnValuesToBeInTypeList(column=name, type_list=KIND_TYPES[kind])
        for name, kind in columns
    ]
    expectations += [
        gxe.ExpectColumnValuesToBeBetween(column=c.name, min_value=0, max_value=1, mostly=0.95)
        for c in spec.columns
        if c.kind in RATE_KINDS and RATE_BOUNDS.get(c.name, 1) > 1
    ]
    expectations.append(gxe.ExpectColumnValuesToBeNull(column="_invalid", mostly=INVALID_MOSTLY))
    return expectations
