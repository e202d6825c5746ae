"""warehouse.Reader: the same SQL, the same bound parameters and the same frames (values and
dtypes) on the DuckDB file and on PostgreSQL (a throwaway cluster), in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.support.pg_cluster import database
from warehouse import WarehouseMissingError, open_reader
from warehouse.reader import to_pyformat

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
HOSTILE = "x'); drop table marts.items; --"


def test_parameters_become_pyformat_outside_literals_and_comments():
    sql = (
        "select '$not', \"$col\", a % 2, 'it''s 5%' from t -- $nope\n"
        "where w = $week and v in (select unnest($weeks))"
    )
    assert to_pyformat(sql) == (
        "select '$not', \"$col\", a %% 2, 'it''s 5%%' from t -- $nope\n"
        "where w = %(week)s and v in (select unnest(%(weeks)s))"
    )


def test_a_missing_warehouse_or_target_is_a_clear_error(tmp_path: Path):
    with pytest.raises(WarehouseMissingError, match="run `newmedia build`"):
        open_reader("duckdb", duckdb_path=tmp_path / "warehouse.duckdb")
    with pytest.raises(ValueError, match="duckdb, postgres"):
        open_reader("sqlite", duckdb_path=tmp_path / "warehouse.duckdb")
    with pytest.raises(WarehouseMissingError, match="NEWMEDIA_PG_HOST"):
        open_reader(
            "postgres",
            postgres={"host": "127.0.0.1", "port": 1, "user": "u", "dbname": "d"},
        )


ROWS = [
    # id, name, small, big, amount (decimal), ratio, flag, day, seen_at
    (1, "抖音", 3, 10_000_000_000, "12.50", 0.25, True, "2026-11-16", "2026-11-16 23:30:00+08"),
    (2, "Zed", 4, 7, "0.10", 1.5, False, "2026-11-17", "2026-11-17 00:30:00+08"),
    (3, HOSTILE, None, None, None, None, None, None, None),
]
DDL = (
    "create table marts.items (id integer, name text, small smallint, big bigint, "
    "amount decimal(12, 2), ratio double precision, flag boolean, day date, seen_at timestamptz)"
)


def _fill(execute, postgres: bool = False) -> None:
    execute("create schema marts")
    # text in the marts orders by code point on PostgreSQL as on DuckDB (ingest.pg_mirror)
    execute(DDL.replace("name text", 'name text collate "C"') if postgres else DDL)
    for row in ROWS:
        values = ", ".join(
            "null" if v is None else "'" + str(v).replace("'", "''") + "'" for v in row
        )
        execute(f"insert into marts.items values ({values})")


QUERIES = [
    ("select * from marts.items order by id", {}),
    (
        "select name, sum(big) as big, sum(amount) as amount, count(*) as n from marts.items "
        "where day between $start and $end group by name order by name",
        {"start": dt.date(2026, 11, 16), "end": dt.date(2026, 11, 22)},
    ),
    (
        "select id, seen_at from marts.items where seen_at >= $since order by id",
        {"since": pd.Timestamp("2026-11-17", tz="Asia/Shanghai")},
    ),
    (
        "select id from marts.items where name in (select unnest($names)) order by id",
        {"names": ["Zed", HOSTILE]},
    ),
    ("select id, name from marts.items where name = $name", {"name": HOSTILE}),
    ("select * from marts.items where id < 0", {}),
    ("select id, big % 3 as m, $p as p from marts.items where id = 2", {"p": "5%"}),
]


@pytest.fixture(scope="module")
def readers(tmp_path_factory: pytest.TempPathFactory, pg_server: str):
    path = tmp_path_factory.mktemp("reader") / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    _fill(con.execute)
    con.close()
    with database(pg_server, "warehouse_reader") as parsed:
        import psycopg2

        kwargs = {"host": parsed.host, "port": parsed.port, "user": parsed.username}
        admin = psycopg2.connect(dbname=parsed.database, **kwargs)
        admin.autocommit = True
        with admin.cursor() as cur:
            _fill(cur.execute, postgres=True)
        admin.close()
        duck = open_reader("duckdb", duckdb_path=path)
        pg = open_reader("postgres", postgres={"dbname": parsed.database, **kwargs})
        try:
            yield duck, pg
        finally:
            duck.close()
            pg.close()


@pytest.mark.slow
@pytest.mark.parametrize(("sql", "params"), QUERIES)
def test_frames_are_the_same_on_both_targets(readers, sql, params):
    duck, pg = readers
    expected = duck.frame(sql, params)
    got = pg.frame(sql, params)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)
    assert pg.rows(sql, params) == duck.rows(sql, params)


@pytest.mark.slow
def test_both_read_in_shanghai_time_and_read_only(readers):
    duck, pg = readers
    for reader in (duck, pg):
        at = reader.rows("select seen_at from marts.items where id = 1")[0][0]
        assert at.utcoffset() == dt.timedelta(hours=8) and at.hour == 23
        frame = reader.frame("select seen_at from marts.items where id = 1")
        assert str(frame["seen_at"].dtype) == "datetime64[us, Asia/Shanghai]"
        assert reader.columns("marts", "items")[:3] == ["id", "name", "small"]
        assert reader.columns("marts", "nothing") == []
        with pytest.raises(Exception, match=r"(?i)read.only"):
            reader.rows("delete from marts.items")
    assert len(duck.rows("select * from marts.items")) == 3


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("held", flush=True)
time.sleep(1.5)
con.close()
"""


def test_the_duckdb_reader_waits_for_the_writer(tmp_path: Path, monkeypatch):
    """A report or an alert opened while ingest or dbt writes the file waits, and says so."""
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.t as select 42 as answer")
    con.close()
    monkeypatch.setenv("NEWMEDIA_LOCK_TIMEOUT", "60")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        told: list[str] = []
        with open_reader("duckdb", duckdb_path=path, on_wait=told.append) as reader:
            assert reader.rows("select answer from marts.t") == [(42,)]
    finally:
        holder.wait(30)
    assert len(told) == 1 and "busy" in told[0] and f"PID {holder.pid}" in told[0]
