"""
### transform_marts

When ingest loaded new exports (any `raw_<platform>` Asset), build the dbt project
(staging → intermediate → marts, each node with its tests) through an Astronomer Cosmos task
group, then run the Great Expectations gates on the raw layer and the marts. A failed blocking
gate fails `validate_gates` and holds the reports that depend on it (a hold notice names the
failed checks); passing gates emit the `marts` Asset and, on DuckDB, publish the read-only
snapshot of the marts the dashboard reads (`dashboards/snapshot.py`).

dbt runs once per run: Cosmos watcher mode gives the whole `dbt build` to one producer task
(`dbt_build.dbt_producer_watcher`) and keeps one task per model (and per model's tests) that
watches the result dbt reported for its node, so the graph still shows which model failed. On
DuckDB the producer, the one dbt task that writes, runs in the one-slot pool `duckdb_writer`.

The gates follow the producer, not the watchers: the producer succeeds only when that `dbt build`
built every model and passed every test of error severity, which is all the gates need, while
the watchers only mirror its per-node results (each a worker process under a scheduler, minutes
in all). So the gates, the `marts` Asset and the alerts it schedules run while the watchers are
still reporting, ahead of them for worker slots (`newmedia.dag_defaults.ALERT_PATH_PRIORITY`). A
failed model or test fails the producer (which does not retry: Cosmos never runs the build twice)
and so stops the gates, the Asset and the snapshot; its watcher still shows which node it was.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import AssetAny, dag, task
from cosmos import (
    DbtTaskGroup,
    ExecutionConfig,
    ExecutionMode,
    InvocationMode,
    LoadMode,
    ProfileConfig,
    ProjectConfig,
    RenderConfig,
    TestBehavior,
)
from cosmos.constants import PRODUCER_WATCHER_TASK_ID

from newmedia.dag_defaults import (
    ASSET_NAMES,
    DBT_DIR,
    DBT_GROUP,
    DEFAULT_ARGS,
    MARTS,
    SNAPSHOT_PRIORITY,
    START_DATE,
    alert_path_args,
    dbt_executable,
    dbt_node_selection,
    dbt_producer_args,
    dbt_target,
    dbt_watcher_args,
    raw_asset,
    writer_pool_args,
)


@dag(
    schedule=AssetAny(*(raw_asset(name) for name in ASSET_NAMES)),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=pendulum.duration(hours=3),
    default_args=DEFAULT_ARGS,
    tags=["transform", "validate"],
    doc_md=__doc__,
)
def transform_marts():
    @task(**writer_pool_args())
    def prepare_raw_layer() -> None:
        from newmedia.tasks import prepare_warehouse

        prepare_warehouse()

    dbt_build = DbtTaskGroup(
        group_id=DBT_GROUP,
        project_config=ProjectConfig(
            dbt_project_path=DBT_DIR,
            manifest_path=DBT_DIR / "target" / "manifest.json",
            install_dbt_deps=False,
        ),
        profile_config=ProfileConfig(
            profile_name="newmedia",
            target_name=dbt_target(),
            profiles_yml_filepath=DBT_DIR / "profiles.yml",
        ),
        # one `dbt build` in a subprocess: the warehouse file is released when dbt exits, so the
        # read-only readers after it can open it even when every task runs in one process
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.WATCHER,
            invocation_mode=InvocationMode.SUBPROCESS,
            dbt_executable_path=dbt_executable(),
            setup_operator_args=dbt_producer_args(),
        ),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            # everything, but only the one node a watcher's own task process runs
            select=dbt_node_selection(),
            # watcher mode has no build task per node; the producer's `dbt build` still runs
            # every test right after its model, and a `.test` task reports them
            test_behavior=TestBehavior.AFTER_EACH,
            emit_datasets=False,
            # a test of several models as its own task would never get a result to watch
            should_detach_multiple_parents_tests=False,
            # exposures (the reports) and the on-run-end hook are not tasks
            exclude=["resource_type:exposure", "resource_type:operation"],
        ),
        operator_args={"install_deps": False, **dbt_watcher_args()},
    )

    @task(outlets=[MARTS], **writer_pool_args(), **alert_path_args())
    def validate_gates() -> list:
        from airflow.sdk.exceptions import AirflowFailException

        from expectations import GateFailedError
        from newmedia.tasks import validate_marts

        try:
            return validate_marts()
        except GateFailedError as exc:
            raise AirflowFailException(str(exc)) from exc

    @task(**writer_pool_args(), **alert_path_args(SNAPSHOT_PRIORITY))
    def publish_dashboard_snapshot() -> dict | None:
        from newmedia.tasks import publish_dashboard_snapshot

        return publish_dashboard_snapshot()

    prepare_raw_layer() >> dbt_build
    # the gates wait for the one `dbt build` (the producer), not for the watchers mirroring it
    producer = dbt_build.children[f"{dbt_build.group_id}.{PRODUCER_WATCHER_TASK_ID}"]
    producer >> validate_gates() >> publish_dashboard_snapshot()


transform_marts()
