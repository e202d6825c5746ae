"""Superset's configuration for the newmedia dashboard (SUPERSET_CONFIG_PATH points here).

Everything Superset keeps lives under `$NEWMEDIA_HOME/superset/` (owner-only): the metadata
database (SQLite) and the secret key that signs sessions and encrypts connection settings,
generated on the first start. Chinese is the default language. No public role: every page needs
a login. Nothing leaves the machine: the content security policy allows this server only (it
also blocks the telemetry pixel Superset's menu draws).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy.engine.url import URL


def _home() -> Path:
    value = os.environ.get("NEWMEDIA_HOME", "./var")
    return Path(value).expanduser().resolve()


SUPERSET_HOME = _home() / "superset"
SUPERSET_HOME.mkdir(parents=True, exist_ok=True)
os.chmod(SUPERSET_HOME, 0o700)


def _secret_key() -> str:
    configured = os.environ.get("SUPERSET_SECRET_KEY")
    if configured:
        return configured
    path = SUPERSET_HOME / "secret.key"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
        return key


SECRET_KEY = _secret_key()
SQLALCHEMY_DATABASE_URI = os.environ.get(
    "SUPERSET_DATABASE_URI", f"sqlite:///{SUPERSET_HOME / 'superset.db'}?check_same_thread=false"
)
SQLALCHEMY_TRACK_MODIFICATIONS = False

APP_NAME = "新媒体数据看板"
BABEL_DEFAULT_LOCALE = "zh"
LANGUAGES = {
    "zh": {"flag": "cn", "name": "简体中文"},
    "en": {"flag": "us", "name": "English"},
}
CURRENCIES = ["CNY"]
D3_FORMAT = {"currency": ["¥", ""]}  # type: ignore[typeddict-item]

# no anonymous access: the public role has no permissions
AUTH_ROLE_PUBLIC = "Public"
PUBLIC_ROLE_LIKE = None

FEATURE_FLAGS = {
    "DASHBOARD_NATIVE_FILTERS": True,
    "DASHBOARD_CROSS_FILTERS": True,
    "ALERT_REPORTS": False,
    "THUMBNAILS": False,
    "ENABLE_TEMPLATE_PROCESSING": False,
    # every chart of a dashboard loads at once (a dashboard has a handful), also in a headless
    # browser that does not scroll
    "DASHBOARD_VIRTUALIZATION": False,
}

# DuckDB snapshot and PostgreSQL BI role only; the metadata database is no data source
PREVENT_UNSAFE_DB_CONNECTIONS = True
ROW_LIMIT = 50000

# the BI role's password comes from the environment and is never stored by Superset
_BI_PASSWORD = os.environ.get("NEWMEDIA_PG_BI_PASSWORD", "")


def _password_store(url: URL) -> str | None:
    if url.drivername.startswith("postgresql") and _BI_PASSWORD:
        return _BI_PASSWORD
    return url.password


SQLALCHEMY_CUSTOM_PASSWORD_STORE = _password_store

# a content security policy that allows this server only: no telemetry pixel, no map tiles
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
CONTENT_SECURITY_POLICY_WARNING = False

# caches in the process (no Redis for a single-machine dashboard); queries are not cached, so a
# new snapshot shows at the next refresh
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
FILTER_STATE_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 86400}
EXPLORE_FORM_DATA_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 86400}
RATELIMIT_STORAGE_URI = "memory://"

WTF_CSRF_ENABLED = True
SESSION_COOKIE_SAMESITE = "Lax"
