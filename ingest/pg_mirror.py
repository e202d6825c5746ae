"""PostgreSQL as the shared warehouse (NEWMEDIA_TARGET=postgres).

Ingest keeps DuckDB (`$NEWMEDIA_HOME/warehouse.duckdb`) as its staging area and ledger: files are
parsed, typed and loaded there exactly as on the DuckDB target (one transaction per file, the
ledger `raw._files`, duplicates skipped by SHA-256). `sync_raw_to_postgres` then mirrors the raw
layer to schema `raw` of the PostgreSQL server: every raw table with the same columns and matching
types, and every loaded file's rows, copied with COPY in one PostgreSQL transaction per file
together with its ledger row, so a file is in PostgreSQL whole or not at all, and a file already
there (by `_file_sha256`) is never copied twice. dbt then reads `raw` on PostgreSQL as it does on
DuckDB.

Derived raw tables, which hold no file's rows, are mirrored by batch instead (`KEYED_TABLES`):
the sentiment labels `raw._sentiment_labels` (sentiment.store) are labelled in DuckDB
first (under the ingest lock), then the rows of every labelling run (`batch_id`) PostgreSQL does
not hold yet are upserted by `text_hash`, in one transaction; a second sync copies nothing.

`grant_bi_login` gives the read-only group role `newmedia_bi` (created by dbt's `on-run-end`
hook, macro `grant_bi_read_access`) a LOGIN member (the settings' NEWMEDIA_PG_BI_USER /
NEWMEDIA_PG_BI_PASSWORD); done here rather than in dbt so that the password never reaches dbt's
logs.

Every function takes the PostgreSQL warehouse's psycopg2.connect() arguments (`postgres`: the
settings' NEWMEDIA_PG_*, those of dbt's profile) from its caller."""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from registry.timezone import TZ_NAME

SCHEMA = "raw"
LEDGER_TABLE = "_files"
BI_ROLE = "newmedia_bi"
#: derived raw tables mirrored by batch: table -> (primary key, the id of the run that wrote a row)
KEYED_TABLES = {"_sentiment_labels": ("text_hash", "batch_id")}

#: DuckDB type (information_schema.columns.data_type) -> PostgreSQL type
_TYPES = {
    "VARCHAR": 'text collate "C"',  # ordered by code point, like DuckDB, whatever the locale
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "SMALLINT": "smallint",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "TIMESTAMP": "timestamp",
    "DATE": "date",
    "BOOLEAN": "boolean",
    "JSON": "jsonb",
    "HUGEINT": "numeric(38, 0)",
}


def pg_type(duckdb_type: str) -> str:
    """The PostgreSQL type of a DuckDB column type."""
    upper = duckdb_type.upper()
    if upper in _TYPES:
        return _TYPES[upper]
    if re.fullmatch(r"DECIMAL\(\d+,\s*\d+\)", upper):
        return upper.replace("DECIMAL", "numeric")
    raise ValueError(f"no PostgreSQL type for the DuckDB type {duckdb_type!r}")


def pg_connect(postgres: Mapping[str, Any]):
    """A connection to the PostgreSQL warehouse, in Shanghai time."""
    import psycopg2

    con = psycopg2.connect(**postgres)
    with con.cursor() as cur:
        cur.execute(f"set time zone '{TZ_NAME}'")
    con.commit()
    return con


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _duck_columns(duck) -> dict[str, list[tuple[str, str, bool]]]:
    """table -> [(column, DuckDB type, nullable)] of DuckDB's raw schema, in column order."""
    tables: dict[str, list[tuple[str, str, bool]]] = {}
    for table, column, data_type, nullable in duck.execute(
        "select table_name, column_name, data_type, is_nullable from information_schema.columns "
        "where table_schema = ? order by table_name, ordinal_position",
        [SCHEMA],
    ).fetchall():
        tables.setdefault(table, []).append((column, data_type, nullable == "YES"))
    return tables


def _ensure_pg_tables(pg, tables: dict[str, list[tuple[str, str, bool]]]) -> None:
    """Create schema raw and its tables on PostgreSQL, or add the columns they lack."""
    with pg.cursor() as cur:
        cur.execute(f"create schema if not exists {SCHEMA}")
        cur.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = %s",
            [SCHEMA],
        )
        existing: dict[str, set[str]] = {}
        for table, column in cur.fetchall():
            existing.setdefault(table, set()).add(column)
        for table, columns in tables.items():
            have = existing.get(table, set())
            if not have:
                body = ", ".join(
                    f"{_ident(c)} {pg_type(t)}{'' if nullable else ' not null'}"
                    for c, t, nullable in columns
                )
                key = "sha256" if table == LEDGER_TABLE else KEYED_TABLES.get(table, ("",))[0]
                primary = f", primary key ({_ident(key)})" if key else ""
                cur.execute(f"create table {SCHEMA}.{_ident(table)} ({body}{primary})")
                continue
            for column, data_type, _nullable in columns:
                if column not in have:
                    cur.execute(
                        f"alter table {SCHEMA}.{_ident(table)} "
                        f"add column {_ident(column)} {pg_type(data_type)}"
                    )
    pg.commit()


def sync_raw_to_postgres(
    home: Path,
    warehouse: Path,
    postgres: Mapping[str, Any],
    lock_timeout: float | None = None,
) -> dict[str, int]:
    """Mirror DuckDB's raw layer to PostgreSQL (`postgres`: its connect arguments): tables, then
    each loaded file not yet there (by SHA-256) in one transaction with its ledger row; the ledger
    rows of quarantined files too. Runs under the ingest lock, so it never sees a file half
    loaded; waits for it, and for the warehouse file, at most `lock_timeout` seconds (the
    settings' NEWMEDIA_LOCK_TIMEOUT; default: ingest.limits'). Returns counts."""

    from ingest.loader import ingest_lock
    from ingest.raw import connect, connect_waiting, ensure_all
    from sentiment.store import label_new_texts

    counts = {"files": 0, "rows": 0, "ledger": 0, "labels": 0}
    with ingest_lock(home, lock_timeout):
        con = connect(warehouse, timeout=lock_timeout)  # creates the raw schema and ledger if new
        try:
            ensure_all(con)
            label_new_texts(con)  # the sentiment of texts new to the current lexicon
        finally:
            con.close()
        duck = connect_waiting(warehouse, read_only=True, timeout=lock_timeout)
        pg = pg_connect(postgres)
        try:
            duck.execute(f"set TimeZone = '{TZ_NAME}'")
            tables = _duck_columns(duck)
            _ensure_pg_tables(pg, tables)
            ledger_columns = [c for c, _t, _n in tables[LEDGER_TABLE]]
            with pg.cursor() as cur:
                cur.execute(f"select sha256, status from {SCHEMA}.{LEDGER_TABLE}")
                in_pg = dict(cur.fetchall())
            with tempfile.TemporaryDirectory(prefix="newmedia-sync-") as scratch:
                for table, columns in sorted(tables.items()):
                    if table in KEYED_TABLES:
                        counts["labels"] += _upsert_keyed(
                            duck, pg, table, [c for c, _t, _n in columns], Path(scratch)
                        )
                        continue
                    if table == LEDGER_TABLE:
                        continue
                    names = [c for c, _t, _n in columns]
                    shas = [
                        row[0]
                        for row in duck.execute(
                            f"select distinct _file_sha256 from {SCHEMA}.{_ident(table)} order by 1"
                        ).fetchall()
                    ]
                    for sha in shas:
                        if in_pg.get(sha) == "loaded":
                            continue
                        counts["rows"] += _copy_file(
                            duck, pg, table, names, sha, ledger_columns, Path(scratch)
                        )
                        counts["files"] += 1
                        in_pg[sha] = "loaded"
                # ledger rows of files without raw rows (quarantined), or changed since
                for row in duck.execute(
                    f"select {', '.join(map(_ident, ledger_columns))} "
                    f"from {SCHEMA}.{LEDGER_TABLE} order by sha256"
                ).fetchall():
                    record = dict(zip(ledger_columns, row, strict=True))
                    if in_pg.get(record["sha256"]) == record["status"]:
                        continue
                    with pg.cursor() as cur:
                        _put_ledger_row(cur, ledger_columns, row)
                    pg.commit()
                    counts["ledger"] += 1
        finally:
            pg.close()
            duck.close()
    return counts


def _upsert_keyed(duck, pg, table: str, names: list[str], scratch: Path) -> int:
    """Copy the rows of the batches of a derived table that PostgreSQL does not hold yet and
    upsert them by key, in one transaction; returns the rows copied (0 when nothing is new)."""
    key, batch = KEYED_TABLES[table]
    with pg.cursor() as cur:
        cur.execute(f"select distinct {_ident(batch)} from {SCHEMA}.{_ident(table)}")
        in_pg = {row[0] for row in cur.fetchall()}
    in_duck = {
        row[0]
        for row in duck.execute(
            f"select distinct {_ident(batch)} from {SCHEMA}.{_ident(table)}"
        ).fetchall()
    }
    missing = sorted(in_duck - in_pg)
    if not missing:
        return 0
    batches = ", ".join("'" + b.replace("'", "''") + "'" for b in missing)
    column_list = ", ".join(map(_ident, names))
    csv = scratch / "keyed.csv"
    duck.execute(
        f"copy (select {column_list} from {SCHEMA}.{_ident(table)} "
        f"where {_ident(batch)} in ({batches}) order by {_ident(key)}) "
        f"to '{csv}' (format csv, header false)"
    )
    updates = ", ".join(f"{_ident(c)} = excluded.{_ident(c)}" for c in names if c != key)
    with _transaction(pg, csv) as cur:
        cur.execute(f"create temporary table _keyed (like {SCHEMA}.{_ident(table)}) on commit drop")
        with csv.open("r", encoding="utf-8") as handle:
            cur.copy_expert(
                f"copy _keyed ({column_list}) from stdin with (format csv, header false)",
                handle,
            )
        cur.execute(
            f"insert into {SCHEMA}.{_ident(table)} ({column_list}) "
            f"select {column_list} from _keyed "
            f"on conflict ({_ident(key)}) do update set {updates}"
        )
        rows = cur.rowcount
    return rows


@contextlib.contextmanager
def _transaction(pg, csv: Path) -> Iterator[Any]:
    """A cursor of one PostgreSQL transaction: committed when the block ends, rolled back (and
    the error raised again) when it fails; the scratch file ``csv`` is removed either way."""
    try:
        with pg.cursor() as cur:
            yield cur
        pg.commit()
    except BaseException:
        pg.rollback()
        raise
    finally:
        csv.unlink(missing_ok=True)


def _put_ledger_row(cur, columns: list[str], row: tuple) -> None:
    cur.execute(f"delete from {SCHEMA}.{LEDGER_TABLE} where sha256 = %s", [row[0]])
    cur.execute(
        f"insert into {SCHEMA}.{LEDGER_TABLE} ({', '.join(map(_ident, columns))}) "
        f"values ({', '.join(['%s'] * len(columns))})",
        list(row),
    )


def _copy_file(
    duck, pg, table: str, names: list[str], sha: str, ledger_columns: list[str], scratch: Path
) -> int:
    """One file's rows and ledger row into PostgreSQL, in one transaction."""
    csv = scratch / "rows.csv"
    column_list = ", ".join(map(_ident, names))
    quoted_sha = sha.replace("'", "''")
    duck.execute(
        f"copy (select {column_list} from {SCHEMA}.{_ident(table)} "
        f"where _file_sha256 = '{quoted_sha}' order by _row_number) "
        f"to '{csv}' (format csv, header false)"
    )
    ledger = duck.execute(
        f"select {', '.join(map(_ident, ledger_columns))} from {SCHEMA}.{LEDGER_TABLE} "
        "where sha256 = ?",
        [sha],
    ).fetchone()
    with _transaction(pg, csv) as cur:
        cur.execute(f"delete from {SCHEMA}.{_ident(table)} where _file_sha256 = %s", [sha])
        with csv.open("r", encoding="utf-8") as handle:
            cur.copy_expert(
                f"copy {SCHEMA}.{_ident(table)} ({column_list}) from stdin "
                "with (format csv, header false)",
                handle,
            )
        rows = cur.rowcount
        if ledger is not None:
            _put_ledger_row(cur, ledger_columns, ledger)
    return rows


def grant_bi_login(
    postgres: Mapping[str, Any], user: str | None, password: str | None
) -> str | None:
    """Create or update the LOGIN `user` with `password` (the settings' NEWMEDIA_PG_BI_USER and
    NEWMEDIA_PG_BI_PASSWORD) as a member of the read-only group role `newmedia_bi`, nothing
    more; returns its name, or None when either is not set."""
    from psycopg2 import sql

    if not user or not password:
        return None
    pg = pg_connect(postgres)
    try:
        with pg.cursor() as cur:
            _ensure_group_role(cur)
            cur.execute("select 1 from pg_roles where rolname = %s", [user])
            verb = "alter" if cur.fetchone() else "create"
            cur.execute(
                sql.SQL(
                    "{} role {} login inherit nosuperuser nocreatedb nocreaterole password {}"
                ).format(sql.SQL(verb), sql.Identifier(user), sql.Literal(password))
            )
            cur.execute(
                sql.SQL("grant {} to {}").format(sql.Identifier(BI_ROLE), sql.Identifier(user))
            )
        pg.commit()
    finally:
        pg.close()
    return user


def _ensure_group_role(cur) -> None:
    cur.execute("select 1 from pg_roles where rolname = %s", [BI_ROLE])
    if cur.fetchone() is None:
        cur.execute(f"create role {BI_ROLE} nologin")
