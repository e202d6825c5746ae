"""MediaCrawler comments: the sample csv/json/jsonl files of 小红书, 抖音, B站 and 快手 load into
raw.<platform>__comments with the values the dataset states; commenters' user ids and nicknames
never land in plain text."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ingest import ingest_paths
from ingest.loader import installation_salt
from ingest.platforms.comments import CONTENT_KEYS, REPORTS
from samples.writers import comments as comments_writer
from tests.ingest.helpers import hashed, loaded_exports, plain_leaks

START = dt.date(2026, 10, 26)  # a Monday
WEEKS = 2
SCALE = 1.0
PLATFORMS = tuple(CONTENT_KEYS)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    with loaded_exports(
        tmp_path_factory, "comments", comments_writer, START, WEEKS, scale=SCALE
    ) as (ds, results, con, tmp):
        yield ds, results, con, installation_salt(tmp)


def test_one_spec_per_platform():
    assert [(s.platform, s.report, s.table) for s in REPORTS] == [
        (p, "comments", f"{p}__comments") for p in PLATFORMS
    ]


def test_every_form_loads_into_its_platforms_table(loaded):
    _, results, _, _ = loaded
    assert {r.status for r in results} == {"loaded"}
    forms = {(r.platform, Path(r.path).suffix) for r in results}
    assert forms >= {(p, ".csv") for p in PLATFORMS}
    assert forms >= {("xiaohongshu", ".json"), ("douyin", ".json")}
    assert forms >= {("bilibili", ".jsonl"), ("kuaishou", ".jsonl")}
    for result in results:
        assert result.report == "comments"
        assert Path(result.path).parts[-3] == result.platform


def test_raw_values_match_the_dataset(loaded):
    ds, _, con, salt = loaded
    for platform in PLATFORMS:
        rows = con.execute(
            f"""select _account_id, comment_id, content_id, content, created_at, like_count,
                   parent_comment_id, user_id, nickname, _platform
                from raw.{platform}__comments"""
        ).fetchall()
        by_id = {r[1]: r for r in rows}
        truth = [c for c in ds.comments if c.platform == platform]
        assert len(truth) > 20
        assert len(by_id) == len(rows) == len(truth), platform
        for c in truth:
            row = by_id[c.comment_id]
            assert row[:6] == (
                c.account_id,
                c.comment_id,
                c.content_linked_id,  # note_id / aweme_id / video_id
                c.text,
                c.created_at,  # ms (小红书, 快手) or s (抖音, B站) since the epoch
                c.like_count,  # None for 快手: MediaCrawler keeps no like count there
            )
            if c.parent_comment_id is None:  # top level: "0", or "" (NULL) on 小红书
                assert row[6] == (None if platform in ("xiaohongshu", "kuaishou") else "0")
            else:
                assert row[6] == c.parent_comment_id
            assert row[7:] == (hashed(salt, c.user_id), hashed(salt, c.nickname), platform)
        assert any(c.parent_comment_id for c in truth) == (platform != "kuaishou")


def test_created_at_is_the_shanghai_instant(loaded):
    ds, _, con, _ = loaded
    c = next(c for c in ds.comments if c.platform == "xiaohongshu")
    text = con.execute(
        "select strftime(created_at, '%Y-%m-%d %H:%M:%S') from raw.xiaohongshu__comments "
        "where comment_id = ?",
        [c.comment_id],
    ).fetchone()[0]
    assert text == c.created_at.strftime("%Y-%m-%d %H:%M:%S")


def test_brand_replies_keep_a_matchable_user_id(loaded):
    ds, _, con, salt = loaded
    from samples.comments_gen import brand_author_id

    author = hashed(salt, brand_author_id("douyin", 0))
    replies = con.execute(
        "select count(*) from raw.douyin__comments where user_id = ?", [author]
    ).fetchone()[0]
    main = ds.accounts_of("douyin")[0].account_id
    expected = [
        c
        for c in ds.comments
        if c.platform == "douyin" and c.is_brand_reply and c.account_id == main
    ]
    assert replies == len(expected) > 0


def test_personal_data_never_lands_in_plain_text(loaded):
    ds, _, con, _ = loaded
    for platform in PLATFORMS:
        mine = [c for c in ds.comments if c.platform == platform]
        secrets = {c.user_id for c in mine} | {c.nickname for c in mine if not c.is_brand_reply}
        assert plain_leaks(con, f"raw.{platform}__comments", secrets) == [], platform


def test_same_header_lands_by_folder(tmp_path: Path, loaded):
    """B站 and 快手 files share the video_id field: the folder decides the table."""
    _, results, _, _ = loaded
    source = next(
        Path(r.path) for r in results if r.platform == "bilibili" and r.path.endswith(".csv")
    )
    target = tmp_path / "exports" / "kuaishou" / "ks_brand_main" / "creator_comments_2026-11-02.csv"
    target.parent.mkdir(parents=True)
    shutil.copyfile(source, target)
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert (result.status, result.platform, result.report) == ("loaded", "kuaishou", "comments")


def test_missing_required_column_quarantines(tmp_path: Path, loaded):
    _, results, _, _ = loaded
    source = next(
        Path(r.path) for r in results if r.platform == "douyin" and r.path.endswith(".csv")
    )
    frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    path = tmp_path / "exports" / "douyin" / "dy_brand_main" / "creator_comments_2026-11-02.csv"
    path.parent.mkdir(parents=True)
    frame.drop(columns=["create_time"]).to_csv(path, index=False, encoding="utf-8-sig")
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert result.status == "quarantined"
    assert "抖音 评论" in result.reason
    assert "misses the required column 「create_time」" in result.reason
    assert not any(user in result.reason for user in frame["user_id"])


def test_another_platforms_file_in_the_wrong_folder_quarantines(tmp_path: Path, loaded):
    _, results, _, _ = loaded
    source = next(
        Path(r.path) for r in results if r.platform == "xiaohongshu" and r.path.endswith(".csv")
    )
    target = tmp_path / "exports" / "douyin" / "dy_brand_main" / "creator_comments_2026-11-02.csv"
    target.parent.mkdir(parents=True)
    shutil.copyfile(source, target)
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert result.status == "quarantined"
    assert "小红书 评论" in result.reason and "exports/xiaohongshu/" in result.reason


def test_anonymised_schema_of_mediacrawler_head_loads(tmp_path: Path):
    """HEAD drops user_id and friends for creator_hash and a masked nickname (§10)."""
    record = {
        "id": 1,
        "comment_id": "7434567890123456789",
        "aweme_id": "7362436885719208845",
        "content": "包装好看，味道也在线",
        "create_time": 1793164751,
        "sub_comment_count": "0",
        "parent_comment_id": "0",
        "like_count": "1.2万",
        "pictures": "",
        "creator_hash": "c0ffee00c0ffee00",
        "nickname": "晚**8",
        "add_ts": 1793581200000,
        "last_modify_ts": 1793581200000,
    }
    path = tmp_path / "exports" / "douyin" / "dy_brand_main" / "search_comments_2026-11-02.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert (result.status, result.platform, result.report) == ("loaded", "douyin", "comments")
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        row = con.execute(
            "select comment_id, like_count, user_id, creator_hash, nickname, "
            "strftime(record_added_at at time zone 'Asia/Shanghai', '%Y-%m-%d %H:%M') "
            "from raw.douyin__comments"
        ).fetchone()
    finally:
        con.close()
    salt = installation_salt(tmp_path)
    assert row == (
        "7434567890123456789",
        12000,
        None,
        hashed(salt, "c0ffee00c0ffee00"),
        hashed(salt, "晚**8"),
        "2026-11-02 09:00",
    )
