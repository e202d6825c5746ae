"""小红书 reader: 笔记列表明细表.xlsx (POI workbook, banner row, 13 columns) compared with the sample
dataset's truth; capped and ranged views; a file with its columns reordered and renamed to
other aliases loads the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from ingest import ingest_paths
from samples.files import export_time, write_xlsx
from samples.writers import xiaohongshu as writer
from tests.ingest.helpers import cells, fetch_rows, loaded_exports, read_warehouse

START = dt.date(2026, 10, 26)  # a Monday
WEEKS = 2
CST = dt.timedelta(hours=8)
REPORT = "xiaohongshu.note_list"
TABLE = "xiaohongshu__note_list"
COUNTS = (
    "impressions",
    "views",
    "likes",
    "comments",
    "collects",
    "followers_gained",
    "shares",
    "danmaku",
)
TYPED = (
    "title",
    "published_at",
    "content_type",
    *COUNTS,
    "views_is_capped",
    "views_upper",
    "cover_ctr",
    "avg_watch_seconds",
)
#: the header in another order, each label renamed to another alias the reader knows
RENAMED = {
    "弹幕": "弹幕数",
    "分享": "分享数",
    "人均观看时长": "平均观看时长",
    "笔记标题": "笔记标题",  # the signature label stays
    "涨粉": "新增关注",
    "收藏": "收藏量",
    "观看量": "观看数",
    "首次发布时间": "发布时间",
    "曝光": "曝光量",
    "点赞": "点赞数",
    "评论": "评论数",
    "封面点击率": "封面点击率",  # no other alias
    "体裁": "笔记类型",
}


def fetch(con: duckdb.DuckDBPyConnection, where: str = "true") -> list[dict]:
    return fetch_rows(con, TABLE, where)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    with loaded_exports(
        tmp_path_factory, "xiaohongshu", writer, START, WEEKS
    ) as ds_results_con_tmp:
        yield ds_results_con_tmp


def test_every_note_list_loads(loaded) -> None:
    ds, results, _, _ = loaded
    assert len(results) == WEEKS * len(ds.accounts_of("xiaohongshu")) == 2 * WEEKS
    for r in results:
        assert (r.status, r.platform, r.report, r.reason) == (
            "loaded",
            "xiaohongshu",
            "note_list",
            None,
        )
        first, header = cells(Path(r.path))[:2]
        assert first[0] == writer.BANNER and tuple(header) == writer.HEADER


def test_note_list_matches_truth(loaded) -> None:
    ds, _, con, _ = loaded
    notes = {(c.account_id, c.published_at, c.title): c for c in ds.contents_of("xiaohongshu")}
    rows = fetch(con)
    expected = sum(s.report == REPORT for c in notes.values() for s in c.snapshots)
    assert len(rows) == expected > 0
    untitled = 0
    for row in rows:
        # the export has no note id: a note is its account, publish time and title
        assert row["published_at"].utcoffset() == CST  # 「2026年03月24日17时33分05秒」, China time
        note = notes[(row["_account_id"], row["published_at"], row["title"] or "")]
        untitled += row["title"] is None
        (snap,) = [
            s
            for s in note.snapshots
            if s.report == REPORT and s.snapshot_date == row["_snapshot_date"]
        ]
        assert row["content_type"] == note.content_type
        for name in COUNTS:
            assert row[name] == snap.metrics[name], name
        assert (row["views_is_capped"], row["views_upper"]) == (False, None)
        assert row["cover_ctr"] == pytest.approx(snap.metrics["cover_ctr"])
        assert 0 <= row["cover_ctr"] <= 1  # a fraction as the file states it
        assert row["avg_watch_seconds"] == pytest.approx(snap.metrics["avg_watch_seconds"])
        assert row["_extra"] is None and row["_invalid"] is None
        assert row["_row_number"] >= 3  # banner on row 1, header on row 2
    assert untitled > 0  # an empty title is NULL, never ""
    assert con.execute(f"select count(*) from raw.{TABLE} where title = ''").fetchone()[0] == 0


def test_capped_and_ranged_views(loaded) -> None:
    _, results, _, tmp = loaded
    source = Path(results[0].path)
    rows = cells(source)
    header, body = rows[1], [list(r) for r in rows[2:]]
    views = header.index("观看量")
    body[0][views], body[1][views], body[2][views] = "10万+", "1.2万", "7.5w~10w"
    folder = tmp / "capped" / "xiaohongshu" / "acct"
    folder.mkdir(parents=True)
    path = folder / source.name
    write_xlsx(path, header, body, created=export_time(START), banner=writer.BANNER)
    (result,) = ingest_paths([folder], warehouse=tmp / "capped.duckdb", home=tmp)
    assert result.status == "loaded", result.reason
    con = duckdb.connect(str(tmp / "capped.duckdb"), read_only=True)
    try:
        got = con.execute(
            f"select views, views_is_capped, views_upper from raw.{TABLE} "
            "order by _row_number limit 3"
        ).fetchall()
    finally:
        con.close()
    assert got == [(100_000, True, None), (12_000, False, None), (75_000, False, 100_000)]


def test_reordered_and_renamed_columns_load_the_same(loaded) -> None:
    _, results, con, tmp = loaded
    for number, r in enumerate(results):
        rows = cells(Path(r.path))
        header, body = rows[1], rows[2:]
        order = [header.index(label) for label in RENAMED]
        folder = tmp / f"renamed{number}" / "xiaohongshu" / "acct"
        folder.mkdir(parents=True)
        path = folder / Path(r.path).name
        write_xlsx(  # no banner this time: the header is on row 1
            path,
            list(RENAMED.values()),
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
        assert [row["_row_number"] + 1 for row in renamed] == [
            row["_row_number"] for row in original
        ]
        assert all(row["_extra"] is None for row in renamed)
