"""On DuckDB a suite's fingerprint is computed in SQL over its query: an unchanged warehouse
reuses every result without reading a row into pandas; one changed cell (a NULL included)
validates that suite again and only it; the order of the rows does not matter."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from mart_frames import AS_OF, write_marts

from expectations.gates import fingerprint, run_gates
from expectations.suites import MART_SUITES, load
from warehouse.reader import DuckDBReader

SUITE = load("mart_engagement_weekly")


@pytest.fixture
def frame_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The queries read into pandas through DuckDBReader.frame, in order."""
    reads: list[str] = []
    original = DuckDBReader.frame

    def counting(self: DuckDBReader, sql: str, params=None) -> pd.DataFrame:
        reads.append(sql)
        return original(self, sql, params)

    monkeypatch.setattr(DuckDBReader, "frame", counting)
    return reads


def _gates(warehouse, home):
    return run_gates(
        warehouse,
        names=MART_SUITES,
        home=home,
        as_of=AS_OF,
        data_docs=False,
        raise_on_failure=False,
    )


def test_unchanged_rows_are_reused_without_reading_them_and_a_changed_cell_is_validated(
    tmp_path, frame_reads
):
    warehouse = tmp_path / "warehouse.duckdb"
    write_marts(warehouse)

    first = _gates(warehouse, tmp_path)
    assert all(r.success and r.reused_from is None and r.fingerprint for r in first)
    assert len(frame_reads) == len(MART_SUITES)

    frame_reads.clear()
    again = _gates(warehouse, tmp_path)
    assert frame_reads == []  # nothing read into pandas
    assert [r.reused_from for r in again] == [first[0].run_id] * len(MART_SUITES)
    assert [r.fingerprint for r in again] == [r.fingerprint for r in first]

    # one value in one row of one mart: that suite alone is validated (its coverage suite reads
    # the latest complete week, W47; the row changed is one of W46)
    con = duckdb.connect(str(warehouse))
    con.execute(
        "update marts.mart_growth_weekly set followers_end = followers_end + 1 "
        "where week = '2026-W46' and platform = 'douyin'"
    )
    con.close()
    frame_reads.clear()
    changed = {r.suite: r for r in _gates(warehouse, tmp_path)}
    assert len(frame_reads) == 1
    assert changed["mart_growth_weekly"].reused_from is None
    assert changed["mart_growth_weekly"].run_id != first[0].run_id
    assert changed["mart_growth_weekly"].fingerprint != first[1].fingerprint
    others = [r for name, r in changed.items() if name != "mart_growth_weekly"]
    assert {r.reused_from for r in others} == {first[0].run_id}

    # the validated result is recorded with the fingerprint of its rows: reused next time
    frame_reads.clear()
    after = {r.suite: r for r in _gates(warehouse, tmp_path)}
    assert frame_reads == []
    assert after["mart_growth_weekly"].reused_from == changed["mart_growth_weekly"].run_id


def test_a_null_becoming_a_value_and_back_is_validated_again(tmp_path, frame_reads):
    warehouse = tmp_path / "warehouse.duckdb"
    write_marts(warehouse)
    names = ("mart_ab_test_results", "mart_user_needs_weekly")
    first = run_gates(
        warehouse, names=names, home=tmp_path, as_of=AS_OF, data_docs=False, raise_on_failure=False
    )

    def run_after(sql: str) -> dict[str, str | None]:
        con = duckdb.connect(str(warehouse))
        con.execute(sql)
        con.close()
        frame_reads.clear()
        results = run_gates(
            warehouse,
            names=names,
            home=tmp_path,
            as_of=AS_OF,
            data_docs=False,
            raise_on_failure=False,
        )
        assert len(frame_reads) == 1  # the ab test mart only
        return {r.suite: r.reused_from for r in results}

    table = "marts.mart_ab_test_results"
    where = "test_id = 'AB001' and variant = 'A'"
    reused = run_after(f"update {table} set lift = 0.0 where {where}")  # NULL → 0
    assert reused == {"mart_ab_test_results": None, "mart_user_needs_weekly": first[1].run_id}
    reused = run_after(f"update {table} set lift = null where {where}")  # 0 → NULL
    assert reused == {"mart_ab_test_results": None, "mart_user_needs_weekly": first[1].run_id}


# --------------------------------------------------------------------------- the digest itself


@pytest.fixture
def con():
    connection = duckdb.connect()
    connection.execute(
        "create table t as select * from (values "
        "(1, 'a', 1.5::double, date '2026-11-16', true, null::varchar), "
        "(2, 'b', null, date '2026-11-17', false, ''), "
        "(3, null, 0.0, null, null, 'x')"
        ") v(n, s, d, day, flag, note)"
    )
    yield connection
    connection.close()


def _stamp(con, sql: str = "select * from t", definition: str = "suite v1") -> str | None:
    return fingerprint(con, SUITE, sql, definition)


def test_the_fingerprint_does_not_depend_on_row_order(con):
    stamp = _stamp(con)
    assert stamp is not None and len(stamp) == 64
    assert _stamp(con, "select * from t order by n desc") == stamp
    assert _stamp(con, "select * from t order by s nulls first, n") == stamp
    con.execute("create table u as select * from t order by n desc")
    assert _stamp(con, "select * from u") == stamp


@pytest.mark.parametrize(
    "change",
    [
        "update t set n = 4 where n = 1",  # a number
        "update t set s = 'A' where n = 1",  # a text
        "update t set d = 1.5000000001 where n = 1",  # a double, slightly
        "update t set day = day + 1 where n = 2",  # a date
        "update t set flag = not flag where n = 2",  # a boolean
        "update t set s = 'c' where n = 3",  # NULL → value
        "update t set d = 0.0 where n = 2",  # NULL → 0
        "update t set note = null where n = 2",  # '' → NULL
        "update t set d = null where n = 3",  # 0 → NULL
        "update t set note = '' where n = 1",  # NULL → ''
        "insert into t select * from t where n = 1",  # a duplicate row
        "delete from t where n = 2",  # a row fewer
        "update t set s = 'b', n = 1 where n = 2; update t set s = 'a', n = 2 where s = 'a'",
    ],
)
def test_any_cell_changed_changes_the_fingerprint(con, change):
    before = _stamp(con)
    con.execute(change)
    assert _stamp(con) != before


def test_columns_names_types_and_the_suite_definition_are_part_of_the_fingerprint(con):
    stamp = _stamp(con)
    assert _stamp(con, "select n as m, s, d, day, flag, note from t") != stamp
    assert _stamp(con, "select n::bigint as n, s, d, day, flag, note from t") != stamp
    assert _stamp(con, "select s, n, d, day, flag, note from t") != stamp
    assert _stamp(con, definition="suite v2") != stamp
    # the definition is the suite's expectations when not passed in
    assert fingerprint(con, SUITE, "select * from t") == fingerprint(con, SUITE, "select * from t")


def test_a_column_named_like_the_subquery_is_hashed_as_a_column(con):
    # the row hash takes every column, whatever the columns are called
    stamp = _stamp(con, "select n as h, s as q from t")
    con.execute("update t set s = 'z' where n = 1")
    assert _stamp(con, "select n as h, s as q from t") != stamp


def test_a_raw_suite_reads_the_same_rows_among_equal_ingest_times(monkeypatch):
    from expectations.suites import raw

    monkeypatch.setattr(raw, "RAW_ROW_LIMIT", 5)
    suite = load("raw_douyin_shop__orders")
    connection = duckdb.connect()
    # two files ingested at the same time, 4 rows each, inserted in a shuffled order
    connection.execute(
        "create table t as select timestamp '2026-11-20 10:00:00' as _ingested_at, "
        "sha as _file_sha256, n as _row_number "
        "from (values ('b'), ('a')) f(sha), range(1, 5) r(n) order by random()"
    )
    rows = connection.execute(f"select _file_sha256, _row_number from ({suite.query('t', None)})")
    assert sorted(rows.fetchall()) == [("a", 1), ("a", 2), ("a", 3), ("a", 4), ("b", 1)]
    connection.close()
