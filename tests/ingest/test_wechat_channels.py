"""视频号 reader: 微信视频号动态数据明细.csv in its 15- and 19-column forms, compared with the sample
dataset's truth."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ingest import ingest_paths
from ingest.base import detect
from ingest.files import open_tables
from ingest.platforms import all_specs
from samples import build_dataset
from samples.writers import wechat_channels as writer

START = dt.date(2026, 10, 26)
WEEKS = 2
CST = dt.timedelta(hours=8)
REPORT = "wechat_channels.video_list"
COUNTS = (
    "views",
    "recommends",
    "likes",
    "comments",
    "shares",
    "followers_gained",
    "forwards_chat_moments",
    "ringtone_sets",
    "status_sets",
    "moments_cover_sets",
    "wecom_link_clicks",
    "wecom_link_click_users",
    "contact_adds",
    "contact_add_users",
)


def fetch(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    cur = con.execute(f'select * from raw."{table}" order by _file_name, _row_number')
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("wechat_channels")
    ds = build_dataset(START, WEEKS)
    writer.write(ds, tmp / "exports")
    results = ingest_paths([tmp / "exports"], warehouse=tmp / "w.duckdb", home=tmp)
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    con.execute("set TimeZone = 'Asia/Shanghai'")
    yield ds, results, con, tmp
    con.close()


def test_both_forms_load(loaded) -> None:
    _, results, _, _ = loaded
    assert len(results) == 2 * WEEKS
    for r in results:
        assert (r.status, r.platform, r.report) == ("loaded", "wechat_channels", "video_list")
        found = detect([t.head for t in open_tables(Path(r.path))], all_specs())
        assert (found.spec.platform, found.spec.report) == ("wechat_channels", "video_list")
    widths = {len(pd.read_csv(r.path, nrows=0, encoding="utf-8-sig").columns) for r in results}
    assert widths == {15, 19}


def test_video_list_matches_truth(loaded) -> None:
    ds, _, con, _ = loaded
    contents = {c.content_id: c for c in ds.contents_of("wechat_channels")}
    rows = fetch(con, "wechat_channels__video_list")
    expected = sum(s.report == REPORT for c in contents.values() for s in c.snapshots)
    assert len(rows) == expected > 0
    missing_rate = absent_wecom = 0
    for row in rows:
        content = contents[row["content_id"]]
        assert row["content_id"].startswith("export/")
        assert row["_account_id"] == content.account_id and row["title"] == content.title
        (snap,) = [
            s
            for s in content.snapshots
            if s.report == REPORT and s.snapshot_date == row["_snapshot_date"]
        ]
        m = snap.metrics
        assert row["published_at"] == content.published_at  # "2026/06/25": midnight, Shanghai
        assert row["published_at"].utcoffset() == CST
        for name in COUNTS:  # 推荐 → recommends and 喜欢 → likes, never swapped
            assert row[name] == m[name], name
        assert row["views_is_capped"] is False
        for name in ("completion_rate", "avg_watch_seconds"):  # "28.64%", "14.73秒", "-"
            if m[name] is None:
                assert row[name] is None
            else:
                assert row[name] == pytest.approx(m[name]), name
        missing_rate += m["completion_rate"] is None or m["avg_watch_seconds"] is None
        absent_wecom += m["wecom_link_clicks"] is None  # the 15-column form
        assert row["_extra"] is None and row["_invalid"] is None
    assert missing_rate > 0 and 0 < absent_wecom < len(rows)
    assert any(r["recommends"] != r["likes"] for r in rows)


@pytest.mark.parametrize("label", ["视频ID", "推荐", "播放量"])
def test_missing_required_column_is_quarantined(loaded, label: str) -> None:
    _, results, _, tmp = loaded
    source = Path(results[0].path)
    folder = tmp / f"bad_{label}" / "wechat_channels" / "acct"
    folder.mkdir(parents=True)
    frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.drop(columns=[label]).to_csv(folder / source.name, index=False, encoding="utf-8-sig")
    (result,) = ingest_paths(
        [folder], warehouse=tmp / f"{label}.duckdb", home=tmp / f"home_{label}"
    )
    assert result.status == "quarantined"
    assert f"视频号 单篇视频数据 export misses the required column 「{label}」" in result.reason


def test_empty_video_id_is_quarantined(loaded) -> None:
    _, results, _, tmp = loaded
    source = Path(results[0].path)
    folder = tmp / "bad_id" / "wechat_channels" / "acct"
    folder.mkdir(parents=True)
    frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.loc[2, "视频ID"] = "-"
    frame.to_csv(folder / source.name, index=False, encoding="utf-8-sig")
    (result,) = ingest_paths([folder], warehouse=tmp / "bad_id.duckdb", home=tmp / "bad_id")
    assert result.status == "quarantined"
    assert (
        "row 4" in result.reason and "「视频ID」" in result.reason and "is empty" in result.reason
    )
