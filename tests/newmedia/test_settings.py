"""The settings read every NEWMEDIA_* option of the stages once, from the environment, with the
defaults of `.env.example` and the errors that name the variable; no stage reads them itself."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from ingest.limits import VARIABLES, Limits
from newmedia.settings import LIMITS, Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = {
    "NEWMEDIA_SALT": "salt",
    "NEWMEDIA_DATA_DOCS_KEEP": "data_docs_keep",
    "NEWMEDIA_ALERT_MAX_AGE_HOURS": "alert_max_age",
    "NEWMEDIA_DASHBOARD_URL": "dashboard_url",
    "NEWMEDIA_REPORTS_URL": "reports_url",
    "NEWMEDIA_CHROMIUM": "chromium",
    "NEWMEDIA_DATA_DOCS_ASSETS": "data_docs_assets",
    "NEWMEDIA_PG_BI_USER": "pg_bi_user",
    "NEWMEDIA_PG_BI_PASSWORD": "pg_bi_password",
}
#: the variables with a default value of their own
DEFAULTS = {
    "NEWMEDIA_PG_HOST": ("pg_host", "localhost"),
    "NEWMEDIA_PG_PORT": ("pg_port", 5432),
    "NEWMEDIA_PG_USER": ("pg_user", "newmedia"),
    "NEWMEDIA_PG_PASSWORD": ("pg_password", None),
    "NEWMEDIA_PG_DBNAME": ("pg_dbname", "newmedia"),
    "NEWMEDIA_TASK_RETRIES": ("task_retries", 2),
    "NEWMEDIA_TASK_RETRY_DELAY_SECONDS": ("task_retry_delay_seconds", 120),
    "NEWMEDIA_IN_PROCESS_RUN": ("in_process_run", False),
}


@pytest.fixture()
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in [*OPTIONS, *DEFAULTS, *VARIABLES.values(), "NEWMEDIA_TARGET"]:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_unset_options_leave_the_stages_their_defaults(clean_env):
    settings = get_settings()
    assert {field: getattr(settings, field) for field in OPTIONS.values()} == dict.fromkeys(
        OPTIONS.values()
    )
    # the fields a test or bench does not name keep those defaults
    built = Settings(home=Path("/h"), exports=Path("/e"), target="duckdb")
    assert [getattr(built, field) for field in OPTIONS.values()] == [None] * len(OPTIONS)
    for settings in (get_settings(), built):
        assert {f: getattr(settings, f) for f, _ in DEFAULTS.values()} == dict(DEFAULTS.values())
        assert settings.ingest_limits() == Limits() and settings.lock_timeout is None
        assert settings.postgres == {
            "host": "localhost",
            "port": 5432,
            "user": "newmedia",
            "dbname": "newmedia",
            "application_name": "newmedia",
        }


def test_each_option_is_read_into_its_field(clean_env):
    clean_env.setenv("NEWMEDIA_SALT", "pepper")
    clean_env.setenv("NEWMEDIA_DATA_DOCS_KEEP", "5")
    clean_env.setenv("NEWMEDIA_ALERT_MAX_AGE_HOURS", "1.5")
    clean_env.setenv("NEWMEDIA_DASHBOARD_URL", "  https://bi.example.com/d/1  ")
    clean_env.setenv("NEWMEDIA_REPORTS_URL", "https://reports.example.com/r/")
    clean_env.setenv("NEWMEDIA_CHROMIUM", "/opt/chrome/chrome")
    settings = get_settings()
    assert settings.salt == "pepper"
    assert settings.data_docs_keep == 5
    assert settings.alert_max_age == dt.timedelta(minutes=90)
    assert settings.dashboard_url == "https://bi.example.com/d/1"
    assert settings.reports_url == "https://reports.example.com/r/"
    assert settings.chromium == "/opt/chrome/chrome"
    assert "pepper" not in repr(settings)  # the salt is a secret: never in a log line


def test_the_postgres_warehouse_and_its_bi_login(clean_env):
    for name, value in {
        "NEWMEDIA_PG_HOST": "db.internal",
        "NEWMEDIA_PG_PORT": "5433",
        "NEWMEDIA_PG_USER": "loader",
        "NEWMEDIA_PG_PASSWORD": "s3cret",
        "NEWMEDIA_PG_DBNAME": "warehouse",
        "NEWMEDIA_PG_BI_USER": "bi",
        "NEWMEDIA_PG_BI_PASSWORD": "b1",
    }.items():
        clean_env.setenv(name, value)
    settings = get_settings()
    assert settings.postgres == {
        "host": "db.internal",
        "port": 5433,
        "user": "loader",
        "dbname": "warehouse",
        "application_name": "newmedia",
        "password": "s3cret",
    }
    assert (settings.pg_bi_user, settings.pg_bi_password) == ("bi", "b1")
    assert "s3cret" not in repr(settings) and "b1" not in repr(settings)
    clean_env.setenv("NEWMEDIA_PG_PASSWORD", "")  # empty: no password
    assert "password" not in get_settings().postgres


def test_ingest_bounds_and_the_lock_timeout(clean_env):
    assert set(LIMITS) == {f.name for f in dataclasses.fields(Limits)}
    # each bound's variable, as ingest names it in a quarantine reason
    assert {key: f"NEWMEDIA_{key.upper()}" for key in LIMITS} == VARIABLES
    clean_env.setenv("NEWMEDIA_MAX_COLUMNS", "3_000")
    clean_env.setenv("NEWMEDIA_LOCK_TIMEOUT", "2.5")
    settings = get_settings()
    assert settings.ingest_limits() == Limits(max_columns=3000, lock_timeout=2.5)
    assert settings.lock_timeout == 2.5
    clean_env.setenv("NEWMEDIA_LOCK_TIMEOUT", "0")  # no waiting at all
    assert get_settings().lock_timeout == 0


def test_the_dag_defaults_and_data_docs_assets(clean_env, tmp_path):
    clean_env.setenv("NEWMEDIA_TASK_RETRIES", "0")
    clean_env.setenv("NEWMEDIA_TASK_RETRY_DELAY_SECONDS", "5")
    clean_env.setenv("NEWMEDIA_IN_PROCESS_RUN", "1")
    clean_env.setenv("NEWMEDIA_DATA_DOCS_ASSETS", str(tmp_path))
    settings = get_settings()
    assert (settings.task_retries, settings.task_retry_delay_seconds) == (0, 5)
    assert settings.in_process_run and settings.data_docs_assets == tmp_path


def test_empty_options_count_as_unset(clean_env):
    for name in ("NEWMEDIA_SALT", "NEWMEDIA_DASHBOARD_URL", "NEWMEDIA_REPORTS_URL"):
        clean_env.setenv(name, "")
    clean_env.setenv("NEWMEDIA_CHROMIUM", "")
    settings = get_settings()
    assert (settings.salt, settings.dashboard_url, settings.reports_url, settings.chromium) == (
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("a day", "NEWMEDIA_ALERT_MAX_AGE_HOURS must be a number of hours, not 'a day'"),
        ("", "NEWMEDIA_ALERT_MAX_AGE_HOURS must be a number of hours, not ''"),
        ("0", "NEWMEDIA_ALERT_MAX_AGE_HOURS must be positive, not '0'"),
        ("-3", "NEWMEDIA_ALERT_MAX_AGE_HOURS must be positive, not '-3'"),
        ("all", "NEWMEDIA_DATA_DOCS_KEEP must be a whole number of runs, not 'all'"),
        ("2.5", "NEWMEDIA_DATA_DOCS_KEEP must be a whole number of runs, not '2.5'"),
        ("many", "NEWMEDIA_MAX_ROWS must be a number, not 'many'"),
        ("0", "NEWMEDIA_MAX_CELLS must be a positive number, not '0'"),
        ("-1", "NEWMEDIA_LOCK_TIMEOUT must be a positive number, not '-1'"),
        ("db", "NEWMEDIA_PG_PORT must be a port number, not 'db'"),
        ("two", "NEWMEDIA_TASK_RETRIES must be a whole number, not 'two'"),
    ],
)
def test_a_bad_option_is_an_error_naming_the_variable(clean_env, value, message):
    clean_env.setenv(message.split()[0], value)
    with pytest.raises(ValueError, match=re.escape(message)):
        get_settings()


STAGES = ("ingest", "sentiment", "expectations", "reports", "warehouse", "registry")


def _environment_reads(tree: ast.Module) -> list[str]:
    """The NEWMEDIA_* names a module reads: `x.get("NEWMEDIA_…")`, `getenv(…)`, `x["NEWMEDIA_…"]`,
    with the name written out or held in a module constant."""
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name)
    }

    def name_of(node: ast.AST) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            value = constants.get(node.id)
            return value if isinstance(value, str) else None
        if isinstance(node, ast.JoinedStr) and node.values:
            return name_of(node.values[0])
        return None

    def is_environ(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "environ"

    found = []
    for node in ast.walk(tree):
        keys: list[tuple[ast.AST, bool]] = []  # (key, read from os.environ itself)
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in {"get", "getenv", "pop", "setdefault"}:
                environ = called == "getenv" or is_environ(getattr(func, "value", None))
                keys.append((node.args[0], environ))
        elif isinstance(node, ast.Subscript):
            keys.append((node.slice, is_environ(node.value)))
        for key, environ in keys:
            name = name_of(key)
            if name and name.startswith("NEWMEDIA_"):
                found.append(f"line {node.lineno}: {name}")
            elif name is None and environ:  # os.environ[name]: which variable is not written
                found.append(f"line {node.lineno}: a variable named at run time")
    return found


def test_the_check_finds_each_form_of_an_environment_read():
    source = (
        'import os\nNAME = "NEWMEDIA_X"\nos.environ.get(NAME)\nos.getenv("NEWMEDIA_Y")\n'
        'env["NEWMEDIA_Z"]\nenv.get(f"NEWMEDIA_{k}")\nos.environ.get("AIRFLOW_CONN_X")\n'
        "for name in NAMES:\n    os.environ.get(name)\n"
    )
    assert _environment_reads(ast.parse(source)) == [
        "line 3: NEWMEDIA_X",
        "line 4: NEWMEDIA_Y",
        "line 5: NEWMEDIA_Z",
        "line 6: NEWMEDIA_",
        "line 9: a variable named at run time",
    ]


def test_no_stage_reads_the_variables_or_imports_the_application_layer():
    """The stages get every NEWMEDIA_* value as an argument (newmedia.tasks hands them down):
    none imports `newmedia` or reads one of those variables from the environment."""
    for stage in STAGES:
        for path in (ROOT / stage).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"^\s*(from|import) newmedia\b", text, re.M), path
            assert _environment_reads(ast.parse(text)) == [], path


def test_every_variable_is_documented_in_the_one_table_and_the_example():
    """Each variable the settings read is a row of the README's table and a line of
    `.env.example` (`NEWMEDIA_IN_PROCESS_RUN`, set by `newmedia run` only, is in the table)."""
    source = (ROOT / "newmedia" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'"(NEWMEDIA_[A-Z_]+)"', source))
    read |= {f"NEWMEDIA_{key.upper()}" for key in LIMITS}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Configuration") :].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| `NEWMEDIA_")]
    for name in sorted(read):
        prefix, _, suffix = name.rpartition("_")
        assert any(
            f"`{name}`" in row or (f"`{prefix}_" in row and f"`_{suffix}`" in row) for row in rows
        ), f"{name} is not a row of the README's table"
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*(NEWMEDIA_[A-Z_]+)=", example, re.M))
    assert read - documented == {"NEWMEDIA_IN_PROCESS_RUN"}
