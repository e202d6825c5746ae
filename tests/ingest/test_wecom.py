"""企业微信 behavior and groupchat_daily: the sample API responses load into raw.wecom__behavior and
raw.wecom__groupchat_daily with the values the dataset states."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from ingest import ingest_paths
from ingest.platforms.wecom import BEHAVIOR, GROUPCHAT_DAILY
from samples import build_dataset
from samples.writers import wecom as wecom_writer

START = dt.date(2026, 10, 26)  # a Monday
WEEKS = 2
SCALE = 1.0


def approx(value):
    return None if value is None else pytest.approx(value, rel=1e-12, abs=1e-12)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("wecom")
    ds = build_dataset(START, WEEKS, scale=SCALE)
    wecom_writer.write(ds, tmp / "exports")
    results = ingest_paths([tmp / "exports"], warehouse=tmp / "w.duckdb", home=tmp)
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    con.execute("set TimeZone = 'Asia/Shanghai'")
    yield ds, results, con
    con.close()


def test_every_response_loads_as_its_report(loaded):
    _, results, _ = loaded
    assert {r.status for r in results} == {"loaded"}
    for result in results:
        name = Path(result.path).name
        expected = "groupchat_daily" if name.startswith("groupchat") else "behavior"
        assert (result.platform, result.report) == ("wecom", expected)


def test_behavior_matches_the_dataset(loaded):
    ds, _, con = loaded
    rows = con.execute(
        """select _account_id, userid, stat_date, new_apply_cnt, new_contact_cnt, chat_cnt,
               message_cnt, reply_percentage, avg_reply_time, negative_feedback_cnt
           from raw.wecom__behavior"""
    ).fetchall()
    by_key = {(r[0], r[1], r[2]): r for r in rows}
    assert len(by_key) == len(rows) == len(ds.wecom_behavior)
    for b in ds.wecom_behavior:
        expected = (
            b.account_id,
            b.userid,
            b.date,  # stat_time (unix seconds at 00:00 China time) as the Shanghai date
            b.new_apply_cnt,
            b.new_contact_cnt,
            b.chat_cnt,
            b.message_cnt,
            approx(None if b.reply_percentage is None else b.reply_percentage / 100),
            None if b.avg_reply_time is None else float(b.avg_reply_time),  # minutes
            b.negative_feedback_cnt,
        )
        assert by_key[(b.account_id, b.userid, b.date)] == expected
    # absent keys on days without replies stay NULL, never 0
    assert any(b.reply_percentage is None for b in ds.wecom_behavior)
    assert all(0 < r[7] <= 1 for r in rows if r[7] is not None)


def test_groupchat_daily_matches_the_dataset(loaded):
    ds, _, con = loaded
    rows = con.execute(
        """select _account_id, stat_date, new_chat_cnt, chat_total, chat_has_msg, new_member_cnt,
               member_total, member_has_msg, msg_total, migrate_trainee_chat_cnt, _extra
           from raw.wecom__groupchat_daily"""
    ).fetchall()
    by_key = {(r[0], r[1]): r for r in rows}
    assert len(by_key) == len(rows) == len(ds.groupchat_days)
    for g in ds.groupchat_days:
        row = by_key[(g.account_id, g.date)]
        assert row[:10] == (
            g.account_id,
            g.date,
            g.new_chat_cnt,
            g.chat_total,
            g.chat_has_msg,
            g.new_member_cnt,
            g.member_total,
            g.member_has_msg,
            g.msg_total,
            None,  # education sector only
        )
        assert json.loads(row[10]) == {"errcode": "0", "errmsg": "ok"}  # kept, not dropped


def test_stat_date_is_the_shanghai_day(loaded):
    _, results, con = loaded
    path = next(Path(r.path) for r in results if r.report == "behavior")
    payload = json.loads(path.read_text(encoding="utf-8"))
    first = payload["behavior_data"][0]["stat_time"]
    day = dt.datetime.fromtimestamp(first, dt.timezone(dt.timedelta(hours=8))).date()
    found = con.execute(
        "select count(*) from raw.wecom__behavior where _file_name = ? and stat_date = ?",
        [path.name, day],
    ).fetchone()
    assert found[0] == 1


def _write(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")


def test_missing_required_field_quarantines(tmp_path: Path):
    folder = tmp_path / "exports" / "wecom" / "wecom_brand"
    day = {"stat_time": 1792944000, "new_apply_cnt": 5, "new_contact_cnt": 6, "message_cnt": 36}
    _write(
        folder / "behavior_lina_2026-11-02.json",
        {"errcode": 0, "errmsg": "ok", "userid": "lina", "behavior_data": [day]},
    )
    data = {"new_chat_cnt": 0, "chat_total": 20, "chat_has_msg": 10, "new_member_cnt": 23}
    data |= {"member_has_msg": 475, "msg_total": 436}  # member_total is missing
    items = [{"stat_time": 1792944000, "data": data}]
    _write(folder / "groupchat_statistic_group_by_day_2026-11-02.json", {"items": items})
    results = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    reasons = {Path(r.path).name.split("_")[0]: r.reason for r in results}
    assert {r.status for r in results} == {"quarantined"}
    assert BEHAVIOR.title in reasons["behavior"]
    assert "misses the required column 「chat_cnt」" in reasons["behavior"]
    assert GROUPCHAT_DAILY.title in reasons["groupchat"]
    assert "「data.member_total」" in reasons["groupchat"]


def test_unreadable_count_quarantines_naming_row_and_value(tmp_path: Path):
    days = [
        {"stat_time": 1792944000, "new_contact_cnt": 6, "chat_cnt": 9, "message_cnt": 36},
        {"stat_time": 1793030400, "new_contact_cnt": "six", "chat_cnt": 9, "message_cnt": 36},
    ]
    path = tmp_path / "exports" / "wecom" / "wecom_brand" / "behavior_lina_2026-11-02.json"
    _write(path, {"userid": "lina", "behavior_data": days})
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert result.status == "quarantined"
    assert "row 3" in result.reason and "「new_contact_cnt」" in result.reason
    assert "'six'" in result.reason
