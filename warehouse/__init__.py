"""One way to read the warehouse, whichever the target: the DuckDB file (read-only) or the
PostgreSQL warehouse (NEWMEDIA_TARGET=postgres). Reports, alerts and every later reader ask
`open_reader` for a Reader and send it SQL with `$name` parameters; both backends bind them
(never format them into the SQL), run in time zone Asia/Shanghai, and return pandas frames with
the same dtypes."""

from warehouse.reader import (
    DuckDBReader,
    PostgresReader,
    Reader,
    WarehouseMissingError,
    open_reader,
)

__all__ = [
    "DuckDBReader",
    "PostgresReader",
    "Reader",
    "WarehouseMissingError",
    "open_reader",
]
