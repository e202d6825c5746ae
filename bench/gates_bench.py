"""Gates benchmark (`make bench-gates`): the gate step on a warehouse whose suites are all
unchanged since their last validation, the previous way (every suite's rows read into pandas and
hashed there) beside the SQL fingerprint (hashed inside DuckDB, nothing read), in the same run.

1. ``--weeks`` weeks of sample exports at ``--scale`` are ingested, the raw rows of the growing
   reports replicated until each family (content snapshots, orders, comments) has ``--rows``
   rows (`build_bench`'s replication), then `prepare_warehouse` and one `dbt build`.
2. A first `run_gates` validates every suite (GX; not compared) and records their results.
3. ``--repeat`` times, alternately: the previous way — `read_suites` replaced by its former
   reading (each suite's query read as a DataFrame over the one read-only connection, hashed
   with pandas, compared with the digests of a first such pass) — and the new way; both carry
   over every suite's result. Then one cell of one mart is changed and the new way runs again:
   that suite alone is read and validated.
4. Printed: seconds of each run, the rows the suites read, the load average.

    python bench/gates_bench.py [--scale 1] [--weeks 6] [--rows 300000] [--repeat 2] [--keep DIR]
    python bench/gates_bench.py --home DIR/home   # again on a warehouse kept by --keep DIR
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import build_bench  # noqa: E402

CHANGED_MART = "mart_content_performance"


def _legacy_stamp(suite, frame) -> str:
    """The digest the gates computed before the SQL fingerprint (pandas row hashes)."""
    import hashlib
    import json

    import numpy as np
    import pandas as pd

    definition = json.dumps(
        [e.configuration.to_json_dict() for e in suite.build().expectations],
        sort_keys=True,
        default=str,
    )
    rows = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    digest = hashlib.sha256()
    digest.update(suite.name.encode())
    digest.update(definition.encode())
    digest.update(json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()]).encode())
    total = int(rows.sum(dtype="uint64")) if len(rows) else 0
    mixed = int(np.bitwise_xor.reduce(rows * np.uint64(0x9E3779B97F4A7C15))) if len(rows) else 0
    digest.update(f"{len(rows)}:{total}:{mixed}".encode())
    return digest.hexdigest()


class Legacy:
    """The former reading: every suite's rows as a DataFrame, hashed in pandas. A suite whose
    digest is the one of the first pass (`self.digests`) is carried over."""

    def __init__(self) -> None:
        self.digests: dict[str, str] = {}
        self.rows_read = 0

    def __call__(
        self,
        warehouse: Path,
        loaded: Iterable,
        as_of: dt.date,
        recorded: Mapping[str, str] | None = None,
        **_: object,  # lock_timeout, watermarks: the former reading had neither
    ) -> dict:
        from expectations.gates import SuiteRows, _split_table
        from warehouse import open_reader

        recorded = recorded or {}
        self.rows_read = 0
        with open_reader("duckdb", duckdb_path=warehouse) as reader:
            existing = set(
                reader.rows("select table_schema, table_name from information_schema.tables")
            )
            frames = {
                suite.name: reader.frame(suite.query(suite.table, as_of))
                if _split_table(suite.table) in existing
                else None
                for suite in loaded
            }
        out = {}
        for suite in loaded:
            frame = frames.pop(suite.name)
            if frame is None:
                out[suite.name] = SuiteRows(missing=True)
                continue
            self.rows_read += len(frame)
            stamp = _legacy_stamp(suite, frame)
            if self.digests.setdefault(suite.name, stamp) == stamp and suite.name in recorded:
                out[suite.name] = SuiteRows(fingerprint=recorded[suite.name])
            else:
                out[suite.name] = SuiteRows(fingerprint=stamp, frame=frame)
        return out


def _gates(home: Path, legacy: Legacy | None = None) -> tuple[float, list]:
    from expectations import gates

    original = gates.read_suites
    if legacy is not None:
        gates.read_suites = legacy  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        results = gates.run_gates(home / "warehouse.duckdb", home=home, raise_on_failure=False)
        return time.perf_counter() - started, results
    finally:
        gates.read_suites = original


def _reads(results: list) -> tuple[int, int]:
    reused = sum(r.reused_from is not None for r in results)
    return reused, len(results) - reused


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _gx_import_seconds() -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import great_expectations.expectations"], check=True, cwd=ROOT
    )
    return time.perf_counter() - started


def _build(args: argparse.Namespace, work: Path, home: Path) -> None:
    from newmedia.settings import Settings
    from newmedia.tasks import prepare_warehouse
    from samples import generate_exports

    warehouse = home / "warehouse.duckdb"
    started = time.perf_counter()
    generate_exports(
        work / "exports", build_bench.START, args.weeks, scale=args.scale, seed=build_bench.SEED
    )
    build_bench._ingest([work / "exports"], home)
    factors = build_bench._factors(warehouse, args.rows)
    build_bench._replicate(warehouse, factors, None)
    prepare_warehouse(Settings(home=home, exports=work / "exports", target="duckdb"))
    build_bench._dbt(home, "build")
    print(
        f"warehouse: {args.weeks} weeks at scale {args.scale:g}, replicated ×{factors}, "
        f"built in {time.perf_counter() - started:.1f} s; "
        f"{warehouse.stat().st_size / 1e9:.2f} GB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--weeks", type=int, default=6)
    parser.add_argument("--rows", type=int, default=300_000, help="rows per family, at least")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument(
        "--home", type=Path, help="a home this bench built and kept (`--keep DIR` → DIR/home)"
    )
    args = parser.parse_args()

    import duckdb

    work = args.keep or Path(tempfile.mkdtemp(prefix="gates_bench_"))
    if args.home is None and work.exists():
        shutil.rmtree(work)
    home = args.home or work / "home"
    home.mkdir(parents=True, exist_ok=True)
    warehouse = home / "warehouse.duckdb"
    try:
        if args.home is None:
            _build(args, work, home)
        counts = build_bench._counts(warehouse)
        for family in build_bench.FAMILIES:
            print(f"  raw {family}: {counts[f'raw {family}']:,} rows", flush=True)

        first, results = _gates(home)
        print(
            f"first gates run: {len(results)} suites, {_reads(results)[1]} validated, "
            f"{first:.1f} s (GX imported in this process)",
            flush=True,
        )

        legacy = Legacy()
        _gates(home, legacy)  # the former digests of these rows
        old_runs, new_runs, loads = [], [], [_load()]
        for _ in range(args.repeat):
            seconds, results = _gates(home, legacy)
            assert _reads(results) == (len(results), 0), _reads(results)
            old_runs.append(seconds)
            seconds, results = _gates(home)
            assert _reads(results) == (len(results), 0), _reads(results)
            new_runs.append(seconds)
            loads.append(_load())

        con = duckdb.connect(str(warehouse))
        con.execute(
            f"update marts.{CHANGED_MART} set views = views + 1 "
            f"where content_key = (select min(content_key) from marts.{CHANGED_MART})"
        )
        changed_rows = con.execute(f"select count(*) from marts.{CHANGED_MART}").fetchone()[0]
        con.close()
        one_changed, results = _gates(home)
        validated = [r.suite for r in results if r.reused_from is None]
        assert validated == [CHANGED_MART], validated
        loads.append(_load())
        gx_import = _gx_import_seconds()

        print()
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}, DuckDB {duckdb.__version__}; load average (1, 5, "
            f"15 min) at the start of each pair and at the end: {' | '.join(loads)}"
        )
        print()
        print(f"| gate step, {len(results)} suites | seconds (each run) | best |")
        print("|---|---|---:|")
        print(
            f"| all unchanged, previous way ({legacy.rows_read:,} rows read into pandas) | "
            f"{', '.join(f'{s:.1f}' for s in old_runs)} | {min(old_runs):.1f} |"
        )
        print(
            "| all unchanged, SQL fingerprint (no row read) | "
            f"{', '.join(f'{s:.1f}' for s in new_runs)} | {min(new_runs):.1f} |"
        )
        print(
            f"| one cell of {CHANGED_MART} changed ({changed_rows:,} rows read and "
            f"validated), SQL fingerprint | {one_changed:.1f} | {one_changed:.1f} |"
        )
        print()
        print(f"all unchanged, new ÷ previous (best runs): {min(new_runs) / min(old_runs):.2f}")
        print(
            f"not in these figures: importing Great Expectations, which a gate step in a process "
            f"of its own pays once: {gx_import:.1f} s here"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
