"""Build benchmark (`make bench-build`): one new day of exports into a large warehouse (≥ 1 M
content snapshots, orders and comments) through ingest → incremental `dbt build` → gates, beside a
full refresh of the same data, measured in the same run.

1. `generate_exports` writes ``--weeks`` weeks at ``--scale``; the exports dated on the last day
   (a Monday: the weekly lists and the day's daily files) are held back.
2. The rest is ingested, then the raw rows of the growing reports are replicated in DuckDB until
   each family reaches ``--rows`` rows: content snapshots (抖音, 小红书, B站, 快手, 视频号 lists;
   a replica is another content: its title and id get a suffix), 抖店 orders (order and sub-order
   ids) and MediaCrawler comments (comment and parent ids). Replicas keep their file, snapshot
   date and ingest time, with a row number of their own.
3. The first full build, timed as the pipeline runs it: `prepare_warehouse` (raw tables, sentiment
   labels of new texts), `dbt build` with the producer's flags (seeds, models, data tests, in
   `ops.dbt.PIPELINE_THREADS` threads; the unit tests left out), the gates (`validate_marts`).
4. The held-back day is ingested and replicated by the same factors (both timed: together they
   stand for ingesting a day of that size); the warehouse, dbt's target folder and the gates'
   latest results are copied.
5. On the warehouse: prepare, `dbt build` (the incremental path), gates. On the copy: prepare,
   `dbt build --full-refresh`, gates. Every incremental model and every mart must hold the same
   rows in both (doubles within a relative 1e-9). Wall seconds are printed, and CPU seconds
   (user + system of the bench and of dbt): on a shared machine the load changes between the two
   runs, and the CPU ratio is the steadier comparison.

    python bench/build_bench.py [--scale 3] [--weeks 12] [--rows 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import resource
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
    "intermediate.int_contents_latest",
    "marts.fct_content_snapshots",
    "marts.dim_contents",
    "marts.mart_content_performance",
    "marts.mart_sentiment_items",
]


def _hold_back_last_day(exports: Path, held: Path) -> tuple[dt.date, int]:
    """Move the exports dated on the latest day to ``held``: that day and the number moved."""
    from ingest import parse

    dated = [
        (day, path)
        for path in sorted(p for p in exports.rglob("*") if p.is_file())
        if (day := parse.snapshot_date_from_name(path.name)) is not None
    ]
    last = max(day for day, _ in dated)
    moved = 0
    for day, path in dated:
        if day == last:
            target = held / path.relative_to(exports)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.rename(target)
            moved += 1
    return last, moved


def _cpu() -> float:
    """CPU seconds (user + system) of this process's threads and of its finished children (dbt):
    work done, much less sensitive than wall time to the other jobs of a shared machine."""
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


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
    """``dbt <args>`` on ``home``: wall seconds and each node's execution seconds."""
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
            per_model[result["unique_id"]] = result["execution_time"]
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


def _differences(left: Path, right: Path) -> dict[str, tuple[int, int]]:
    """Every incremental model and mart whose rows differ between two warehouses (doubles
    within a relative 1e-9): rows only in ``left``, rows only in ``right``."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = 'l' and table_type = 'BASE TABLE' "
            "and table_schema in ('intermediate', 'marts') order by 1, 2"
        ).fetchall()
        differ = {}
        for schema, table in relations:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'l' and table_schema = ? and table_name = ? "
                "order by ordinal_position",
                [schema, table],
            ).fetchall()
            exprs = ", ".join(
                f'round("{c}", 6)' if kind in ("DOUBLE", "FLOAT") else f'"{c}"'
                for c, kind in columns
            )
            a = f'select {exprs} from l."{schema}"."{table}"'
            b = f'select {exprs} from r."{schema}"."{table}"'
            left_rows = con.execute(f"{a} except all {b}").fetchall()
            right_rows = con.execute(f"{b} except all {a}").fetchall()
            floats = [i for i, (_, kind) in enumerate(columns) if kind in ("DOUBLE", "FLOAT")]
            unmatched = _unmatched(left_rows, right_rows, floats)
            if unmatched != (0, 0):
                differ[f"{schema}.{table}"] = unmatched
        return differ
    finally:
        con.close()


def _unmatched(left: list[tuple], right: list[tuple], floats: list[int]) -> tuple[int, int]:
    """Rows only on either side once doubles are compared with a relative tolerance of 1e-9
    (float sums in another order differ in the last bits, which rounding to 6 places does not
    hide where a value sits on a rounding boundary)."""

    def close(x: tuple, y: tuple) -> bool:
        for i, (u, v) in enumerate(zip(x, y, strict=True)):
            if i in floats and u is not None and v is not None:
                if not math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-9):
                    return False
            elif u != v:
                return False
        return True

    rest = list(right)
    alone = 0
    for row in left:
        match = next((j for j, other in enumerate(rest) if close(row, other)), None)
        if match is None:
            alone += 1
        else:
            rest.pop(match)
    return alone, len(rest)


def _pipeline(home: Path, *dbt_args: str) -> dict[str, float]:
    """prepare_warehouse → dbt build → gates on ``home``, as the transform run does: seconds."""
    from expectations import run_gates
    from newmedia.settings import Settings
    from newmedia.tasks import prepare_warehouse
    from ops.dbt import PIPELINE_BUILD_FLAGS, PIPELINE_THREADS

    settings = Settings(home=home, exports=home / "exports", target="duckdb")
    cpu = _cpu()
    started = time.perf_counter()
    prepare_warehouse(settings)
    prepared = time.perf_counter() - started
    cpu_dbt = _cpu()
    # the producer's flags: its threads, no unit tests
    build, nodes = _dbt(
        home, "build", "--threads", str(PIPELINE_THREADS), *PIPELINE_BUILD_FLAGS, *dbt_args
    )
    cpu_dbt = _cpu() - cpu_dbt
    started = time.perf_counter()
    # as validate_marts, but a failed gate (a property of the generated data) does not stop the
    # bench: its timing is what is measured
    results = run_gates(settings.warehouse_path, home=home, raise_on_failure=False)
    gates = time.perf_counter() - started
    cpu = _cpu() - cpu
    blocked = sorted(r.suite for r in results if r.blocks)
    reused = sum(r.reused_from is not None for r in results)
    print(
        f"  gates: {len(results)} suites, {reused} on unchanged rows carried over, "
        f"blocking failures: {', '.join(blocked) or 'none'}",
        flush=True,
    )
    models = sum(v for k, v in nodes.items() if k.startswith(("model.", "seed.")))
    tests = sum(v for k, v in nodes.items() if k.startswith(("test.", "unit_test.")))
    return {
        "prepare": prepared,
        "dbt build": build,
        "  of which models": models,
        "  of which tests": tests,
        "gates": gates,
        "cpu dbt build": cpu_dbt,
        "cpu prepare → dbt → gates": cpu,
        "nodes": nodes,  # type: ignore[dict-item]
    }


def _total(stages: dict[str, float], *names: str) -> float:
    return sum(stages[name] for name in names)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=3.0)
    parser.add_argument(
        "--weeks", type=int, default=12, help="generated; the last day is held back"
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows per family, at least")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()

    from ops.dbt import PIPELINE_THREADS
    from samples import generate_exports

    work = args.keep or Path(tempfile.mkdtemp(prefix="build_bench_"))
    if work.exists():
        shutil.rmtree(work)
    home, full = work / "incremental", work / "full_refresh"
    home.mkdir(parents=True)
    full.mkdir(parents=True)
    exports, held = work / "exports", work / "exports_new_day"
    loads = [_load()]
    try:
        started = time.perf_counter()
        generate_exports(exports, START, args.weeks, scale=args.scale, seed=SEED)
        last_day, moved = _hold_back_last_day(exports, held)
        print(
            f"generated {args.weeks} weeks at scale {args.scale:g} in "
            f"{time.perf_counter() - started:.1f} s; held back the {moved} files dated {last_day}",
            flush=True,
        )

        seconds, _ = _ingest([exports], home)
        print(f"ingest of the history: {seconds:.1f} s", flush=True)
        warehouse = home / "warehouse.duckdb"
        factors = _factors(warehouse, args.rows)
        seconds = _replicate(warehouse, factors, None)
        print(f"replicated ×{factors} in {seconds:.1f} s", flush=True)

        first = _pipeline(home)
        loads.append(_load())
        counts_before = _counts(warehouse)
        print(
            f"first full build: prepare {first['prepare']:.1f} s, dbt build "
            f"{first['dbt build']:.1f} s, gates {first['gates']:.1f} s",
            flush=True,
        )

        cpu_ingest = _cpu()
        ingest_day, results = _ingest([exports, held], home)
        shas = [r.sha256 for r in results if r.status == "loaded"]
        duplicates = sum(r.status == "duplicate" for r in results)
        replicate_day = _replicate(warehouse, factors, shas)
        cpu_ingest = _cpu() - cpu_ingest
        print(
            f"the new day: {len(shas)} files loaded ({duplicates} skipped as duplicates) in "
            f"{ingest_day:.1f} s, replicated in {replicate_day:.1f} s",
            flush=True,
        )
        shutil.copyfile(warehouse, full / "warehouse.duckdb")
        shutil.copytree(home / "dbt_target", full / "dbt_target")
        for name in ("salt.key",):
            if (home / name).exists():
                shutil.copy2(home / name, full / name)
        # the same pipeline state: the gates' latest results (a suite on unchanged rows reuses its)
        shutil.copytree(home / "gates", full / "gates")

        incremental = _pipeline(home)
        loads.append(_load())
        print(
            f"incremental: prepare {incremental['prepare']:.1f} s, dbt build "
            f"{incremental['dbt build']:.1f} s, gates {incremental['gates']:.1f} s",
            flush=True,
        )
        refresh = _pipeline(full, "--full-refresh")
        loads.append(_load())
        print(
            f"full refresh: prepare {refresh['prepare']:.1f} s, dbt build "
            f"{refresh['dbt build']:.1f} s, gates {refresh['gates']:.1f} s",
            flush=True,
        )
        counts_after = _counts(warehouse)
        differ = _differences(warehouse, full / "warehouse.duckdb")
        if differ:
            raise SystemExit(f"incremental and full refresh differ (rows only in each): {differ}")

        ingest = ingest_day + replicate_day
        stages = ("prepare", "dbt build", "gates")
        path_incremental = ingest + _total(incremental, *stages)
        path_refresh = ingest + _total(refresh, *stages)
        print()
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}; dbt threads {PIPELINE_THREADS}; warehouse "
            f"{warehouse.stat().st_size / 1e9:.2f} GB; load average (1, 5, 15 min) at start "
            f"{loads[0]}, after the first build {loads[1]}, after the incremental run "
            f"{loads[2]}, after the full refresh {loads[3]}"
        )
        print()
        print("| relation | rows before the day | rows after the day |")
        print("|---|---:|---:|")
        for relation in counts_after:
            print(f"| {relation} | {counts_before[relation]:,} | {counts_after[relation]:,} |")
        print()
        print("| seconds | first full build | one new day, incremental | same data, full refresh |")
        print("|---|---:|---:|---:|")
        print(f"| ingest of the day (+ replication) | – | {ingest:.1f} | {ingest:.1f} |")
        for stage in ("prepare", "dbt build", "  of which models", "  of which tests", "gates"):
            print(
                f"| {stage} | {first[stage]:.1f} | {incremental[stage]:.1f} | "
                f"{refresh[stage]:.1f} |"
            )
        print(
            f"| **ingest → dbt → gates** | {_total(first, *stages):.1f} (no ingest) | "
            f"**{path_incremental:.1f}** | {path_refresh:.1f} |"
        )
        print()
        print(
            f"incremental ÷ full refresh, ingest → dbt → gates: {path_incremental / path_refresh:.2f}"
        )
        print(
            f"incremental ÷ full refresh, dbt build alone: "
            f"{incremental['dbt build'] / refresh['dbt build']:.2f}"
        )
        cpu_incremental = cpu_ingest + incremental["cpu prepare → dbt → gates"]
        cpu_refresh = cpu_ingest + refresh["cpu prepare → dbt → gates"]
        print(
            f"CPU seconds (user + system, all threads; robust to the shared machine's load), "
            f"ingest → dbt → gates: incremental {cpu_incremental:.1f}, full refresh "
            f"{cpu_refresh:.1f}, ratio {cpu_incremental / cpu_refresh:.2f}; dbt build alone: "
            f"{incremental['cpu dbt build']:.1f} against {refresh['cpu dbt build']:.1f}, ratio "
            f"{incremental['cpu dbt build'] / refresh['cpu dbt build']:.2f}"
        )
        print("incremental models and marts: the same rows after both runs")
        nodes_first, nodes_inc, nodes_full = first["nodes"], incremental["nodes"], refresh["nodes"]
        for run, nodes in (("full refresh", nodes_full), ("incremental run", nodes_inc)):
            print()
            print(
                f"| slowest nodes of the {run} | first build s | incremental s | full refresh s |"
            )
            print("|---|---:|---:|---:|")
            for node in sorted(nodes, key=nodes.get, reverse=True)[:12]:  # type: ignore[arg-type]
                print(
                    f"| {node.split('.', 2)[-1]} | {nodes_first.get(node, 0):.1f} | "  # type: ignore[union-attr]
                    f"{nodes_inc.get(node, 0):.1f} | {nodes_full.get(node, 0):.1f} |"  # type: ignore[union-attr]
                )
        print()
        for run, nodes in (("incremental run", nodes_inc), ("full refresh", nodes_full)):
            kinds: dict[str, list[float]] = {}
            for node, seconds in nodes.items():  # type: ignore[union-attr]
                kind = kinds.setdefault(node.split(".", 1)[0], [0, 0.0])
                kind[0] += 1
                kind[1] += seconds
            print(
                f"{run}, nodes by type: "
                + ", ".join(f"{k} {int(n)} ({s:.1f} s)" for k, (n, s) in sorted(kinds.items()))
            )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
