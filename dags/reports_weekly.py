"""
### reports_weekly

Mondays 09:00 China time: publish, for the ISO week before, the weekly data review
(《数据复盘报告》) and the weekly user-needs report (《用户需求周报》) as HTML, PDF and Excel under
`$NEWMEDIA_HOME/reports/<kind>/<week>/`, and deliver them by e-mail (connection `smtp_default`)
and to the group robot (connection `newmedia_webhook`).

Re-run any past week by triggering with the param `period` (e.g. `2026-W47`); a re-run overwrites
that week's files. A report held by a failed quality gate is neither rendered nor sent: its
folder gets `HOLD.md` naming the failed checks, and the task fails without retrying.
"""

from __future__ import annotations

from airflow.sdk import CronTriggerTimetable, Param, dag, task

from newmedia.dag_defaults import DEFAULT_ARGS, SHANGHAI, START_DATE, writer_pool_args


@dag(
    schedule=CronTriggerTimetable("0 9 * * 1", timezone=SHANGHAI),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={
        "period": Param(
            "",
            type="string",
            pattern=r"^(\d{4}-W\d{2})?$",
            description="ISO week like 2026-W47; empty = the week before the run",
        )
    },
    tags=["publish"],
    doc_md=__doc__,
)
def reports_weekly():
    @task(**writer_pool_args())
    def publish_weekly_data_review(params=None, logical_date=None) -> dict:
        from newmedia.tasks import publish_for_run

        return publish_for_run("weekly", params, logical_date)

    @task(**writer_pool_args())
    def publish_user_needs_report(params=None, logical_date=None) -> dict:
        from newmedia.tasks import publish_for_run

        return publish_for_run("user-needs", params, logical_date)

    publish_weekly_data_review()
    publish_user_needs_report()


reports_weekly()
