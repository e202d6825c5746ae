"""Shared pieces of the ingest tests: build the sample dataset, write one platform's exports,
ingest them into a fresh warehouse and read it back."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from ingest import FileResult, ingest_paths
from samples import SampleDataset, build_dataset


def hashed(salt: bytes, value: str) -> str:
    return hashlib.sha256(salt + value.encode("utf-8")).hexdigest()


def plain_leaks(con: duckdb.DuckDBPyConnection, table: str, secrets: set[str]) -> list[tuple]:
    """(secret, cell) pairs where a secret appears inside any VARCHAR or JSON cell of a table."""
    schema, name = table.split(".")
    columns = [
        column
        for column, kind in con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchall()
        if kind in ("VARCHAR", "JSON")
    ]
    con.register("_secrets", pd.DataFrame({"secret": sorted(secrets)}))
    try:
        return [
            hit
            for column in columns
            for hit in con.execute(
                f'select s.secret, t."{column}"::varchar from {table} t '
                f'join _secrets s on contains(t."{column}"::varchar, s.secret) limit 3'
            ).fetchall()
        ]
    finally:
        con.unregister("_secrets")


def fetch_rows(con: duckdb.DuckDBPyConnection, table: str, where: str = "true") -> list[dict]:
    """raw.<table>'s rows matching `where`, as dicts, in file and row order."""
    cur = con.execute(f"select * from raw.{table} where {where} order by _file_name, _row_number")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def cells(path: Path) -> list[list[object]]:
    """The first sheet of a workbook, row by row."""
    return [
        list(r) for r in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    ]


@contextmanager
def read_warehouse(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to a warehouse file, in China time, closed on exit."""
    con = duckdb.connect(str(path), read_only=True)
    con.execute("set TimeZone = 'Asia/Shanghai'")
    try:
        yield con
    finally:
        con.close()


@contextmanager
def loaded_exports(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    writer: ModuleType,
    start: dt.date,
    weeks: int,
    **dataset_options: Any,
) -> Iterator[tuple[SampleDataset, list[FileResult], duckdb.DuckDBPyConnection, Path]]:
    """The sample dataset, its `writer`'s exports ingested into a fresh warehouse, a read-only
    connection to it and the temporary home: (ds, results, con, tmp)."""
    tmp = tmp_path_factory.mktemp(name)
    ds = build_dataset(start, weeks, **dataset_options)
    writer.write(ds, tmp / "exports")
    results = ingest_paths([tmp / "exports"], warehouse=tmp / "w.duckdb", home=tmp)
    with read_warehouse(tmp / "w.duckdb") as con:
        yield ds, results, con, tmp
