"""The report DAGs' task bodies: the period from the run's param or its logical date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from registry.timezone import SHANGHAI


def run_day(logical_date: Any) -> dt.date:
    """The Shanghai calendar day of a run (now, for a manual run without a logical date)."""
    if logical_date is None:
        return dt.datetime.now(SHANGHAI).date()
    return logical_date.astimezone(SHANGHAI).date()


def publish_for_run(kind: str, params: dict | None, logical_date: Any) -> dict[str, Any]:
    """Publish `kind` for the run's period; a held report fails the task without retries."""
    from airflow.sdk.exceptions import AirflowFailException

    from newmedia.tasks import publish_report
    from reports import ReportHeldError

    period = (params or {}).get("period") or None
    try:
        return publish_report(kind, period, deliver=True, today=run_day(logical_date))
    except ReportHeldError as exc:
        raise AirflowFailException(str(exc)) from exc


def publish_channel_pilots_for_run(params: dict | None, logical_date: Any) -> list[dict[str, Any]]:
    """《新渠道可行性报告》 for every pilot with weeks in the run's quarter (its param `period`, else
    the quarter before the run); a held report fails the task without retries."""
    from airflow.sdk.exceptions import AirflowFailException

    from newmedia.tasks import publish_channel_pilots_for_quarter
    from reports import ReportHeldError

    try:
        return publish_channel_pilots_for_quarter(
            (params or {}).get("period") or None, today=run_day(logical_date), deliver=True
        )
    except ReportHeldError as exc:
        raise AirflowFailException(str(exc)) from exc
