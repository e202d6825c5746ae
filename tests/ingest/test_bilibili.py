"""B站 reader: 近期稿件对比.csv (30 columns, percent strings, star ratings), compared with the sample
dataset's truth. The real file is checked in test_real_exports.py."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ingest import ingest_paths
from ingest.base import detect
from ingest.files import open_tables
from ingest.platforms import all_specs
from samples import build_dataset
from samples.writers import bilibili as writer

START = dt.date(2026, 10, 26)
WEEKS = 2
CST = dt.timedelta(hours=8)
REPORT = "bilibili.video_compare"
#: raw column → the dataset's metric, for every column but title and 发布时间
METRICS = dict(writer.COLUMNS[2:]).values()
STARS = ("cover_ctr_stars", "fan_ctr_stars", "guest_ctr_stars")
COUNTS = ("views", "followers_gained", "unfollows", "likes", "comments", "danmaku", "collects")
COUNTS += ("coins", "shares")


def fetch(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    cur = con.execute(f'select * from raw."{table}" order by _file_name, _row_number')
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("bilibili")
    ds = build_dataset(START, WEEKS)
    writer.write(ds, tmp / "exports")
    results = ingest_paths([tmp / "exports"], warehouse=tmp / "w.duckdb", home=tmp)
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    con.execute("set TimeZone = 'Asia/Shanghai'")
    yield ds, results, con, tmp
    con.close()


def test_every_file_loads(loaded) -> None:
    _, results, _, _ = loaded
    assert len(results) == 2 * WEEKS
    for r in results:
        assert (r.status, r.platform, r.report) == ("loaded", "bilibili", "video_compare")
        found = detect([t.head for t in open_tables(Path(r.path))], all_specs())
        assert (found.spec.platform, found.spec.report) == ("bilibili", "video_compare")


def test_video_compare_matches_truth(loaded) -> None:
    ds, _, con, _ = loaded
    contents = {(c.account_id, c.title, c.published_at): c for c in ds.contents_of("bilibili")}
    rows = fetch(con, "bilibili__video_compare")
    expected = sum(s.report == REPORT for c in contents.values() for s in c.snapshots)
    assert len(rows) == expected > 0
    assert set(METRICS) | {"title", "published_at"} <= set(rows[0])
    for row in rows:
        # 「2026年06月03日 16:41:25」 is China time
        assert row["published_at"].utcoffset() == CST
        content = contents[(row["_account_id"], row["title"], row["published_at"])]
        assert content.content_id is None
        (snap,) = [
            s
            for s in content.snapshots
            if s.report == REPORT and s.snapshot_date == row["_snapshot_date"]
        ]
        for name in METRICS:
            value = snap.metrics[name]
            if name in COUNTS:
                assert row[name] == value, name
            else:  # rates as 0-1 fractions ("55.9%" → 0.559), stars as stars ("3.5星" → 3.5)
                assert row[name] == pytest.approx(value, abs=1e-9), name
        assert row["views_is_capped"] is False
        assert row["_extra"] is None and row["_invalid"] is None
    assert any(r["title"].endswith("，") for r in rows)  # a trailing full-width comma is kept


def test_stars_and_rates_are_kept_apart(loaded) -> None:
    _, results, _, tmp = loaded
    source = Path(results[0].path)
    folder = tmp / "swapped" / "bilibili" / "acct"
    folder.mkdir(parents=True)
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    frame.loc[0, "封标点击率"] = "55.9%"  # a percent where a star rating belongs
    frame.loc[0, "点赞率"] = "3.5星"  # a star rating where a rate belongs
    frame.loc[1, "粉丝点击率"] = "-"
    frame.to_csv(folder / source.name, index=False)
    (result,) = ingest_paths([folder], warehouse=tmp / "swapped.duckdb", home=tmp / "swapped")
    assert result.status == "loaded"
    con = duckdb.connect(str(tmp / "swapped.duckdb"), read_only=True)
    try:
        first, second = fetch(con, "bilibili__video_compare")[:2]
    finally:
        con.close()
    assert first["cover_ctr_stars"] is None and first["like_rate"] is None
    assert json.loads(first["_invalid"]) == {"封标点击率": "55.9%", "点赞率": "3.5星"}
    assert second["fan_ctr_stars"] is None and second["_invalid"] is None  # "-" is missing


@pytest.mark.parametrize("label", ["点赞量", "播放量"])
def test_missing_required_column_is_quarantined(loaded, label: str) -> None:
    _, results, _, tmp = loaded
    source = Path(results[0].path)
    folder = tmp / f"bad_{label}" / "bilibili" / "acct"
    folder.mkdir(parents=True)
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    frame.drop(columns=[label]).to_csv(folder / source.name, index=False)
    (result,) = ingest_paths(
        [folder], warehouse=tmp / f"{label}.duckdb", home=tmp / f"home_{label}"
    )
    assert result.status == "quarantined"
    assert f"B站 近期稿件对比 export misses the required column 「{label}」" in result.reason
