"""直播 live sessions (抖音 罗盘 list and creator-centre csv, 视频号 直播数据) and the per-content
sales lists (抖音电商罗盘, 视频号小店, 小红书 千帆 / 蒲公英): the sample files load into
raw.douyin__live_sessions, raw.wechat_channels__live_sessions, raw.douyin__video_sales,
raw.wechat_channels__video_sales and raw.xiaohongshu__note_sales with the values the dataset
states, hand-written variants of the headers (other alias spellings) are recognised, and odd or
bad files load what is good or are quarantined with a reason naming the row, column and value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from ingest import ingest_paths
from samples import build_dataset
from samples.writers import live as live_writer
from samples.writers import shop_sales as shop_writer
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
    shop_writer.write(ds, tmp / "exports")
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
        ("wechat_channels", "video_sales"),
        ("xiaohongshu", "note_sales"),
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
    douyin = [v for v in ds.video_sales if v.platform == "douyin"]
    assert len(by_key) == len(raw) == len(douyin)
    for v in douyin:
        r = by_key[(v.account_id, v.snapshot_date, v.video_id)]
        assert r["title"] == v.title
        assert r["published_at"] == v.published_at
        for name in ("views", "viewers", "product_clicks", "orders", "buyers", "gmv"):
            assert r[name] == approx(getattr(v, name)), (v, name)


def test_channels_video_sales_equal_the_dataset(loaded):
    """视频号小店: the first account's list states 视频ID, the time to the second and 观看人数;
    the second's 动态ID, the date only and no viewers (NULL, never 0)."""
    ds, _, con = loaded
    raw = rows(con, "select * from raw.wechat_channels__video_sales")
    by_key = {(r["_account_id"], r["_snapshot_date"], r["video_id"]): r for r in raw}
    mine = [v for v in ds.video_sales if v.platform == "wechat_channels"]
    assert len(by_key) == len(raw) == len(mine) > 0
    for v in mine:
        r = by_key[(v.account_id, v.snapshot_date, v.video_id)]
        assert r["video_id"].startswith("export/")
        assert r["title"] == (v.title or None)
        assert r["published_at"] == v.published_at
        for name in ("views", "viewers", "product_clicks", "orders", "buyers", "gmv"):
            assert r[name] == approx(getattr(v, name)), (v, name)
    assert {v.viewers is None for v in mine} == {True, False}


def test_note_sales_equal_the_dataset(loaded):
    """小红书 千帆: the first account's list carries 笔记ID and 笔记创建时间; the second's (蒲公英
    style) the 笔记链接 only, so the raw id is NULL and staging reads it from the link."""
    ds, _, con = loaded
    raw = rows(con, "select * from raw.xiaohongshu__note_sales")
    mine = [v for v in ds.video_sales if v.platform == "xiaohongshu"]
    assert len(raw) == len(mine) > 0
    by_key = {(r["_account_id"], r["_snapshot_date"], r["link"]): r for r in raw}
    assert len(by_key) == len(raw)
    for v in mine:
        r = by_key[(v.account_id, v.snapshot_date, shop_writer.NOTE_URL + v.video_id)]
        variant = ds.account(v.account_id).variant
        assert r["note_id"] == (v.video_id if variant == 0 else None)
        assert r["title"] == (v.title or None)
        assert r["published_at"] == v.published_at
        assert r["viewers"] is None
        for name in ("views", "orders", "buyers", "gmv"):
            assert r[name] == approx(getattr(v, name)), (v, name)
        if variant == 0:  # 笔记商品点击人数 wins over 笔记商品点击次数
            assert r["product_clicks"] == v.product_clicks


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
        (
            "wechat_channels",
            "短视频ID,短视频描述,发表时间,视频播放量,播放人数,商品曝光人数,商品点击次数,"
            "带货订单数,买家数,带货金额",
            "export/AbC_12-x,早餐搭配 #禾野,2026/11/01 12:00,10万+,52000,8000,900,70,66,"
            '"¥8,650.50"',
            "video_sales",
            {"views": 100000, "views_is_capped": True, "viewers": 52000, "gmv": 8650.5},
        ),
        (
            "xiaohongshu",
            "笔记标题,笔记ID,笔记链接,作者昵称,笔记创建时间,笔记类型,笔记支付金额,笔记支付订单数,"
            "笔记商品点击次数,笔记商品点击人数,笔记支付人数,笔记阅读数,引流店铺主页支付金额,"
            "引流直播间支付金额",
            "桂花拿铁｜一周不重样,6543a1b2c3d4e5f601234567,https://www.xiaohongshu.com/explore/"
            "6543a1b2c3d4e5f601234567,禾野咖啡,2026-11-01 19:42:42,图文,1290.5,12,300,210,11,"
            "1.2万,88,0",
            "note_sales",
            {"views": 12000, "product_clicks": 210, "buyers": 11, "gmv": 1290.5},
        ),
        (
            "xiaohongshu",
            "笔记名称,笔记链接,发布时间,阅读量,阅读人数,成交订单数,成交人数,成交金额(元)",
            "冷萃茶附教程,https://www.xiaohongshu.com/explore/6543a1b2c3d4e5f601234568,"
            '2026年11月01日19时42分42秒,3200,2100,5,5,"1,000.00"',
            "note_sales",
            {"views": 3200, "viewers": 2100, "orders": 5, "gmv": 1000.0, "note_id": None},
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
        if isinstance(value, bool) or value is None:
            assert got[name] is value, (name, got[name])
        else:
            assert got[name] == approx(value), (name, got[name])


def test_a_live_file_without_viewers_is_quarantined_with_the_reason(tmp_path: Path):
    path = tmp_path / "exports" / "douyin" / "acct" / "直播列表_2026-11-09.csv"
    path.parent.mkdir(parents=True)
    path.write_text("直播间ID,开播时间,直播间成交金额\n1,2026-11-02 19:30:00,100\n", "utf-8-sig")
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert result.status == "quarantined"
    assert "观看人数" in result.reason


def test_an_odd_note_sales_file_loads_what_is_good(tmp_path: Path):
    """A 千帆 xlsx with a banner above the header, a 合计 row under the notes, a "-" for a count
    the list does not know, a title that looks like a formula and a thousands-comma amount: the
    notes load, the summary row is left out and said so, the missing count is NULL (never 0) and
    the title is kept as text."""
    from samples.files import write_xlsx

    path = tmp_path / "exports" / "xiaohongshu" / "acct" / "千帆_笔记数据明细_2026-11-09.xlsx"
    path.parent.mkdir(parents=True)
    header = ("笔记标题", "笔记ID", "笔记创建时间", "笔记支付金额", "笔记支付人数", "笔记阅读数")
    data = [
        (
            '=HYPERLINK("http://x")',
            "6543a1b2c3d4e5f601234567",
            "2026-11-01 19:42:42",
            "1,290.50",
            "-",
            3000,
        ),
        ("冷萃茶附教程", "6543a1b2c3d4e5f601234568", "2026-11-02 08:00:00", 99.0, 1, 800),
        ("合计", None, None, "1,389.50", 1, 3800),
    ]
    write_xlsx(
        path,
        header,
        data,
        created=dt.datetime(2026, 11, 9, 9, 30, tzinfo=SHANGHAI),
        banner="数据更新时间：2026-11-08",
    )
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert (result.status, result.report, result.rows) == ("loaded", "note_sales", 2), result.reason
    assert "合计" in (result.reason or ""), result.reason
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        got = rows(con, "select * from raw.xiaohongshu__note_sales order by _row_number")
    assert [r["title"] for r in got] == ['=HYPERLINK("http://x")', "冷萃茶附教程"]
    assert [r["gmv"] for r in got] == [approx(1290.5), approx(99.0)]
    assert [r["buyers"] for r in got] == [None, 1]


@pytest.mark.parametrize(
    ("folder", "header", "row", "column", "value"),
    [
        (
            "xiaohongshu",
            "笔记标题,笔记ID,笔记创建时间,笔记支付金额,笔记阅读数",
            "桂花拿铁,6543a1b2c3d4e5f601234567,2026-11-01 19:42:42,约一千元,3000",
            "笔记支付金额",
            "约一千元",
        ),
        (
            "wechat_channels",
            "视频ID,视频描述,发布时间,播放量,成交金额",
            "export/AbC,早餐搭配,2026/11/01,1000,12.3.4",
            "成交金额",
            "12.3.4",
        ),
    ],
)
def test_a_sales_list_with_a_bad_amount_is_quarantined_naming_row_column_and_value(
    tmp_path: Path, folder, header, row, column, value
):
    path = tmp_path / "exports" / folder / "acct" / "sales_2026-11-09.csv"
    path.parent.mkdir(parents=True)
    path.write_text(header + "\n" + row + "\n", encoding="utf-8-sig")
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert result.status == "quarantined", result
    assert result.reason.startswith(path.name), result.reason
    assert "row 2" in result.reason and f"「{column}」" in result.reason, result.reason
    assert value in result.reason, result.reason
