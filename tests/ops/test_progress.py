"""`newmedia run`'s progress: done/total of a DAG run from its task instances, and the summary of
durations per DAG and of the slowest tasks."""

from __future__ import annotations

import io

from rich.console import Console

from ops.progress import RunProgress, RunSnapshot, TaskTiming


def snapshot(dag_id: str, *tasks: tuple[str, str, float | None]) -> RunSnapshot:
    timings = tuple(TaskTiming(dag_id, task, -1, state, seconds) for task, state, seconds in tasks)
    return RunSnapshot(dag_id, timings, tuple(t for t, s, _ in tasks if s == "running"))


def test_done_counts_finished_tasks_and_failed_ones():
    run = snapshot(
        "transform_marts",
        ("prepare_raw_layer", "success", 3.0),
        ("dbt_build.dbt_producer_watcher", "running", None),
        ("dbt_build.stg_a.run", "up_for_reschedule", None),
        ("dbt_build.stg_b.run", "upstream_failed", 0.0),
        ("validate_gates", "none", None),
    )
    assert (run.total, run.done, run.failed) == (5, 2, 1)
    assert run.running == ("dbt_build.dbt_producer_watcher",)


def test_summary_lists_each_dag_and_the_slowest_tasks_first():
    out = io.StringIO()
    progress = RunProgress(Console(file=out, width=120, force_terminal=False))
    with progress:
        progress.dag_started("ingest_exports")
        progress.dag_finished(
            "ingest_exports",
            "success",
            snapshot("ingest_exports", ("ingest_platform", "success", 12.5)),
        )
        progress.dag_started("transform_marts")
        last = snapshot(
            "transform_marts",
            ("prepare_raw_layer", "success", 3.0),
            ("dbt_build.dbt_producer_watcher", "success", 75.0),
            ("validate_gates", "failed", 20.0),
        )
        progress.update(last)
        progress.dag_finished("transform_marts", "failed", last)
    assert [t.dag_id for t in progress.timings] == ["ingest_exports", "transform_marts"]
    assert [len(t.tasks) for t in progress.timings] == [1, 3]
    for table in progress.summary(slowest=2):
        progress.console.print(table)
    text = out.getvalue()
    assert "DAG transform_marts" in text  # without a terminal: a line per DAG
    slowest = text[text.index("slowest 2 tasks") :]
    assert slowest.index("dbt_producer_watcher") < slowest.index("validate_gates")
    assert "1:15.0" in slowest and "prepare_raw_layer" not in slowest
