"""Every real export in ../shared/real-exports/ (files a platform's back office wrote) loads."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import pytest

from ingest import ingest_paths

#: ../shared/real-exports beside the project (CI lays shared/ beside the clone); override with
#: NEWMEDIA_REAL_EXPORTS
REAL = Path(
    os.environ.get(
        "NEWMEDIA_REAL_EXPORTS", Path(__file__).parents[2].parent / "shared" / "real-exports"
    )
)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))

#: file (relative to REAL) → (platform, report, data rows)
EXPECTED = {
    "xiaohongshu/笔记列表明细表_a.xlsx": ("xiaohongshu", "note_list", 8),
    "xiaohongshu/笔记列表明细表_b.xlsx": ("xiaohongshu", "note_list", 12),
    "xiaohongshu/笔记列表明细表_c.xlsx": ("xiaohongshu", "note_list", 41),
    "bilibili/近期稿件对比.csv": ("bilibili", "video_compare", 4),
}


def test_the_real_exports_are_there():
    # never skipped: every reader must load the real files, so their absence is a failure
    assert REAL.is_dir(), f"{REAL} is missing: lay shared/ beside the project"
    assert {str(p.relative_to(REAL)) for p in REAL.rglob("*.*") if p.name != "README.md"} >= set(
        EXPECTED
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("real")
    results = ingest_paths([REAL], warehouse=tmp / "w.duckdb", home=tmp)
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    con.execute("set TimeZone = 'Asia/Shanghai'")
    yield results, con
    con.close()


def test_every_real_file_loads(loaded) -> None:
    results, _ = loaded
    found = {Path(r.path).relative_to(REAL).as_posix(): r for r in results}
    assert set(found) >= set(EXPECTED)
    for name, result in found.items():
        assert result.status == "loaded", (name, result.reason)
        if name in EXPECTED:
            assert (result.platform, result.report, result.rows) == EXPECTED[name], name


def test_bilibili_values(loaded) -> None:
    _, con = loaded
    cur = con.execute(
        "select * from raw.bilibili__video_compare "
        "where _file_name = '近期稿件对比.csv' order by _row_number"
    )
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    assert len(rows) == 4
    first = rows[0]
    assert first["title"] == "codex的comupter use如何恢复和文件乱码怎么解决"
    assert first["views"] == 124 and first["views_is_capped"] is False
    assert first["cover_ctr_stars"] == 3.5  # 「3.5星」, kept apart from the rates
    assert (first["fan_ctr_stars"], first["guest_ctr_stars"]) == (2.0, 3.6)
    assert first["bounce_rate_3s"] == pytest.approx(0.559)  # 「55.9%」
    assert first["guest_view_share"] == pytest.approx(1.0)
    assert first["fan_view_rate"] == 0.0 and first["likes"] == 0  # 0 is 0, not NULL
    assert first["collects"] == 1 and first["collect_rate"] == pytest.approx(0.008)
    assert first["avg_play_progress"] == pytest.approx(0.27)
    published = first["published_at"]
    assert published == dt.datetime(2026, 6, 3, 16, 41, 25, tzinfo=SHANGHAI)
    assert published.utcoffset() == dt.timedelta(hours=8)
    assert published.isoformat() == "2026-06-03T16:41:25+08:00"
    assert rows[1]["title"].endswith("，")  # the trailing full-width comma stays
    assert rows[3]["views"] == 1002 and rows[3]["cover_ctr_stars"] == 4.2
    assert all(r["_extra"] is None and r["_invalid"] is None for r in rows)
