"""The sentiment labels on the postgres target: sync_raw_to_postgres labels the texts in DuckDB,
then mirrors the label batches PostgreSQL lacks (upsert by text hash): the same rows on both, a
second sync copies nothing, a new text or a new lexicon version reaches PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import psycopg2
import pytest
import sqlalchemy as sa

from ingest.pg_mirror import sync_raw_to_postgres
from ingest.raw import connect, ensure_all
from newmedia.settings import Settings
from sentiment import store
from tests.support.pg_cluster import cluster

pytestmark = pytest.mark.slow

INGESTED = dt.datetime(2026, 11, 23, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
QUERY = (
    "select text_hash, sentiment, score, p_negative, model_version, batch_id "
    "from raw._sentiment_labels order by text_hash"
)


def add_comments(home: Path, sha: str, texts: list[str]) -> None:
    con = connect(home / "warehouse.duckdb")
    try:
        ensure_all(con)
        for number, text in enumerate(texts, 1):
            con.execute(
                "insert into raw.douyin__comments (_file_sha256, _file_name, _row_number, "
                "_report_type, _platform, _account_id, _snapshot_date, _ingested_at, content) "
                "values (?, 'c.csv', ?, 'comments', 'douyin', 'dy', ?, ?, ?)",
                [sha, number, INGESTED.date(), INGESTED, text],
            )
    finally:
        con.close()


def on_duckdb(home: Path) -> list[tuple]:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(QUERY).fetchall()
    finally:
        con.close()


def on_postgres(postgres: dict) -> list[tuple]:
    pg = psycopg2.connect(**postgres)
    try:
        with pg.cursor() as cur:
            cur.execute(QUERY)
            return cur.fetchall()
    finally:
        pg.close()


def test_the_labels_are_mirrored_by_batch(tmp_path: Path, monkeypatch):
    home = tmp_path
    add_comments(home, "a" * 64, ["好喝", "太难喝了", "多少钱", "好喝"])
    with cluster() as url:
        parsed = sa.engine.make_url(url)
        settings = Settings(
            home=home,
            exports=home / "exports",
            target="postgres",
            pg_host=parsed.host,
            pg_port=parsed.port,
            pg_user=parsed.username,
            pg_dbname=parsed.database,
        )
        postgres = settings.postgres
        first = sync_raw_to_postgres(settings.home, settings.warehouse_path, postgres)
        assert first["labels"] == 3
        assert on_postgres(postgres) == on_duckdb(home)
        assert {row[1] for row in on_postgres(postgres)} == {"positive", "negative", "neutral"}

        assert sync_raw_to_postgres(settings.home, settings.warehouse_path, postgres)["labels"] == 0

        add_comments(home, "b" * 64, ["踩雷了"])
        assert sync_raw_to_postgres(settings.home, settings.warehouse_path, postgres)["labels"] == 1
        assert on_postgres(postgres) == on_duckdb(home)
        assert len(on_postgres(postgres)) == 4

        monkeypatch.setattr(store, "model_version", lambda: "lexicon-newer")
        assert sync_raw_to_postgres(settings.home, settings.warehouse_path, postgres)["labels"] == 4
        mirrored = on_postgres(postgres)
        assert mirrored == on_duckdb(home)
        assert {row[4] for row in mirrored} == {"lexicon-newer"}
        assert len({row[5] for row in mirrored}) == 1
