"""A throwaway PostgreSQL cluster for a test (ops.pgserver, shared with `make cluster`):
initdb in a temporary folder, started with pg_ctl on a free port, listening on 127.0.0.1 only,
trust authentication, stopped and removed at the end. As root, the server runs as the `postgres`
user (PostgreSQL refuses to run as root)."""

from __future__ import annotations

import psycopg2
import sqlalchemy as sa

from ops.pgserver import pg_bin
from ops.pgserver import throwaway_cluster as cluster

__all__ = ["cluster", "locale_database", "pg_bin"]


def locale_database(server: sa.engine.URL) -> sa.engine.URL:
    """A database whose default collation is Chinese (ICU zh-CN), not the cluster's C.UTF-8: the
    marts must not depend on the locale's text order."""
    admin = psycopg2.connect(
        host=server.host, port=server.port, user=server.username, dbname=server.database
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute("show server_version_num")
            icu = int(cur.fetchone()[0]) >= 150000
            cur.execute(
                "create database newmedia template template0 locale_provider icu "
                "icu_locale 'zh-CN' locale 'C.UTF-8'"
                if icu
                else "create database newmedia"
            )
    finally:
        admin.close()
    return server.set(database="newmedia")
