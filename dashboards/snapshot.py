"""The dashboard's copy of the marts on DuckDB.

The BI tool never opens the pipeline's warehouse: after the gates pass, the transform DAG copies
every table of schema `marts` into `$NEWMEDIA_HOME/dashboard/dashboard.duckdb`, written to a
temporary file beside it and renamed over the old one in one step. A dashboard query opens the
file read-only for that query (Superset's connections are not pooled), so it sees either the
previous snapshot or the new one, never a half-written file, and ingest and dbt never meet a lock
held by the dashboard. Marts whose gates failed are never published.

The file is named `dashboard.duckdb`, not `marts.duckdb`: DuckDB names the catalog after the
file, and a catalog called `marts` beside the schema `marts` would make `marts.<table>` ambiguous.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

SCHEMA = "marts"
SNAPSHOT_NAME = "dashboard.duckdb"


def snapshot_path(home: Path) -> Path:
    """Where the dashboard's snapshot of the marts lives for `home`."""
    return home / "dashboard" / SNAPSHOT_NAME


@dataclass(frozen=True)
class Snapshot:
    """A published snapshot: its file, the tables and their row counts, how long it took."""

    path: Path
    tables: dict[str, int]
    seconds: float

    def as_dict(self) -> dict[str, object]:
        return {"path": str(self.path), "tables": self.tables, "seconds": round(self.seconds, 2)}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def publish_snapshot(warehouse: Path, home: Path) -> Snapshot:
    """Copy schema `marts` of the DuckDB `warehouse` into the dashboard's snapshot file under
    `home`, atomically (temporary file, then `os.replace`), owner-only. Raises FileNotFoundError
    when there is no warehouse and RuntimeError when it has no marts (dbt has not built them)."""
    import duckdb

    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run ingest and dbt first")
    target = snapshot_path(home)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(target.parent, 0o700)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    started = time.monotonic()
    tables: dict[str, int] = {}
    try:
        # the folder is owner-only, so the file is never readable by others while it is written
        connection = duckdb.connect(str(temporary))
        try:
            connection.execute(f"attach {_sql_string(str(warehouse))} as source (read_only)")
            names = [
                row[0]
                for row in connection.execute(
                    "select table_name from information_schema.tables "
                    "where table_catalog = 'source' and table_schema = ? order by table_name",
                    [SCHEMA],
                ).fetchall()
            ]
            if not names:
                raise RuntimeError(
                    f"the warehouse {warehouse} has no schema {SCHEMA!r} tables: run dbt first"
                )
            connection.execute(f"create schema {SCHEMA}")
            for name in names:
                connection.execute(
                    f"create table {SCHEMA}.{_quote(name)} as "
                    f"select * from source.{SCHEMA}.{_quote(name)}"
                )
                tables[name] = connection.execute(
                    f"select count(*) from {SCHEMA}.{_quote(name)}"
                ).fetchone()[0]
            connection.execute("detach source")
            connection.execute("checkpoint")
        finally:
            connection.close()
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return Snapshot(path=target, tables=tables, seconds=time.monotonic() - started)


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


if (
    __name__ == "__main__"
):  # `python -m dashboards.snapshot [HOME]`: publish now (after a manual build)
    import json
    import sys

    home = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("NEWMEDIA_HOME", "./var"))
    home = home.expanduser().resolve()
    published = publish_snapshot(home / "warehouse.duckdb", home)
    print(json.dumps(published.as_dict(), ensure_ascii=False, indent=1))
