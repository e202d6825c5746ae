"""快手 reader: 作品数据 (xlsx with "3.1万", csv with "1.2w"), compared with the sample dataset's
truth; and no video export is taken for another platform's (快手, 抖音, 视频号, B站, 小红书)."""

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
from samples.writers import bilibili, douyin, kuaishou, wechat_channels, xiaohongshu

START = dt.date(2026, 10, 26)
WEEKS = 2
CST = dt.timedelta(hours=8)
REPORT = "kuaishou.video_list"
VIDEO_EXPORTS = {
    "kuaishou": (kuaishou, "video_list"),
    "douyin": (douyin, "video_list"),
    "wechat_channels": (wechat_channels, "video_list"),
    "bilibili": (bilibili, "video_compare"),
    "xiaohongshu": (xiaohongshu, "note_list"),
}


def fetch(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    cur = con.execute(f'select * from raw."{table}" order by _file_name, _row_number')
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("kuaishou")
    ds = build_dataset(START, WEEKS)
    for module, _ in VIDEO_EXPORTS.values():
        module.write(ds, tmp / "exports")
    results = ingest_paths([tmp / "exports"], warehouse=tmp / "w.duckdb", home=tmp)
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    con.execute("set TimeZone = 'Asia/Shanghai'")
    yield ds, results, con, tmp
    con.close()


def test_video_exports_are_not_confused(loaded) -> None:
    """Each platform's video export is recognised as its own, in its folder and without one."""
    _, results, _, tmp = loaded
    specs = all_specs()
    seen = set()
    for r in results:
        platform = Path(r.path).relative_to(tmp / "exports").parts[0]
        expected = (platform, VIDEO_EXPORTS[platform][1])
        assert r.status == "loaded", r.reason
        assert (r.platform, r.report) == expected, r.path
        found = detect([t.head for t in open_tables(Path(r.path))], specs)
        assert (found.spec.platform, found.spec.report) == expected, r.path
        seen.add(platform)
    assert seen == set(VIDEO_EXPORTS)


def test_video_list_matches_truth(loaded) -> None:
    ds, results, con, _ = loaded
    contents = {c.content_id: c for c in ds.contents_of("kuaishou")}
    forms = {Path(r.path).suffix for r in results if r.platform == "kuaishou"}
    assert forms == {".xlsx", ".csv"}
    rows = fetch(con, "kuaishou__video_list")
    expected = sum(s.report == REPORT for c in contents.values() for s in c.snapshots)
    assert len(rows) == expected > 0
    abbreviated = missing = 0
    for row in rows:
        content = contents[row["content_id"]]
        assert row["_account_id"] == content.account_id and row["title"] == content.title
        assert row["content_type"] == content.content_type
        assert row["published_at"] == content.published_at
        assert row["published_at"].utcoffset() == CST
        (snap,) = [
            s
            for s in content.snapshots
            if s.report == REPORT and s.snapshot_date == row["_snapshot_date"]
        ]
        m = snap.metrics
        for name in ("views", "likes", "comments", "shares", "followers_gained"):
            assert row[name] == m[name], name  # "3.1万" → 31000, "1.2w" → 12000
        assert row["views_is_capped"] is False and row["views_upper"] is None
        abbreviated += m["views"] >= 10_000
        for name in ("completion_rate", "avg_watch_seconds"):  # "51.6%", "29.5秒", 29.5, "-"
            if m[name] is None:
                missing += 1
                assert row[name] is None
            else:
                assert row[name] == pytest.approx(m[name]), name
        assert row["_extra"] is None and row["_invalid"] is None
    assert abbreviated > 0 and missing > 0


@pytest.mark.parametrize("label", ["点赞量", "播放量"])
def test_missing_required_column_is_quarantined(loaded, label: str) -> None:
    _, results, _, tmp = loaded
    source = next(Path(r.path) for r in results if r.path.endswith(".csv") and "快手" in r.path)
    folder = tmp / f"bad_{label}" / "kuaishou" / "acct"
    folder.mkdir(parents=True)
    frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.drop(columns=[label]).to_csv(folder / source.name, index=False, encoding="utf-8-sig")
    (result,) = ingest_paths(
        [folder], warehouse=tmp / f"{label}.duckdb", home=tmp / f"home_{label}"
    )
    assert result.status == "quarantined"
    assert f"快手 作品数据 export misses the required column 「{label}」" in result.reason


def test_documented_labels_are_accepted(loaded) -> None:
    """The header is unconfirmed: other documented labels map to the same columns."""
    _, results, _, tmp = loaded
    source = next(Path(r.path) for r in results if r.path.endswith(".csv") and "快手" in r.path)
    folder = tmp / "labels" / "kuaishou" / "acct"
    folder.mkdir(parents=True)
    frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    renamed = frame.rename(
        columns={
            "作品ID": "photo_id",
            "作品描述": "作品标题",
            "涨粉量": "新增粉丝",
            "点赞量": "点赞",
        }
    )
    renamed.to_csv(folder / source.name, index=False, encoding="utf-8-sig")
    (result,) = ingest_paths([folder], warehouse=tmp / "labels.duckdb", home=tmp / "labels")
    assert (result.status, result.report, result.rows) == ("loaded", "video_list", len(frame))
    con = duckdb.connect(str(tmp / "labels.duckdb"), read_only=True)
    try:
        row = fetch(con, "kuaishou__video_list")[0]
    finally:
        con.close()
    assert row["content_id"] == frame.loc[0, "作品ID"] and row["title"] == frame.loc[0, "作品描述"]
    assert row["likes"] == int(frame.loc[0, "点赞量"])
    assert row["followers_gained"] == int(frame.loc[0, "涨粉量"])
