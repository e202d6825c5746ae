"""dbt build benchmark (`make bench-build`): a full `dbt run` and the incremental rerun after one
more week of exports, on a large generated warehouse (≥ 1 M content snapshots, ≥ 1 M orders).

1. `generate_exports` writes ``--weeks`` weeks at ``--scale``; the exports dated in the last week
   are held back.
2. The rest is ingested, then the raw rows of the growing reports are replicated in DuckDB until
   each family reaches ``--rows`` rows: content snapshots (抖音, 小红书, B站, 快手, 视频号 lists;
   a replica is another content: its title and id get a suffix), 抖店 orders (order and sub-order
   ids) and MediaCrawler comments (comment and parent ids). Replicas keep their file, snapshot
   date and ingest time, with a row number of their own.
3. `dbt seed`, then a timed `dbt run` (models only: tests are not timed) builds everything.
4. The held-back week is ingested and replicated by the same factors; the warehouse is copied.
5. A timed `dbt run` on the warehouse (the incremental path) and a timed
   `dbt run --full-refresh` on the copy (the same data rebuilt from scratch); the incremental
   models must hold the same number of rows in both.

    python bench/build_bench.py [--scale 3] [--weeks 12] [--rows 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DBT_DIR = ROOT / "dbt_project"
START = dt.date(2026, 9, 28)
SEED = 20261127
OFFSET = 100_000_000  # replicas' row numbers: _row_number + k * OFFSET

SUFFIX = "'~r' || cast(k as varchar)"
TITLE = f"title || {SUFFIX} as title"


def _id(column: str) -> str:
    return f"{column} || {SUFFIX} as {column}"


PARENT = (
    "case when parent_comment_id is null or parent_comment_id in ('', '0') "
    f"then parent_comment_id else parent_comment_id || {SUFFIX} end as parent_comment_id"
)

#: family -> raw table -> the columns a replica changes
FAMILIES: dict[str, dict[str, list[str]]] = {
    "content snapshots": {
        "douyin__video_list": [TITLE],
        "xiaohongshu__note_list": [TITLE],
        "bilibili__video_compare": [TITLE],
        "kuaishou__video_list": [TITLE, _id("content_id")],
        "wechat_channels__video_list": [TITLE, _id("content_id")],
    },
    "orders": {"douyin_shop__orders": [_id("order_id"), _id("sub_order_id")]},
    "comments": {
        f"{p}__comments": [_id("comment_id"), PARENT]
        for p in ("douyin", "xiaohongshu", "bilibili", "kuaishou")
    },
}

#: the relations whose rows are counted
COUNTED = [
    "intermediate.int_content_snapshots_deduplicated",
    "intermediate.int_orders",
    "intermediate.int_comments_latest",
    "marts.fct_content_snapshots",
    "marts.dim_contents",
    "marts.mart_content_performance",
    "marts.mart_sentiment_items",
]
INCREMENTAL = COUNTED[:3]


def _split_last_week(exports: Path, held: Path, last_built: dt.date) -> int:
    from ingest import parse

    moved = 0
    for path in sorted(p for p in exports.rglob("*") if p.is_file()):
        day = parse.snapshot_date_from_name(path.name)
        if day is not None and day > last_built:
            target = held / path.relative_to(exports)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.rename(target)
            moved += 1
    return moved


def _ingest(paths: list[Path], home: Path) -> tuple[float, list]:
    from ingest import ingest_paths

    started = time.perf_counter()
    results = ingest_paths(paths, warehouse=home / "warehouse.duckdb", home=home)
    return time.perf_counter() - started, results


def _factors(warehouse: Path, target: int) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        factors = {}
        for family, tables in FAMILIES.items():
            rows = sum(
                con.execute(f'select count(*) from raw."{table}"').fetchone()[0] for table in tables
            )
            factors[family] = max(1, math.ceil(target / max(rows, 1)))
        return factors
    finally:
        con.close()


def _replicate(warehouse: Path, factors: dict[str, int], shas: list[str] | None) -> float:
    """Insert replicas of the original rows (of the files ``shas``, else all); seconds taken."""
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect(str(warehouse))
    try:
        if shas is not None:
            con.execute("create temp table batch (sha varchar)")
            con.executemany("insert into batch values (?)", [[s] for s in shas])
        which = " and _file_sha256 in (select sha from batch)" if shas is not None else ""
        for family, tables in FAMILIES.items():
            copies = factors[family]
            if copies <= 1:
                continue
            for table, changes in tables.items():
                replaced = ", ".join([*changes, f"_row_number + k * {OFFSET} as _row_number"])
                con.execute(
                    f'insert into raw."{table}" '
                    f"select * exclude (k) replace ({replaced}) "
                    f'from raw."{table}", range(1, {copies}) as copies(k) '
                    f"where _row_number < {OFFSET}{which}"
                )
        con.execute("checkpoint")
    finally:
        con.close()
    return time.perf_counter() - started


def _dbt(home: Path, *args: str) -> tuple[float, dict[str, float]]:
    env = {
        **os.environ,
        "NEWMEDIA_HOME": str(home),
        "NEWMEDIA_TARGET": "duckdb",
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    target = home / "dbt_target"
    command = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--project-dir",
        str(DBT_DIR),
        "--profiles-dir",
        str(DBT_DIR),
        "--target-path",
        str(target),
        "--log-path",
        str(home / "dbt_logs"),
    ]
    started = time.perf_counter()
    completed = subprocess.run(
        command, cwd=DBT_DIR, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-8000:] + completed.stderr[-4000:])
        raise SystemExit(f"dbt {' '.join(args)} failed")
    per_model = {}
    results = target / "run_results.json"
    if results.exists():
        for result in json.loads(results.read_text())["results"]:
            per_model[result["unique_id"].split(".")[-1]] = result["execution_time"]
    return elapsed, per_model


def _counts(warehouse: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        counts = {
            relation: con.execute(f"select count(*) from {relation}").fetchone()[0]
            for relation in COUNTED
        }
        for family, tables in FAMILIES.items():
            counts[f"raw {family}"] = sum(
                con.execute(f'select count(*) from raw."{table}"').fetchone()[0] for table in tables
            )
        return counts
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=3.0)
    parser.add_argument("--weeks", type=int, default=12, help="generated; the last is held back")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows per family, at least")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()

    from samples import generate_exports

    work = args.keep or Path(tempfile.mkdtemp(prefix="build_bench_"))
    if work.exists():
        shutil.rmtree(work)
    home, full = work / "incremental", work / "full_refresh"
    home.mkdir(parents=True)
    full.mkdir(parents=True)
    exports, held = work / "exports", work / "exports_new_week"
    try:
        started = time.perf_counter()
        generate_exports(exports, START, args.weeks, scale=args.scale, seed=SEED)
        last_built = START + dt.timedelta(days=7 * (args.weeks - 1))
        moved = _split_last_week(exports, held, last_built)
        print(
            f"generated {args.weeks} weeks at scale {args.scale:g} in "
            f"{time.perf_counter() - started:.1f} s; held back {moved} files dated after "
            f"{last_built}",
            flush=True,
        )

        seconds, _ = _ingest([exports], home)
        print(f"ingest of the first {args.weeks - 1} weeks: {seconds:.1f} s", flush=True)
        warehouse = home / "warehouse.duckdb"
        factors = _factors(warehouse, args.rows)
        seconds = _replicate(warehouse, factors, None)
        print(f"replicated ×{factors} in {seconds:.1f} s", flush=True)

        _dbt(home, "seed")
        full_build, full_models = _dbt(home, "run")
        counts_before = _counts(warehouse)
        print(f"full dbt run: {full_build:.1f} s", flush=True)

        seconds, results = _ingest([exports, held], home)
        shas = [r.sha256 for r in results if r.status == "loaded"]
        duplicates = sum(r.status == "duplicate" for r in results)
        seconds += _replicate(warehouse, factors, shas)
        print(
            f"one more week: {len(shas)} files loaded, {duplicates} skipped as duplicates, "
            f"ingested and replicated in {seconds:.1f} s",
            flush=True,
        )
        shutil.copyfile(warehouse, full / "warehouse.duckdb")
        shutil.copytree(home / "dbt_target", full / "dbt_target")

        incremental, incremental_models = _dbt(home, "run")
        print(f"incremental dbt run: {incremental:.1f} s", flush=True)
        refresh, refresh_models = _dbt(full, "run", "--full-refresh")
        print(f"full-refresh dbt run on the same data: {refresh:.1f} s", flush=True)
        counts_after = _counts(warehouse)
        counts_refresh = _counts(full / "warehouse.duckdb")
        for relation in INCREMENTAL:
            if counts_after[relation] != counts_refresh[relation]:
                raise SystemExit(f"{relation}: incremental and full refresh differ in row count")

        print()
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}; dbt threads 1; warehouse "
            f"{warehouse.stat().st_size / 1e9:.2f} GB"
        )
        print()
        print("| relation | rows after week 1…N−1 | rows after week N |")
        print("|---|---:|---:|")
        for relation in counts_after:
            print(f"| {relation} | {counts_before[relation]:,} | {counts_after[relation]:,} |")
        print()
        print("| dbt run (models only, no tests) | seconds |")
        print("|---|---:|")
        print(f"| full build, weeks 1…N−1 | {full_build:.1f} |")
        print(f"| incremental rebuild after week N | {incremental:.1f} |")
        print(f"| full refresh of the same data | {refresh:.1f} |")
        print(f"| incremental ÷ full refresh | {incremental / refresh:.2f} |")
        print()
        print("| model | full build s | incremental s | full refresh s |")
        print("|---|---:|---:|---:|")
        slowest = sorted(refresh_models, key=refresh_models.get, reverse=True)[:8]
        for model in dict.fromkeys([m.split(".")[-1] for m in INCREMENTAL] + slowest):
            print(
                f"| {model} | {full_models.get(model, 0):.1f} | "
                f"{incremental_models.get(model, 0):.1f} | {refresh_models.get(model, 0):.1f} |"
            )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
