"""Transform benchmark (`make bench-transform`): `transform_marts` through Airflow (`dag.test()`,
as `newmedia run` and `make demo` run it) against a plain `dbt build` of the same warehouse, in
the same run.

1. Without ``--home``: ``--weeks`` weeks of sample exports (35: the demo's data) are generated in
   a temporary home and loaded by the `ingest_exports` DAG (not timed). With ``--home`` (e.g.
   ``var`` after `make demo`), that warehouse is used as it is.
2. A timed `transform_marts` run: prepare the raw layer, the one `dbt build` of the Cosmos watcher
   producer with a task per model watching it, the Great Expectations gates.
3. A timed plain `dbt build --full-refresh` (the same project, target and data; dbt's own
   threads setting): the transform run built every model from scratch, so the plain build must
   too (without --full-refresh the incremental models would only re-process their window).
4. Printed: both times, the producer's `dbt build` and the gates inside the DAG run, and the
   ratio Airflow / plain (target: transform ≤ 90 s, ratio ≤ 2; issue 11).

    python bench/transform_bench.py [--weeks 35] [--home DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=35)
    parser.add_argument("--home", type=Path, default=None, help="an existing NEWMEDIA_HOME")
    args = parser.parse_args()

    from rich.console import Console

    from newmedia.settings import Settings
    from ops.progress import RunProgress

    console = Console(stderr=True)
    scratch = None
    if args.home:
        home = args.home.resolve()
        if not (home / "warehouse.duckdb").exists():
            sys.exit(f"{home} holds no warehouse.duckdb: run `make demo` first or drop --home")
        exports = Path(os.environ.get("NEWMEDIA_EXPORTS", ROOT / "exports")).resolve()
    else:
        scratch = Path(tempfile.mkdtemp(prefix="bench-transform-"))
        home, exports = scratch, scratch / "exports"
    os.environ.update(NEWMEDIA_HOME=str(home), NEWMEDIA_EXPORTS=str(exports))
    os.environ.setdefault("NEWMEDIA_TARGET", "duckdb")
    settings = Settings(home=home, exports=exports, target=os.environ["NEWMEDIA_TARGET"])

    from ops.dbt import PIPELINE_BUILD_FLAGS, run_dbt
    from ops.runner import run_dag

    run_date = dt.date.today()
    try:
        if scratch:
            from samples import default_start, generate_exports

            console.print(f"generating {args.weeks} weeks of sample exports in {exports} …")
            generate_exports(exports, default_start(args.weeks), args.weeks, scale=1.0, seed=7)
            with RunProgress(console) as progress:
                run_dag("ingest_exports", settings, run_date, hour=6, progress=progress)

        progress = RunProgress(console)
        with progress:
            run_dag("transform_marts", settings, run_date, hour=7, progress=progress)
        transform = progress.timings[-1]
        tasks = {t.task_id: t.seconds or 0.0 for t in transform.tasks}
        producer = tasks.get("dbt_build.dbt_producer_watcher", 0.0)
        gates = tasks.get("validate_gates", 0.0)
        # the tasks that watch the producer's result for a model, seed or model's tests
        watchers = [
            seconds
            for task_id, seconds in tasks.items()
            if task_id.startswith("dbt_build.") and not task_id.split(".")[-1].startswith("dbt_")
        ]

        # the same nodes as the producer's build: no unit tests (ops.dbt.PIPELINE_BUILD_FLAGS)
        console.print("plain dbt build --full-refresh …")
        started = time.perf_counter()
        run_dbt(settings, "build", "--full-refresh", *PIPELINE_BUILD_FLAGS, quiet=True)
        plain = time.perf_counter() - started
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)

    cpus = os.cpu_count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\ntransform benchmark ({platform.node()}, {cpus} cores, load average {load})")
    print(f"  data: {'the warehouse in ' + str(home) if args.home else f'{args.weeks} weeks'}")
    print(f"  transform_marts through Airflow (dag.test): {transform.seconds:7.1f} s")
    print(f"    of which the producer's one dbt build:    {producer:7.1f} s")
    print(f"    of which the Great Expectations gates:    {gates:7.1f} s")
    print(f"    of which the {len(watchers):3d} watcher tasks (sum):     {sum(watchers):7.1f} s")
    print(f"    tasks in the run:                         {len(transform.tasks):7d}")
    print(f"  plain dbt build --full-refresh, same data:  {plain:7.1f} s")
    print(f"  ratio Airflow / plain dbt build:            {transform.seconds / plain:7.2f}")
    print(
        f"  ratio without the gates:                    {(transform.seconds - gates) / plain:7.2f}"
    )
    print("  targets (issue 11): transform ≤ 90 s, ratio ≤ 2")


if __name__ == "__main__":
    main()
