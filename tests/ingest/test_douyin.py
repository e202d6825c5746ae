"""抖音 reader: 抖音作品列表.xlsx in both header variants (发布状态 + 作品时长, or 审核状态 +
封面点击率, 分享量 and 评论量 swapped) compared with the sample dataset's truth; capped views; a
file with its columns reordered and renamed to other aliases loads the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from ingest import ingest_paths
from samples.files import export_time, write_xlsx
from samples.writers import douyin as writer
from tests.ingest.helpers import cells, fetch_rows, loaded_exports, read_warehouse

START = dt.date(2026, 10, 26)  # a Monday
WEEKS = 2
CST = dt.timedelta(hours=8)
REPORT = "douyin.video_list"
TABLE = "douyin__video_list"
COUNTS = ("views", "likes", "comments", "shares", "collects", "profile_visits", "followers_gained")
RATES = ("completion_rate", "completion_rate_5s", "cover_ctr", "bounce_rate_2s")
TYPED = (
    "title",
    "published_at",
    "content_type",
    "publish_status",
    *COUNTS,
    "views_is_capped",
    "views_upper",
    *RATES,
    "duration_seconds",
    "avg_watch_seconds",
)
#: other aliases the reader knows, for both variants' labels
ALIASES = {
    "作品名称": "作品名称",  # the signature label stays
    "发布时间": "发布日期",
    "体裁": "作品类型",
    "发布状态": "审核状态",
    "审核状态": "发布状态",
    "播放量": "播放数",
    "完播率": "完播率",  # no other alias
    "5s完播率": "5秒完播率",
    "作品时长": "视频时长",
    "封面点击率": "封面点击率",  # no other alias
    "2s跳出率": "2秒跳出率",
    "平均播放时长": "平均观看时长",
    "点赞量": "点赞",
    "评论量": "评论数",
    "分享量": "分享",
    "收藏量": "收藏数",
    "主页访问量": "主页访问",
    "粉丝增量": "涨粉量",
}


def fetch(con: duckdb.DuckDBPyConnection, where: str = "true") -> list[dict]:
    return fetch_rows(con, TABLE, where)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    with loaded_exports(tmp_path_factory, "douyin", writer, START, WEEKS) as ds_results_con_tmp:
        yield ds_results_con_tmp


def test_both_header_variants_load(loaded) -> None:
    ds, results, _, _ = loaded
    assert {a.variant for a in ds.accounts_of("douyin")} == {0, 1}
    assert len(results) == WEEKS * 2
    headers = set()
    for r in results:
        assert (r.status, r.platform, r.report, r.reason) == (
            "loaded",
            "douyin",
            "video_list",
            None,
        )
        headers.add(tuple(cells(Path(r.path))[0]))
    assert headers == {writer.HEADER_A, writer.HEADER_B}


def test_video_list_matches_truth(loaded) -> None:
    ds, _, con, _ = loaded
    variants = {a.account_id: a.variant for a in ds.accounts_of("douyin")}
    videos = {(c.account_id, c.published_at, c.title): c for c in ds.contents_of("douyin")}
    rows = fetch(con)
    expected = sum(s.report == REPORT for c in videos.values() for s in c.snapshots)
    assert len(rows) == expected > 0
    missing_rates = 0
    for row in rows:
        variant = variants[row["_account_id"]]
        # 「2026-06-03 16:41」 (variant A) or 「2026/06/03 16:41:25」 (B), China time
        assert row["published_at"].utcoffset() == CST
        video = videos[(row["_account_id"], row["published_at"], row["title"])]
        (snap,) = [
            s
            for s in video.snapshots
            if s.report == REPORT and s.snapshot_date == row["_snapshot_date"]
        ]
        m = snap.metrics
        assert row["content_type"] == video.content_type
        assert row["publish_status"] == ("已发布" if variant == 0 else "审核通过")
        for name in COUNTS:
            assert row[name] == m[name], name
        assert (row["views_is_capped"], row["views_upper"]) == (False, None)
        for name in (*RATES, "avg_watch_seconds"):  # "44.84%" → 0.4484; "-" → NULL, never 0
            if m[name] is None:
                assert row[name] is None, name
            else:
                assert row[name] == pytest.approx(m[name], abs=1e-12), name
        missing_rates += m["completion_rate"] is None
        if variant == 0:  # 作品时长 "01:23" and no 封面点击率
            assert row["cover_ctr"] is None
            assert row["duration_seconds"] == video.attributes["duration_seconds"]
        else:
            assert row["duration_seconds"] is None
        assert row["_extra"] is None and row["_invalid"] is None
    assert missing_rates > 0  # 图文 have no completion rate
    assert any(r["duration_seconds"] for r in rows) and any(r["cover_ctr"] for r in rows)


def test_capped_views(loaded) -> None:
    _, results, _, tmp = loaded
    source = Path(results[0].path)
    rows = cells(source)
    header, body = rows[0], [list(r) for r in rows[1:]]
    views = header.index("播放量")
    body[0][views], body[1][views] = "10万+", "3.1w"
    folder = tmp / "capped" / "douyin" / "acct"
    folder.mkdir(parents=True)
    write_xlsx(folder / source.name, header, body, created=export_time(START))
    (result,) = ingest_paths([folder], warehouse=tmp / "capped.duckdb", home=tmp)
    assert result.status == "loaded", result.reason
    con = duckdb.connect(str(tmp / "capped.duckdb"), read_only=True)
    try:
        got = con.execute(
            f"select views, views_is_capped from raw.{TABLE} order by _row_number limit 2"
        ).fetchall()
    finally:
        con.close()
    assert got == [(100_000, True), (31_000, False)]


def test_reordered_and_renamed_columns_load_the_same(loaded) -> None:
    _, results, con, tmp = loaded
    for number, r in enumerate(results[:2] + results[-1:]):
        rows = cells(Path(r.path))
        header, body = rows[0], rows[1:]
        order = sorted(range(len(header)), key=lambda i: (i % 3, -i))  # shuffled, fixed
        assert header[order[0]] != "作品名称"
        folder = tmp / f"renamed{number}" / "douyin" / "acct"
        folder.mkdir(parents=True)
        write_xlsx(
            folder / Path(r.path).name,
            [ALIASES[header[i]] for i in order],
            ([row[i] for i in order] for row in body),
            created=export_time(START),
        )
        warehouse = tmp / f"renamed{number}.duckdb"
        (again,) = ingest_paths([folder], warehouse=warehouse, home=tmp)
        assert (again.status, again.rows) == ("loaded", r.rows), again.reason
        with read_warehouse(warehouse) as other:
            renamed = fetch(other)
        original = fetch(con, f"_file_sha256 = '{r.sha256}'")
        assert [{k: row[k] for k in TYPED} for row in renamed] == [
            {k: row[k] for k in TYPED} for row in original
        ]
        assert all(row["_extra"] is None for row in renamed)
