"""A throwaway PostgreSQL cluster for the tests (ops.pgserver, shared with `make cluster`):
initdb in a temporary folder, started with pg_ctl on a free port, listening on 127.0.0.1 only,
trust authentication, stopped and removed at the end. As root, the server runs as the `postgres`
user (PostgreSQL refuses to run as root).

One such server serves the whole test session (the fixture ``pg_server`` of tests/conftest.py,
started when a test first asks for it): each test module works in a database of its own
(``database``), created empty and dropped when the module is done, so starting a cluster is paid
once, not per module."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import psycopg2
import sqlalchemy as sa

from ops.pgserver import pg_bin
from ops.pgserver import throwaway_cluster as cluster

__all__ = ["cluster", "database", "locale_database", "pg_bin"]


def _admin(server: sa.engine.URL):
    admin = psycopg2.connect(
        host=server.host, port=server.port, user=server.username, dbname=server.database
    )
    admin.autocommit = True
    return admin


def _create(server: sa.engine.URL, name: str, *, zh: bool) -> None:
    admin = _admin(server)
    try:
        with admin.cursor() as cur:
            cur.execute("show server_version_num")
            icu = int(cur.fetchone()[0]) >= 150000
            cur.execute(
                f"create database {name} template template0 locale_provider icu "
                "icu_locale 'zh-CN' locale 'C.UTF-8'"
                if zh and icu
                else f"create database {name}"
            )
    finally:
        admin.close()


def locale_database(server: sa.engine.URL) -> sa.engine.URL:
    """A database whose default collation is Chinese (ICU zh-CN), not the cluster's C.UTF-8: the
    marts must not depend on the locale's text order."""
    _create(server, "newmedia", zh=True)
    return server.set(database="newmedia")


@contextlib.contextmanager
def database(server_url: str, name: str, *, zh: bool = True) -> Iterator[sa.engine.URL]:
    """A new, empty database ``name`` on the server at ``server_url`` (the session's
    ``pg_server``), whose default collation is Chinese (ICU zh-CN) unless ``zh`` is false (then
    the cluster's C.UTF-8): yields its URL; dropped at the end with whatever still connects to
    it."""
    assert re.fullmatch(r"[a-z_][a-z0-9_]*", name), name
    server = sa.engine.make_url(server_url)
    _create(server, name, zh=zh)
    try:
        yield server.set(database=name)
    finally:
        admin = _admin(server)
        try:
            with admin.cursor() as cur:
                cur.execute(f"drop database if exists {name} with (force)")
        finally:
            admin.close()
