"""raw._sentiment_labels (sentiment.store): every distinct comment and mention text gets one
label of the current model version, keyed by the md5 that dbt computes; a second run labels
nothing; a new text or a new lexicon version is labelled in a new batch; prepare_warehouse labels
before dbt runs."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import pytest

from ingest.raw import connect, ensure_all
from newmedia.settings import Settings
from newmedia.tasks import prepare_warehouse
from sentiment import classify, store

INGESTED = dt.datetime(2026, 11, 23, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def add_texts(con, table: str, column: str, texts: list[str | None]) -> None:
    """Rows of a raw table with only their lineage and text."""
    for number, text in enumerate(texts, 1):
        con.execute(
            f'insert into raw."{table}" (_file_sha256, _file_name, _row_number, _report_type, '
            f'_platform, _account_id, _snapshot_date, _ingested_at, "{column}") '
            "values (?, 'f.csv', ?, ?, ?, 'brand', ?, ?, ?)",
            [
                "a" * 64,
                number,
                table.split("__")[1],
                table.split("__")[0],
                INGESTED.date(),
                INGESTED,
                text,
            ],
        )


@pytest.fixture()
def warehouse(tmp_path: Path):
    con = connect(tmp_path / "warehouse.duckdb")
    ensure_all(con)
    add_texts(con, "xiaohongshu__comments", "content", ["好喝", "难喝", "好喝", None, "多少钱"])
    add_texts(con, "douyin__comments", "content", ["难喝"])
    add_texts(con, "brand__mentions", "text", ["好喝", "太贵了"])
    yield con
    con.close()


def labels(con) -> dict[str, tuple]:
    rows = con.execute(
        "select text_hash, sentiment, score, model_version, batch_id from raw._sentiment_labels"
    ).fetchall()
    return {row[0]: row[1:] for row in rows}


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def test_the_text_sources_are_the_comments_of_each_platform_and_the_mentions():
    assert store.text_sources() == [
        ("bilibili__comments", "content"),
        ("brand__mentions", "text"),
        ("douyin__comments", "content"),
        ("kuaishou__comments", "content"),
        ("xiaohongshu__comments", "content"),
    ]


def test_every_distinct_text_gets_one_label_keyed_by_its_md5(warehouse):
    result = store.label_new_texts(warehouse)
    assert result == {"texts": 4, "model_version": store.model_version()}
    got = labels(warehouse)
    assert set(got) == {md5(t) for t in ("好喝", "难喝", "多少钱", "太贵了")}
    for text in ("好喝", "难喝", "多少钱", "太贵了"):
        sentiment, score, version, _batch = got[md5(text)]
        assert (sentiment, score) == (classify(text).label, classify(text).score), text
        assert version == store.model_version()
    assert {row[0] for row in got.values()} == {"positive", "negative", "neutral"}
    assert len({row[3] for row in got.values()}) == 1  # one batch
    p_negative = dict(
        warehouse.execute("select text_hash, p_negative from raw._sentiment_labels").fetchall()
    )
    for text in ("好喝", "难喝", "多少钱", "太贵了"):
        assert p_negative[md5(text)] == classify(text).p_negative, text
    assert p_negative[md5("太贵了")] > 0.5 > p_negative[md5("好喝")]
    # the key is what DuckDB's (and dbt's) md5 gives for the text
    assert warehouse.execute("select md5('好喝')").fetchone()[0] == md5("好喝")


def test_a_second_run_labels_nothing_and_a_new_text_only_itself(warehouse):
    store.label_new_texts(warehouse)
    before = labels(warehouse)
    assert store.label_new_texts(warehouse)["texts"] == 0
    assert labels(warehouse) == before
    add_texts(warehouse, "kuaishou__comments", "content", ["踩雷了", "好喝"])
    assert store.label_new_texts(warehouse)["texts"] == 1
    after = labels(warehouse)
    assert {k: v for k, v in after.items() if k != md5("踩雷了")} == before
    assert after[md5("踩雷了")][0] == "negative"
    assert after[md5("踩雷了")][3] != next(iter(before.values()))[3]  # a batch of its own


def test_a_new_model_version_labels_every_text_again(warehouse, monkeypatch):
    store.label_new_texts(warehouse)
    first = labels(warehouse)
    monkeypatch.setattr(store, "model_version", lambda: "lexicon-newer")
    assert store.label_new_texts(warehouse) == {"texts": 4, "model_version": "lexicon-newer"}
    again = labels(warehouse)
    assert set(again) == set(first)
    assert {row[2] for row in again.values()} == {"lexicon-newer"}
    assert warehouse.execute("select count(*) from raw._sentiment_labels").fetchone()[0] == 4


def test_a_labels_table_of_another_shape_is_made_again(warehouse):
    warehouse.execute("create table raw._sentiment_labels (text_hash varchar, label varchar)")
    warehouse.execute("insert into raw._sentiment_labels values ('x', 'positive')")
    assert store.label_new_texts(warehouse)["texts"] == 4
    columns = [
        row[0]
        for row in warehouse.execute(
            "select column_name from information_schema.columns "
            "where table_name = '_sentiment_labels' order by ordinal_position"
        ).fetchall()
    ]
    assert tuple(columns) == store.COLUMNS
    assert "x" not in labels(warehouse)


def test_prepare_warehouse_labels_the_raw_layer_before_dbt(tmp_path: Path):
    con = connect(tmp_path / "warehouse.duckdb")
    ensure_all(con)
    add_texts(con, "bilibili__comments", "content", ["一般般，不会回购"])
    con.close()
    prepare_warehouse(Settings(home=tmp_path, exports=tmp_path / "exports", target="duckdb"))
    read = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        rows = read.execute("select text_hash, sentiment from raw._sentiment_labels").fetchall()
    finally:
        read.close()
    assert rows == [(md5("一般般，不会回购"), "negative")]


def test_an_empty_warehouse_gets_an_empty_labels_table(tmp_path: Path):
    prepare_warehouse(Settings(home=tmp_path, exports=tmp_path / "exports", target="duckdb"))
    read = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        assert read.execute("select count(*) from raw._sentiment_labels").fetchone() == (0,)
    finally:
        read.close()
