"""Incremental models: a rerun after one more week of exports gives the same warehouse as a full
refresh of the same raw layer, and a corrected re-export of a snapshot wins.

Generate ``WEEKS + 1`` weeks and hold back the exports dated after week ``WEEKS``; build on the
rest. (Generating the same seed with one more week does *not* give the first weeks' files again:
the generator draws every series for the whole period up front, so almost every file differs.)
Then ingest the whole corpus again (the files already loaded are skipped as duplicates) with the
held-back week and corrected re-exports of two 近期稿件对比 snapshots (one old, outside the lookback
window; one recent), copy the warehouse, and run ``dbt build`` (incremental) on one copy and
``dbt build --full-refresh`` on the other: every mart and every incremental model holds the same
rows."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from ingest import parse
from tests.support.warehouse import (
    PIPELINE_BUILD,
    exports_dir,
    generate,
    ingest_home,
    run_dbt,
    together,
    warehouse_file,
)

pytestmark = pytest.mark.slow

START = dt.date(2026, 9, 28)
WEEKS = 3
SEED = 11
ACCOUNT = Path("bilibili") / "bili_brand_main"
INCREMENTAL_MODELS = [
    "intermediate.int_content_snapshots_deduplicated",
    "intermediate.int_orders",
    "intermediate.int_comments_latest",
    "intermediate.int_contents_latest",
    "intermediate.int_sentiment_items",
    "intermediate.int_sentiment_item_topics",
]
#: compiled path of every incremental model (intermediate and marts)
COMPILED = [
    "intermediate/content/int_content_snapshots_deduplicated.sql",
    "intermediate/conversion/int_orders.sql",
    "intermediate/brand/int_comments_latest.sql",
    "intermediate/content/int_contents_latest.sql",
    "intermediate/brand/int_sentiment_items.sql",
    "intermediate/brand/int_sentiment_item_topics.sql",
    "marts/core/fct_content_snapshots.sql",
    "marts/brand/mart_sentiment_items.sql",
]


def _corrected_copy(source: Path, target: Path, factor: int) -> tuple[str, int]:
    """A re-export of ``source`` whose first video has ``factor`` × the views; its title and the
    corrected view count."""
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header, first = rows[0], rows[1]
    views = header.index("播放量")
    first[views] = str(int(first[views]) * factor)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return first[header.index("视频标题")], int(first[views])


def _relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    marts = [
        f"marts.{name}"
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_type = 'BASE TABLE' order by 1"
        ).fetchall()
    ]
    return marts + INCREMENTAL_MODELS


def _normalised(con: duckdb.DuckDBPyConnection, catalog: str, relation: str) -> str:
    """A select of ``relation`` with doubles rounded (parallel float sums may differ in the last
    bit between two runs)."""
    schema, table = relation.split(".")
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position",
        [catalog, schema, table],
    ).fetchall()
    exprs = [
        f'round("{name}", 6) as "{name}"' if kind in ("DOUBLE", "FLOAT") else f'"{name}"'
        for name, kind in columns
    ]
    return f"select {', '.join(exprs)} from {catalog}.{relation}"


def _prepare(home: Path) -> None:
    """As the pipeline before dbt: raw tables, sentiment labels of the texts not labelled yet."""
    from newmedia.settings import Settings
    from newmedia.tasks import prepare_warehouse

    prepare_warehouse(Settings(home=home, exports=exports_dir(home), target="duckdb"))


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory):
    incremental = tmp_path_factory.mktemp("incremental")
    full = tmp_path_factory.mktemp("full_refresh")
    first = exports_dir(incremental)
    more = incremental / "exports_new_week"
    generate(incremental, START, WEEKS + 1, seed=SEED)
    last_built = START + dt.timedelta(days=7 * WEEKS)
    for path in sorted(p for p in first.rglob("*") if p.is_file()):
        day = parse.snapshot_date_from_name(path.name)
        if day is not None and day > last_built:
            target = more / path.relative_to(first)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.rename(target)
    assert any(more.rglob("*.csv"))
    warehouse = warehouse_file(incremental)
    loaded = ingest_home(incremental, first)
    assert loaded and all(result.status == "loaded" for result in loaded)
    _prepare(incremental)
    run_dbt(incremental, *PIPELINE_BUILD)

    # corrected re-exports: the first week's snapshot (outside the lookback window) and the last
    # built week's snapshot (inside it), same videos with other numbers, ingested later
    corrections = incremental / "corrections"
    old_day = START + dt.timedelta(days=7)
    recent_day = START + dt.timedelta(days=7 * WEEKS)
    corrected = {}
    for day, factor in ((old_day, 3), (recent_day, 5)):
        name = f"近期稿件对比_{day.isoformat()}.csv"
        title, views = _corrected_copy(first / ACCOUNT / name, corrections / ACCOUNT / name, factor)
        corrected[day] = (title, views)

    results = ingest_home(incremental, first, more, corrections)
    _prepare(incremental)  # labels the new texts after the first build: their items change
    shutil.copyfile(warehouse, warehouse_file(full))
    together(  # two warehouse files: the incremental run and the full refresh at the same time
        lambda: run_dbt(incremental, *PIPELINE_BUILD),
        lambda: run_dbt(full, *PIPELINE_BUILD, "--full-refresh"),
    )
    return {
        "incremental": incremental,
        "full": full,
        "first": first,
        "more": more,
        "results": results,
        "corrected": corrected,
    }


def test_files_already_loaded_are_skipped_and_the_new_week_is_loaded(warehouses):
    first, more = warehouses["first"], warehouses["more"]
    by_path = {Path(r.path): r.status for r in warehouses["results"]}
    old = [p for p in first.rglob("*") if p.is_file()]
    new = [p for p in more.rglob("*") if p.is_file()]
    assert old and new
    assert {by_path[p] for p in old} == {"duplicate"}
    assert {by_path[p] for p in new} == {"loaded"}


def test_the_rerun_was_incremental(warehouses):
    compiled = warehouses["incremental"] / "dbt_target" / "run" / "newmedia" / "models"
    for path in COMPILED:
        assert "delete from" in (compiled / path).read_text().lower(), path


def test_incremental_and_full_refresh_hold_the_same_rows(warehouses):
    con = duckdb.connect()
    con.execute(f"attach '{warehouses['incremental'] / 'warehouse.duckdb'}' as inc (read_only)")
    con.execute(f"attach '{warehouses['full'] / 'warehouse.duckdb'}' as fr (read_only)")
    relations = _relations(con)
    assert len(relations) > len(INCREMENTAL_MODELS) + 5
    for relation in relations:
        left = _normalised(con, "inc", relation)
        right = _normalised(con, "fr", relation)
        (count,) = con.execute(f"select count(*) from ({left})").fetchone()
        (count_fr,) = con.execute(f"select count(*) from ({right})").fetchone()
        assert count == count_fr, relation
        (only_inc,) = con.execute(f"select count(*) from ({left} except all {right})").fetchone()
        (only_fr,) = con.execute(f"select count(*) from ({right} except all {left})").fetchone()
        assert (only_inc, only_fr) == (0, 0), relation
    con.close()


def test_a_corrected_later_snapshot_wins(warehouses):
    con = duckdb.connect(str(warehouses["incremental"] / "warehouse.duckdb"), read_only=True)
    for day, (title, views) in warehouses["corrected"].items():
        rows = con.execute(
            """
            select fct.views, dedup.file_sha256
            from marts.fct_content_snapshots as fct
            inner join intermediate.int_content_snapshots_deduplicated as dedup
                using (content_key, snapshot_date)
            where dedup.platform = 'bilibili' and dedup.account_id = ?
                and dedup.title = ? and fct.snapshot_date = ?
            """,
            [ACCOUNT.name, title, day],
        ).fetchall()
        assert len(rows) == 1, (day, rows)
        assert rows[0][0] == views, (day, rows)
    con.close()
