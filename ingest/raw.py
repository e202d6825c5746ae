"""The raw layer in DuckDB: one table per platform x report type, a ledger of every file seen,
and one transaction per file, so a crash in the middle of a file leaves nothing of it behind."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from ingest.base import ConvertResult, ReportSpec
from registry.timezone import TZ_NAME

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


class IngestConnection:
    """A DuckDB connection whose chunk inserts run in a background thread.

    `insert_rows` hands a chunk to DuckDB and returns, so that the next chunk is read and typed
    while DuckDB appends this one (DuckDB works without the GIL). Every other use of the
    connection (the next insert, a query, the ledger row, begin, commit) first waits for that
    insert and raises its error, if any; rollback and close wait too, and drop the error, since
    they undo the file's transaction anyway."""

    def __init__(self, con: duckdb.DuckDBPyConnection, reset: list[str] | None = None) -> None:
        self.duckdb = con
        self._reset = reset or []
        self.ensured: set[str] = set()  # raw tables known to be complete (see ensure_table)
        self._worker: ThreadPoolExecutor | None = None
        self._pending: Future | None = None

    def settle(self, *, quiet: bool = False) -> None:
        """Wait for the insert in flight; raise its error unless `quiet`."""
        pending, self._pending = self._pending, None
        if pending is None:
            return
        try:
            pending.result()
        except BaseException:
            if not quiet:
                raise

    def submit(self, work: Callable[[], object]) -> None:
        self.settle()
        if self._worker is None:
            self._worker = ThreadPoolExecutor(1, thread_name_prefix="ingest-insert")
        self._pending = self._worker.submit(work)

    def rollback(self) -> None:
        self.settle(quiet=True)
        self.duckdb.rollback()

    def close(self) -> None:
        self.settle(quiet=True)
        if self._worker is not None:
            self._worker.shutdown(wait=True)
            self._worker = None
        for name in self._reset:
            with contextlib.suppress(duckdb.Error):
                self.duckdb.execute(f"reset {name}")
        self.duckdb.close()

    def __enter__(self) -> IngestConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.duckdb, name)
        if not callable(attribute):
            return attribute

        def settled(*args: Any, **kwargs: Any) -> Any:
            self.settle()
            return attribute(*args, **kwargs)

        return settled


#: DuckDB settings of the ingest connection, so that its memory does not grow with a file:
#: a big file goes to disk a row group at a time (not five, DuckDB's default), and the blocks
#: written stay cached up to a bound (DuckDB's default is most of the machine's memory). And
#: one DuckDB thread: a chunk is one Arrow batch, one row group, which DuckDB appends in one
#: thread anyway; its other threads only cost CPU (3-15 % of an ingest's, measured) that the
#: typing of the next chunk needs, and memory. All are reset when the connection closes
#: (another connection of this process may share the database), and none is changed from a
#: value other than DuckDB's default.
INGEST_SETTINGS = {"write_buffer_row_group_count": "1", "memory_limit": "256MB", "threads": "1"}

#: what the functions below take: a plain DuckDB connection or the ingest one
Connection = duckdb.DuckDBPyConnection | IngestConnection


def is_lock_error(exc: BaseException) -> bool:
    """DuckDB's error for a database file another process holds ("Conflicting lock")."""
    text = str(exc)
    return isinstance(exc, duckdb.IOException) and (
        "Conflicting lock" in text or "Could not set lock" in text
    )


def connect_waiting(
    path: Path,
    *,
    read_only: bool = False,
    timeout: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> duckdb.DuckDBPyConnection:
    """`duckdb.connect`, waiting while another process (dbt, ingest, a report) holds the file:
    `on_wait` (default: a logged warning) is told once, with the holder DuckDB names; after
    `timeout` seconds (the settings' NEWMEDIA_LOCK_TIMEOUT; default: Limits') DuckDB's error is
    raised as it is."""
    try:  # the usual case, a free file: no retry machinery to load
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        if not is_lock_error(exc):
            raise

    import logging

    import tenacity

    from ingest import limits

    timeout = limits.Limits().lock_timeout if timeout is None else timeout
    told: list[str] = []

    def tell(state: tenacity.RetryCallState) -> None:
        if told:
            return
        error = state.outcome.exception() if state.outcome else None
        found = re.search(r"held in (\S+) \(PID (\d+)\)", str(error or ""))
        holder = f"held by PID {found[2]}, {found[1]}" if found else "held by another process"
        told.append(holder)
        message = (
            f"the warehouse {path.name} is busy ({holder}); waiting for it, at most "
            f"{timeout:g} s (NEWMEDIA_LOCK_TIMEOUT)"
        )
        (on_wait or logging.getLogger("ingest").warning)(message)

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(is_lock_error),
        stop=tenacity.stop_after_delay(timeout),
        wait=tenacity.wait_exponential(multiplier=0.05, max=1.0),
        before_sleep=tell,
        reraise=True,
    )
    return retrying(duckdb.connect, str(path), read_only=read_only)


def owner_only_file(path: Path) -> None:
    """Make a data file this user owns readable by the owner only (0600)."""
    for item in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(OSError):
            if item.exists() and item.stat().st_uid == os.getuid():
                item.chmod(0o600)


def connect(
    path: Path, *, timeout: float | None = None, on_wait: Callable[[str], None] | None = None
) -> IngestConnection:
    """A read-write connection to the warehouse, in Shanghai time, with the raw schema ready,
    waiting for the file while another process holds it (see `connect_waiting`). The file is
    made owner-only (0600)."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    con = connect_waiting(path, timeout=timeout, on_wait=on_wait)
    owner_only_file(path)
    con.execute(f"set TimeZone = '{TZ_NAME}'")
    changed = []
    for name, value in INGEST_SETTINGS.items():
        try:  # a setting someone chose (another connection of this process) is left alone
            current = con.execute("select current_setting(?)", [name]).fetchone()[0]
            if str(current) == _duckdb_defaults()[name]:
                con.execute(f"set {name} = '{value}'")
                changed.append(name)
        except duckdb.Error:  # only a matter of memory: ingest runs without it
            pass
    con.execute(f"create schema if not exists {SCHEMA}")
    con.execute(LEDGER_DDL)
    return IngestConnection(con, changed)


@functools.cache
def _duckdb_defaults() -> dict[str, str]:
    fresh = duckdb.connect()
    try:
        return {
            name: str(fresh.execute("select current_setting(?)", [name]).fetchone()[0])
            for name in INGEST_SETTINGS
        }
    finally:
        fresh.close()


def ensure_table(con: Connection, spec: ReportSpec) -> None:
    """Create the report's raw table, or add the columns a newer reader declares."""
    if isinstance(con, IngestConnection) and spec.table in con.ensured:
        return  # this connection made it so already (it holds the warehouse's only write lock)
    existing = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [SCHEMA, spec.table],
        ).fetchall()
    }
    _complete_table(con, spec, existing)


def _complete_table(con: Connection, spec: ReportSpec, existing: set[str]) -> None:
    """Create the table if it has no columns yet, else add the columns it lacks."""
    columns = LINEAGE_COLUMNS + spec.sql_schema() + TRAILING_COLUMNS
    body = ",\n    ".join(f'"{name}" {sql_type}' for name, sql_type in columns)
    con.execute(f'create table if not exists {SCHEMA}."{spec.table}" (\n    {body}\n)')
    for name, sql_type in columns:
        if existing and name not in existing:
            plain_type = sql_type.replace(" NOT NULL", "")
            con.execute(f'alter table {SCHEMA}."{spec.table}" add column "{name}" {plain_type}')
    if isinstance(con, IngestConnection):
        con.ensured.add(spec.table)


def loaded_status(con: Connection, sha256: str) -> str | None:
    row = con.execute(f"select status from {LEDGER} where sha256 = ?", [sha256]).fetchone()
    return None if row is None else row[0]


def insert_rows(
    con: Connection,
    spec: ReportSpec,
    result: ConvertResult,
    lineage: dict[str, object],
) -> int:
    """Append one chunk of typed rows with its lineage, unknown columns and unreadable cells.

    The chunk reaches DuckDB as an Arrow table, without a copy of its columns, through a
    relation rather than a registered view (a registered object is kept until the transaction
    ends: every chunk of a big file would stay in memory); the lineage, the same for every row
    of a file, as constants of the insert. On an `IngestConnection` the insert runs in the
    background (see there)."""
    extra = _json_rows(result.extra)
    invalid = _json_rows(result.invalid)
    try:
        table = pa.Table.from_pandas(result.typed, preserve_index=False)
        table = table.append_column("_extra", pa.array(extra.array, type=pa.large_string()))
        table = table.append_column("_invalid", pa.array(invalid.array, type=pa.large_string()))
        source: object = table
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        frame = result.typed.copy()  # a column Arrow cannot take as it is: DuckDB reads pandas
        frame["_extra"] = extra
        frame["_invalid"] = invalid
        source = frame
    constants = ", ".join(f'{_literal(value)} as "{name}"' for name, value in lineage.items())
    sql = f'insert into {SCHEMA}."{spec.table}" by name select *, {constants} from _chunk'

    def insert(duck: duckdb.DuckDBPyConnection) -> None:
        chunk = duck.from_arrow(source) if isinstance(source, pa.Table) else duck.from_df(source)
        chunk.query("_chunk", sql)

    if isinstance(con, IngestConnection):
        duck = con.duckdb
        con.submit(lambda: insert(duck))
    else:
        insert(con)
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
    con: Connection,
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


def ensure_all(con: Connection) -> None:
    """Create every known report type's raw table (dbt's sources must exist even when empty)."""
    from ingest.platforms import all_specs

    existing: dict[str, set[str]] = {}
    for table, column in con.execute(
        "select table_name, column_name from information_schema.columns where table_schema = ?",
        [SCHEMA],
    ).fetchall():
        existing.setdefault(table, set()).add(column)
    for spec in all_specs():
        _complete_table(con, spec, existing.get(spec.table, set()))
