"""The settings read every NEWMEDIA_* option of the stages once, from the environment, with the
defaults of `.env.example` and the errors that name the variable; no stage reads them itself."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from newmedia.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = {
    "NEWMEDIA_SALT": "salt",
    "NEWMEDIA_DATA_DOCS_KEEP": "data_docs_keep",
    "NEWMEDIA_ALERT_MAX_AGE_HOURS": "alert_max_age",
    "NEWMEDIA_DASHBOARD_URL": "dashboard_url",
    "NEWMEDIA_REPORTS_URL": "reports_url",
    "NEWMEDIA_CHROMIUM": "chromium",
}


@pytest.fixture()
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in OPTIONS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("NEWMEDIA_TARGET", raising=False)
    return monkeypatch


def test_unset_options_leave_the_stages_their_defaults(clean_env):
    settings = get_settings()
    assert {field: getattr(settings, field) for field in OPTIONS.values()} == dict.fromkeys(
        OPTIONS.values()
    )
    # the fields a test or bench does not name keep those defaults
    built = Settings(home=Path("/h"), exports=Path("/e"), target="duckdb")
    assert [getattr(built, field) for field in OPTIONS.values()] == [None] * len(OPTIONS)


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
    ],
)
def test_a_bad_option_is_an_error_naming_the_variable(clean_env, value, message):
    clean_env.setenv(message.split()[0], value)
    with pytest.raises(ValueError, match=re.escape(message)):
        get_settings()


def test_no_stage_reads_the_options_or_imports_the_application_layer():
    """The stages get these options as arguments (newmedia.tasks hands them down)."""
    stages = ("ingest", "sentiment", "expectations", "reports", "warehouse", "registry")
    readers = re.compile(r"environ|getenv")
    for stage in stages:
        for path in (ROOT / stage).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"^\s*(from|import) newmedia\b", text, re.M), path
            for line in text.splitlines():
                if readers.search(line):
                    assert not any(name in line for name in OPTIONS), f"{path}: {line.strip()}"
