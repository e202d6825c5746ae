"""直播 live sessions (抖音 罗盘 list and creator-centre csv, 视频号 直播数据) and the 抖音电商罗盘
per-video sales list: the sample files load into raw.douyin__live_sessions,
raw.wechat_channels__live_sessions and raw.douyin__video_sales with the values the dataset
states, and hand-written variants of the headers (other alias spellings) are recognised."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from ingest import ingest_paths
from samples import build_dataset
from samples.writers import live as live_writer
from samples.writers import video_sales as sales_writer

START = dt.date(2026, 10, 26)  # a Monday
WEEKS = 2
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def approx(value):
    return None if value is None else pytest.approx(value, rel=1e-9, abs=1e-9)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("live")
    ds = build_dataset(START, WEEKS, scale=1.0)
    live_writer.write(ds, tmp / "exports")
    sales_writer.write(ds, tmp / "exports")
    results = ingest_paths([tmp / "exports"], warehouse=tmp / "w.duckdb", home=tmp)
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    con.execute("set TimeZone = 'Asia/Shanghai'")
    yield ds, results, con
    con.close()


def rows(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def test_every_live_and_sales_file_loads(loaded):
    _, results, _ = loaded
    assert results and all(r.status == "loaded" for r in results), [
        (r.path, r.status, r.reason) for r in results if r.status != "loaded"
    ]
    kinds = {(r.platform, r.report) for r in results}
    assert kinds == {
        ("douyin", "live_sessions"),
        ("wechat_channels", "live_sessions"),
        ("douyin", "video_sales"),
    }


def test_live_sessions_equal_the_dataset(loaded):
    ds, _, con = loaded
    raw = rows(
        con,
        """select 'douyin' as platform, * from raw.douyin__live_sessions
           union all by name
           select 'wechat_channels' as platform, * from raw.wechat_channels__live_sessions""",
    )
    by_key = {(r["platform"], r["_account_id"], r["started_at"]): r for r in raw}
    assert len(by_key) == len(raw) == len(ds.live_sessions)
    for s in ds.live_sessions:
        r = by_key[(s.platform, s.account_id, s.started_at)]
        assert r["session_id"] == s.session_id
        assert r["ended_at"] == s.ended_at
        duration = r["duration_seconds"] or r["duration_minutes"] * 60
        assert duration == s.duration_seconds
        for name in (
            "viewers",
            "views",
            "peak_concurrent",
            "avg_concurrent",
            "avg_watch_seconds",
            "new_followers",
            "product_clicks",
            "orders",
            "buyers",
            "gmv",
            "spend",
        ):
            assert r[name] == approx(getattr(s, name)), (s, name, r[name])
    # the 万 form of the second 抖音 account is there and read as the rounded count
    assert any(s.viewers >= 10_000 and s.viewers % 1000 == 0 for s in ds.live_sessions)


def test_video_sales_equal_the_dataset(loaded):
    ds, _, con = loaded
    raw = rows(con, "select * from raw.douyin__video_sales")
    by_key = {(r["_account_id"], r["_snapshot_date"], r["video_id"]): r for r in raw}
    assert len(by_key) == len(raw) == len(ds.video_sales)
    for v in ds.video_sales:
        r = by_key[(v.account_id, v.snapshot_date, v.video_id)]
        assert r["title"] == v.title
        assert r["published_at"] == v.published_at
        for name in ("views", "viewers", "product_clicks", "orders", "buyers", "gmv"):
            assert r[name] == approx(getattr(v, name)), (v, name)


@pytest.mark.parametrize(
    ("folder", "header", "row", "report", "expected"),
    [
        (
            "douyin",
            "场次ID,直播主题,直播开始时间,直播结束时间,直播时长,场观,观看次数,同时最高在线人数,"
            "ACU,人均观看时长(秒),新增粉丝,商品点击,直播间成交订单数,直播间成交人数,累计支付金额,GPM,消耗",
            "7430000000000000001,周年庆,2026年11月02日 19:30:00,2026年11月02日 22:00:00,"
            '02:30:00,"3.1万",52000,1200,400.5,95,310,2800,260,240,"23,456.70",756.67,-',
            "live_sessions",
            {"viewers": 31000, "duration_seconds": 9000.0, "spend": None, "gmv": 23456.7},
        ),
        (
            "wechat_channels",
            "直播名称,开播时间,下播时间,开播时长,看播人数,观看人次,峰值人数,平均在线,"
            "平均观看时长,新增关注人数,商品点击人数,成交单数,购买人数,销售额,推广消耗",
            "新品首发,2026/11/03 20:00,2026/11/03 21:30,1小时30分,5200,7100,260,88,2分5秒,"
            "45,620,70,66,8650.5,0",
            "live_sessions",
            {"viewers": 5200, "duration_seconds": 5400.0, "avg_watch_seconds": 125.0},
        ),
        (
            "douyin",
            "短视频ID,短视频标题,作品发布时间,播放次数,视频观看人数,商品曝光人数,商品点击,"
            "成交单数,购买人数,带货成交金额,引流直播间成交金额",
            "7354000000000000001,开箱测评 #禾野,2026-11-01 12:00,1.5万,9800,3000,300,25,24,"
            '"2,450.00",120',
            "video_sales",
            {"views": 15000, "buyers": 24, "gmv": 2450.0, "live_referral_gmv": 120.0},
        ),
    ],
)
def test_other_spellings_of_the_headers_are_recognised(
    tmp_path: Path, folder, header, row, report, expected
):
    path = tmp_path / "exports" / folder / "acct" / "export_2026-11-09.csv"
    path.parent.mkdir(parents=True)
    path.write_text(header + "\n" + row + "\n", encoding="utf-8-sig")
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert (result.status, result.report) == ("loaded", report), result.reason
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        [got] = rows(con, f"select * from raw.{folder}__{report}")
    for name, value in expected.items():
        assert got[name] == approx(value), (name, got[name])


def test_a_live_file_without_viewers_is_quarantined_with_the_reason(tmp_path: Path):
    path = tmp_path / "exports" / "douyin" / "acct" / "直播列表_2026-11-09.csv"
    path.parent.mkdir(parents=True)
    path.write_text("直播间ID,开播时间,直播间成交金额\n1,2026-11-02 19:30:00,100\n", "utf-8-sig")
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert result.status == "quarantined"
    assert "观看人数" in result.reason
