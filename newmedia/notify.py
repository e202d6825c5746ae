"""Tell the team when a task fails: a short message to the group-robot webhook configured as the
Airflow connection `newmedia_webhook` (WeCom or Feishu; the connection's host holds the robot's
full URL); logged only when none is configured."""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Any

log = logging.getLogger(__name__)


def failure_text(context: dict[str, Any]) -> str:
    ti = context.get("task_instance") or context.get("ti")
    dag_id = getattr(ti, "dag_id", "?")
    task_id = getattr(ti, "task_id", "?")
    run_id = getattr(ti, "run_id", "?")
    error = context.get("exception")
    return f"[newmedia] {dag_id}.{task_id} failed in run {run_id}: {error}"


def webhook_url() -> str | None:
    """The group robot's URL from the Airflow connection `newmedia_webhook` (inside a task, or
    from AIRFLOW_CONN_NEWMEDIA_WEBHOOK), or None when none is configured."""
    from reports.delivery import WEBHOOK_CONN_ID, get_endpoint
    from reports.delivery import webhook_url as endpoint_url

    endpoint = get_endpoint(WEBHOOK_CONN_ID)
    return endpoint_url(endpoint) if endpoint is not None and endpoint.host else None


def post_markdown(url: str, text: str, timeout: float = 10.0) -> None:
    """POST a WeCom-style markdown message (Feishu robots accept `msg_type: text`)."""
    if "feishu" in url or "larksuite" in url:
        body = {"msg_type": "text", "content": {"text": text}}
    else:
        body = {"msgtype": "markdown", "markdown": {"content": text}}
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()


def notify_task_failure(context: dict[str, Any]) -> None:
    text = failure_text(context)
    log.error(text)
    url = webhook_url()
    if url:
        try:
            post_markdown(url, text)
        except OSError as exc:
            log.error("could not notify the webhook: %s", exc)
