"""A throwaway PostgreSQL cluster for a test: initdb in a temporary folder, started with pg_ctl
on a free port, listening on 127.0.0.1 only, trust authentication, stopped and removed at the
end. As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root)."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import sqlalchemy as sa


def pg_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian layout), or one on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version(path: str) -> float:
    try:
        return float(Path(path).parents[1].name)
    except ValueError:
        return 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as(user: str | None, args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if user is not None:
        args = ["runuser", "-u", user, "--", *args]
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)


@contextlib.contextmanager
def cluster() -> Iterator[str]:
    """Yield a SQLAlchemy URL to database `postgres` of a fresh cluster."""
    bindir = pg_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    user = None
    root = Path(tempfile.mkdtemp(prefix="gx-pg-"))
    if os.geteuid() == 0:
        user = "postgres"
        pw = pwd.getpwnam(user)
        os.chown(root, pw.pw_uid, pw.pw_gid)
    data, log = root / "data", root / "server.log"
    port = _free_port()
    try:
        done = _run_as(
            user,
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
            ],
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr or done.stdout}")
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off"
        done = _run_as(
            user,
            [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"],
            timeout=120,
        )
        if done.returncode != 0:
            text = log.read_text() if log.exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {done.stderr or done.stdout}\n{text}")
        try:
            yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/postgres"
        finally:
            _run_as(
                user,
                [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                timeout=120,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


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
