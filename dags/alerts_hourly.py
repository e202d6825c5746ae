"""
### alerts_hourly

Every hour, send each new negative brand mention or comment (from `marts.mart_sentiment_items`)
to the team's group robot (connection `newmedia_webhook`) once, with its platform, text, link and
the 1-hour response deadline. An item is marked sent only after the robot accepted it, so a
failed send is retried at the next run.
"""

from __future__ import annotations

from airflow.sdk import dag, task

from newmedia.dag_defaults import DEFAULT_ARGS, START_DATE, writer_pool_args


@dag(
    schedule="@hourly",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["alert"],
    doc_md=__doc__,
)
def alerts_hourly():
    @task(**writer_pool_args())
    def send_negative_alerts() -> dict:
        from newmedia.tasks import send_alerts

        return send_alerts()

    send_negative_alerts()


alerts_hourly()
