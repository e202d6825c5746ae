"""`transform_marts` as `newmedia run` runs it (`dag.test()`, every task in one process): the
watchers poke instead of deferring, and the producer starts importing the gates' modules while
its `dbt build` runs; under a scheduler neither happens."""

from __future__ import annotations

import sys

import pytest

from newmedia.dag_defaults import GATE_MODULES, preload_gates
from tests.dags.test_dag_integrity import DAGS_DIR


def _transform(monkeypatch: pytest.MonkeyPatch, in_process: bool):
    from airflow.dag_processing.dagbag import DagBag

    if in_process:
        monkeypatch.setenv("NEWMEDIA_IN_PROCESS_RUN", "1")
    else:
        monkeypatch.delenv("NEWMEDIA_IN_PROCESS_RUN", raising=False)
    bag = DagBag(dag_folder=str(DAGS_DIR / "transform_marts.py"))
    assert bag.import_errors == {}
    return bag.dags["transform_marts"]


def test_in_process_the_producer_preloads_the_gates_and_watchers_poke(airflow_env, monkeypatch):
    from cosmos.operators.watcher import DbtConsumerWatcherSensor

    dag = _transform(monkeypatch, in_process=True)
    producer = dag.get_task("dbt_build.dbt_producer_watcher")
    assert preload_gates in producer.on_execute_callback
    watchers = [t for t in dag.tasks if isinstance(t, DbtConsumerWatcherSensor)]
    assert watchers and all(not t.deferrable and t.mode == "reschedule" for t in watchers)
    # only the producer: the gates run right after it in the same process
    assert not any(t.on_execute_callback for t in dag.tasks if t is not producer)


def test_under_a_scheduler_no_preload(airflow_env, monkeypatch):
    dag = _transform(monkeypatch, in_process=False)
    producer = dag.get_task("dbt_build.dbt_producer_watcher")
    assert not producer.on_execute_callback
    assert producer.pool == "duckdb_writer"


def test_preload_gates_imports_great_expectations_and_the_gates():
    thread = preload_gates({})
    thread.join(timeout=300)
    assert not thread.is_alive()
    assert all(name in sys.modules for name in GATE_MODULES)
    from expectations import run_gates

    assert callable(run_gates)
