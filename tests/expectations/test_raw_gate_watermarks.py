"""A raw suite validates the rows ingested since its last passing run, not the whole table again:
a new day's files are validated alone, an untouched table is carried over, a failure keeps its
place until its rows are gone from the newest rows, and a changed table or suite starts over."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from expectations import run_gates
from expectations.holds import status_path
from ingest import ingest_paths, parse
from samples import generate_exports

PLATFORMS = ("douyin", "xiaohongshu")
SUITES = (
    "raw_douyin__video_list",
    "raw_douyin__comments",
    "raw_xiaohongshu__note_list",
    "raw_xiaohongshu__comments",
    "raw_douyin__video_list__warning",
    "raw_xiaohongshu__note_list__warning",
)


def _table(suite: str) -> str:
    return suite.removeprefix("raw_").removesuffix("__warning")


@pytest.fixture(scope="module")
def landed(tmp_path_factory):
    """Two weeks of 抖音 and 小红书 exports: (the history, the last day's files but comments)."""
    root = tmp_path_factory.mktemp("watermark_exports")
    generate_exports(root / "all", dt.date(2026, 9, 28), 2)
    files = [
        p for name in PLATFORMS for p in sorted((root / "all" / name).rglob("*")) if p.is_file()
    ]
    days = {p: parse.snapshot_date_from_name(p.name) for p in files}
    last = max(d for d in days.values() if d is not None)
    new_day = [p for p in files if days[p] == last and "comments" not in p.name]
    history = [p for p in files if p not in new_day]
    assert new_day and history
    return history, new_day


@pytest.fixture
def home(landed, tmp_path):
    history, _ = landed
    results = ingest_paths(history, warehouse=tmp_path / "warehouse.duckdb", home=tmp_path)
    assert all(r.status == "loaded" for r in results)
    return tmp_path


def _gates(home, data_docs: bool = False, reuse: bool = True):
    results = run_gates(
        home / "warehouse.duckdb",
        names=SUITES,
        home=home,
        data_docs=data_docs,
        raise_on_failure=False,
        reuse=reuse,
    )
    return {r.suite: r for r in results}


def _sql(home, sql: str):
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    try:
        con.execute("set TimeZone = 'Asia/Shanghai'")
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _counts(home) -> dict[str, int]:
    return {s: _sql(home, f'select count(*) from raw."{_table(s)}"')[0][0] for s in SUITES}


def _append_copy(home, table: str, assignment: str = "", seconds: int = 60) -> None:
    """A new 'file' of one row: a copy of the table's first row, ingested `seconds` after the
    newest row, with `assignment` (`<value> as <column>`) applied."""
    change = f", {assignment}" if assignment else ""
    _sql(
        home,
        f'insert into raw."{table}" select * replace ('
        f"'{'e' * 63}' || cast({seconds} % 10 as varchar) as _file_sha256, "
        f'(select max(_ingested_at) from raw."{table}") + interval {seconds} second '
        f"as _ingested_at{change}) "
        f'from raw."{table}" order by _file_sha256, _row_number limit 1',
    )


def test_a_new_day_is_validated_alone_and_untouched_tables_are_carried_over(landed, home):
    _, new_day = landed
    first = _gates(home)
    before = _counts(home)
    for name, result in first.items():
        assert result.success, [f.describe() for f in result.failed]
        assert result.reused_from is None
        assert result.rows == before[name] > 0  # the whole table: fewer rows than the limit
        assert result.since is None
        newest = _sql(home, f'select cast(max(_ingested_at) as varchar) from raw."{_table(name)}"')[
            0
        ][0]
        assert result.watermark["through"] == newest

    # nothing ingested: every suite carried over, GX not run
    again = _gates(home)
    assert {r.reused_from for r in again.values()} == {first[SUITES[0]].run_id}

    loaded = ingest_paths(new_day, warehouse=home / "warehouse.duckdb", home=home)
    assert all(r.status == "loaded" for r in loaded)
    added = {s: n - before[s] for s, n in _counts(home).items()}
    assert added["raw_douyin__video_list"] and not added["raw_douyin__comments"]

    third = _gates(home, data_docs=True)
    for name, result in third.items():
        assert result.success
        if added[name]:
            assert result.reused_from is None
            assert result.rows == added[name]  # the day's rows, not the table's
            assert result.since == first[name].watermark["through"]
            assert result.watermark["through"] > first[name].watermark["through"]
        else:
            assert result.reused_from == first[name].run_id
            assert result.rows == before[name]
            assert result.watermark == first[name].watermark

    # the runs' index says how many rows each suite checked, and since when
    index = (home / "data_docs" / "index.html").read_text(encoding="utf-8")
    video = third["raw_douyin__video_list"]
    assert f"{video.rows:,} ingested after {video.since}" in index
    assert f"<td class='n'>{before['raw_douyin__comments']:,}</td>" in index

    # the status file keeps the watermark for the next run
    entry = json.loads(status_path(home).read_text(encoding="utf-8"))["suites"][SUITES[0]]
    assert entry["watermark"] == third[SUITES[0]].watermark


def test_a_failure_keeps_its_place_until_it_passes(home):
    table = "douyin__video_list"
    first = _gates(home)["raw_douyin__video_list"]

    _append_copy(home, table, "-5 as likes", seconds=60)
    failed = _gates(home)["raw_douyin__video_list"]
    assert not failed.success and failed.rows == 1
    assert [f.column for f in failed.failed] == ["likes"]
    assert failed.watermark == first.watermark  # not moved past the bad row

    # unchanged: carried over, still failing (a blocking failure still holds the reports)
    still = _gates(home)["raw_douyin__video_list"]
    assert not still.success and still.reused_from == failed.run_id

    # a good row after it: both validated, the bad one still fails
    _append_copy(home, table, seconds=120)
    both = _gates(home)["raw_douyin__video_list"]
    assert not both.success and both.rows == 2 and both.reused_from is None
    assert "1 of 2 rows fail" in both.failed[0].detail


def test_a_new_column_or_a_changed_suite_validates_the_newest_rows_again(home):
    first = _gates(home)
    counts = _counts(home)

    _sql(home, 'alter table raw."douyin__video_list" add column mystery varchar')
    drift = _gates(home)
    for name in ("raw_douyin__video_list", "raw_douyin__video_list__warning"):
        assert drift[name].reused_from is None and drift[name].rows == counts[name]
    assert drift["raw_douyin__video_list"].success
    assert not drift["raw_douyin__video_list__warning"].success
    assert (
        drift["raw_xiaohongshu__note_list"].reused_from
        == first["raw_xiaohongshu__note_list"].run_id
    )

    # a watermark the status file holds that is not a timestamp never reaches SQL: read in full
    path = status_path(home)
    status = json.loads(path.read_text(encoding="utf-8"))
    mark = status["suites"]["raw_xiaohongshu__note_list"]["watermark"]
    mark["through"] = "2026-01-01'; drop table raw.xiaohongshu__note_list; --"
    path.write_text(json.dumps(status), encoding="utf-8")
    tampered = _gates(home)["raw_xiaohongshu__note_list"]
    assert tampered.success and tampered.rows == counts["raw_xiaohongshu__note_list"]
    assert _counts(home)["raw_xiaohongshu__note_list"] == counts["raw_xiaohongshu__note_list"]


def test_reuse_off_validates_the_newest_rows(home):
    _gates(home)
    counts = _counts(home)
    results = _gates(home, reuse=False)
    assert {name: r.rows for name, r in results.items()} == counts
    assert all(r.success and r.reused_from is None for r in results.values())
