"""Settings from environment variables, with the documented defaults of `.env.example`: read
once here and handed to the stages as arguments (no stage reads them itself)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from registry.timezone import TZ_NAME as SHANGHAI  # noqa: F401 - the app layer's name

PROJECT_ROOT = Path(__file__).resolve().parents[1]
WRITER_POOL = "duckdb_writer"  # the one-slot pool of every DuckDB-writing task (one writer)
DBT_DIR = PROJECT_ROOT / "dbt_project"


@dataclass(frozen=True)
class Settings:
    """Where the data lives, which warehouse is the target, and the stages' options (None: the
    stage's own default)."""

    home: Path
    exports: Path
    target: str
    #: NEWMEDIA_SALT: hashes personal data (unset: a random key kept in <home>/salt.key)
    salt: str | None = field(default=None, repr=False)
    #: NEWMEDIA_DATA_DOCS_KEEP: gate runs whose Data Docs are kept (expectations.docs_index: 30)
    data_docs_keep: int | None = None
    #: NEWMEDIA_ALERT_MAX_AGE_HOURS: how old a negative item may be alerted (reports.alerts: 72 h)
    alert_max_age: dt.timedelta | None = None
    #: NEWMEDIA_DASHBOARD_URL: the dashboard the weekly data review links to
    dashboard_url: str | None = None
    #: NEWMEDIA_REPORTS_URL: where the reports folder is served (the robot's and e-mail's link)
    reports_url: str | None = None
    #: NEWMEDIA_CHROMIUM: the Chromium or Chrome binary that prints the PDFs (unset: on PATH)
    chromium: str | None = None

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
        salt=os.environ.get("NEWMEDIA_SALT") or None,
        data_docs_keep=_docs_keep(os.environ.get("NEWMEDIA_DATA_DOCS_KEEP")),
        alert_max_age=_alert_max_age(os.environ.get("NEWMEDIA_ALERT_MAX_AGE_HOURS")),
        dashboard_url=os.environ.get("NEWMEDIA_DASHBOARD_URL", "").strip() or None,
        reports_url=os.environ.get("NEWMEDIA_REPORTS_URL") or None,
        chromium=os.environ.get("NEWMEDIA_CHROMIUM") or None,
    )


def _docs_keep(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValueError(
            f"NEWMEDIA_DATA_DOCS_KEEP must be a whole number of runs, not {raw!r}"
        ) from None


def _alert_max_age(raw: str | None) -> dt.timedelta | None:
    if raw is None:
        return None
    try:
        hours = float(raw)
    except ValueError:
        raise ValueError(
            f"NEWMEDIA_ALERT_MAX_AGE_HOURS must be a number of hours, not {raw!r}"
        ) from None
    if hours <= 0:
        raise ValueError(f"NEWMEDIA_ALERT_MAX_AGE_HOURS must be positive, not {raw!r}")
    return dt.timedelta(hours=hours)
