"""
### ingest_exports

Every 15 minutes (and on demand), load what marketers dropped in the landing zone
(`exports/<platform>/<account>/`) into the warehouse's raw layer: one mapped task per platform
folder. A file already loaded (same SHA-256) is skipped; a bad file is quarantined with a reason
while the others go on. When every folder is done, `announce_loaded` emits the Asset of each
platform that loaded something (`raw_<platform>`), which schedules `transform_marts` once for
the whole batch.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import TriggerRule, dag, task

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

    @task(**writer_pool_args())
    def ingest_platform(folder: str) -> dict:
        from newmedia.tasks import ingest_folder

        return ingest_folder(folder)

    # once every folder is done (even when one failed), one event per platform that loaded
    # something: transform_marts then runs once, on the whole batch, not on half of it
    @task(outlets=[RAW_ALIAS], trigger_rule=TriggerRule.ALL_DONE)
    def announce_loaded(summaries: list, outlet_events=None) -> list[str]:
        from ingest.landing import loaded_assets

        # one slice fetches every summary (iterating asks item by item until one is missing)
        loaded = loaded_assets(summaries[:])
        for name, extra in loaded.items():
            outlet_events[RAW_ALIAS].add(raw_asset(name), extra=extra)
        return sorted(loaded)

    announce_loaded(ingest_platform.expand(folder=find_landing_folders()))


ingest_exports()
