"""The bounds that keep one hostile or broken file from stopping ingest. Ingest gets them as an
argument (`Limits`; the application layer reads each from its `NEWMEDIA_*` environment variable,
README "Configuration"); unset, the defaults below. A file over a bound is quarantined with a
reason that names the bound and its variable; nothing is ever cut silently.

| variable | default | what it bounds |
|---|---|---|
| NEWMEDIA_MAX_ROWS | 5,000,000 | data rows of one table (CSV rows stream; a sheet's rows are also cells) |
| NEWMEDIA_MAX_COLUMNS | 2,000 | columns of one table (a header row, a sheet's last used column) |
| NEWMEDIA_MAX_CELLS | 20,000,000 | rows x columns of one sheet, HTML table or JSON file (held in memory) |
| NEWMEDIA_MAX_CELL_CHARS | 1,000,000 | characters in one cell |
| NEWMEDIA_MAX_SHEET_BYTES | 128 MiB | one xlsx sheet (or its shared strings) uncompressed, an HTML, JSON or .xls file |
| NEWMEDIA_MAX_JSON_DEPTH | 64 | nesting of objects and lists in a JSON file |
| NEWMEDIA_LOCK_TIMEOUT | 600 | seconds to wait for the warehouse or another ingest before giving up |
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """The bounds in force (see the module docstring)."""

    max_rows: int = 5_000_000
    max_columns: int = 2_000
    max_cells: int = 20_000_000
    max_cell_chars: int = 1_000_000
    max_sheet_bytes: int = 128 << 20
    max_json_depth: int = 64
    lock_timeout: float = 600.0


#: field → its environment variable (named in the reasons)
VARIABLES = {
    "max_rows": "NEWMEDIA_MAX_ROWS",
    "max_columns": "NEWMEDIA_MAX_COLUMNS",
    "max_cells": "NEWMEDIA_MAX_CELLS",
    "max_cell_chars": "NEWMEDIA_MAX_CELL_CHARS",
    "max_sheet_bytes": "NEWMEDIA_MAX_SHEET_BYTES",
    "max_json_depth": "NEWMEDIA_MAX_JSON_DEPTH",
    "lock_timeout": "NEWMEDIA_LOCK_TIMEOUT",
}


def bound(name: str, value: int) -> str:
    """How a reason names a bound: `2,000 (NEWMEDIA_MAX_COLUMNS)`."""
    return f"{value:,} ({VARIABLES[name]})"
