"""
### ingest_exports

Every 15 minutes (and on demand), load what marketers dropped in the landing zone
(`exports/<platform>/<account>/`) into the warehouse's raw layer: one mapped task per platform
folder. A file already loaded (same SHA-256) is skipped; a bad file is quarantined with a reason
while the others go on. A task that loaded something emits the Asset of its platform
(`raw_<platform>`), which schedules `transform_marts`.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task

from newmedia.dag_defaults import (
    DEFAULT_ARGS,
    RAW_ALIAS,
    START_DATE,
    raw_asset,
    writer_pool_args,
)


@dag(
    schedule="*/15 * * * *",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=pendulum.duration(hours=2),
    default_args=DEFAULT_ARGS,
    tags=["ingest"],
    doc_md=__doc__,
)
def ingest_exports():
    @task
    def find_landing_folders() -> list[str]:
        from newmedia.tasks import landing_folders

        return landing_folders()

    @task(outlets=[RAW_ALIAS], **writer_pool_args())
    def ingest_platform(folder: str, outlet_events=None) -> dict:
        from newmedia.tasks import ingest_folder

        summary = ingest_folder(folder)
        if summary["loaded"]:
            outlet_events[RAW_ALIAS].add(
                raw_asset(summary["asset"]),
                extra={"files": summary["loaded"], "rows": summary["rows"], "folder": folder},
            )
        return summary

    ingest_platform.expand(folder=find_landing_folders())


ingest_exports()
