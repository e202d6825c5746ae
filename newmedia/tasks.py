"""The pipeline's steps as the DAGs and the command line call them: each reads the settings and
hands them to a stage as arguments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newmedia.settings import Settings, get_settings
from registry.timezone import SHANGHAI


def ingest_files(
    paths: list[Path] | None = None,
    settings: Settings | None = None,
    on_file: Callable[[Any], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> list[Any]:
    """Load the landing zone (or `paths`) into the raw layer, mirrored to PostgreSQL on that
    target (DuckDB stages it): ingest's FileResult per file."""
    from ingest import ingest_paths

    settings = settings or get_settings()
    results = ingest_paths(
        paths or [settings.exports],
        warehouse=settings.warehouse_path,
        home=settings.home,
        on_file=on_file,
        on_wait=on_wait,
        salt=settings.salt,
        bounds=settings.ingest_limits(),
    )
    if settings.target == "postgres":
        from ingest.pg_mirror import sync_raw_to_postgres

        sync_raw_to_postgres(
            settings.home, settings.warehouse_path, settings.postgres, settings.lock_timeout
        )
    return results


def ingest_exports(
    paths: list[Path] | None = None,
    settings: Settings | None = None,
    on_file: Callable[[Any], None] | None = None,
) -> dict[str, Any]:
    """`ingest_files`, summarised (ingest.landing.summarize)."""
    from ingest.landing import summarize

    return summarize(ingest_files(paths, settings, on_file))


def landing_folders(settings: Settings | None = None) -> list[str]:
    """The landing zone's folders that hold exports ingest knows how to read."""
    from ingest.landing import landing_folders as folders

    return folders((settings or get_settings()).exports)


def ingest_folder(folder: str, settings: Settings | None = None) -> dict[str, Any]:
    """Ingest one landing folder (exports/<folder>/); the summary names the Asset it feeds."""
    from ingest.landing import asset_name_of

    settings = settings or get_settings()
    summary = ingest_exports([settings.exports / folder], settings)
    return {**summary, "folder": folder, "asset": asset_name_of(folder)}


def prepare_warehouse(settings: Settings | None = None) -> None:
    """Before dbt: the raw layer's tables (dbt reads them even before the first export) and the
    sentiment labels of new texts (sentiment.store); on PostgreSQL, the raw layer mirrored there
    (ingest.pg_mirror, which labels first) and the BI login, if any."""
    from ingest.raw import connect, ensure_all
    from sentiment.store import label_new_texts

    settings = settings or get_settings()
    if settings.target == "postgres":
        from ingest.pg_mirror import grant_bi_login, sync_raw_to_postgres

        # creates DuckDB's raw tables and labels first
        sync_raw_to_postgres(
            settings.home, settings.warehouse_path, settings.postgres, settings.lock_timeout
        )
        grant_bi_login(settings.postgres, settings.pg_bi_user, settings.pg_bi_password)
        return
    con = connect(settings.warehouse_path, timeout=settings.lock_timeout)
    try:
        ensure_all(con)
        label_new_texts(con)
    finally:
        con.close()


def validate_marts(settings: Settings | None = None) -> list[dict[str, Any]]:
    """The Great Expectations gates (expectations.run_gates): a dict per suite; GateFailedError
    when a blocking gate fails."""
    from expectations import run_gates
    from expectations.gates import postgres_url

    settings = settings or get_settings()
    on_pg = settings.target == "postgres"
    results = run_gates(
        None if on_pg else settings.warehouse_path,
        target=settings.target,
        connection_string=postgres_url(settings.postgres) if on_pg else None,
        home=settings.home,
        docs_keep=settings.data_docs_keep,
        docs_assets=settings.data_docs_assets,
        lock_timeout=settings.lock_timeout,
    )
    return [r.as_dict() for r in results]


def publish_dashboard_snapshot(settings: Settings | None = None) -> dict[str, Any] | None:
    """On DuckDB: the snapshot of the marts the dashboard reads (dashboards.snapshot); nothing on
    PostgreSQL, where it reads through the BI role."""
    from dashboards.snapshot import publish_snapshot

    settings = settings or get_settings()
    if settings.target == "postgres":
        return None
    return publish_snapshot(settings.warehouse_path, settings.home).as_dict()


def _warehouse(settings: Settings) -> dict[str, Any]:
    """The warehouse arguments of the reports' functions."""
    return {
        "home": settings.home,
        "warehouse": settings.warehouse_path,
        "target": settings.target,
        "postgres": settings.postgres,
        "lock_timeout": settings.lock_timeout,
    }


def _delivered(published, deliver: bool, settings: Settings, progress) -> dict[str, Any]:
    if deliver:
        from reports.delivery import deliver as send

        if progress:
            progress("发送邮件与群机器人 (delivery)")
        send(published, reports_url=settings.reports_url)
    return published.as_dict()


def publish_report(
    kind: str,
    period: str | None = None,
    deliver: bool = True,
    today: dt.date | None = None,
    settings: Settings | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Publish report `kind` for `period` (default: the latest complete one before `today`) with
    reports.publish_report, then, with `deliver`, send it (reports.delivery). Raises
    reports.ReportHeldError when a failed blocking quality gate holds it."""
    from reports import publish_report as publish

    settings = settings or get_settings()
    published = publish(
        kind,
        period,
        today=today,
        progress=progress,
        dashboard=settings.dashboard_url,
        chromium=settings.chromium,
        **_warehouse(settings),
    )
    return _delivered(published, deliver, settings, progress)


def publish_channel_pilot(
    platform: str,
    account: str,
    deliver: bool = False,
    settings: Settings | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """《新渠道可行性报告》 of the pilot `platform`/`account` (reports.channel_pilot), then, with
    `deliver`, sent; ValueError when the account is not a pilot."""
    from reports.channel_pilot import publish_channel_pilot as publish

    settings = settings or get_settings()
    published = publish(
        platform, account, progress=progress, chromium=settings.chromium, **_warehouse(settings)
    )
    return _delivered(published, deliver, settings, progress)


def publish_channel_pilots_for_quarter(
    period: str | None = None,
    today: dt.date | None = None,
    deliver: bool = True,
    settings: Settings | None = None,
) -> list[dict[str, Any]]:
    """《新渠道可行性报告》 for every account in its first two quarters with weeks in the quarter
    `period` (2026Q3; default: the quarter before `today`, Shanghai); one report each."""
    from reports.channel_pilot import pilots_for_quarter
    from reports.publish import resolve_period

    settings = settings or get_settings()
    quarter = resolve_period("quarterly", period, today)
    return [
        publish_channel_pilot(platform, account, deliver=deliver, settings=settings)
        for platform, account in pilots_for_quarter(quarter, **_warehouse(settings))
    ]


def send_alerts(settings: Settings | None = None) -> dict[str, Any]:
    """Send every new negative mention or comment to the group robot once (reports.alerts)."""
    from reports.alerts import send_negative_alerts

    settings = settings or get_settings()
    return send_negative_alerts(
        settings.home,
        settings.warehouse_path,
        max_age_window=settings.alert_max_age,
        target=settings.target,
        postgres=settings.postgres,
        lock_timeout=settings.lock_timeout,
    )


# --------------------------------------------------------------------------- the report DAGs


def run_day(logical_date: Any) -> dt.date:
    """The Shanghai calendar day of a run (now, for a manual run without a logical date)."""
    if logical_date is None:
        return dt.datetime.now(SHANGHAI).date()
    return logical_date.astimezone(SHANGHAI).date()


def publish_for_run(kind: str, params: dict | None, logical_date: Any) -> Any:
    """Publish `kind` (a report kind, or `channel-pilots`: one per pilot of the quarter) for the
    run's period (its param `period`, else the one before the run); a held report fails the
    task without retries."""
    from airflow.sdk.exceptions import AirflowFailException

    from reports import ReportHeldError

    period, today = (params or {}).get("period") or None, run_day(logical_date)
    try:
        if kind == "channel-pilots":
            return publish_channel_pilots_for_quarter(period, today=today, deliver=True)
        return publish_report(kind, period, deliver=True, today=today)
    except ReportHeldError as exc:
        raise AirflowFailException(str(exc)) from exc
