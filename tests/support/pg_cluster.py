"""A throwaway PostgreSQL cluster for a test (newmedia.pgserver, shared with `make cluster`):
initdb in a temporary folder, started with pg_ctl on a free port, listening on 127.0.0.1 only,
trust authentication, stopped and removed at the end. As root, the server runs as the `postgres`
user (PostgreSQL refuses to run as root)."""

from newmedia.pgserver import pg_bin
from newmedia.pgserver import throwaway_cluster as cluster

__all__ = ["cluster", "pg_bin"]
