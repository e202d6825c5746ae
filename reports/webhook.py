"""The one webhook client: markdown messages to the team's WeCom or Feishu group robot.

Every message — reports' summaries, negative-sentiment alerts, task-failure notices — goes
through `post_markdown`, which checks the robot's answer (`errcode`/`code` 0) and is retried
with tenacity (exponential wait) before it raises `DeliveryError`. The robot's URL comes from
the Airflow connection `newmedia_webhook` (host = the robot's full URL): inside a task from the
metadata database or secrets backend, outside one from `AIRFLOW_CONN_NEWMEDIA_WEBHOOK`."""

from __future__ import annotations

import json
import logging
import os
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_attempt
from tenacity import wait_exponential as _wait_exponential

log = logging.getLogger(__name__)
WEBHOOK_CONN_ID = "newmedia_webhook"
ATTEMPTS = 3
T = TypeVar("T")


class DeliveryError(RuntimeError):
    """A channel could not deliver after its retries, or the robot refused the message."""


@dataclass
class Endpoint:
    conn_id: str
    conn_type: str | None
    host: str | None
    port: int | None
    login: str | None
    password: str | None
    schema: str | None
    extra: dict[str, Any]


def get_endpoint(conn_id: str) -> Endpoint | None:
    """The Airflow connection `conn_id`, or None when none is configured."""
    connection = None
    try:
        from airflow.sdk import Connection

        connection = Connection.get(conn_id)
    except Exception as exc:  # not defined, or no Airflow context and no env form
        log.debug("connection %s via airflow.sdk: %s", conn_id, exc)
    if connection is None:
        raw = os.environ.get(f"AIRFLOW_CONN_{conn_id.upper()}")
        if not raw:
            return None
        from airflow.models.connection import Connection as ModelConnection

        raw = raw.strip()
        connection = (
            ModelConnection.from_json(raw, conn_id=conn_id)
            if raw.startswith("{")
            else ModelConnection(conn_id=conn_id, uri=raw)
        )
    extra = connection.extra_dejson if hasattr(connection, "extra_dejson") else {}
    return Endpoint(
        conn_id=conn_id,
        conn_type=connection.conn_type,
        host=connection.host,
        port=connection.port,
        login=connection.login,
        password=connection.password,
        schema=connection.schema,
        extra=dict(extra or {}),
    )


def webhook_url(endpoint: Endpoint) -> str:
    host = (endpoint.host or "").strip()
    if host.startswith(("http://", "https://")):
        return host
    # a URI form split by Airflow into host, port, schema (path) and extra (query)
    scheme = "https" if (endpoint.conn_type or "").lower() in {"https", ""} else "http"
    if endpoint.extra.get("scheme"):
        scheme = endpoint.extra["scheme"]
    query = {k: v for k, v in endpoint.extra.items() if k != "scheme"}
    netloc = host + (f":{endpoint.port}" if endpoint.port else "")
    path = "/" + (endpoint.schema or "").lstrip("/")
    return urllib.parse.urlunsplit((scheme, netloc, path, urllib.parse.urlencode(query), ""))


def configured_webhook_url() -> str | None:
    """The group robot's URL from the connection `newmedia_webhook`, or None when none is set."""
    endpoint = get_endpoint(WEBHOOK_CONN_ID)
    return webhook_url(endpoint) if endpoint is not None and endpoint.host else None


def is_feishu(url: str, endpoint: Endpoint | None = None) -> bool:
    kind = (endpoint.extra.get("kind") if endpoint is not None else None) or ""
    return "feishu" in url or "larksuite" in url or kind == "feishu"


def message_body(url: str, text: str, title: str | None = None, feishu: bool = False) -> dict:
    """WeCom takes `msgtype: markdown`; Feishu an interactive card with a markdown element."""
    if feishu or is_feishu(url):
        card: dict[str, Any] = {"elements": [{"tag": "markdown", "content": text}]}
        if title:
            card["header"] = {"title": {"tag": "plain_text", "content": title}}
        return {"msg_type": "interactive", "card": card}
    return {"msgtype": "markdown", "markdown": {"content": text}}


def post_once(url: str, body: dict, timeout: float = 15.0) -> dict[str, Any]:
    """POST one message and check the robot's answer; DeliveryError when it refuses."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read().decode("utf-8", "replace")
    try:
        answer = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError:
        answer = {}
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    if code not in (0, None):
        raise DeliveryError(f"the robot answered {raw[:300]}")
    return answer


def retrying(
    channel: str, action: Callable[[], T], attempts: int = ATTEMPTS, wait_max: float = 30.0
) -> T:
    """Run `action` with retries on network errors and refusals; DeliveryError after the last."""
    import smtplib

    retryer = Retrying(
        stop=stop_after_attempt(attempts),
        wait=_wait_exponential(multiplier=min(1.0, wait_max), max=wait_max),
        retry=retry_if_exception_type((OSError, smtplib.SMTPException, DeliveryError)),
        reraise=False,
        before_sleep=lambda state: log.warning(
            "%s delivery failed (attempt %s): %s",
            channel,
            state.attempt_number,
            state.outcome.exception() if state.outcome else "?",
        ),
    )
    try:
        return retryer(action)
    except RetryError as exc:
        error = exc.last_attempt.exception()
        raise DeliveryError(
            f"{channel}: not delivered after {attempts} attempts: {error}"
        ) from error


def post_markdown(
    url: str,
    text: str,
    *,
    title: str | None = None,
    attempts: int = ATTEMPTS,
    wait_max: float = 30.0,
    timeout: float = 15.0,
) -> dict[str, Any]:
    """Send a markdown message to the robot at `url`, retried; returns the robot's answer."""
    body = message_body(url, text, title)
    return retrying("webhook", lambda: post_once(url, body, timeout), attempts, wait_max)


def failure_text(context: dict[str, Any]) -> str:
    """The notice of a failed Airflow task: DAG, task, run and the error."""
    from reports.markdown import quote

    ti = context.get("task_instance") or context.get("ti")
    dag_id = getattr(ti, "dag_id", "?")
    task_id = getattr(ti, "task_id", "?")
    run_id = getattr(ti, "run_id", "?")
    error = quote(str(context.get("exception")))
    return f"[newmedia] {dag_id}.{task_id} failed in run {run_id}: {error}"


def notify_task_failure(context: dict[str, Any]) -> None:
    """Airflow failure callback: log the failure and tell the robot when one is configured
    (a short wait between attempts: a callback must not hold the worker)."""
    text = failure_text(context)
    log.error(text)
    url = configured_webhook_url()
    if url:
        try:
            post_markdown(url, text, attempts=2, wait_max=2.0)
        except DeliveryError as exc:
            log.error("could not notify the webhook: %s", exc)


__all__ = [
    "ATTEMPTS",
    "WEBHOOK_CONN_ID",
    "DeliveryError",
    "Endpoint",
    "configured_webhook_url",
    "get_endpoint",
    "notify_task_failure",
    "post_markdown",
    "webhook_url",
]
