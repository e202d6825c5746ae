"""Each mart suite passes on good fixture frames and fails on a corrupted copy, naming the check,
the column and example values; platform coverage checks the latest complete week."""

from __future__ import annotations

import pandas as pd
import pytest
from mart_frames import AS_OF, FRAMES

from expectations import validate_frame
from expectations.suites import (
    MART_SUITES,
    MART_TABLE_SUITES,
    MAY_BE_EMPTY,
    _common,
    all_suites,
    load,
)

#: GX drops invalid expectation configs silently, so every suite's size is pinned here
EXPECTATION_COUNTS = {
    "mart_engagement_weekly": 24,
    "mart_growth_weekly": 10,
    "mart_conversion_roi_weekly": 16,
    "mart_sentiment_daily": 14,
    "mart_kpi_scorecard_weekly": 11,
    "mart_user_needs_weekly": 7,
    "mart_content_performance": 17,
    "mart_ab_test_results": 12,
    "mart_live_sessions": 31,
    "mart_content_calendar_weekly": 19,
    "mart_channel_pilots": 50,
    "mart_engagement_weekly__platforms__warning": 2,
    "mart_growth_weekly__platforms": 2,
    "mart_conversion_roi_weekly__platforms": 2,
    "mart_kpi_scorecard_weekly__platforms": 2,
}


def frame_for(suite: str) -> pd.DataFrame:
    return FRAMES[suite.split("__")[0]]()


def test_every_mart_suite_is_counted():
    assert set(EXPECTATION_COUNTS) == set(MART_SUITES)


@pytest.mark.parametrize("suite", MART_SUITES)
def test_suite_keeps_every_expectation(suite):
    assert len(load(suite).build().expectations) == EXPECTATION_COUNTS[suite]


@pytest.mark.parametrize("suite", MART_SUITES)
def test_good_frames_pass(suite):
    result = validate_frame(suite, frame_for(suite), as_of=AS_OF)
    assert result.success, [f.describe() for f in result.failed]
    assert result.evaluated == EXPECTATION_COUNTS[suite]


def test_severity_follows_the_name():
    for name in all_suites():
        suite = load(name)
        assert suite.severity == ("warning" if name.endswith("__warning") else "blocking"), name


CORRUPTIONS = [
    ("mart_growth_weekly", "followers_end", -1, "expect_column_values_to_be_between"),
    ("mart_growth_weekly", "platform", "weibo", "expect_column_values_to_be_in_set"),
    (
        "mart_conversion_roi_weekly",
        "viewer_to_payer_rate",
        1.5,
        "expect_column_values_to_be_between",
    ),
    ("mart_conversion_roi_weekly", "gmv", -10.0, "expect_column_values_to_be_between"),
    (
        "mart_conversion_roi_weekly",
        "buyers",
        9_999,
        "expect_column_pair_values_a_to_be_greater_than_b",
    ),
    ("mart_sentiment_daily", "negative_share", 1.2, "expect_column_values_to_be_between"),
    ("mart_sentiment_daily", "negative", -2, "expect_column_values_to_be_between"),
    (
        "mart_sentiment_daily",
        "negatives_responded_1h",
        5,
        "expect_column_pair_values_a_to_be_greater_than_b",
    ),
    ("mart_kpi_scorecard_weekly", "status", "ok", "expect_column_values_to_be_in_set"),
    ("mart_kpi_scorecard_weekly", "dimension", "fun", "expect_column_values_to_be_in_set"),
    ("mart_kpi_scorecard_weekly", "week", "W47", "expect_column_values_to_match_regex"),
    ("mart_user_needs_weekly", "share", 1.4, "expect_column_values_to_be_between"),
    ("mart_user_needs_weekly", "mentions", -1, "expect_column_values_to_be_between"),
    ("mart_content_performance", "views", -1, "expect_column_values_to_be_between"),
    ("mart_content_performance", "interaction_rate", 3.0, "expect_column_values_to_be_between"),
    ("mart_content_performance", "platform", "weibo", "expect_column_values_to_be_in_set"),
    ("mart_ab_test_results", "p_value", 1.5, "expect_column_values_to_be_between"),
    ("mart_ab_test_results", "clicks", 99_999, "expect_column_pair_values_a_to_be_greater_than_b"),
    ("mart_ab_test_results", "rate", 7.0, "expect_column_values_to_be_between"),
    ("mart_engagement_weekly", "live_viewers", -3, "expect_column_values_to_be_between"),
    ("mart_engagement_weekly", "live_follow_rate", 1.3, "expect_column_values_to_be_between"),
    (
        "mart_engagement_weekly",
        "live_peak_concurrent",
        99_999,
        "expect_column_pair_values_a_to_be_greater_than_b",
    ),
    ("mart_live_sessions", "gmv", -186_420.5, "expect_column_values_to_be_between"),
    ("mart_live_sessions", "viewer_to_payer_rate", 1.2, "expect_column_values_to_be_between"),
    ("mart_live_sessions", "platform", "weibo", "expect_column_values_to_be_in_set"),
    ("mart_live_sessions", "buyers", 5_000, "expect_column_pair_values_a_to_be_greater_than_b"),
    (
        "mart_live_sessions",
        "peak_concurrent",
        30_000,
        "expect_column_pair_values_a_to_be_greater_than_b",
    ),
    ("mart_content_calendar_weekly", "on_time_rate", 1.5, "expect_column_values_to_be_between"),
    ("mart_content_calendar_weekly", "planned", -1, "expect_column_values_to_be_between"),
    ("mart_content_calendar_weekly", "week", "2026W47", "expect_column_values_to_match_regex"),
    ("mart_channel_pilots", "verdict_code", "maybe", "expect_column_values_to_be_in_set"),
    ("mart_channel_pilots", "pilot_kind", "brand", "expect_column_values_to_be_in_set"),
    ("mart_channel_pilots", "gmv", -50.0, "expect_column_values_to_be_between"),
    ("mart_channel_pilots", "interaction_rate", 1.8, "expect_column_values_to_be_between"),
    ("mart_channel_pilots", "metrics_judged", 7, "expect_column_values_to_be_between"),
    ("mart_channel_pilots", "metrics_met", 6, "expect_column_pair_values_a_to_be_greater_than_b"),
]


@pytest.mark.parametrize(("suite", "column", "value", "expectation"), CORRUPTIONS)
def test_a_corrupted_value_fails_and_is_named(suite, column, value, expectation):
    frame = frame_for(suite)
    frame.loc[1, column] = value
    result = validate_frame(suite, frame, as_of=AS_OF)
    assert not result.success and result.blocks
    failed = [
        f for f in result.failed if f.expectation == expectation and column in f.column.split(", ")
    ]
    assert failed, [f.describe() for f in result.failed]
    check = failed[0]
    shown = [v for e in check.examples for v in (e if isinstance(e, list) else [e])]
    assert value in shown
    # the failed row is named by the mart's grain
    key = load(suite).key
    assert check.rows and all(k in check.rows[0] for k in key)
    assert check.rows[0][column] == value


@pytest.mark.parametrize("suite", MART_TABLE_SUITES)
def test_duplicate_keys_fail(suite):
    frame = frame_for(suite)
    frame = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    result = validate_frame(suite, frame, as_of=AS_OF)
    assert not result.success
    assert {f.expectation for f in result.failed} & {
        "expect_compound_columns_to_be_unique",
        "expect_column_values_to_be_unique",
    }


@pytest.mark.parametrize("suite", MART_TABLE_SUITES)
def test_null_keys_fail(suite):
    frame = frame_for(suite)
    key = load(suite).key[0]
    frame[key] = frame[key].astype(object)
    frame.loc[0, key] = None
    result = validate_frame(suite, frame, as_of=AS_OF)
    assert ("expect_column_values_to_not_be_null", key) in {
        (f.expectation, f.column) for f in result.failed
    }


@pytest.mark.parametrize("suite", sorted(set(MART_TABLE_SUITES) - MAY_BE_EMPTY))
def test_an_empty_mart_fails(suite):
    result = validate_frame(suite, frame_for(suite).iloc[0:0], as_of=AS_OF)
    assert "expect_table_row_count_to_be_between" in {f.expectation for f in result.failed}


@pytest.mark.parametrize("suite", sorted(MAY_BE_EMPTY))
def test_a_mart_empty_for_want_of_a_source_passes(suite):
    # no live export, no calendar export, no pilot account yet: nothing to hold a report for
    assert suite in MART_TABLE_SUITES
    result = validate_frame(suite, frame_for(suite).iloc[0:0], as_of=AS_OF)
    assert result.success and result.evaluated == EXPECTATION_COUNTS[suite], [
        f.describe() for f in result.failed
    ]


def test_gpm_off_its_definition_fails():
    # gpm = gmv / viewers × 1000: a GPM per viewer instead of per thousand viewers is caught
    frame = frame_for("mart_live_sessions")
    frame.loc[2, "gpm"] = frame.loc[2, "gmv"] / frame.loc[2, "viewers"]
    result = validate_frame("mart_live_sessions", frame, as_of=AS_OF)
    assert not result.success and result.blocks
    (check,) = result.failed
    assert (check.expectation, check.column) == (
        "expect_column_values_to_be_between",
        "gpm_deviation",
    )
    assert check.rows[0]["session_id"] == "start 2026-11-17 19:30:00"
    assert check.examples[0] == pytest.approx(1000 * 31_880.0 / 6_420 - 31_880.0 / 6_420)
    # a GPM left NULL where viewers and GMV give one is caught too
    frame = frame_for("mart_live_sessions")
    frame.loc[0, "gpm"] = None
    result = validate_frame("mart_live_sessions", frame, as_of=AS_OF)
    assert [f.column for f in result.failed] == ["gpm_deviation"]


def test_calendar_plans_in_no_outcome_or_unmatched_fail():
    frame = frame_for("mart_content_calendar_weekly")
    frame.loc[1, "planned"] = 9  # three plans in no outcome
    frame.loc[3, "matched_by_title"] = 1  # one match more than the published plans
    result = validate_frame("mart_content_calendar_weekly", frame, as_of=AS_OF)
    failed = {f.column: f for f in result.failed}
    assert set(failed) == {"plans_unaccounted", "published_unmatched"}
    assert failed["plans_unaccounted"].examples == [3]
    assert failed["plans_unaccounted"].rows[0]["week"] == "2026-W47"
    assert failed["published_unmatched"].examples == [-1]


def test_a_verdict_in_words_that_contradicts_its_code_fails():
    frame = frame_for("mart_channel_pilots")
    frame.loc[0, "verdict"] = "继续投入"  # the code says extend
    result = validate_frame("mart_channel_pilots", frame, as_of=AS_OF)
    assert [(f.expectation, f.column) for f in result.failed] == [
        ("expect_column_pair_values_to_be_in_set", "verdict_code, verdict")
    ]
    assert result.failed[0].rows[0]["week"] == "2026-W44"


def test_a_duplicate_pilot_week_fails():
    frame = frame_for("mart_channel_pilots")
    frame.loc[3, "pilot_week"] = 3  # two weeks called the pilot's third
    result = validate_frame("mart_channel_pilots", frame, as_of=AS_OF)
    assert {(f.expectation, f.column) for f in result.failed} == {
        ("expect_compound_columns_to_be_unique", "platform, account_id, pilot_week")
    }


def test_a_platform_missing_from_the_latest_complete_week_blocks():
    frame = FRAMES["mart_growth_weekly"]()
    frame = frame[~((frame.platform == "kuaishou") & (frame.week == "2026-W47"))]
    result = validate_frame("mart_growth_weekly__platforms", frame, as_of=AS_OF)
    assert not result.success and result.blocks and result.period == "2026-W47"
    (check,) = result.failed
    assert check.expectation == "expect_column_distinct_values_to_contain_set"
    assert check.column == "platform" and check.examples == ["kuaishou"]
    assert "kuaishou" in check.detail and "2026-W47" in check.detail


def test_a_running_week_is_not_checked():
    # W48 is still running on AS_OF and has two platforms only: W47 is the week checked
    result = validate_frame(
        "mart_conversion_roi_weekly__platforms",
        frame_for("mart_conversion_roi_weekly"),
        as_of=AS_OF,
    )
    assert result.success and result.period == "2026-W47"
    # a week later W48 is complete, and its missing platforms fail
    later = validate_frame(
        "mart_conversion_roi_weekly__platforms",
        frame_for("mart_conversion_roi_weekly"),
        as_of=pd.Timestamp("2026-12-01").date(),
    )
    assert not later.success and later.period == "2026-W48"
    assert set(later.failed[0].examples) == {"douyin", "xiaohongshu", "bilibili", "kuaishou"}


def test_no_complete_week_fails():
    frame = frame_for("mart_kpi_scorecard_weekly")
    result = validate_frame(
        "mart_kpi_scorecard_weekly__platforms", frame, as_of=pd.Timestamp("2026-11-10").date()
    )
    assert not result.success
    assert "expect_table_row_count_to_be_between" in {f.expectation for f in result.failed}


def test_missing_publications_only_warn():
    frame = FRAMES["mart_engagement_weekly"]()
    frame = frame[~((frame.platform == "bilibili") & (frame.week == "2026-W47"))]
    result = validate_frame("mart_engagement_weekly__platforms__warning", frame, as_of=AS_OF)
    assert not result.success and not result.blocks and result.severity == "warning"
    assert result.failed[0].examples == ["bilibili"]


def _registry_with(monkeypatch, enabled: set[str]) -> None:
    import dataclasses

    import registry

    rows = tuple(
        dataclasses.replace(p, enabled=p.platform_id in enabled) for p in registry.platforms()
    )
    monkeypatch.setattr(registry, "platforms", lambda: rows)


def test_enabled_platforms_come_from_the_registry(monkeypatch):
    assert _common.enabled_platforms() == _common.CONTENT_PLATFORMS
    assert _common.CONTENT_PLATFORMS == (
        "wechat_oa",
        "wechat_channels",
        "douyin",
        "xiaohongshu",
        "bilibili",
        "kuaishou",
    )
    _registry_with(monkeypatch, {"douyin", "xiaohongshu", "wecom"})
    assert _common.enabled_platforms() == ("douyin", "xiaohongshu")


def test_coverage_reads_the_enabled_platforms(monkeypatch):
    _registry_with(monkeypatch, {"douyin", "xiaohongshu"})
    frame = FRAMES["mart_growth_weekly"]()
    frame = frame[frame.platform.isin(["douyin", "xiaohongshu"])]
    assert validate_frame("mart_growth_weekly__platforms", frame, as_of=AS_OF).success
    frame = frame[frame.platform != "xiaohongshu"]
    result = validate_frame("mart_growth_weekly__platforms", frame, as_of=AS_OF)
    assert result.failed[0].examples == ["xiaohongshu"]
