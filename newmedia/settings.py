"""Settings from environment variables, with the documented defaults of `.env.example` (the
README's table under "Configuration"): every `NEWMEDIA_*` variable is read here, once, and its
value handed to the stages as an argument (no stage reads the environment for them)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from registry.timezone import TZ_NAME as SHANGHAI  # noqa: F401 - the app layer's name

if TYPE_CHECKING:
    from ingest.limits import Limits

PROJECT_ROOT = Path(__file__).resolve().parents[1]
WRITER_POOL = "duckdb_writer"  # the one-slot pool of every DuckDB-writing task (one writer)
DBT_DIR = PROJECT_ROOT / "dbt_project"
#: ingest's bounds, the fields of ingest.limits.Limits: each read from NEWMEDIA_<FIELD>
LIMITS = (
    *("max_rows", "max_columns", "max_cells", "max_cell_chars"),
    *("max_sheet_bytes", "max_json_depth", "lock_timeout"),
)


@dataclass(frozen=True)
class Settings:
    """Where the data live, which warehouse is the target, and the stages' options (None: the
    stage's own default). Each field names its variable."""

    home: Path  # NEWMEDIA_HOME
    exports: Path  # NEWMEDIA_EXPORTS
    target: str  # NEWMEDIA_TARGET
    #: NEWMEDIA_SALT: hashes personal data (unset: a random key kept in <home>/salt.key)
    salt: str | None = field(default=None, repr=False)
    #: NEWMEDIA_DATA_DOCS_KEEP: gate runs whose Data Docs are kept (expectations.docs_index: 30)
    data_docs_keep: int | None = None
    #: NEWMEDIA_DATA_DOCS_ASSETS: the Data Docs' vendored scripts and styles (unset: in the venv)
    data_docs_assets: Path | None = None
    #: NEWMEDIA_ALERT_MAX_AGE_HOURS: how old a negative item may be alerted (reports.alerts: 72 h)
    alert_max_age: dt.timedelta | None = None
    #: NEWMEDIA_DASHBOARD_URL: the dashboard the weekly data review links to
    dashboard_url: str | None = None
    #: NEWMEDIA_REPORTS_URL: where the reports folder is served (the robot's and e-mail's link)
    reports_url: str | None = None
    #: NEWMEDIA_CHROMIUM: the Chromium or Chrome binary that prints the PDFs (unset: on PATH)
    chromium: str | None = None
    #: NEWMEDIA_PG_HOST, _PORT, _USER, _PASSWORD, _DBNAME: the PostgreSQL warehouse
    pg_host: str = "localhost"
    pg_port: int = 5432
    pg_user: str = "newmedia"
    pg_password: str | None = field(default=None, repr=False)
    pg_dbname: str = "newmedia"
    #: NEWMEDIA_PG_BI_USER, _PASSWORD: the BI tools' LOGIN in the read-only role newmedia_bi
    pg_bi_user: str | None = None
    pg_bi_password: str | None = field(default=None, repr=False)
    #: NEWMEDIA_TASK_RETRIES, NEWMEDIA_TASK_RETRY_DELAY_SECONDS: the DAGs' default_args
    task_retries: int = 2
    task_retry_delay_seconds: int = 120
    #: NEWMEDIA_IN_PROCESS_RUN: set by `newmedia run` (ops.runner), never by hand
    in_process_run: bool = False
    #: NEWMEDIA_MAX_* and NEWMEDIA_LOCK_TIMEOUT: ingest's bounds that are set (see LIMITS)
    limits: dict[str, float] = field(default_factory=dict)

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def postgres(self) -> dict[str, Any]:
        """psycopg2.connect() arguments of the PostgreSQL warehouse (those of dbt's profile)."""
        kwargs: dict[str, Any] = {
            "host": self.pg_host,
            "port": self.pg_port,
            "user": self.pg_user,
            "dbname": self.pg_dbname,
            "application_name": "newmedia",
        }
        return kwargs | ({"password": self.pg_password} if self.pg_password else {})

    @property
    def lock_timeout(self) -> float | None:
        """Seconds to wait for the warehouse file or another ingest (None: the stage's 600)."""
        return self.limits.get("lock_timeout")

    def ingest_limits(self) -> Limits:
        """ingest.limits.Limits with the bounds set here (imported lazily: DAG files load this)."""
        from ingest.limits import Limits

        return Limits(**self.limits)


def _resolve(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def get_settings() -> Settings:
    """Read the settings from the environment each time (tests change it)."""
    env = os.environ
    target = env.get("NEWMEDIA_TARGET", "duckdb").strip().lower()
    if target not in {"duckdb", "postgres"}:
        raise ValueError(f"NEWMEDIA_TARGET must be 'duckdb' or 'postgres', not {target!r}")
    assets = env.get("NEWMEDIA_DATA_DOCS_ASSETS")
    return Settings(
        home=_resolve(env.get("NEWMEDIA_HOME", "./var")),
        exports=_resolve(env.get("NEWMEDIA_EXPORTS", "./exports")),
        target=target,
        salt=env.get("NEWMEDIA_SALT") or None,
        data_docs_keep=_whole(
            "NEWMEDIA_DATA_DOCS_KEEP", env.get("NEWMEDIA_DATA_DOCS_KEEP"), "a whole number of runs"
        ),
        data_docs_assets=Path(assets) if assets else None,
        alert_max_age=_alert_max_age(env.get("NEWMEDIA_ALERT_MAX_AGE_HOURS")),
        dashboard_url=env.get("NEWMEDIA_DASHBOARD_URL", "").strip() or None,
        reports_url=env.get("NEWMEDIA_REPORTS_URL") or None,
        chromium=env.get("NEWMEDIA_CHROMIUM") or None,
        pg_host=env.get("NEWMEDIA_PG_HOST", "localhost"),
        pg_port=_whole("NEWMEDIA_PG_PORT", env.get("NEWMEDIA_PG_PORT", "5432"), "a port number"),
        pg_user=env.get("NEWMEDIA_PG_USER", "newmedia"),
        pg_password=env.get("NEWMEDIA_PG_PASSWORD") or None,
        pg_dbname=env.get("NEWMEDIA_PG_DBNAME", "newmedia"),
        pg_bi_user=env.get("NEWMEDIA_PG_BI_USER") or None,
        pg_bi_password=env.get("NEWMEDIA_PG_BI_PASSWORD") or None,
        task_retries=_whole("NEWMEDIA_TASK_RETRIES", env.get("NEWMEDIA_TASK_RETRIES", "2")),
        task_retry_delay_seconds=_whole(
            "NEWMEDIA_TASK_RETRY_DELAY_SECONDS", env.get("NEWMEDIA_TASK_RETRY_DELAY_SECONDS", "120")
        ),
        in_process_run=env.get("NEWMEDIA_IN_PROCESS_RUN", "").lower() in {"1", "true", "yes"},
        limits=_limits(env),
    )


def _whole(name: str, raw: Any, what: str = "a whole number") -> Any:
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be {what}, not {raw!r}") from None


def _limits(env: os._Environ[str] | dict[str, str]) -> dict[str, float]:
    """The bounds set (`_` may group digits: 3_000). A value that is not a positive number
    (the lock timeout may be 0) is a ValueError naming the variable."""
    values: dict[str, float] = {}
    for key in LIMITS:
        name = f"NEWMEDIA_{key.upper()}"
        text = env.get(name, "").strip().replace("_", "")
        if not text:
            continue
        try:
            value = float(text) if key == "lock_timeout" else int(text)
        except ValueError:
            raise ValueError(f"{name} must be a number, not {text!r}") from None
        if value < 0 or (value == 0 and key != "lock_timeout"):
            raise ValueError(f"{name} must be a positive number, not {text!r}")
        values[key] = value
    return values


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
