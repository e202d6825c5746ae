"""
### transform_marts

When ingest loaded new exports (any `raw_<platform>` Asset), build the dbt project
(staging → intermediate → marts, each node with its tests) through an Astronomer Cosmos task
group, then run the Great Expectations gates on the raw layer and the marts. A failed blocking
gate fails `validate_gates` and holds the reports that depend on it (a hold notice names the
failed checks); passing gates emit the `marts` Asset and, on DuckDB, publish the read-only
snapshot of the marts the dashboard reads (`dashboards/snapshot.py`).

On DuckDB every dbt node runs in the one-slot pool `duckdb_writer` (one writer); on PostgreSQL
the nodes run in parallel.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import AssetAny, dag, task
from cosmos import (
    DbtTaskGroup,
    ExecutionConfig,
    InvocationMode,
    LoadMode,
    ProfileConfig,
    ProjectConfig,
    RenderConfig,
    TestBehavior,
)

from newmedia.dag_defaults import (
    ASSET_NAMES,
    DBT_DIR,
    DEFAULT_ARGS,
    MARTS,
    START_DATE,
    dbt_executable,
    dbt_target,
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
        group_id="dbt_build",
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
        # a dbt subprocess per node: the warehouse file is released when the node ends, so the
        # read-only readers after it can open it even when every task runs in one process
        execution_config=ExecutionConfig(
            invocation_mode=InvocationMode.SUBPROCESS, dbt_executable_path=dbt_executable()
        ),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            test_behavior=TestBehavior.BUILD,
            emit_datasets=False,
            should_detach_multiple_parents_tests=True,
            # exposures (the reports) and the on-run-end hook are not tasks: dbt runs the hook
            # at the end of every node's command
            exclude=["resource_type:exposure", "resource_type:operation"],
        ),
        operator_args={"install_deps": False, **writer_pool_args()},
    )

    @task(outlets=[MARTS], **writer_pool_args())
    def validate_gates() -> list:
        from airflow.sdk.exceptions import AirflowFailException

        from expectations import GateFailedError
        from newmedia.tasks import validate_marts

        try:
            return validate_marts()
        except GateFailedError as exc:
            raise AirflowFailException(str(exc)) from exc

    @task(**writer_pool_args())
    def publish_dashboard_snapshot() -> dict | None:
        from newmedia.tasks import publish_dashboard_snapshot

        return publish_dashboard_snapshot()

    prepare_raw_layer() >> dbt_build >> validate_gates() >> publish_dashboard_snapshot()


transform_marts()
