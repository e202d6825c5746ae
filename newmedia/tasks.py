"""What the pipeline's steps do, callable from the DAGs and from the command line alike."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from newmedia.settings import Settings, get_settings


def ingest_exports(
    paths: list[Path] | None = None,
    settings: Settings | None = None,
    on_file: Callable[[Any], None] | None = None,
) -> dict[str, Any]:
    """Load every export under the landing zone (or `paths`) into the raw layer."""
    from ingest import ingest_paths

    settings = settings or get_settings()
    results = ingest_paths(
        paths or [settings.exports],
        warehouse=settings.warehouse_path,
        home=settings.home,
        on_file=on_file,
        salt=settings.salt,
    )
    if settings.target == "postgres":  # DuckDB stages the raw layer; PostgreSQL mirrors it
        from ingest.pg_mirror import sync_raw_to_postgres

        sync_raw_to_postgres(settings.home, settings.warehouse_path)
    statuses = Counter(r.status for r in results)
    return {
        "files": len(results),
        "loaded": statuses.get("loaded", 0),
        "duplicate": statuses.get("duplicate", 0),
        "quarantined": statuses.get("quarantined", 0),
        "unreadable": statuses.get("unreadable", 0),
        "rows": sum(r.rows for r in results),
        "platforms": sorted({r.platform for r in results if r.status == "loaded" and r.platform}),
        "quarantine": [r.reason for r in results if r.status in {"quarantined", "unreadable"}],
    }


def prepare_warehouse(settings: Settings | None = None) -> None:
    """Create the raw layer's tables even before the first export arrives (dbt reads them) and
    label the sentiment of the mention and comment texts not labelled by the current lexicon yet
    (sentiment.store); on PostgreSQL, mirror the raw layer there (ingest.pg_mirror, which
    labels first) and set up the BI login, if any."""
    from ingest.raw import connect, ensure_all
    from sentiment.store import label_new_texts

    settings = settings or get_settings()
    if settings.target == "postgres":
        from ingest.pg_mirror import grant_bi_login, sync_raw_to_postgres

        # creates DuckDB's raw tables and labels first
        sync_raw_to_postgres(settings.home, settings.warehouse_path)
        grant_bi_login()
        return
    con = connect(settings.warehouse_path)
    try:
        ensure_all(con)
        label_new_texts(con)
    finally:
        con.close()


def validate_marts(settings: Settings | None = None) -> list[dict[str, Any]]:
    """Run the Great Expectations gates (the raw layer and the marts on DuckDB; the marts through
    GX's SQL source on PostgreSQL, whose raw layer mirrors DuckDB's), render their Data Docs
    under `<home>/data_docs/<run_id>/` and record each suite's status for the report holds
    (`<home>/gates/status.json`). Returns a dict per suite; raises GateFailedError when a
    blocking gate fails."""
    from expectations import run_gates
    from expectations.gates import postgres_url_from_env
    from expectations.suites import MART_SUITES

    settings = settings or get_settings()
    if settings.target == "postgres":
        results = run_gates(
            None,
            names=MART_SUITES,
            target="postgres",
            connection_string=postgres_url_from_env(),
            home=settings.home,
            docs_keep=settings.data_docs_keep,
        )
    else:
        results = run_gates(
            settings.warehouse_path, home=settings.home, docs_keep=settings.data_docs_keep
        )
    return [r.as_dict() for r in results]


def publish_dashboard_snapshot(settings: Settings | None = None) -> dict[str, Any] | None:
    """After the gates passed, on DuckDB: publish the snapshot of the marts the dashboard reads
    (`$NEWMEDIA_HOME/dashboard/dashboard.duckdb`, swapped in whole). Nothing on PostgreSQL, where
    the dashboard reads the marts through the read-only BI role."""
    from dashboards.snapshot import publish_snapshot

    settings = settings or get_settings()
    if settings.target == "postgres":
        return None
    return publish_snapshot(settings.warehouse_path, settings.home).as_dict()


def publish_report(
    kind: str,
    period: str | None = None,
    deliver: bool = True,
    today: dt.date | None = None,
    settings: Settings | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Publish report `kind` (weekly, user-needs, quarterly) for `period` (2026-W47 or 2026Q3;
    default: the latest complete week or quarter before `today`, Shanghai) under
    $NEWMEDIA_HOME/reports/<kind>/<period>/ as HTML, PDF and Excel, then, with `deliver`, send it
    by e-mail and to the group robot (Airflow connections smtp_default and newmedia_webhook).

    Raises reports.ReportHeldError (after writing HOLD.md there) when a failed blocking quality
    gate holds the report: nothing is rendered or sent. Returns the files, the summary and what
    was delivered."""
    from reports import publish_report as publish

    settings = settings or get_settings()
    published = publish(
        kind,
        period,
        home=settings.home,
        warehouse=settings.warehouse_path,
        target=settings.target,
        postgres=warehouse_postgres(settings),
        today=today,
        progress=progress,
        dashboard=settings.dashboard_url,
        chromium=settings.chromium,
    )
    if deliver:
        from reports.delivery import deliver as send

        if progress:
            progress("发送邮件与群机器人 (delivery)")
        send(published, reports_url=settings.reports_url)
    return published.as_dict()


def send_alerts(settings: Settings | None = None) -> dict[str, Any]:
    """Send every new negative mention or comment to the group robot once (reports.alerts)."""
    from reports.alerts import send_negative_alerts

    settings = settings or get_settings()
    return send_negative_alerts(
        settings.home,
        settings.warehouse_path,
        target=settings.target,
        postgres=warehouse_postgres(settings),
        max_age_window=settings.alert_max_age,
    )


def warehouse_postgres(settings: Settings) -> dict[str, Any] | None:
    """The PostgreSQL warehouse's connection settings (NEWMEDIA_PG_*) on the postgres target."""
    if settings.target != "postgres":
        return None
    from ingest.pg_mirror import connect_kwargs

    return connect_kwargs()


def landing_folders(settings: Settings | None = None) -> list[str]:
    """The landing zone's top-level folders that hold exports ingest knows how to read."""
    from ingest.platforms import known_folders

    settings = settings or get_settings()
    if not settings.exports.is_dir():
        return []
    known = known_folders()
    return sorted(
        path.name
        for path in settings.exports.iterdir()
        if path.is_dir() and path.name in known and any(p.is_file() for p in path.rglob("*"))
    )


def asset_name_of(folder: str) -> str:
    """The raw Asset a landing folder feeds: its platform or source, or `brand` for templates."""
    from ingest.platforms import all_specs

    platforms = {spec.platform for spec in all_specs() if folder in spec.folder_names}
    return folder if folder in platforms or not platforms else sorted(platforms)[0]


def loaded_assets(summaries: Iterable[dict[str, Any] | None]) -> dict[str, dict[str, Any]]:
    """The raw Assets an ingest run updated, from its folders' summaries (a folder whose task
    failed has none): for each, the files and rows loaded and the folders they came from."""
    assets: dict[str, dict[str, Any]] = {}
    for summary in summaries:
        if not summary or not summary.get("loaded"):
            continue
        entry = assets.setdefault(summary["asset"], {"files": 0, "rows": 0, "folders": []})
        entry["files"] += summary["loaded"]
        entry["rows"] += summary["rows"]
        entry["folders"].append(summary["folder"])
    return assets


def ingest_folder(folder: str, settings: Settings | None = None) -> dict[str, Any]:
    """Ingest one landing folder (exports/<folder>/); the summary names the Asset it feeds."""
    settings = settings or get_settings()
    summary = ingest_exports([settings.exports / folder], settings)
    summary["folder"] = folder
    summary["asset"] = asset_name_of(folder)
    return summary


def publish_channel_pilot(
    platform: str,
    account: str,
    deliver: bool = False,
    settings: Settings | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Publish 《新渠道可行性报告》 for the pilot `platform`/`account` under
    $NEWMEDIA_HOME/reports/channel-pilot/<platform>-<account>-<week>/, then, with `deliver`,
    send it by e-mail and to the group robot. Raises reports.ReportHeldError when a failed
    blocking gate holds it, ValueError when the account is not a pilot."""
    from reports.channel_pilot import publish_channel_pilot as publish

    settings = settings or get_settings()
    published = publish(
        platform,
        account,
        home=settings.home,
        warehouse=settings.warehouse_path,
        target=settings.target,
        postgres=warehouse_postgres(settings),
        progress=progress,
        chromium=settings.chromium,
    )
    if deliver:
        from reports.delivery import deliver as send

        if progress:
            progress("发送邮件与群机器人 (delivery)")
        send(published, reports_url=settings.reports_url)
    return published.as_dict()


def publish_channel_pilots_for_quarter(
    period: str | None = None,
    today: dt.date | None = None,
    deliver: bool = True,
    settings: Settings | None = None,
) -> list[dict[str, Any]]:
    """《新渠道可行性报告》 for every account in its first two quarters: the pilots with weeks in
    the quarter `period` (2026Q3; default: the quarter before `today`, Shanghai); one report
    each."""
    from reports.channel_pilot import pilots_for_quarter
    from reports.periods import latest_complete_quarter, parse_quarter

    settings = settings or get_settings()
    quarter = parse_quarter(period) if period else latest_complete_quarter(today)
    pilots = pilots_for_quarter(
        quarter,
        home=settings.home,
        warehouse=settings.warehouse_path,
        target=settings.target,
        postgres=warehouse_postgres(settings),
    )
    return [
        publish_channel_pilot(platform, account, deliver=deliver, settings=settings)
        for platform, account in pilots
    ]
