"""Run dbt on the project's dbt_project/ with the right environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from newmedia.settings import DBT_DIR, Settings

MANIFEST = DBT_DIR / "target" / "manifest.json"

#: what the pipeline's `dbt build` leaves out: the unit tests. Their inputs are fixtures written
#: in the project, not the warehouse's rows, so they say the same on every run until the SQL
#: changes; dbt's documentation recommends running them in development and CI only. `make test`
#: runs them (tests/dbt); `newmedia build` runs everything.
PIPELINE_BUILD_FLAGS: tuple[str, ...] = ("--exclude-resource-type", "unit_test")
#: dbt threads of the pipeline's `dbt build` (the transform's producer), whatever the profile
#: says: DuckDB takes several writer threads inside one process, and on two cores one node's
#: SQL runs while dbt's Python prepares the next
PIPELINE_THREADS = 2


class DbtError(Exception):
    """dbt failed; the message names the failing nodes."""


def dbt_env(settings: Settings) -> dict[str, str]:
    """The environment dbt needs: absolute paths, the target and the PostgreSQL warehouse of
    `settings` (the variables its profile reads), and no telemetry."""
    env = dict(os.environ)
    env.update(
        NEWMEDIA_HOME=str(settings.home),
        NEWMEDIA_TARGET=settings.target,
        NEWMEDIA_PG_HOST=settings.pg_host,
        NEWMEDIA_PG_PORT=str(settings.pg_port),
        NEWMEDIA_PG_USER=settings.pg_user,
        NEWMEDIA_PG_PASSWORD=settings.pg_password or "",
        NEWMEDIA_PG_DBNAME=settings.pg_dbname,
        DBT_PROFILES_DIR=str(DBT_DIR),
        DBT_PROJECT_DIR=str(DBT_DIR),
        DO_NOT_TRACK="1",
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    return env


def dbt_executable() -> str:
    """dbt of the interpreter that runs us (a virtualenv's bin may not be on PATH), else on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def dies_with_parent(command: list[str]) -> list[str]:
    """`command` run so that the kernel kills it when this process dies, even by `kill -9`
    (util-linux `setpriv --pdeathsig KILL`): a killed `newmedia build` leaves no dbt behind
    holding the DuckDB file's lock. Where setpriv is missing the command runs as it is."""
    setpriv = shutil.which("setpriv") if sys.platform.startswith("linux") else None
    return [setpriv, "--pdeathsig", "KILL", *command] if setpriv else command


def run_dbt(settings: Settings, *args: str, quiet: bool = False) -> subprocess.CompletedProcess:
    """Run `dbt <args>` in the project; raise DbtError naming what failed."""
    settings.home.mkdir(parents=True, exist_ok=True)
    command = [
        dbt_executable(),
        *args,
        "--project-dir",
        str(DBT_DIR),
        "--profiles-dir",
        str(DBT_DIR),
    ]
    completed = subprocess.run(
        dies_with_parent(command),
        env=dbt_env(settings),
        cwd=DBT_DIR,
        capture_output=quiet,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        failures = _failures(DBT_DIR / "target" / "run_results.json")
        detail = "; ".join(failures) if failures else (completed.stdout or "")[-2000:]
        raise DbtError(f"dbt {' '.join(args)} failed: {detail}")
    return completed


def _failures(run_results: Path) -> list[str]:
    import json

    if not run_results.exists():
        return []
    results = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
    return [
        f"{r['unique_id']} ({r['status']}): {(r.get('message') or '').strip()[:300]}"
        for r in results
        if r.get("status") in {"error", "fail", "runtime error"}
    ]


def ensure_manifest(settings: Settings) -> Path:
    """`dbt parse` when the manifest is missing or older than a model, macro or config file
    (the DAGs render dbt from the manifest, so parsing a DAG never runs dbt)."""
    sources = [
        p
        for folder in ("models", "macros", "tests", "seeds")
        for p in (DBT_DIR / folder).rglob("*")
        if p.is_file()
    ] + [DBT_DIR / "dbt_project.yml", DBT_DIR / "profiles.yml"]
    newest = max(p.stat().st_mtime for p in sources)
    if not MANIFEST.exists() or MANIFEST.stat().st_mtime < newest:
        run_dbt(settings, "parse", "--quiet", quiet=True)
    return MANIFEST
