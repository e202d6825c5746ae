"""The content_calendar template (飞书多维表格 export): the generated CSV and xlsx exports and the
shipped template load with the values the plan states, 负责人 hashed; the field names teams use
are read; a missing required field quarantines the file naming it."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import pytest

from ingest import ingest_paths
from ingest.loader import installation_salt
from ingest.platforms.calendar import CONTENT_CALENDAR
from samples import build_dataset
from samples.calendar_gen import HEADER, OWNERS
from samples.writers import calendar as calendar_writer
from tests.ingest.helpers import hashed, plain_leaks

SHANGHAI = ZoneInfo("Asia/Shanghai")
SHIPPED = Path(__file__).resolve().parents[2] / "exports" / "templates"
NAMES = {
    "planned_at": "计划发布时间",
    "platform": "平台",
    "account": "账号",
    "title": "选题/标题",
    "owner": "负责人",
    "status": "状态",
    "link": "发布链接",
    "content_type": "内容形式",
}


def planned(cell: str) -> dt.datetime:
    form = "%Y/%m/%d %H:%M" if " " in cell else "%Y/%m/%d"
    return dt.datetime.strptime(cell, form).replace(tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("calendar")
    ds = build_dataset(dt.date(2026, 10, 26), 3, scale=0.5)
    paths = calendar_writer.write(ds, tmp / "exports")
    results = ingest_paths([tmp / "exports"], warehouse=tmp / "w.duckdb", home=tmp)
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    con.execute("set TimeZone = 'Asia/Shanghai'")
    yield ds, paths, results, con, installation_salt(tmp)
    con.close()


def test_the_csv_and_xlsx_exports_load(loaded):
    ds, paths, results, _, _ = loaded
    assert sorted(p.suffix for p in paths) == [".csv", ".xlsx"]
    assert {(r.report, r.status) for r in results} == {("content_calendar", "loaded")}
    latest = next(r for r in results if r.path.endswith(".xlsx"))
    assert latest.rows == len(ds.frames["content_calendar"])


def test_latest_export_holds_the_plan_as_stated_with_owners_hashed(loaded):
    ds, _, _, con, salt = loaded
    columns = ", ".join(NAMES)
    got = con.execute(
        f"select {columns} from raw.brand__content_calendar "
        "where _file_name like '%.xlsx' order by _row_number"
    ).fetchall()
    truth = ds.frames["content_calendar"].to_dict("records")
    assert len(got) == len(truth)
    for row, plan in zip(got, truth, strict=True):
        want = [plan[NAMES[c]] for c in NAMES]
        want = [None if isinstance(v, float) else v for v in want]  # NaN: an empty cell
        want[0] = planned(want[0])
        want[4] = hashed(salt, want[4])
        assert list(row) == want
    assert plain_leaks(con, "raw.brand__content_calendar", set(OWNERS)) == []


def test_the_shipped_template_loads(tmp_path: Path):
    with (SHIPPED / "content_calendar.csv").open(encoding="utf-8-sig", newline="") as handle:
        header, *examples = list(csv.reader(handle))
    assert len(examples) == 1
    mapping, missing = CONTENT_CALENDAR.match(header)
    assert missing == [] and len(mapping) == len(header) == len(CONTENT_CALENDAR.columns)
    doc = (SHIPPED / "content_calendar.md").read_text(encoding="utf-8")
    for label in header:
        assert f"| `{label}` |" in doc
    assert "(content_calendar.csv)" in (SHIPPED / "README.md").read_text(encoding="utf-8")
    target = tmp_path / "exports" / "content_calendar" / "brand" / "排期.csv"
    target.parent.mkdir(parents=True)
    shutil.copyfile(SHIPPED / "content_calendar.csv", target)
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert (result.report, result.status, result.rows) == ("content_calendar", "loaded", 1)


def test_other_field_names_teams_use_are_read(tmp_path: Path):
    frame = pd.DataFrame(
        {
            "排期日期": ["2026-11-03"],
            "发布平台": ["小红书"],
            "发布账号": ["禾野官方"],
            "内容标题": ["冬日热饮清单"],
            "执行人": ["李一鸣,陈可可"],
            "进度": ["进行中"],
            "备注": ["等品牌方确认"],
        }
    )
    path = tmp_path / "exports" / "content_calendar" / "brand" / "内容日历.xlsx"
    path.parent.mkdir(parents=True)
    frame.to_excel(path, index=False)
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert (result.status, result.rows) == ("loaded", 1)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    con.execute("set TimeZone = 'Asia/Shanghai'")
    row = con.execute(
        "select planned_at, platform, account, title, owner, status, _extra "
        "from raw.brand__content_calendar"
    ).fetchone()
    con.close()
    salt = installation_salt(tmp_path)
    assert row[:6] == (
        dt.datetime(2026, 11, 3, tzinfo=SHANGHAI),
        "小红书",
        "禾野官方",
        "冬日热饮清单",
        hashed(salt, "李一鸣,陈可可"),
        "进行中",
    )
    assert "等品牌方确认" in str(row[6])


def test_a_missing_title_field_quarantines_naming_it(tmp_path: Path):
    path = tmp_path / "exports" / "content_calendar" / "brand" / "排期.csv"
    path.parent.mkdir(parents=True)
    path.write_text("计划发布时间,平台,负责人\n2026/11/02,抖音,王小禾\n", encoding="utf-8")
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert result.status == "quarantined"
    assert "「选题/标题」" in result.reason and "王小禾" not in result.reason


def test_header_form_is_the_documented_one():
    assert tuple(NAMES.values()) == HEADER
