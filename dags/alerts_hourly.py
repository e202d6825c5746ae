"""
### alerts_hourly

Whenever the marts are rebuilt (the `marts` Asset, emitted by `transform_marts` once its gates
passed), and at the top of every hour as a fallback, send each new negative brand mention or
comment (from `marts.mart_sentiment_items`) to the team's group robot (connection
`newmedia_webhook`) once, with its platform, text, link and the 1-hour response deadline. An item
is marked sent only after the robot accepted it, so a failed send is retried at the next run.
"""

from __future__ import annotations

from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable, dag, task

from newmedia.dag_defaults import (
    DEFAULT_ARGS,
    MARTS,
    SHANGHAI,
    START_DATE,
    alert_path_args,
    writer_pool_args,
)


@dag(
    # minutes after an ingest that brought a new comment, not up to an hour later
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("0 * * * *", timezone=SHANGHAI), assets=MARTS
    ),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["alert"],
    doc_md=__doc__,
)
def alerts_hourly():
    # ahead of the watcher tasks of the transform run that is still reporting
    @task(**writer_pool_args(), **alert_path_args())
    def send_negative_alerts() -> dict:
        from newmedia.tasks import send_alerts

        return send_alerts()

    send_negative_alerts()


alerts_hourly()
