"""The Great Expectations gate on the engagement mart passes on good rows and blocks bad ones,
naming the failed check and example values."""

from __future__ import annotations

import pandas as pd
import pytest

from expectations import GateFailedError, validate_frame
from expectations.gates import run_gates
from expectations.suites import load


def good_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "platform": ["douyin", "xiaohongshu"],
            "account_id": ["dy_main", "xhs_main"],
            "week": ["2026-W47", "2026-W47"],
            "week_start": pd.to_datetime(["2026-11-16", "2026-11-16"]).date,
            "contents_published": [8, 6],
            "views": [120_000, 5_070],
            "interactions": [2_446, 304],
            "interaction_rate": [0.0204, 0.06],
            "avg_views_per_content": [15_000.0, 845.0],
            "viral_contents": [1, 0],
            "viral_share": [0.125, 0.0],
            # 直播 on 抖音; 小红书 has no live export (NULL)
            "live_sessions": [3, None],
            "live_viewers": [24_000, None],
            "live_watch_minutes": [48_000.0, None],
            "live_avg_watch_seconds": [120.0, None],
            "live_peak_concurrent": [950, None],
            "live_new_followers": [240, None],
            "live_follow_rate": [0.01, None],
            "live_product_clicks": [2_880, None],
        }
    )


def test_suite_has_every_expectation():
    # GX drops invalid expectation configs silently: count them
    assert len(load("mart_engagement_weekly").build().expectations) == 24


def test_good_rows_pass():
    result = validate_frame("mart_engagement_weekly", good_frame())
    assert result.success and not result.failed and result.evaluated == 24


@pytest.mark.parametrize(
    ("column", "value", "expectation"),
    [
        ("interaction_rate", 1.7, "expect_column_values_to_be_between"),
        ("views", -5, "expect_column_values_to_be_between"),
        ("platform", "weibo", "expect_column_values_to_be_in_set"),
        ("week", "2026-47", "expect_column_values_to_match_regex"),
    ],
)
def test_a_corrupted_row_fails_and_is_named(column, value, expectation):
    frame = good_frame()
    frame.loc[1, column] = value
    result = validate_frame("mart_engagement_weekly", frame)
    assert not result.success and result.blocks
    failed = {(f.expectation, f.column) for f in result.failed}
    assert (expectation, column) in failed
    check = next(f for f in result.failed if f.column == column)
    assert value in check.examples


def test_duplicate_keys_fail():
    frame = pd.concat([good_frame(), good_frame().iloc[[0]]], ignore_index=True)
    result = validate_frame("mart_engagement_weekly", frame)
    assert "expect_compound_columns_to_be_unique" in {f.expectation for f in result.failed}


def test_run_gates_raises_with_a_readable_message(tmp_path):
    import duckdb

    warehouse = tmp_path / "warehouse.duckdb"
    frame = good_frame()
    frame.loc[0, "viral_share"] = 3.0
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts")
    con.register("frame", frame)
    con.execute("create table marts.mart_engagement_weekly as select * from frame")
    con.close()
    with pytest.raises(GateFailedError) as caught:
        run_gates(warehouse, names=("mart_engagement_weekly",), home=tmp_path, data_docs=False)
    message = str(caught.value)
    assert "mart_engagement_weekly" in message and "viral_share" in message and "3.0" in message
    # the failed row is shown by its key
    assert "platform=douyin, account_id=dy_main, week=2026-W47" in message


def test_a_missing_table_fails_clearly(tmp_path):
    import duckdb

    warehouse = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(warehouse)).close()
    with pytest.raises(GateFailedError) as caught:
        run_gates(warehouse, names=("mart_ab_test_results",), home=tmp_path, data_docs=False)
    (result,) = caught.value.results
    assert result.failed[0].expectation == "table_missing"
    assert "table missing: marts.mart_ab_test_results" in str(caught.value)


def test_a_suite_on_unchanged_rows_reuses_its_result_and_changed_rows_are_validated(tmp_path):
    import duckdb

    warehouse = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts")
    con.register("frame", good_frame())
    con.execute("create table marts.mart_engagement_weekly as select * from frame")
    con.close()
    names = ("mart_engagement_weekly",)

    (first,) = run_gates(warehouse, names=names, home=tmp_path)
    assert first.success and first.reused_from is None and first.fingerprint
    (again,) = run_gates(warehouse, names=names, home=tmp_path)
    assert again.success and again.reused_from == first.run_id
    assert again.run_id != first.run_id and again.data_docs == first.data_docs
    # no run validated anything new: no Data Docs were written for the second run
    assert not (tmp_path / "data_docs" / again.run_id).exists()

    con = duckdb.connect(str(warehouse))
    con.execute("update marts.mart_engagement_weekly set viral_share = 3.0 where views = 5070")
    con.close()
    with pytest.raises(GateFailedError) as caught:
        run_gates(warehouse, names=names, home=tmp_path)
    (changed,) = caught.value.results
    assert changed.reused_from is None and "viral_share" in str(caught.value)
    # a failure on the same rows is carried over, and still blocks
    with pytest.raises(GateFailedError) as caught:
        run_gates(warehouse, names=names, home=tmp_path)
    (still,) = caught.value.results
    assert still.reused_from == changed.run_id and "viral_share" in str(caught.value)
    # reuse=False validates whatever the status says
    with pytest.raises(GateFailedError) as caught:
        run_gates(warehouse, names=names, home=tmp_path, reuse=False)
    assert caught.value.results[0].reused_from is None
