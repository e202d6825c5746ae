"""Every file in dags/ imports without error, defines DAGs named after it, with retries, tags
from the approved set, documentation and no cycles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newmedia.dag_defaults import APPROVED_TAGS
from ops.dbt import PIPELINE_BUILD_FLAGS, PIPELINE_THREADS

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
DAG_FILES = sorted(p for p in DAGS_DIR.glob("*.py") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def dagbag(airflow_env):
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_DIR))


def test_there_are_dag_files():
    assert DAG_FILES, "dags/ holds no DAG file"


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}, dagbag.import_errors


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_file_defines_the_dag_named_after_it(dagbag, path):
    assert path.stem in dagbag.dag_ids, f"{path.name} should define the DAG {path.stem!r}"


def test_dags_are_documented_tagged_and_retried(dagbag):
    for dag_id, dag in dagbag.dags.items():
        assert dag.doc_md and len(dag.doc_md.strip()) > 40, f"{dag_id} has no doc_md"
        assert dag.tags, f"{dag_id} has no tags"
        assert set(dag.tags) <= APPROVED_TAGS, f"{dag_id} tags {dag.tags} not approved"
        assert dag.catchup is False
        for task in dag.tasks:
            # the dbt producer alone: Cosmos never runs the build twice (a retry skips)
            if task.task_id != "dbt_build.dbt_producer_watcher":
                assert task.retries >= 1, f"{dag_id}.{task.task_id} has no retries"
            assert task.on_failure_callback, f"{dag_id}.{task.task_id} has no failure callback"


EXPECTED_DAGS = {
    "ingest_exports",
    "transform_marts",
    "reports_weekly",
    "reports_quarterly",
    "alerts_hourly",
}


def test_the_team_s_dags_are_there(dagbag):
    assert set(dagbag.dag_ids) == EXPECTED_DAGS


def test_no_cycles_and_the_transform_order(dagbag):
    for dag in dagbag.dags.values():
        dag.topological_sort()  # raises on a cycle
    dag = dagbag.dags["transform_marts"]
    order = [task.task_id for task in dag.topological_sort()]
    prepare = order.index("prepare_raw_layer")
    dbt_tasks = [i for i, task_id in enumerate(order) if task_id.startswith("dbt_build.")]
    assert len(dbt_tasks) > 10, "the dbt task group rendered too few nodes"
    assert prepare < min(dbt_tasks)
    # the gates follow the one `dbt build` and only it: its success means every model built and
    # every test of error severity passed; the watchers mirroring it do not hold the gates (nor
    # the marts Asset and the alerts it schedules) back
    producer = dag.get_task("dbt_build.dbt_producer_watcher")
    validate = dag.get_task("validate_gates")
    assert validate.upstream_task_ids == {producer.task_id}
    assert validate.trigger_rule == "all_success"
    # a failed build stays failed (a retried producer would skip, and a skip is no failure)
    assert producer.retries == 0
    snapshot = dag.get_task("publish_dashboard_snapshot")
    assert snapshot.upstream_task_ids == {"validate_gates"}
    assert snapshot.trigger_rule == "all_success"
    # the watchers still report every node, after prepare_raw_layer
    watchers = [t for t in dag.tasks if t.task_id.startswith("dbt_build.") and t is not producer]
    assert all(t.downstream_task_ids.isdisjoint({"validate_gates"}) for t in watchers)


def test_the_way_to_the_robot_goes_ahead_of_the_watchers(dagbag):
    # under a scheduler, ~150 watcher tasks (Cosmos: weight 2, absolute) wait for worker slots
    # while the gates and the alerts are ready: those go first (absolute weights, so the number
    # of tasks after a task does not change its weight)
    from cosmos.operators.watcher import DbtConsumerWatcherSensor

    transform = dagbag.dags["transform_marts"]
    watchers = [t for t in transform.tasks if isinstance(t, DbtConsumerWatcherSensor)]
    assert watchers and all(t.weight_rule == "absolute" for t in watchers)
    producer = transform.get_task("dbt_build.dbt_producer_watcher")
    alerts = dagbag.dags["alerts_hourly"].get_task("send_negative_alerts")
    snapshot = transform.get_task("publish_dashboard_snapshot")
    for task in (transform.get_task("validate_gates"), alerts, snapshot):
        assert task.weight_rule == "absolute", task.task_id
        assert task.priority_weight > max(t.priority_weight for t in watchers), task.task_id
        assert task.priority_weight > producer.priority_weight, task.task_id
    # the alerts before the dashboard's snapshot when both wait for the writer pool
    assert snapshot.priority_weight < alerts.priority_weight


def test_every_task_that_opens_the_warehouse_takes_the_one_slot_pool(dagbag):
    # DuckDB: one writer, and readers cannot open the file while it writes
    from cosmos.operators.watcher import DbtConsumerWatcherSensor, DbtProducerWatcherOperator

    transform = dagbag.dags["transform_marts"]
    producers = [t for t in transform.tasks if isinstance(t, DbtProducerWatcherOperator)]
    assert [t.task_id for t in producers] == ["dbt_build.dbt_producer_watcher"]
    touching = [dagbag.dags["ingest_exports"].get_task("ingest_platform")]
    touching += [
        transform.get_task(task_id)
        for task_id in (
            "prepare_raw_layer",
            "dbt_build.dbt_producer_watcher",
            "validate_gates",
            "publish_dashboard_snapshot",
        )
    ]
    for dag_id in ("reports_weekly", "reports_quarterly", "alerts_hourly"):
        touching += dagbag.dags[dag_id].tasks
    assert all(t.pool == "duckdb_writer" for t in touching)
    assert all(
        t.pool == "duckdb_writer" for t in transform.tasks if not t.task_id.startswith("dbt_build.")
    )
    assert dagbag.dags["ingest_exports"].get_task("find_landing_folders").pool != "duckdb_writer"
    # the per-model tasks only watch what the producer's dbt build reported: they never open the
    # warehouse, and in the one-slot pool they would wait behind the producer they watch
    watchers = [t for t in transform.tasks if isinstance(t, DbtConsumerWatcherSensor)]
    assert len(watchers) > 10
    assert all(t.pool != "duckdb_writer" for t in watchers)
    assert {t.producer_task_id for t in watchers} == {"dbt_build.dbt_producer_watcher"}


def test_transform_runs_dbt_once_and_watches_every_model(dagbag):
    import json

    from cosmos.operators.watcher import (
        DbtConsumerWatcherSensor,
        DbtProducerWatcherOperator,
        DbtTestWatcherOperator,
    )

    transform = dagbag.dags["transform_marts"]
    dbt_tasks = [t for t in transform.tasks if t.task_id.startswith("dbt_build.")]
    producer = transform.get_task("dbt_build.dbt_producer_watcher")
    assert isinstance(producer, DbtProducerWatcherOperator)
    assert producer.base_cmd == ["build"]
    threads = producer.dbt_cmd_flags.index("--threads")
    assert producer.dbt_cmd_flags[threads + 1] == str(PIPELINE_THREADS) == "2"
    # the unit tests test the SQL, not the rows: `make test` runs them, the pipeline does not
    flags = producer.dbt_cmd_flags
    start = flags.index(PIPELINE_BUILD_FLAGS[0])
    assert tuple(flags[start : start + len(PIPELINE_BUILD_FLAGS)]) == PIPELINE_BUILD_FLAGS
    others = [t for t in dbt_tasks if t is not producer]
    manifest = json.loads(
        (DAGS_DIR.parent / "dbt_project" / "target" / "manifest.json").read_text(encoding="utf-8")
    )
    models = {
        n["unique_id"]: n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["package_name"] == "newmedia"
    }
    # an ephemeral model is not built (it is inlined): Cosmos draws it as an empty task
    ephemeral = {
        f"dbt_build.{n['name']}_run"
        for n in models.values()
        if n["config"]["materialized"] == "ephemeral"
    }
    # every other dbt task watches a node (or is the producer's done gate): no second dbt build
    assert all(
        isinstance(t, DbtConsumerWatcherSensor)
        or t.task_id.endswith("dbt_producer_watcher_done")
        or t.task_id in ephemeral
        for t in others
    ), [t.task_id for t in others if not isinstance(t, DbtConsumerWatcherSensor)]
    built = {uid for uid, n in models.items() if n["config"]["materialized"] != "ephemeral"}
    watched = {t.model_unique_id for t in others if isinstance(t, DbtConsumerWatcherSensor)}
    assert built <= watched, f"models without a task: {sorted(built - watched)[:5]}"
    tested = [t for t in others if isinstance(t, DbtTestWatcherOperator)]
    assert tested, "no task reports a model's tests"
    # under a scheduler the watchers defer to the triggerer (`newmedia run` makes them poke)
    assert all(t.deferrable for t in others if isinstance(t, DbtConsumerWatcherSensor))


def test_schedules(dagbag):
    weekly = dagbag.dags["reports_weekly"].timetable
    quarterly = dagbag.dags["reports_quarterly"].timetable
    assert weekly.expression == "0 9 * * 1" and str(weekly.timezone) == "Asia/Shanghai"
    assert quarterly.expression == "0 9 1 1,4,7,10 *" and str(quarterly.timezone) == "Asia/Shanghai"
    assert "period" in dagbag.dags["reports_weekly"].params
    assert "period" in dagbag.dags["reports_quarterly"].params
    transform = dagbag.dags["transform_marts"]
    assert transform.timetable.asset_condition is not None  # scheduled on the raw Assets
    # alerts: as soon as the marts are rebuilt, and every hour whatever happens upstream
    alerts = dagbag.dags["alerts_hourly"].timetable
    assert alerts.asset_condition.name == "marts"
    assert alerts.timetable.expression == "0 * * * *"
    assert str(alerts.timetable.timezone) == "Asia/Shanghai"
    for dag in dagbag.dags.values():
        assert dag.max_active_runs == 1  # a catch-up never floods


def test_ingest_emits_through_the_raw_alias_and_transform_emits_marts(dagbag):
    # the events go out once every folder is done (even a failed one), so one transform run
    # takes the whole batch
    dag = dagbag.dags["ingest_exports"]
    announce = dag.get_task("announce_loaded")
    assert [o.name for o in announce.outlets] == ["raw_loaded"]
    assert announce.trigger_rule == "all_done"
    assert announce.upstream_task_ids == {"ingest_platform"}
    assert dag.get_task("ingest_platform").outlets == []
    validate = dagbag.dags["transform_marts"].get_task("validate_gates")
    assert [o.name for o in validate.outlets] == ["marts"]


def test_parsing_does_no_io_on_the_network_or_the_warehouse(airflow_env, monkeypatch):
    import socket

    from airflow.dag_processing.dagbag import DagBag

    def refuse(*args, **kwargs):
        raise AssertionError("a DAG file opened a network connection at parse time")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    bag = DagBag(dag_folder=str(DAGS_DIR))
    assert bag.import_errors == {}
    home = Path(os.environ["NEWMEDIA_HOME"])
    assert not (home / "warehouse.duckdb").exists()


@pytest.mark.parametrize("retries", ["0", "2"])
def test_deferred_watchers_retry_soon_whatever_the_task_retries(monkeypatch, retries):
    # Airflow 3.3 can fail a resumed deferred watcher on a stale executor report ("state
    # mismatch"; it failed a scheduler run's seed watcher): the retry reads the result again
    from newmedia.dag_defaults import WATCHER_RETRY_DELAY_SECONDS, dbt_watcher_args

    monkeypatch.delenv("NEWMEDIA_IN_PROCESS_RUN", raising=False)
    monkeypatch.setenv("NEWMEDIA_TASK_RETRIES", retries)
    args = dbt_watcher_args()
    assert args["deferrable"] is True
    assert args["retries"] == max(1, int(retries))
    assert args["retry_delay"].total_seconds() == WATCHER_RETRY_DELAY_SECONDS == 5
    assert args["retry_exponential_backoff"] is False
    # under `newmedia run` the watchers poke and reschedule: nothing deferred, nothing to race
    monkeypatch.setenv("NEWMEDIA_IN_PROCESS_RUN", "1")
    assert dbt_watcher_args() == {"deferrable": False, "mode": "reschedule", "poke_interval": 2}


def test_the_transform_s_watchers_carry_the_retry(airflow_env, monkeypatch):
    # what a scheduler parses (no `newmedia run`), with retries turned off for the other tasks
    from airflow.dag_processing.dagbag import DagBag
    from cosmos.operators.watcher import DbtConsumerWatcherSensor

    monkeypatch.delenv("NEWMEDIA_IN_PROCESS_RUN", raising=False)
    monkeypatch.setenv("NEWMEDIA_TASK_RETRIES", "0")
    transform = DagBag(dag_folder=str(DAGS_DIR / "transform_marts.py")).dags["transform_marts"]
    watchers = [t for t in transform.tasks if isinstance(t, DbtConsumerWatcherSensor)]
    assert len(watchers) > 10
    assert all(t.deferrable and t.retries == 1 for t in watchers)
    assert {t.retry_delay.total_seconds() for t in watchers} == {5}
    assert transform.get_task("dbt_build.dbt_producer_watcher").retries == 0
