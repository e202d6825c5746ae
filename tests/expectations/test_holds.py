"""A corrupted mart holds the reports that depend on it: run_gates records the failure, the
hold names the failed check, its column and example values, the notice says so in Chinese and
English, and a later clean run clears it. Every run writes its Data Docs to its own folder."""

from __future__ import annotations

import json

import duckdb
import pytest
from mart_frames import AS_OF, FRAMES, write_marts

from expectations import GateFailedError, run_gates
from expectations.gates import FailedCheck, GateResult
from expectations.holds import (
    REPORT_DEPENDENCIES,
    active_holds,
    hold_notice_markdown,
    load_status,
    record_results,
)
from expectations.suites import MART_SUITES


def run(warehouse, home):
    return run_gates(warehouse, names=MART_SUITES, home=home, as_of=AS_OF)


def set_value(warehouse, table, assignment, where):
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(f"update marts.{table} set {assignment} where {where}")
    finally:
        con.close()


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    """Three runs over one warehouse: clean, with a corrupted engagement mart, clean again."""
    home = tmp_path_factory.mktemp("holds_home")
    warehouse = home / "warehouse.duckdb"
    write_marts(warehouse)
    runs = {"clean": run(warehouse, home)}
    runs["clean_holds"] = {kind: active_holds(home, kind) for kind in REPORT_DEPENDENCIES}

    where = "platform = 'douyin' and week = '2026-W47'"
    set_value(warehouse, "mart_engagement_weekly", "interaction_rate = 1.7", where)
    with pytest.raises(GateFailedError) as caught:
        run(warehouse, home)
    runs["corrupted_error"] = caught.value
    runs["corrupted_holds"] = {kind: active_holds(home, kind) for kind in REPORT_DEPENDENCIES}

    set_value(warehouse, "mart_engagement_weekly", "interaction_rate = 0.0204", where)
    runs["fixed"] = run(warehouse, home)
    runs["fixed_holds"] = {kind: active_holds(home, kind) for kind in REPORT_DEPENDENCIES}
    return home, runs


def test_a_clean_run_holds_nothing(story):
    _, runs = story
    assert all(r.success for r in runs["clean"])
    assert runs["clean_holds"] == {kind: [] for kind in REPORT_DEPENDENCIES}


def test_a_corrupted_mart_holds_the_weekly_report(story):
    _, runs = story
    holds = runs["corrupted_holds"]["weekly"]
    (hold,) = holds
    assert hold["suite"] == "mart_engagement_weekly"
    assert hold["table"] == "marts.mart_engagement_weekly" and hold["severity"] == "blocking"
    (check,) = hold["failed"]
    assert check["expectation"] == "expect_column_values_to_be_between"
    assert check["column"] == "interaction_rate"
    assert check["examples"] == [1.7]
    assert "1 of 14 rows fail" in check["detail"]
    assert check["rows"] == [
        {
            "interaction_rate": 1.7,
            "platform": "douyin",
            "account_id": "douyin_main",
            "week": "2026-W47",
        }
    ]
    # the quarterly report reads the same mart; the user-needs report does not
    assert [h["suite"] for h in runs["corrupted_holds"]["quarterly"]] == ["mart_engagement_weekly"]
    assert runs["corrupted_holds"]["user-needs"] == []
    assert [r.suite for r in runs["corrupted_error"].results] == ["mart_engagement_weekly"]


def test_the_hold_notice_names_the_failed_check(story):
    _, runs = story
    notice = hold_notice_markdown("weekly", "2026-W47", runs["corrupted_holds"]["weekly"])
    for text in [
        "报告暂停发布",
        "Report on hold",
        "《数据复盘报告》",
        "weekly data review",
        "2026-W47",
        "mart_engagement_weekly",
        "expect_column_values_to_be_between",
        "数值超出允许范围",
        "interaction_rate",
        "1 of 14 rows fail",
        "1.7",
        "platform=douyin, account_id=douyin_main, week=2026-W47",
        "怎么办 What to do",
        "newmedia report weekly --period 2026-W47",
        "data_docs",
    ]:
        assert text in notice, text


def test_a_clean_run_clears_the_hold(story):
    home, runs = story
    assert all(r.success for r in runs["fixed"])
    assert runs["fixed_holds"] == {kind: [] for kind in REPORT_DEPENDENCIES}
    status = load_status(home)["suites"]
    assert set(status) == set(MART_SUITES)
    assert status["mart_engagement_weekly"]["success"] is True


def test_each_run_has_its_data_docs(story):
    home, runs = story
    docs = home / "data_docs"
    folders = sorted(p for p in docs.iterdir() if p.is_dir() and p.name != "_static")
    assert len(folders) == 3
    # GX's static files are stored once, hard-linked into every run
    css = [f / "static" / "styles" / "data_docs_default_styles.css" for f in folders]
    assert len({path.stat().st_ino for path in css}) == 1
    run_ids = [runs["clean"][0].run_id, runs["corrupted_error"].results[0].run_id]
    run_ids.append(runs["fixed"][0].run_id)
    assert [f.name for f in folders] == sorted(run_ids)
    for number, folder in enumerate(folders):
        index = (folder / "index.html").read_text(encoding="utf-8")
        assert list((folder / "validations").rglob("*.html"))
        assert list((folder / "expectations").glob("*.html"))
        recorded = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        assert {r["suite"] for r in recorded["results"]} == set(MART_SUITES)
        # a run's pages show the suites it validated; a suite on rows a run had already
        # validated carries that run's result and points to its pages
        validated = {r["suite"] for r in recorded["results"] if not r["reused_from"]}
        if number == 0:
            assert validated == set(MART_SUITES)
        assert "mart_engagement_weekly" in validated
        for suite in validated:
            assert suite in index
        for result in recorded["results"]:
            if result["reused_from"]:
                assert result["reused_from"] in run_ids[:number]
                assert result["data_docs"] == str(docs / result["reused_from"] / "index.html")
    corrupted = runs["corrupted_error"].results[0]
    assert corrupted.data_docs == str(docs / corrupted.run_id / "index.html")
    # the runs' index links every run, newest first, and shows the failure
    top = (docs / "index.html").read_text(encoding="utf-8")
    positions = [top.index(f"<h2><a href='{run_id}/") for run_id in sorted(run_ids, reverse=True)]
    assert positions == sorted(positions)
    assert "interaction_rate" in top and "1 blocking failed" in top


def test_a_missing_mart_holds_its_report(tmp_path):
    frames = {name: make() for name, make in FRAMES.items() if name != "mart_user_needs_weekly"}
    write_marts(tmp_path / "warehouse.duckdb", frames)
    with pytest.raises(GateFailedError, match="table missing"):
        run_gates(
            tmp_path / "warehouse.duckdb",
            names=MART_SUITES,
            home=tmp_path,
            as_of=AS_OF,
            data_docs=False,
        )
    (hold,) = active_holds(tmp_path, "user-needs")
    assert hold["failed"][0]["expectation"] == "table_missing"
    assert "table missing" in hold_notice_markdown("user-needs", "2026-W47", [hold])
    assert active_holds(tmp_path, "weekly") == []


def test_a_failed_warning_does_not_hold(tmp_path):
    frames = {name: make() for name, make in FRAMES.items()}
    engagement = frames["mart_engagement_weekly"]
    frames["mart_engagement_weekly"] = engagement[
        ~((engagement.platform == "bilibili") & (engagement.week == "2026-W47"))
    ]
    write_marts(tmp_path / "warehouse.duckdb", frames)
    results = run_gates(
        tmp_path / "warehouse.duckdb",
        names=MART_SUITES,
        home=tmp_path,
        as_of=AS_OF,
        data_docs=False,
    )
    (warned,) = [r for r in results if not r.success]
    assert warned.suite == "mart_engagement_weekly__platforms__warning"
    assert active_holds(tmp_path, "weekly") == []
    status = load_status(tmp_path)["suites"][warned.suite]
    assert status["success"] is False and status["period"] == "2026-W47"


def test_record_results_keeps_the_other_suites(tmp_path):
    def result(suite, success):
        failed = [] if success else [FailedCheck("expect_x", "c", "bad", [1])]
        return GateResult(suite, f"marts.{suite}", "blocking", success, 1, failed)

    record_results(
        tmp_path, [result("mart_growth_weekly", False), result("mart_ab_test_results", True)]
    )
    record_results(tmp_path, [result("mart_ab_test_results", False)])
    holds = active_holds(tmp_path, "weekly")
    assert [h["suite"] for h in holds] == ["mart_growth_weekly", "mart_ab_test_results"]
    record_results(tmp_path, [result("mart_growth_weekly", True)])
    assert [h["suite"] for h in active_holds(tmp_path, "weekly")] == ["mart_ab_test_results"]
    assert active_holds(tmp_path / "nothing_yet", "weekly") == []
    with pytest.raises(ValueError, match="unknown report kind"):
        active_holds(tmp_path, "monthly")


def test_every_dependency_is_a_suite():
    for kind, names in REPORT_DEPENDENCIES.items():
        assert set(names) <= set(MART_SUITES), kind
    assert set(REPORT_DEPENDENCIES) == {"weekly", "user-needs", "quarterly", "channel-pilot"}


def test_old_runs_are_pruned(tmp_path):
    from expectations import docs_index

    for run_id in ["20261101T060000-aaaaaa", "20261102T060000-bbbbbb", "20261103T060000-cccccc"]:
        folder = tmp_path / run_id
        folder.mkdir()
        record = {"run_id": run_id, "target": "duckdb", "checked_at": None, "results": []}
        (folder / "results.json").write_text(json.dumps(record))
    index = docs_index.write(tmp_path, keep=2).read_text(encoding="utf-8")
    assert not (tmp_path / "20261101T060000-aaaaaa").exists()
    assert "20261103T060000-cccccc" in index and "20261101T060000-aaaaaa" not in index


def test_a_failed_raw_suite_holds_the_reports_that_read_it(tmp_path):
    def failed(suite):
        check = FailedCheck("expect_column_values_to_not_be_null", "order_id", "1 of 9 rows fail")
        return GateResult(suite, f'raw."{suite[4:]}"', "blocking", False, 1, [check])

    record_results(tmp_path, [failed("raw_douyin_shop__orders")])
    assert [h["suite"] for h in active_holds(tmp_path, "weekly")] == ["raw_douyin_shop__orders"]
    assert [h["suite"] for h in active_holds(tmp_path, "quarterly")] == ["raw_douyin_shop__orders"]
    assert active_holds(tmp_path, "user-needs") == []
    record_results(tmp_path, [failed("raw_xiaohongshu__comments")])
    assert [h["suite"] for h in active_holds(tmp_path, "user-needs")] == [
        "raw_xiaohongshu__comments"
    ]
