"""Negative-sentiment alerts: every new negative mention or comment is sent to the team's group
robot once, with its platform, text, link and SLA deadline (answer within 1 hour).

"Negative" is tuned for recall: the item's sentiment is negative, or the trained model labelled
it (no manual override, no monitoring tool's label) and its negative probability is at least
`sentiment.classifier.ALERT_THRESHOLD` (chosen for recall on the validation split; precision
and recall in sentiment/README.md). A person's override to positive or neutral silences the alert.

"New" means created within the alert window, `max_age_window` (the settings'
NEWMEDIA_ALERT_MAX_AGE_HOURS; 72 hours by default, so a weekly export's comments of the last
days still reach the team): the history loaded on a first deployment, or an old item a new
lexicon version relabels negative, does not flood the robot.

The marts are read from the configured target (warehouse.open_reader): the DuckDB file, or the
PostgreSQL warehouse on NEWMEDIA_TARGET=postgres."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import registry
from reports.markdown import link, quote
from sentiment.classifier import ALERT_THRESHOLD

#: a negative item, or one whose label came from the model (no override, no tool label) with a
#: negative probability at or above the recall-tuned threshold (sentiment.ALERT_THRESHOLD)
NEGATIVES_SQL = """
select item_key, item_type, platform, account_id, item_text, url, created_at, sla_deadline_at
from marts.mart_sentiment_items
where
    (
        sentiment = 'negative'
        or (sentiment_source = 'lexicon' and negative_probability >= $threshold)
    )
    and created_at >= $since
order by created_at, item_key
"""
#: how old a negative item may be and still be alerted, unless the caller says otherwise
DEFAULT_MAX_AGE = dt.timedelta(hours=72)


@dataclass(frozen=True)
class Alert:
    item_key: str
    item_type: str
    platform: str
    account_id: str | None
    text: str
    url: str | None
    created_at: dt.datetime
    sla_deadline_at: dt.datetime

    def markdown(self) -> str:
        """The robot message: the commenter's text quoted inert (no link, tag or line break of
        theirs survives), a link only to the platform's own hosts (registry), else plain text."""
        kind = "品牌提及" if self.item_type == "mention" else "评论"
        deadline = self.sla_deadline_at.strftime("%Y-%m-%d %H:%M")
        names = registry.names_zh()
        lines = [
            f"**负面{kind}提醒** · {quote(names.get(self.platform, self.platform))}"
            + (f" · {quote(self.account_id)}" if self.account_id else ""),
            f"> {quote(self.text)}",
            f"发布时间：{self.created_at.strftime('%Y-%m-%d %H:%M')}",
            f"请在 **{deadline}** 前回复（1 小时 SLA）",
        ]
        if self.url:
            lines.append(link("查看原文", self.url, registry.hosts(self.platform)))
        return "\n".join(lines)


def _ledger(home: Path) -> sqlite3.Connection:
    home.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(home / "alerts.sqlite")
    con.execute(
        "create table if not exists sent (item_key text primary key, sent_at text not null)"
    )
    return con


def pending_alerts(
    home: Path,
    warehouse: Path,
    now: dt.datetime | None = None,
    max_age_window: dt.timedelta | None = None,
    *,
    target: str = "duckdb",
    postgres: Mapping[str, Any] | None = None,
    lock_timeout: float | None = None,
) -> list[Alert]:
    """Negative items created within the alert window and not alerted yet, read from the marts
    of `target` (the DuckDB file `warehouse`, or the PostgreSQL warehouse `postgres` connects
    to) over a read-only connection (waiting while a writer holds the DuckDB file, at most
    `lock_timeout` seconds). Nothing before the first build made the mart."""
    from warehouse import open_reader

    if target == "duckdb" and not warehouse.exists():
        return []
    since = (now or dt.datetime.now(dt.UTC)) - (max_age_window or DEFAULT_MAX_AGE)
    with open_reader(
        target, duckdb_path=warehouse, postgres=postgres, lock_timeout=lock_timeout
    ) as reader:
        if not reader.columns("marts", "mart_sentiment_items"):
            return []
        rows = reader.rows(NEGATIVES_SQL, {"threshold": ALERT_THRESHOLD, "since": since})
    ledger = _ledger(home)
    try:
        sent = {row[0] for row in ledger.execute("select item_key from sent")}
    finally:
        ledger.close()
    return [Alert(*row) for row in rows if row[0] not in sent]


def send_negative_alerts(
    home: Path,
    warehouse: Path,
    webhook: str | None = None,
    now: dt.datetime | None = None,
    max_age_window: dt.timedelta | None = None,
    *,
    target: str = "duckdb",
    postgres: Mapping[str, Any] | None = None,
    lock_timeout: float | None = None,
) -> dict[str, Any]:
    """Send each pending alert once to the webhook (Airflow connection `newmedia_webhook`), and
    record it as sent only after the robot accepted it, so a failure is retried next hour."""
    from reports.webhook import configured_webhook_url, post_markdown

    alerts = pending_alerts(
        home,
        warehouse,
        now,
        max_age_window,
        target=target,
        postgres=postgres,
        lock_timeout=lock_timeout,
    )
    url = webhook or configured_webhook_url()
    if not alerts:
        return {"pending": 0, "sent": 0}
    if not url:
        raise RuntimeError(
            f"{len(alerts)} negative items wait for an alert, but no webhook is configured: set "
            "the Airflow connection newmedia_webhook (host = the group robot's URL)"
        )
    ledger = _ledger(home)
    sent = 0
    try:
        for alert in alerts:
            post_markdown(url, alert.markdown())
            ledger.execute(
                "insert or ignore into sent values (?, ?)",
                [alert.item_key, dt.datetime.now(dt.UTC).isoformat()],
            )
            ledger.commit()
            sent += 1
    finally:
        ledger.close()
    return {"pending": len(alerts), "sent": sent}
