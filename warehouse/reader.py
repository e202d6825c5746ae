"""Readers of the warehouse: `DuckDBReader` (the DuckDB file, read-only) and `PostgresReader`
(psycopg2, a read-only session), behind one interface.

SQL is written once, in the dialect both targets share, with `$name` parameters (DuckDB's own);
on PostgreSQL they become psycopg2's `%(name)s` (a literal `%` is doubled), outside string
literals, quoted identifiers and comments. Values are always bound by the driver, never
formatted into the SQL. Both sessions run in time zone Asia/Shanghai.

`frame` returns the dtypes DuckDB's `.df()` gives, on both targets, so a report built from
either is the same: integers as int16/32/64 (Int16/32/64 when a value is missing), numeric and
double precision as float64 (PostgreSQL's Decimal included), booleans as bool (boolean with a
missing value), dates and timestamps as datetime64[us], instants as datetime64[us,
Asia/Shanghai], text as pandas' str. `rows` returns tuples with numeric as float and instants in
Asia/Shanghai."""

from __future__ import annotations

import abc
import datetime as dt
import decimal
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from registry.timezone import TZ_NAME as SHANGHAI

TARGETS = ("duckdb", "postgres")
Params = Mapping[str, Any] | None


class WarehouseMissingError(RuntimeError):
    """The warehouse to read is not there: no DuckDB file, or PostgreSQL does not answer."""


class Reader(abc.ABC):
    """Read-only SQL on the warehouse; a context manager that closes the connection."""

    target: str = ""

    @abc.abstractmethod
    def frame(self, sql: str, params: Params = None) -> pd.DataFrame:
        """The result of `sql` (with `$name` parameters bound from `params`) as a DataFrame."""

    @abc.abstractmethod
    def rows(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        """The result of `sql` as tuples (numeric as float, instants in Asia/Shanghai)."""

    def columns(self, schema: str, table: str) -> list[str]:
        """The columns of `schema.table` in their order; empty when there is no such table."""
        found = self.rows(
            "select column_name from information_schema.columns "
            "where table_schema = $schema and table_name = $table order by ordinal_position",
            {"schema": schema, "table": table},
        )
        return [row[0] for row in found]

    @abc.abstractmethod
    def close(self) -> None:
        """Close the connection."""

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_reader(
    target: str,
    *,
    duckdb_path: Path | None = None,
    postgres: Mapping[str, Any] | None = None,
    on_wait: Callable[[str], None] | None = None,
    lock_timeout: float | None = None,
) -> Reader:
    """A reader of the configured target: `duckdb` reads the file `duckdb_path` read-only,
    waiting while a writer (ingest, dbt) holds it (ingest.raw.connect_waiting: `on_wait` is told,
    at most `lock_timeout` seconds, the settings' NEWMEDIA_LOCK_TIMEOUT); `postgres` connects
    with the psycopg2 keyword arguments `postgres` (host, port, user, password, dbname: the
    settings' NEWMEDIA_PG_*)."""
    if target == "duckdb":
        if duckdb_path is None:
            raise ValueError("reading the duckdb target needs the warehouse file")
        return DuckDBReader.open(duckdb_path, on_wait=on_wait, timeout=lock_timeout)
    if target == "postgres":
        if postgres is None:
            raise ValueError("reading the postgres target needs its connection settings")
        return PostgresReader(postgres)
    raise ValueError(f"the warehouse target is one of {', '.join(TARGETS)}, not {target!r}")


# --------------------------------------------------------------------------- DuckDB


class DuckDBReader(Reader):
    """A DuckDB connection: one this reader opened read-only (closed with it), or one it was
    given (left open, its settings untouched)."""

    target = "duckdb"

    def __init__(self, con: Any, owned: bool = False) -> None:
        self.con = con
        self._owned = owned

    @classmethod
    def open(
        cls,
        path: Path,
        on_wait: Callable[[str], None] | None = None,
        timeout: float | None = None,
    ) -> DuckDBReader:
        """`path` read-only, waiting while a writer holds it, at most `timeout` seconds
        (ingest.raw.connect_waiting)."""
        from ingest.raw import connect_waiting

        path = Path(path)
        if not path.exists():
            raise WarehouseMissingError(f"no warehouse at {path}: run `newmedia build` first")
        con = connect_waiting(path, read_only=True, timeout=timeout, on_wait=on_wait)
        try:
            con.execute(f"set TimeZone = '{SHANGHAI}'")
        except BaseException:
            con.close()
            raise
        return cls(con, owned=True)

    def frame(self, sql: str, params: Params = None) -> pd.DataFrame:
        return self.con.execute(sql, dict(params or {})).df()

    def rows(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        return [_plain_row(row) for row in self.con.execute(sql, dict(params or {})).fetchall()]

    def close(self) -> None:
        if self._owned:
            self.con.close()


# --------------------------------------------------------------------------- PostgreSQL

_PLACEHOLDER = re.compile(
    r"""('(?:[^']|'')*')"""  # a string literal
    r"""|("(?:[^"]|"")*")"""  # a quoted identifier
    r"""|(--[^\n]*)"""  # a comment
    r"""|\$([A-Za-z_]\w*)"""  # a parameter
    r"""|(%)"""
)


def to_pyformat(sql: str) -> str:
    """`sql` with its `$name` parameters as psycopg2's `%(name)s` and every `%` doubled."""

    def replace(match: re.Match[str]) -> str:
        literal = match.group(1) or match.group(2) or match.group(3)
        if literal is not None:
            return literal.replace("%", "%%")
        if match.group(4) is not None:
            return f"%({match.group(4)})s"
        return "%%"

    return _PLACEHOLDER.sub(replace, sql)


def _bindable(value: Any) -> Any:
    """A parameter value as psycopg2 adapts it (numpy scalars, pandas timestamps, tuples)."""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
        return [_bindable(v) for v in value]
    return value


# PostgreSQL type oids -> how DuckDB's .df() gives the matching column
_INTS = {21: "int16", 23: "int32", 20: "int64"}
_FLOATS = {700: "float32", 701: "float64", 1700: "float64"}
_BOOL, _DATE, _TIMESTAMP, _TIMESTAMPTZ = 16, 1082, 1114, 1184
_TEXT = {18, 19, 25, 1042, 1043}


def _column(values: list[Any], oid: int) -> Any:
    missing = any(v is None for v in values)
    if oid in _INTS:
        dtype = _INTS[oid]
        return pd.array(values, dtype=dtype.capitalize() if missing else dtype)
    if oid in _FLOATS:
        return np.array([np.nan if v is None else float(v) for v in values], dtype=_FLOATS[oid])
    if oid == _BOOL:
        return pd.array(values, dtype="boolean" if missing else "bool")
    if oid in (_DATE, _TIMESTAMP):
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object))).astype("datetime64[us]")
    if oid == _TIMESTAMPTZ:
        stamps = pd.to_datetime(pd.Series(values, dtype=object), utc=True)
        return stamps.dt.tz_convert(SHANGHAI).astype(f"datetime64[us, {SHANGHAI}]")
    if oid in _TEXT:  # DuckDB gives an empty text column as object
        return pd.array(values, dtype="str" if values else object)
    return pd.array(values, dtype=object)


class PostgresReader(Reader):
    """A read-only psycopg2 session (autocommit, time zone Asia/Shanghai)."""

    target = "postgres"

    def __init__(self, connect_kwargs: Mapping[str, Any]) -> None:
        import psycopg2

        kwargs = dict(connect_kwargs)
        try:
            self.con = psycopg2.connect(**kwargs)
        except psycopg2.OperationalError as exc:
            where = (
                f"{kwargs.get('user')}@{kwargs.get('host')}:{kwargs.get('port')}"
                f"/{kwargs.get('dbname')}"
            )
            raise WarehouseMissingError(
                f"the PostgreSQL warehouse {where} does not answer (NEWMEDIA_PG_HOST, _PORT, "
                f"_USER, _PASSWORD, _DBNAME): {str(exc).strip()}"
            ) from exc
        try:
            self.con.set_session(readonly=True, autocommit=True)
            with self.con.cursor() as cur:
                cur.execute(f"set time zone '{SHANGHAI}'")
        except BaseException:
            self.con.close()
            raise

    def _execute(self, sql: str, params: Params) -> tuple[list[tuple[Any, ...]], Sequence[Any]]:
        bound = {name: _bindable(value) for name, value in (params or {}).items()}
        with self.con.cursor() as cur:
            cur.execute(to_pyformat(sql), bound)
            return cur.fetchall(), cur.description

    def frame(self, sql: str, params: Params = None) -> pd.DataFrame:
        rows, description = self._execute(sql, params)
        data = {
            i: _column([row[i] for row in rows], column.type_code)
            for i, column in enumerate(description)
        }
        frame = pd.DataFrame(data, index=pd.RangeIndex(len(rows)))
        frame.columns = [column.name for column in description]
        return frame

    def rows(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        return [_plain_row(row) for row in self._execute(sql, params)[0]]

    def close(self) -> None:
        self.con.close()


_ZONE = ZoneInfo(SHANGHAI)


def _plain_row(row: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(_plain(v) for v in row)


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(_ZONE)
    return value
