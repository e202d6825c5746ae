"""
### reports_quarterly

The first day of each quarter, 09:00 China time: publish the quarterly trend insight
(《新媒体趋势洞察报告》) for the quarter before, as HTML, PDF and Excel under
`$NEWMEDIA_HOME/reports/quarterly/<quarter>/`, and deliver it (connections `smtp_default`,
`newmedia_webhook`). Then 《新渠道可行性报告》 for every account in its first two quarters (the
pilots of marts.mart_channel_pilots with weeks in that quarter), one report each under
`$NEWMEDIA_HOME/reports/channel-pilot/<platform>-<account>-<week>/`, delivered the same way.

Re-run any past quarter by triggering with the param `period` (e.g. `2026Q3`). A report held by
a failed quality gate is neither rendered nor sent.
"""

from __future__ import annotations

from airflow.sdk import CronTriggerTimetable, Param, dag, task

from newmedia.dag_defaults import DEFAULT_ARGS, SHANGHAI, START_DATE, writer_pool_args


@dag(
    schedule=CronTriggerTimetable("0 9 1 1,4,7,10 *", timezone=SHANGHAI),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={
        "period": Param(
            "",
            type="string",
            pattern=r"^(\d{4}Q[1-4])?$",
            description="quarter like 2026Q3; empty = the quarter before the run",
        )
    },
    tags=["publish"],
    doc_md=__doc__,
)
def reports_quarterly():
    @task(**writer_pool_args())
    def publish_quarterly_trend_insight(params=None, logical_date=None) -> dict:
        from newmedia.tasks import publish_for_run

        return publish_for_run("quarterly", params, logical_date)

    @task(**writer_pool_args())
    def publish_channel_pilot_reports(params=None, logical_date=None) -> list[dict]:
        from newmedia.tasks import publish_for_run

        return publish_for_run("channel-pilots", params, logical_date)

    publish_quarterly_trend_insight() >> publish_channel_pilot_reports()


reports_quarterly()
