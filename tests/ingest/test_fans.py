"""fans_daily readers: 粉丝数据 (full or total only, xlsx or csv) under every content platform's
folder, compared with the sample dataset's truth."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ingest import ingest_paths
from ingest.platforms import all_specs, fans
from samples import build_dataset
from samples.writers import fans as writer

START = dt.date(2026, 10, 26)
WEEKS = 2


def fetch(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    cur = con.execute(f'select * from raw."{table}" order by _file_name, _row_number')
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("fans")
    ds = build_dataset(START, WEEKS)
    writer.write(ds, tmp / "exports")
    results = ingest_paths([tmp / "exports"], warehouse=tmp / "w.duckdb", home=tmp)
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    yield ds, results, con, tmp
    con.close()


def test_one_report_type_per_content_platform() -> None:
    specs = [s for s in all_specs() if s.report == "fans_daily"]
    assert sorted(s.platform for s in specs) == sorted(fans.PLATFORMS)
    assert len({s.table for s in specs}) == len(specs)
    assert all(s.folder_names == (s.platform,) for s in specs)


def test_each_file_lands_in_its_folders_platform(loaded) -> None:
    ds, results, _, tmp = loaded
    assert all(r.status == "loaded" for r in results), [r.reason for r in results]
    for r in results:
        folder = Path(r.path).relative_to(tmp / "exports").parts[0]
        assert (r.platform, r.report) == (folder, "fans_daily")
    # one file per account and week, a piloted account's from its start week on
    assert Counter(r.platform for r in results) == {
        p: sum(WEEKS - a.start_week for a in ds.accounts_of(p)) for p in writer.PLATFORMS
    }
    assert {Path(r.path).suffix for r in results} == {".xlsx", ".csv"}


@pytest.mark.parametrize("platform", writer.PLATFORMS)
def test_fans_daily_matches_truth(loaded, platform: str) -> None:
    ds, _, con, _ = loaded
    days = {(f.account_id, f.date): f for f in ds.follower_days if f.platform == platform}
    rows = fetch(con, f"{platform}__fans_daily")
    assert rows and all(r["_platform"] == platform for r in rows)
    total_only = 0
    for row in rows:
        f = days[(row["_account_id"], row["date"])]
        assert row["followers_total"] == f.followers_total
        assert row["new_followers"] == f.new_followers  # None for total-only accounts
        assert row["lost_followers"] == f.lost_followers
        if f.new_followers is None:
            total_only += 1
            assert row["net_followers"] is None
        else:
            assert row["net_followers"] == f.new_followers - f.lost_followers
        assert row["_extra"] is None and row["_invalid"] is None
    accounts = {r["_account_id"] for r in rows}
    assert accounts == {a.account_id for a in ds.accounts_of(platform)}
    if platform in ("bilibili", "kuaishou"):  # their second account gives only the total
        assert 0 < total_only < len(rows)
    else:
        assert total_only == 0


def _first_csv(results, platform: str) -> Path:
    return next(Path(r.path) for r in results if r.platform == platform and r.path.endswith(".csv"))


def test_missing_total_is_quarantined(loaded) -> None:
    _, results, _, tmp = loaded
    source = _first_csv(results, "douyin")
    folder = tmp / "bad" / "douyin" / "acct"
    folder.mkdir(parents=True)
    frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert "新增粉丝" in frame.columns
    frame.drop(columns=["粉丝总数"]).to_csv(folder / source.name, index=False, encoding="utf-8-sig")
    (result,) = ingest_paths([folder], warehouse=tmp / "bad.duckdb", home=tmp / "bad")
    assert result.status == "quarantined"
    assert "抖音 粉丝数据" in result.reason and "「粉丝总数」" in result.reason


def test_aliases_negative_net_and_a_wechat_oa_folder(loaded) -> None:
    _, results, _, tmp = loaded
    source = _first_csv(results, "xiaohongshu")
    folder = tmp / "alias" / "wechat_oa" / "acct"
    folder.mkdir(parents=True)
    frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.loc[0, ["新增粉丝", "取关粉丝", "净增粉丝"]] = ["3", "5", "-2"]
    frame.loc[1, "取关粉丝"] = "-"
    renamed = frame.rename(
        columns={"粉丝总数": "总粉丝数", "新增粉丝": "新增粉丝数", "取关粉丝": "取消关注"}
    )
    renamed.to_csv(folder / "粉丝数据.csv", index=False, encoding="utf-8-sig")
    (result,) = ingest_paths([folder], warehouse=tmp / "alias.duckdb", home=tmp / "alias")
    assert (result.status, result.platform, result.report) == ("loaded", "wechat_oa", "fans_daily")
    con = duckdb.connect(str(tmp / "alias.duckdb"), read_only=True)
    try:
        first, second = fetch(con, "wechat_oa__fans_daily")[:2]
    finally:
        con.close()
    assert (first["new_followers"], first["lost_followers"], first["net_followers"]) == (3, 5, -2)
    assert first["followers_total"] == int(frame.loc[0, "粉丝总数"])
    assert second["lost_followers"] is None and second["_invalid"] is None  # "-" is missing
