"""Provision and serve the dashboard with Superset's own virtualenv:

    .venv-superset/bin/python dashboards/provision.py provision   # metadata, login, dashboards
    .venv-superset/bin/python dashboards/provision.py serve       # http://127.0.0.1:$NEWMEDIA_DASHBOARD_PORT

`provision` migrates Superset's metadata database (`superset db upgrade`), creates the login
NEWMEDIA_DASHBOARD_USER (default `newmedia`) with NEWMEDIA_DASHBOARD_PASSWORD, or with a
password generated once and kept owner-only in `$NEWMEDIA_HOME/superset/dashboard.password`,
sets up the roles (`superset init`) and imports the dashboards from the YAML under
`dashboards/assets/` with the database pointed at the configured warehouse: on DuckDB the
read-only snapshot of the marts (`$NEWMEDIA_HOME/dashboard/dashboard.duckdb`, which the pipeline
publishes after the gates pass), on PostgreSQL the read-only BI role (NEWMEDIA_PG_BI_USER; its
password is read from NEWMEDIA_PG_BI_PASSWORD at query time and never stored by Superset).
Running it again updates everything in place.

This file runs in the Superset virtualenv (SQLAlchemy 1.4, PyYAML), not in the project's: it
imports nothing from the project.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import yaml

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"
CONFIG = HERE / "superset_config.py"
DATABASE_FILE = "databases/newmedia_marts.yaml"
SNAPSHOT = Path("dashboard") / "dashboard.duckdb"  # dashboards/snapshot.py writes it
DEFAULT_USER = "newmedia"
DEFAULT_PORT = 8088


class ProvisionError(RuntimeError):
    """A step of the provisioning failed; the message names it and Superset's output."""


def home() -> Path:
    return Path(os.environ.get("NEWMEDIA_HOME", "./var")).expanduser().resolve()


def superset_env() -> dict[str, str]:
    """The environment of the `superset` commands: this project's configuration, no telemetry."""
    return {
        **os.environ,
        "NEWMEDIA_HOME": str(home()),
        "SUPERSET_CONFIG_PATH": str(CONFIG),
        "FLASK_APP": "superset",
        "SUPERSET_LOAD_EXAMPLES": "no",
        "DO_NOT_TRACK": "1",
        "SCARF_ANALYTICS": "false",
        "PYTHONWARNINGS": "ignore",
        "SUPERSET_LOG_LEVEL": "warning",
    }


def dashboard_user() -> str:
    return os.environ.get("NEWMEDIA_DASHBOARD_USER", "").strip() or DEFAULT_USER


def dashboard_password() -> tuple[str, bool]:
    """NEWMEDIA_DASHBOARD_PASSWORD, else the generated one kept owner-only under the home
    (created on first use). The flag says whether it was generated (and may be printed)."""
    configured = os.environ.get("NEWMEDIA_DASHBOARD_PASSWORD", "")
    if configured:
        return configured, False
    path = home() / "superset" / "dashboard.password"
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    try:
        return path.read_text(encoding="utf-8").strip(), True
    except FileNotFoundError:
        password = secrets.token_urlsafe(12)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(password + "\n")
        return password, True


def warehouse_uri() -> str:
    """The SQLAlchemy URI of the marts for the configured target (NEWMEDIA_TARGET)."""
    target = os.environ.get("NEWMEDIA_TARGET", "duckdb").strip().lower()
    if target == "postgres":
        user = os.environ.get("NEWMEDIA_PG_BI_USER", "").strip()
        if not user:
            raise ProvisionError(
                "NEWMEDIA_TARGET=postgres: set NEWMEDIA_PG_BI_USER and NEWMEDIA_PG_BI_PASSWORD, "
                "the read-only BI login the dashboard reads the marts with (see README)"
            )
        host = os.environ.get("NEWMEDIA_PG_HOST", "localhost")
        port = os.environ.get("NEWMEDIA_PG_PORT", "5432")
        dbname = os.environ.get("NEWMEDIA_PG_DBNAME", "newmedia")
        return f"postgresql+psycopg2://{quote(user, safe='')}@{host}:{port}/{quote(dbname)}"
    if target != "duckdb":
        raise ProvisionError(f"NEWMEDIA_TARGET must be 'duckdb' or 'postgres', not {target!r}")
    return f"duckdb:///{home() / SNAPSHOT}?access_mode=read_only"


def build_bundle(destination: Path, uri: str) -> Path:
    """Zip the YAML under dashboards/assets/ as Superset's import bundle, with the database's
    URI set to `uri`."""
    bundle = destination / "newmedia_dashboards.zip"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(ASSETS.rglob("*.yaml")):
            relative = path.relative_to(ASSETS).as_posix()
            text = path.read_text(encoding="utf-8")
            if relative == DATABASE_FILE:
                config = yaml.safe_load(text)
                config["sqlalchemy_uri"] = uri
                text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
            archive.writestr(f"newmedia_dashboards/{relative}", text)
    return bundle


def provision() -> dict[str, object]:
    """Metadata database, login, roles, dashboards, in one Superset process (each `superset`
    command would start the application again). Returns what was done and the timings."""
    uri = warehouse_uri()
    user = dashboard_user()
    password, generated = dashboard_password()
    os.environ.update(superset_env())
    timings: dict[str, float] = {}
    started = time.monotonic()

    def lap(name: str) -> None:
        nonlocal started
        timings[name] = round(time.monotonic() - started, 1)
        started = time.monotonic()

    from flask_migrate import upgrade
    from superset.app import create_app

    app = create_app()
    lap("start")
    with app.app_context():
        from superset import db, security_manager
        from superset.extensions import appbuilder

        upgrade()  # `superset db upgrade`
        lap("db upgrade")
        appbuilder.add_permissions(update_perms=True)  # `superset init`
        security_manager.sync_role_definitions()
        db.session.commit()
        lap("init")
        login = ensure_user(user, password)
        lap("login")
        with tempfile.TemporaryDirectory(prefix="newmedia-superset-") as folder:
            charts = import_bundle(build_bundle(Path(folder), uri), user)
        lap("import")
    return {
        "user": user,
        "password": password if generated else None,
        "login": login,
        "database": uri,
        "charts": charts,
        "timings": timings,
    }


def ensure_user(user: str, password: str) -> str:
    """Create the login as an Admin of this Superset, or reset its password to `password`."""
    from superset import db, security_manager

    existing = security_manager.find_user(username=user)
    if existing is not None:
        security_manager.reset_password(existing.id, password)
        db.session.commit()
        return "updated"
    admin = security_manager.find_role(security_manager.auth_role_admin)
    created = security_manager.add_user(
        user, "新媒体", "运营", f"{user}@localhost", admin, password=password
    )
    if not created:
        raise ProvisionError(f"the login {user!r} could not be created")
    db.session.commit()
    return "created"


def import_bundle(bundle: Path, user: str) -> int:
    """Import the bundle as `user` (the owner of what it creates), replacing what an earlier
    import created (same uuids), then point each chart's saved query (`query_context`, which the
    chart data API runs) at its dataset's id in this metadata database: the YAML cannot know it.
    Returns the number of charts."""
    from flask import g
    from superset import db, security_manager
    from superset.commands.chart.importers.v1 import ImportChartsCommand
    from superset.commands.dashboard.importers.v1 import ImportDashboardsCommand
    from superset.commands.database.importers.v1 import ImportDatabasesCommand
    from superset.commands.dataset.importers.v1 import ImportDatasetsCommand
    from superset.commands.importers.v1.utils import get_contents_from_bundle
    from superset.models.slice import Slice

    g.user = security_manager.find_user(username=user)
    with zipfile.ZipFile(bundle) as archive:
        contents = get_contents_from_bundle(archive)
    metadata = yaml.safe_load(contents["metadata.yaml"])
    # a dashboard import never overwrites the database, datasets and charts it brings: each
    # kind is imported with overwrite first, so a second provisioning applies changed YAML
    for command, model in (
        (ImportDatabasesCommand, "Database"),
        (ImportDatasetsCommand, "SqlaTable"),
        (ImportChartsCommand, "Slice"),
        (ImportDashboardsCommand, "Dashboard"),
    ):
        typed = {**contents, "metadata.yaml": yaml.safe_dump({**metadata, "type": model})}
        command(typed, overwrite=True).run()
    uuids = {
        yaml.safe_load(text)["uuid"]
        for name, text in contents.items()
        if name.startswith("charts/")
    }
    charts = [chart for chart in db.session.query(Slice).all() if str(chart.uuid) in uuids]
    for chart in charts:
        query = json.loads(chart.query_context)
        query["datasource"] = {"id": chart.datasource_id, "type": "table"}
        params = json.loads(chart.params)
        for form_data in (query["form_data"], params):
            form_data["datasource"] = f"{chart.datasource_id}__table"
            form_data["slice_id"] = chart.id
        query["form_data"] = params
        chart.query_context = json.dumps(query, ensure_ascii=False)
        chart.params = json.dumps(params, ensure_ascii=False)
    db.session.commit()
    if len(charts) != len(uuids):
        raise ProvisionError(f"imported {len(charts)} of the {len(uuids)} charts")
    return len(charts)


def serve(port: int, host: str = "127.0.0.1", workers: int = 2) -> None:
    """Serve Superset with gunicorn (replaces this process)."""
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    os.execve(
        gunicorn,
        [
            gunicorn,
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--timeout",
            "120",
            "--access-logfile",
            "-",
            "superset.app:create_app()",
        ],
        superset_env(),
    )


def dashboard_port() -> int:
    value = os.environ.get("NEWMEDIA_DASHBOARD_PORT", "").strip()
    return int(value) if value else DEFAULT_PORT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("provision", help="metadata database, login, roles and dashboards")
    served = commands.add_parser("serve", help="serve on 127.0.0.1:$NEWMEDIA_DASHBOARD_PORT")
    served.add_argument("--host", default="127.0.0.1")
    served.add_argument("--port", type=int, default=None)
    served.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    try:
        if args.command == "provision":
            result = provision()
            timings = ", ".join(f"{k} {v} s" for k, v in result["timings"].items())  # type: ignore[union-attr]
            print(f"dashboard provisioned ({timings}); reads {result['database']}")
            login = f"login: {result['user']}"
            if result["password"]:
                login += f" / {result['password']} (generated, kept in {home() / 'superset'})"
            print(login)
            return 0
        port = args.port or dashboard_port()
        password, generated = dashboard_password()
        login = f"login {dashboard_user()}" + (f" / {password}" if generated else "")
        print(f"数据看板: http://{args.host}:{port}/  ({login})", flush=True)
        serve(port, host=args.host, workers=args.workers)
    except ProvisionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
