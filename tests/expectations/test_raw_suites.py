"""The raw-layer suites, generated from the readers' specs, pass on a freshly ingested generated
corpus and fail on a corrupted copy of it, naming the check, the file and the row."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pytest

from expectations import GateFailedError, run_gates
from expectations.suites import load, raw_suites
from expectations.suites.raw import RATE_BOUNDS, RATE_KINDS, table_columns
from ingest import ingest_paths
from ingest.platforms import all_specs
from ingest.raw import LINEAGE_COLUMNS, TRAILING_COLUMNS
from samples import generate_exports

SMALL = ("xiaohongshu", "douyin", "douyin_shop", "bilibili", "kuaishou")


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """A generated corpus of two weeks."""
    out = tmp_path_factory.mktemp("raw_exports")
    generate_exports(out, dt.date(2026, 9, 28), 2)
    return out


def ingest_into(home, paths):
    warehouse = home / "w.duckdb"
    results = ingest_paths(paths, warehouse=warehouse, home=home)
    assert results and all(r.status == "loaded" for r in results)
    return warehouse


@pytest.fixture(scope="module")
def corpus(exports, tmp_path_factory):
    """The whole corpus ingested: (home, warehouse)."""
    home = tmp_path_factory.mktemp("raw_gates")
    return home, ingest_into(home, [exports])


@pytest.fixture(scope="module")
def small_corpus(exports, tmp_path_factory):
    """The exports of five platforms ingested (fast): (home, warehouse)."""
    home = tmp_path_factory.mktemp("raw_gates_small")
    return home, ingest_into(home, [exports / name for name in SMALL])


def test_a_blocking_and_a_warning_suite_per_report_type():
    names = raw_suites()
    specs = all_specs()
    assert len(names) == 2 * len(specs)
    for spec in specs:
        blocking, warning = load(f"raw_{spec.table}"), load(f"raw_{spec.table}__warning")
        assert blocking.severity == "blocking" and warning.severity == "warning"
        assert blocking.table == warning.table == f'raw."{spec.table}"'


@pytest.mark.parametrize("spec", all_specs(), ids=lambda s: s.table)
def test_suites_keep_every_expectation(spec):
    # counted here from the spec, independently of how raw.py builds them (GX drops silently)
    hard = 5 + len(LINEAGE_COLUMNS) + sum(c.not_null for c in spec.columns)
    hard += sum(c.kind in {"count", "duration"} for c in spec.columns)
    hard += sum(c.capped for c in spec.columns)
    hard += sum(c.kind in RATE_KINDS for c in spec.columns)
    hard += sum(c.kind == "stars" for c in spec.columns)
    assert len(load(f"raw_{spec.table}").build().expectations) == hard

    columns = len(LINEAGE_COLUMNS) + len(spec.sql_schema()) + len(TRAILING_COLUMNS)
    assert len(table_columns(spec)) == columns
    loose = sum(c.kind in RATE_KINDS and RATE_BOUNDS.get(c.name, 1) > 1 for c in spec.columns)
    assert len(load(f"raw_{spec.table}__warning").build().expectations) == 1 + columns + loose + 1


@pytest.mark.slow
def test_raw_suites_pass_on_a_fresh_corpus(corpus):
    home, warehouse = corpus
    results = run_gates(warehouse, names=raw_suites(), home=home, data_docs=False)
    failed = {r.suite: [f.describe() for f in r.failed] for r in results if not r.success}
    assert not failed
    assert len(results) == len(raw_suites())
    assert sum(r.evaluated for r in results) > 1000


def test_the_corrupted_suites_pass_before_the_corruption(small_corpus):
    home, warehouse = small_corpus
    results = run_gates(warehouse, names=CORRUPT_SUITES, home=home, data_docs=False)
    assert all(r.success for r in results), [f.describe() for r in results for f in r.failed]


@pytest.fixture(scope="module")
def corrupted(small_corpus, tmp_path_factory):
    """A copy of the corpus's warehouse with a negative count, a rate of 7, a null key and an
    unknown column."""
    _, warehouse = small_corpus
    bad_home = tmp_path_factory.mktemp("raw_gates_bad")
    bad = bad_home / "w.duckdb"
    shutil.copy(warehouse, bad)
    con = duckdb.connect(str(bad))
    try:
        corrupt_one_row(con, "xiaohongshu__note_list", "likes = -5")
        corrupt_one_row(con, "douyin__video_list", "completion_rate = 7")
        corrupt_one_row(con, "douyin_shop__orders", "order_id = null")
        con.execute('alter table raw."bilibili__video_compare" add column mystery varchar')
    finally:
        con.close()
    return bad_home, bad


def corrupt_one_row(con, table: str, assignment: str) -> None:
    """Change one row: the 4th of the table's first file."""
    con.execute(
        f'update raw."{table}" set {assignment} where rowid = '
        f'(select min(rowid) from raw."{table}" where _row_number = 4 and _file_sha256 = '
        f'(select min(_file_sha256) from raw."{table}"))'
    )


CORRUPT_SUITES = (
    "raw_xiaohongshu__note_list",
    "raw_douyin__video_list",
    "raw_douyin_shop__orders",
    "raw_bilibili__video_compare__warning",
    "raw_kuaishou__video_list",  # untouched
)


@pytest.fixture(scope="module")
def corrupted_results(corrupted):
    home, warehouse = corrupted
    with pytest.raises(GateFailedError) as caught:
        run_gates(warehouse, names=CORRUPT_SUITES, home=home, data_docs=False)
    return {r.suite: r for r in caught.value.all_results}, caught.value


def only_failure(result):
    assert not result.success
    (check,) = result.failed
    return check


def test_a_negative_count_fails(corrupted_results):
    results, _ = corrupted_results
    check = only_failure(results["raw_xiaohongshu__note_list"])
    assert (check.expectation, check.column) == ("expect_column_values_to_be_between", "likes")
    assert check.examples == [-5]
    (row,) = check.rows
    assert row["_row_number"] == 4 and row["_file_name"].endswith(".xlsx")


def test_a_rate_of_seven_fails(corrupted_results):
    results, _ = corrupted_results
    check = only_failure(results["raw_douyin__video_list"])
    assert (check.expectation, check.column) == (
        "expect_column_values_to_be_between",
        "completion_rate",
    )
    assert check.examples == [7.0] and '"max_value": 1' in check.detail


def test_a_null_key_fails(corrupted_results):
    results, _ = corrupted_results
    check = only_failure(results["raw_douyin_shop__orders"])
    assert (check.expectation, check.column) == ("expect_column_values_to_not_be_null", "order_id")
    assert check.rows and "_row_number" in check.rows[0]


def test_an_unknown_column_is_drift_and_only_warns(corrupted_results):
    results, error = corrupted_results
    result = results["raw_bilibili__video_compare__warning"]
    check = only_failure(result)
    assert check.expectation == "expect_table_columns_to_match_set"
    assert check.examples == ["mystery"] and "mystery" in check.detail
    assert not result.blocks
    assert results["raw_kuaishou__video_list"].success
    # the error names the three blocking suites, not the warning
    assert {r.suite for r in error.results} == {
        "raw_xiaohongshu__note_list",
        "raw_douyin__video_list",
        "raw_douyin_shop__orders",
    }
    message = str(error)
    assert "likes" in message and "completion_rate" in message and "order_id" in message
