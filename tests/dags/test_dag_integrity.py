"""Every file in dags/ imports without error, defines DAGs named after it, with retries, tags
from the approved set, documentation and no cycles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newmedia.dag_defaults import APPROVED_TAGS

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
            assert task.retries >= 1, f"{dag_id}.{task.task_id} has no retries"
            assert task.on_failure_callback, f"{dag_id}.{task.task_id} has no failure callback"


def test_no_cycles_and_the_pipeline_order(dagbag):
    dag = dagbag.dags["newmedia_pipeline"]
    order = [task.task_id for task in dag.topological_sort()]  # raises on a cycle
    ingest = order.index("ingest_exports")
    validate = order.index("validate_marts")
    publish = order.index("publish_weekly_data_review")
    dbt_tasks = [i for i, task_id in enumerate(order) if task_id.startswith("dbt_build.")]
    assert dbt_tasks, "the dbt task group rendered no task"
    assert ingest < min(dbt_tasks) and max(dbt_tasks) < validate < publish


def test_warehouse_writers_share_the_one_slot_pool(dagbag):
    dag = dagbag.dags["newmedia_pipeline"]
    writers = [
        t for t in dag.tasks if t.task_id == "ingest_exports" or t.task_id.startswith("dbt_build.")
    ]
    assert writers and all(t.pool == "duckdb_writer" for t in writers)


def test_parsing_touches_no_warehouse(dagbag, tmp_path):
    # parsing happened with NEWMEDIA_HOME pointing at an empty folder: nothing was created there
    home = Path(os.environ["NEWMEDIA_HOME"])
    assert not (home / "warehouse.duckdb").exists()
