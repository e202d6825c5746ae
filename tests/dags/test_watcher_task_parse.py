"""A watcher's task process renders its own node only (`newmedia.dag_defaults.dbt_node_selection`):
the task runner parses `transform_marts` with Airflow's parsing context naming the task, and the
task it then runs must be the very task the whole DAG holds. Everyone else (the dag-processor,
`dag.test()`, the producer's and the gates' task processes) renders every node."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DAG_FILE = Path(__file__).resolve().parents[2] / "dags" / "transform_marts.py"
#: every node task of the project is `dbt_build.<node>.<run|test|seed>`
NODE_SUFFIXES = (".run", ".test", ".seed")
NOT_COSMOS = {"prepare_raw_layer", "validate_gates", "publish_dashboard_snapshot"}


def render(monkeypatch: pytest.MonkeyPatch, task_id: str | None, dag_id: str = "transform_marts"):
    """The transform DAG as a task runner parsing for `task_id` builds it (None: no context)."""
    from airflow.dag_processing.dagbag import DagBag

    if task_id is None:
        monkeypatch.delenv("_AIRFLOW_PARSING_CONTEXT_DAG_ID", raising=False)
        monkeypatch.delenv("_AIRFLOW_PARSING_CONTEXT_TASK_ID", raising=False)
    else:
        monkeypatch.setenv("_AIRFLOW_PARSING_CONTEXT_DAG_ID", dag_id)
        monkeypatch.setenv("_AIRFLOW_PARSING_CONTEXT_TASK_ID", task_id)
    bag = DagBag(dag_folder=str(DAG_FILE))
    assert bag.import_errors == {}, bag.import_errors
    return bag.dags["transform_marts"]


def as_run(task) -> dict:
    """What a task process runs: the serialized operator without its place in the graph."""
    from airflow.serialization.serialized_objects import OperatorSerialization

    data = OperatorSerialization.serialize_operator(task)
    for edge in ("upstream_task_ids", "downstream_task_ids"):
        data.pop(edge, None)
    return json.loads(json.dumps(data, default=str, sort_keys=True))


@pytest.fixture(scope="module")
def whole(airflow_env):
    with pytest.MonkeyPatch.context() as monkeypatch:
        return render(monkeypatch, None)


def node_tasks(dag) -> list[str]:
    return sorted(t for t in dag.task_dict if t.endswith(NODE_SUFFIXES))


def test_without_a_parsing_context_every_node_is_rendered(whole):
    nodes = node_tasks(whole)
    assert len(nodes) > 200
    assert {t.rsplit(".", 1)[1] for t in nodes} == {"run", "test", "seed"}


@pytest.mark.parametrize(
    "task_id",
    [
        "dbt_build.mart_engagement_weekly.run",
        "dbt_build.mart_engagement_weekly.test",
        "dbt_build.stg_douyin__comments.run",
        "dbt_build.content_themes.seed",
        "dbt_build.int_contents_latest.test",
    ],
)
def test_a_watcher_process_renders_its_node_and_runs_the_same_task(whole, monkeypatch, task_id):
    assert task_id in whole.task_dict
    own = render(monkeypatch, task_id)
    node = task_id.split(".")[1]
    # the node's own tasks (a model's run and test, a seed's seed and test) and what is not dbt
    assert {t.split(".")[1] for t in node_tasks(own)} == {node}
    assert set(own.task_dict) >= NOT_COSMOS
    assert len(own.task_dict) < 10
    assert as_run(own.task_dict[task_id]) == as_run(whole.task_dict[task_id])


@pytest.mark.parametrize(
    ("dag_id", "task_id"),
    [
        ("transform_marts", "dbt_build.dbt_producer_watcher"),
        ("transform_marts", "dbt_build.dbt_producer_watcher_done"),
        ("transform_marts", "validate_gates"),
        ("alerts_hourly", "dbt_build.mart_engagement_weekly.run"),
    ],
)
def test_the_producer_and_every_other_task_render_the_whole_project(
    whole, monkeypatch, dag_id, task_id
):
    # the producer's one `dbt build` takes the group's selection: it must stay everything
    own = render(monkeypatch, task_id, dag_id=dag_id)
    assert node_tasks(own) == node_tasks(whole)
    producer = "dbt_build.dbt_producer_watcher"
    assert as_run(own.task_dict[producer]) == as_run(whole.task_dict[producer])
