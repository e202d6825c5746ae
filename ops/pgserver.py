"""A PostgreSQL server in a folder of ours: initdb, started with pg_ctl on 127.0.0.1 only, its
Unix socket in that folder, stopped with pg_ctl. As root, the server runs as the `postgres` user
(PostgreSQL refuses to run as root). Used by `make cluster` (a lasting server with passwords) and
by the tests (a throwaway one with trust authentication)."""

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

#: the server's operating-system user when we run as root
SERVER_USER = "postgres"


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


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_user() -> str | None:
    """The user the server runs as: `postgres` when we are root, else ourselves (None)."""
    return SERVER_USER if os.geteuid() == 0 else None


def run_as(user: str | None, args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if user is not None:
        args = ["runuser", "-u", user, "--", *args]
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)


class PgServer:
    """One PostgreSQL cluster under `root` (data in `root/data`, log in `root/server.log`, socket
    in `root`)."""

    def __init__(self, root: Path, port: int) -> None:
        bindir = pg_bin()
        if bindir is None:
            raise RuntimeError(
                "PostgreSQL server binaries (initdb, pg_ctl) are not installed: run `make "
                "system-deps`"
            )
        self.bindir = bindir
        self.root = root
        self.port = port
        self.user = server_user()
        self.data = root / "data"
        self.log = root / "server.log"

    @property
    def initialised(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def init(self, superuser_password: str | None = None) -> None:
        """initdb: with a password, TCP logins need it (scram-sha-256) and only the server's
        owner may use the socket folder; without one, everyone is trusted (tests)."""
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)
        if self.user is not None:
            pw = pwd.getpwnam(self.user)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        args = [str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-E", "UTF8"]
        pwfile = self.root / ".pwfile"
        if superuser_password is None:
            args += ["-A", "trust"]
        else:
            pwfile.write_text(superuser_password + "\n")
            os.chmod(pwfile, 0o600)
            if self.user is not None:
                os.chown(pwfile, pw.pw_uid, pw.pw_gid)
            args += ["--auth-host=scram-sha-256", "--auth-local=trust", f"--pwfile={pwfile}"]
        try:
            done = run_as(self.user, args, timeout=180)
        finally:
            pwfile.unlink(missing_ok=True)
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr or done.stdout}")

    def start(self, fsync: bool = True) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root}"
        if not fsync:
            options += " -c fsync=off"
        done = run_as(
            self.user,
            [
                str(self.bindir / "pg_ctl"),
                *("-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start"),
            ],
            timeout=180,
        )
        if done.returncode != 0:
            text = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {done.stderr or done.stdout}\n{text}")

    def running(self) -> bool:
        done = run_as(self.user, [str(self.bindir / "pg_ctl"), "-D", str(self.data), "status"])
        return done.returncode == 0

    def stop(self, mode: str = "fast") -> None:
        if not self.data.exists():
            return
        run_as(
            self.user,
            [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"],
            timeout=180,
        )

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        """Run `sql` as the superuser over the socket (trusted for the server's owner only)."""
        done = run_as(
            self.user,
            [
                str(self.bindir / "psql"),
                *("-h", str(self.root), "-p", str(self.port), "-U", "postgres", "-d", dbname),
                *("-v", "ON_ERROR_STOP=1", "-qAtc", sql),
            ],
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"psql failed: {done.stderr or done.stdout}")
        return done.stdout

    def create_login(self, user: str, password: str, database: str, createrole: bool) -> None:
        """A LOGIN role owning a new database (idempotent)."""
        role = f"{user} login password '{password}'" + (" createrole" if createrole else "")
        exists = self.psql(f"select 1 from pg_roles where rolname = '{user}'").strip()
        self.psql(f"{'alter' if exists else 'create'} role {role}")
        if not self.psql(f"select 1 from pg_database where datname = '{database}'").strip():
            self.psql(f"create database {database} owner {user}")


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """A fresh cluster in a temporary folder, trust authentication, no fsync, removed at the end:
    yields a SQLAlchemy URL to its database `postgres`."""
    root = Path(tempfile.mkdtemp(prefix="gx-pg-"))
    try:
        server = PgServer(root, free_port())
        server.init()
        server.start(fsync=False)
        try:
            yield f"postgresql+psycopg2://postgres@127.0.0.1:{server.port}/postgres"
        finally:
            server.stop(mode="immediate")
    finally:
        shutil.rmtree(root, ignore_errors=True)
