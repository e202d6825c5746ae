"""The raw layer in DuckDB: one table per platform x report type, a ledger of every file seen,
and one transaction per file, so a crash in the middle of a file leaves nothing of it behind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from ingest.base import ConvertResult, ReportSpec

SCHEMA = "raw"
LEDGER = f"{SCHEMA}._files"

LINEAGE_COLUMNS: list[tuple[str, str]] = [
    ("_file_sha256", "VARCHAR NOT NULL"),
    ("_file_name", "VARCHAR NOT NULL"),
    ("_row_number", "BIGINT NOT NULL"),
    ("_report_type", "VARCHAR NOT NULL"),
    ("_platform", "VARCHAR NOT NULL"),
    ("_account_id", "VARCHAR NOT NULL"),
    ("_snapshot_date", "DATE NOT NULL"),
    ("_ingested_at", "TIMESTAMPTZ NOT NULL"),
]
TRAILING_COLUMNS: list[tuple[str, str]] = [("_extra", "JSON"), ("_invalid", "JSON")]

LEDGER_DDL = f"""
create table if not exists {LEDGER} (
    sha256 varchar primary key,
    path varchar not null,
    file_name varchar not null,
    size_bytes bigint not null,
    platform varchar,
    report varchar,
    account_id varchar,
    snapshot_date date,
    status varchar not null,
    rows bigint not null,
    reason varchar,
    archive_path varchar not null,
    ingested_at timestamptz not null
)
"""


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the warehouse, in Shanghai time, with the raw schema ready."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute("set TimeZone = 'Asia/Shanghai'")
    con.execute(f"create schema if not exists {SCHEMA}")
    con.execute(LEDGER_DDL)
    return con


def ensure_table(con: duckdb.DuckDBPyConnection, spec: ReportSpec) -> None:
    """Create the report's raw table, or add the columns a newer reader declares."""
    columns = LINEAGE_COLUMNS + spec.sql_schema() + TRAILING_COLUMNS
    body = ",\n    ".join(f'"{name}" {sql_type}' for name, sql_type in columns)
    con.execute(f'create table if not exists {SCHEMA}."{spec.table}" (\n    {body}\n)')
    existing = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [SCHEMA, spec.table],
        ).fetchall()
    }
    for name, sql_type in columns:
        if name not in existing:
            plain_type = sql_type.replace(" NOT NULL", "")
            con.execute(f'alter table {SCHEMA}."{spec.table}" add column "{name}" {plain_type}')


def loaded_status(con: duckdb.DuckDBPyConnection, sha256: str) -> str | None:
    row = con.execute(f"select status from {LEDGER} where sha256 = ?", [sha256]).fetchone()
    return None if row is None else row[0]


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    spec: ReportSpec,
    result: ConvertResult,
    lineage: dict[str, object],
) -> int:
    """Append one chunk of typed rows with its lineage, unknown columns and unreadable cells.

    The chunk reaches DuckDB as an Arrow table, without a copy of its columns, through a
    relation rather than a registered view (a registered object is kept until the transaction
    ends: every chunk of a big file would stay in memory); the lineage, the same for every row
    of a file, as constants of the insert."""
    extra = _json_rows(result.extra)
    invalid = _json_rows(result.invalid)
    try:
        table = pa.Table.from_pandas(result.typed, preserve_index=False)
        table = table.append_column("_extra", pa.array(extra.array, type=pa.large_string()))
        table = table.append_column("_invalid", pa.array(invalid.array, type=pa.large_string()))
        chunk = con.from_arrow(table)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        frame = result.typed.copy()  # a column Arrow cannot take as it is: DuckDB reads pandas
        frame["_extra"] = extra
        frame["_invalid"] = invalid
        chunk = con.from_df(frame)
    constants = ", ".join(f'{_literal(value)} as "{name}"' for name, value in lineage.items())
    chunk.query(
        "_chunk", f'insert into {SCHEMA}."{spec.table}" by name select *, {constants} from _chunk'
    )
    return len(result.typed)


def _literal(value: object) -> str:
    """A constant as SQL (lineage values: text, a date, an aware timestamp)."""
    if value is None:
        return "NULL"
    if isinstance(value, dt.datetime):
        kind = "TIMESTAMPTZ" if value.tzinfo is not None else "TIMESTAMP"
        return f"{kind} '{value.isoformat(sep=' ')}'"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, bool | int | float):
        return repr(value).upper() if isinstance(value, bool) else repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _json_rows(cells: pd.DataFrame) -> pd.Series:
    """One JSON object per row of the raw cells (NULL where the row has none)."""
    if cells.shape[1] == 0:
        return pd.Series(pd.NA, index=cells.index, dtype="string")
    as_text = cells.astype("object").where(cells.notna(), None)
    as_text = as_text.map(lambda v: v if v is None or isinstance(v, str) else str(v))
    present = as_text.notna().any(axis=1)
    lines = as_text.to_json(orient="records", lines=True, force_ascii=False).splitlines()
    return pd.Series(lines, index=cells.index, dtype="string").where(present)


def record_file(
    con: duckdb.DuckDBPyConnection,
    *,
    sha256: str,
    path: Path,
    size_bytes: int,
    platform: str | None,
    report: str | None,
    account_id: str | None,
    snapshot_date: dt.date | None,
    status: str,
    rows: int,
    reason: str | None,
    archive_path: Path,
    ingested_at: dt.datetime,
) -> None:
    """Write the file's ledger row (replacing an earlier quarantine of the same bytes)."""
    con.execute(f"delete from {LEDGER} where sha256 = ?", [sha256])
    con.execute(
        f"insert into {LEDGER} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            sha256,
            str(path),
            path.name,
            size_bytes,
            platform,
            report,
            account_id,
            snapshot_date,
            status,
            rows,
            reason,
            str(archive_path),
            ingested_at,
        ],
    )


def ensure_all(con: duckdb.DuckDBPyConnection) -> None:
    """Create every known report type's raw table (dbt's sources must exist even when empty)."""
    from ingest.platforms import all_specs

    for spec in all_specs():
        ensure_table(con, spec)
