"""公众号 readers: 已通知内容 (xlsx, BIFF xls, csv with "10万+"), 用户增长 (HTML .xls) and the
datacube JSON responses, compared with the sample dataset's truth."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ingest import ingest_paths
from ingest.base import detect
from ingest.files import open_tables
from ingest.platforms import all_specs
from samples import build_dataset
from samples.timeutil import to_date
from samples.writers import wechat_oa as writer

START = dt.date(2026, 10, 26)  # a Monday; week 2 and 3 of the csv account hold "10万+"
WEEKS = 3
CST = dt.timedelta(hours=8)
ARTICLE = "wechat_oa.article_7day"
DETAIL = "wechat_oa.datacube_articletotaldetail"


def fetch(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    cur = con.execute(f'select * from raw."{table}" order by _file_name, _row_number')
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("wechat_oa")
    ds = build_dataset(START, WEEKS)
    writer.write(ds, tmp / "exports")
    results = ingest_paths([tmp / "exports"], warehouse=tmp / "w.duckdb", home=tmp)
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    con.execute("set TimeZone = 'Asia/Shanghai'")
    yield ds, results, con, tmp
    con.close()


def test_every_file_loads_as_its_report_type(loaded) -> None:
    _, results, _, _ = loaded
    assert all(r.status == "loaded" and r.platform == "wechat_oa" for r in results), [
        r.reason for r in results if r.status != "loaded"
    ]
    by_report = Counter(r.report for r in results)
    assert by_report == {
        "article_7day": 6,
        "user_growth": 6,
        "datacube_article_total": 6,
        "datacube_article_summary": 6,
        "datacube_user_summary": 6,
        "datacube_user_cumulate": 6,
    }
    forms = Counter(Path(r.path).suffix for r in results if r.report == "article_7day")
    assert forms == {".xlsx": 2, ".xls": 1, ".csv": 3}


def test_reports_are_told_apart_without_the_folder(loaded) -> None:
    _, results, _, _ = loaded
    specs = all_specs()
    for r in results:
        found = detect([t.head for t in open_tables(Path(r.path))], specs)
        assert found is not None and (found.spec.platform, found.spec.report) == (
            "wechat_oa",
            r.report,
        ), r.path


def test_article_7day_matches_truth(loaded) -> None:
    ds, _, con, _ = loaded
    contents = {(c.account_id, c.title): c for c in ds.contents_of("wechat_oa")}
    rows = fetch(con, "wechat_oa__article_7day")
    expected = sum(s.report == ARTICLE for c in ds.contents_of("wechat_oa") for s in c.snapshots)
    assert len(rows) == expected > 0
    capped = missing = 0
    for row in rows:
        content = contents[(row["_account_id"], row["title"])]
        (snap,) = [
            s
            for s in content.snapshots
            if s.report == ARTICLE and s.snapshot_date == row["_snapshot_date"]
        ]
        m = snap.metrics
        assert row["published_at"] == content.published_at  # 20261031 → midnight in Shanghai
        assert row["published_at"].utcoffset() == CST and row["published_at"].hour == 0
        assert row["views"] == m["views"]
        assert row["views_is_capped"] is snap.views_is_capped
        assert row["readers_is_capped"] is False
        capped += snap.views_is_capped
        for name in (
            "readers",
            "share_users",
            "shares",
            "followers_gained",
            "delivered",
            "message_reads",
            "first_shares",
            "share_reads",
        ):
            assert row[name] == m[name], name
        for name in ("delivery_read_rate", "first_share_rate", "completion_rate"):
            assert row[name] == pytest.approx(m[name]), name
        if m["reads_per_share"] is None:  # "-" stays NULL, never 0
            missing += 1
            assert row["reads_per_share"] is None
        else:
            assert row["reads_per_share"] == pytest.approx(m["reads_per_share"])
        assert f"mid={content.content_id.split('_')[0]}" in row["content_url"]
        assert row["_extra"] is None and row["_invalid"] is None
    assert capped > 0 and missing > 0
    capped_rows = [r for r in rows if r["views_is_capped"]]
    assert all(r["_file_name"].endswith(".csv") and r["views"] == 100_000 for r in capped_rows)


def test_user_growth_matches_truth(loaded) -> None:
    ds, _, con, _ = loaded
    days = {(f.account_id, f.date): f for f in ds.follower_days if f.platform == "wechat_oa"}
    rows = fetch(con, "wechat_oa__user_growth")
    assert len(rows) == len(days) == 2 * 7 * WEEKS
    for row in rows:
        f = days[(row["_account_id"], row["date"])]
        assert row["new_followers"] == f.new_followers
        assert row["lost_followers"] == f.lost_followers
        assert row["net_followers"] == f.new_followers - f.lost_followers
        assert row["followers_total"] == f.followers_total
    assert rows[0]["_row_number"] == 3  # the title row 用户增长（…至…） sits above the header


def test_datacube_article_total_matches_truth(loaded) -> None:
    ds, _, con, _ = loaded
    contents = {c.content_id: c for c in ds.contents_of("wechat_oa")}
    rows = fetch(con, "wechat_oa__datacube_article_total")
    assert rows
    for row in rows:
        content = contents[row["msgid"]]
        assert row["_account_id"] == content.account_id and row["title"] == content.title
        assert row["ref_date"] == content.published_at.date()
        (snap,) = [
            s
            for s in content.snapshots
            if s.report == DETAIL and s.snapshot_date == row["stat_date"]
        ]
        m = snap.metrics
        assert (row["read_user"], row["share_user"], row["zaikan_user"]) == (
            m["readers"],
            m["share_users"],
            m["zaikan"],
        )
        assert (row["like_user"], row["comment_count"], row["collection_user"]) == (
            m["likes"],
            m["comments"],
            m["collects"],
        )
        assert row["read_finish_rate"] == pytest.approx(m["completion_rate"])
        assert row["read_avg_activetime"] == pytest.approx(m["avg_read_seconds"])
        assert row["publish_type"] == "0" and row["is_delay"] is False
        assert row["praise_money"] is None and row["read_delivery_rate"] is None
        assert row["_extra"] is None and row["_invalid"] is None
    # one row per article and detail_list day, each (msgid, stat_date) once per file
    keys = Counter((r["_file_name"], r["_account_id"], r["msgid"], r["stat_date"]) for r in rows)
    assert max(keys.values()) == 1


def test_datacube_article_summary_matches_truth(loaded) -> None:
    ds, _, con, _ = loaded
    contents = ds.frames["contents.wechat_oa"]
    daily = ds.frames["wechat_oa.article_daily"]
    truth = {
        (contents.loc[r["content_idx"], "content_id"], to_date(r["day"])): r
        for r in daily.to_dict("records")
    }
    rows = fetch(con, "wechat_oa__datacube_article_summary")
    end = START + dt.timedelta(days=7 * WEEKS)
    assert len(rows) == sum(START <= day < end for _, day in truth)
    for row in rows:
        r = truth[(row["msgid"], row["ref_date"])]
        for key in writer.SUMMARY_KEYS:  # the second account writes add_to_fav_* as "31"
            assert row[key] == r[key], key


def test_datacube_user_summary_and_cumulate_match_truth(loaded) -> None:
    ds, _, con, _ = loaded
    sources = ds.frames["wechat_oa.user_source_days"]
    truth = {
        (r["account_id"], to_date(r["day"]), str(r["user_source"])): r
        for r in sources.to_dict("records")
    }
    rows = fetch(con, "wechat_oa__datacube_user_summary")
    assert len(rows) == len(truth)
    for row in rows:
        r = truth[(row["_account_id"], row["ref_date"], row["user_source"])]
        assert (row["new_user"], row["cancel_user"]) == (r["new_user"], r["cancel_user"])
    days = {(f.account_id, f.date): f for f in ds.follower_days if f.platform == "wechat_oa"}
    cumulate = fetch(con, "wechat_oa__datacube_user_cumulate")
    assert len(cumulate) == len(days)
    for row in cumulate:  # numeric strings ("39281") for the second account
        assert row["cumulate_user"] == days[(row["_account_id"], row["ref_date"])].followers_total


# ------------------------------------------------------------------ bad variants


def _one(tmp: Path, pattern: str) -> Path:
    return sorted((tmp / "exports" / "wechat_oa").glob(f"*/{pattern}"))[0]


def _ingest_one(tmp: Path, name: str, source: Path, write) -> object:
    folder = tmp / name / "wechat_oa" / "acct"
    folder.mkdir(parents=True)
    target = folder / source.name
    write(source, target)
    (result,) = ingest_paths([target], warehouse=tmp / f"{name}.duckdb", home=tmp / name)
    return result


def test_article_7day_without_a_required_column_is_quarantined(loaded) -> None:
    _, _, _, tmp = loaded

    def drop_views(source: Path, target: Path) -> None:
        frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.drop(columns=["总阅读次数"]).to_csv(target, index=False, encoding="utf-8-sig")

    result = _ingest_one(tmp, "no_views", _one(tmp, "内容分析_已通知内容_*.csv"), drop_views)
    assert result.status == "quarantined"
    assert "「总阅读次数」" in result.reason


def test_article_7day_bad_cells(loaded) -> None:
    _, _, _, tmp = loaded
    source = _one(tmp, "内容分析_已通知内容_*.csv")

    def bad_date(source: Path, target: Path) -> None:
        frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.loc[1, "发表时间"] = "昨天"
        frame.to_csv(target, index=False, encoding="utf-8-sig")

    result = _ingest_one(tmp, "bad_date", source, bad_date)
    assert result.status == "quarantined"
    assert (
        "row 3" in result.reason and "「发表时间」" in result.reason and "'昨天'" in result.reason
    )

    def bad_rate(source: Path, target: Path) -> None:  # an optional column: kept in _invalid
        frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.loc[0, "送达阅读率"] = "3.5星"
        frame.to_csv(target, index=False, encoding="utf-8-sig")

    result = _ingest_one(tmp, "bad_rate", source, bad_rate)
    assert result.status == "loaded"
    con = duckdb.connect(str(tmp / "bad_rate.duckdb"), read_only=True)
    try:
        row = fetch(con, "wechat_oa__article_7day")[0]
    finally:
        con.close()
    assert row["delivery_read_rate"] is None
    assert json.loads(row["_invalid"]) == {"送达阅读率": "3.5星"}


def test_datacube_without_a_required_key_is_quarantined(loaded) -> None:
    _, _, _, tmp = loaded

    def drop_key(source: Path, target: Path) -> None:
        payload = json.loads(source.read_text(encoding="utf-8"))
        for item in payload["list"]:
            del item["int_page_read_count"]
        target.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")

    source = _one(tmp, "datacube_getarticlesummary_*.json")
    result = _ingest_one(tmp, "no_key", source, drop_key)
    assert result.status == "quarantined" and "getarticlesummary" in result.reason
    assert "「int_page_read_count」" in result.reason
