"""Deliver a published report: an e-mail over SMTP with the PDF attached, and a markdown summary
with the key numbers and the report's link to a WeCom or Feishu group robot.

Endpoints are Airflow connections, read with `airflow.sdk.Connection.get` (inside a task from
the Airflow metadata or secrets backend; outside one, e.g. from the CLI, Airflow reads the
environment form `AIRFLOW_CONN_<ID>` as JSON or URI):

- `smtp_default` (conn type smtp): host, port, login, password; extra
  `{"from_email": "...", "to": ["a@x", ...], "ssl": false, "starttls": true}`. Port 465 means
  implicit TLS; otherwise STARTTLS is used when the server offers it (unless starttls is false).
- `newmedia_webhook`: host = the robot's full URL
  (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…` or
  `https://open.feishu.cn/open-apis/bot/v2/hook/…`).

A channel without a connection is skipped and said so; a channel that fails is retried with
tenacity (3 attempts, exponential wait) and then raises DeliveryError. The link in the summary
is `<reports_url>/<kind>/<period>/<file>.html` when `reports_url` (the settings'
NEWMEDIA_REPORTS_URL) names where the reports folder is served, else the HTML file's path.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import smtplib
import ssl
import urllib.parse
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from reports.publish import PublishedReport
from reports.webhook import (
    ATTEMPTS,
    WEBHOOK_CONN_ID,
    DeliveryError,
    Endpoint,
    get_endpoint,
    is_feishu,
    message_body,
    post_once,
    retrying,
    webhook_url,
)

log = logging.getLogger(__name__)
SMTP_CONN_ID = "smtp_default"
WECOM_MARKDOWN_LIMIT = 4000  # bytes; the robot refuses more than 4096


def report_link(report: PublishedReport, reports_url: str | None = None) -> str:
    """The report's HTML under `reports_url` (where the reports folder is served), else its
    path."""
    base = (reports_url or "").rstrip("/")
    if base:
        parts = [report.kind, report.period, report.html.name]
        return base + "/" + "/".join(urllib.parse.quote(p) for p in parts)
    return str(report.html)


def summary_markdown(report: PublishedReport, reports_url: str | None = None) -> str:
    """The robot's message: title, period, key numbers and the link."""
    link = report_link(report, reports_url)
    lines = [f"## 【{report.title}】{report.period}", ""]
    lines += [f"- {line}" for line in report.summary]
    lines += [
        "",
        f"完整报告（HTML / PDF / Excel）：[{report.html.name}]({link})"
        if link.startswith("http")
        else f"完整报告（HTML / PDF / Excel）：{report.folder}",
    ]
    dashboard = report.dashboard_url
    if dashboard:
        lines[-1] += f"\n每日数据看板：[{dashboard}]({dashboard})"
    text = "\n".join(lines)
    while len(text.encode("utf-8")) > WECOM_MARKDOWN_LIMIT and len(lines) > 4:
        lines.pop(-3)
        text = "\n".join(lines)
    return text


def email_message(
    report: PublishedReport, sender: str, recipients: list[str], reports_url: str | None = None
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"【{report.title}】{report.period}"
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="newmedia-warehouse")
    body = [f"{report.title} {report.period}", ""]
    body += [f"· {line}" for line in report.summary]
    body += ["", "完整报告见附件 PDF；HTML 与 Excel 在：" + report_link(report, reports_url)]
    message.set_content("\n".join(body))
    ctype = mimetypes.guess_type(report.pdf.name)[0] or "application/pdf"
    maintype, subtype = ctype.split("/", 1)
    message.add_attachment(
        report.pdf.read_bytes(), maintype=maintype, subtype=subtype, filename=report.pdf.name
    )
    return message


def _recipients(extra: dict[str, Any]) -> list[str]:
    to = extra.get("to") or extra.get("recipients") or []
    if isinstance(to, str):
        to = [part.strip() for part in to.replace(";", ",").split(",")]
    return [t for t in to if t]


def send_email(
    report: PublishedReport,
    endpoint: Endpoint,
    timeout: float = 30.0,
    reports_url: str | None = None,
) -> dict[str, Any]:
    recipients = _recipients(endpoint.extra)
    if not recipients:
        raise DeliveryError(f"connection {endpoint.conn_id} names no recipients (extra 'to')")
    sender = endpoint.extra.get("from_email") or endpoint.login or "newmedia-warehouse@localhost"
    message = email_message(report, sender, recipients, reports_url)
    host, port = endpoint.host or "localhost", int(endpoint.port or 25)
    use_ssl = bool(endpoint.extra.get("ssl", port == 465))
    if use_ssl:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        client.ehlo()
        if not use_ssl and endpoint.extra.get("starttls", True) and client.has_extn("starttls"):
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if endpoint.login and endpoint.password:
            client.login(endpoint.login, endpoint.password)
        refused = client.send_message(message)
    if refused:
        raise DeliveryError(f"the SMTP server refused {sorted(refused)}")
    return {"to": recipients, "subject": message["Subject"], "attachment": report.pdf.name}


def post_webhook(
    report: PublishedReport,
    endpoint: Endpoint,
    timeout: float = 15.0,
    reports_url: str | None = None,
) -> dict[str, Any]:
    url = webhook_url(endpoint)
    text = summary_markdown(report, reports_url)
    body = message_body(url, text, f"{report.title} {report.period}", is_feishu(url, endpoint))
    post_once(url, body, timeout)
    return {"url": url.split("?")[0], "characters": len(text)}


def deliver(
    report: PublishedReport,
    *,
    channels: tuple[str, ...] = ("email", "webhook"),
    attempts: int = ATTEMPTS,
    wait_max: float = 30.0,
    reports_url: str | None = None,
) -> dict[str, Any]:
    """Send `report` on every configured channel; returns what was sent, per channel. The
    messages link to the report under `reports_url` (the settings' NEWMEDIA_REPORTS_URL), else
    to its folder."""
    outcome: dict[str, Any] = {}
    errors = []
    plan = {
        "email": (SMTP_CONN_ID, send_email),
        "webhook": (WEBHOOK_CONN_ID, post_webhook),
    }
    for channel in channels:
        conn_id, send = plan[channel]
        endpoint = get_endpoint(conn_id)
        if endpoint is None or not endpoint.host:
            log.warning("%s: no Airflow connection %s, not sent", channel, conn_id)
            outcome[channel] = {"status": "not_configured", "connection": conn_id}
            continue
        try:
            sent = retrying(
                channel,
                lambda s=send, e=endpoint: s(report, e, reports_url=reports_url),
                attempts,
                wait_max,
            )
        except DeliveryError as exc:
            errors.append(str(exc))
            outcome[channel] = {"status": "failed", "error": str(exc)}
            continue
        outcome[channel] = {"status": "sent", **sent}
    report.delivered = outcome
    (report.folder / "delivery.json").write_text(
        json.dumps(outcome, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    if errors:
        raise DeliveryError("; ".join(errors))
    return outcome
