"""Settings from environment variables, with the documented defaults of `.env.example`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from registry.timezone import TZ_NAME as SHANGHAI  # noqa: F401 - the app layer's name

PROJECT_ROOT = Path(__file__).resolve().parents[1]
WRITER_POOL = "duckdb_writer"  # the one-slot pool of every DuckDB-writing task (one writer)
DBT_DIR = PROJECT_ROOT / "dbt_project"


@dataclass(frozen=True)
class Settings:
    """Where the data lives and which warehouse is the target."""

    home: Path
    exports: Path
    target: str

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def archive_dir(self) -> Path:
        return self.home / "archive"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def salt_path(self) -> Path:
        return self.home / "salt.key"

    @property
    def dbt_project_dir(self) -> Path:
        return DBT_DIR


def _resolve(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def get_settings() -> Settings:
    """Read the settings from the environment each time (tests change it)."""
    target = os.environ.get("NEWMEDIA_TARGET", "duckdb").strip().lower()
    if target not in {"duckdb", "postgres"}:
        raise ValueError(f"NEWMEDIA_TARGET must be 'duckdb' or 'postgres', not {target!r}")
    return Settings(
        home=_resolve(os.environ.get("NEWMEDIA_HOME", "./var")),
        exports=_resolve(os.environ.get("NEWMEDIA_EXPORTS", "./exports")),
        target=target,
    )
