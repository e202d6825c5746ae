"""
### newmedia_pipeline

The whole pipeline once a day, 06:00 China time: load the exports dropped in the landing zone
into the raw layer, build the dbt models (staging → intermediate → marts) with their tests,
validate the marts with the Great Expectations gates, and publish the weekly data review for the
latest complete ISO week before the run's date.

A failed blocking gate fails `validate_marts`, so the report is not published. Every task that
writes the DuckDB warehouse runs in the one-slot pool `duckdb_writer`.
"""

from __future__ import annotations

from airflow.sdk import dag, task
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
    DBT_DIR,
    DEFAULT_ARGS,
    START_DATE,
    WRITER_POOL,
    dbt_executable,
    dbt_target,
)


@dag(
    schedule="0 6 * * *",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["ingest", "transform", "validate", "publish"],
    doc_md=__doc__,
)
def newmedia_pipeline():
    @task(pool=WRITER_POOL)
    def ingest_exports() -> dict:
        from newmedia.tasks import ingest_exports

        return ingest_exports()

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
        ),
        operator_args={"pool": WRITER_POOL, "install_deps": False},
    )

    @task
    def validate_marts() -> list:
        from airflow.sdk.exceptions import AirflowFailException

        from expectations import GateFailedError
        from newmedia.tasks import validate_marts

        try:
            return validate_marts()
        except GateFailedError as exc:
            raise AirflowFailException(str(exc)) from exc

    @task
    def publish_weekly_data_review(ds: str | None = None) -> str:
        import datetime as dt

        from newmedia.tasks import publish_weekly_report

        return publish_weekly_report(today=dt.date.fromisoformat(ds) if ds else None)

    ingest_exports() >> dbt_build >> validate_marts() >> publish_weekly_data_review()


newmedia_pipeline()
