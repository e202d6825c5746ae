"""Tell the team when a task fails: a short message to the group-robot webhook configured as the
Airflow connection `newmedia_webhook` (WeCom or Feishu; the connection's host holds the robot's
full URL); logged only when none is configured."""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Any

log = logging.getLogger(__name__)
CONNECTION_ID = "newmedia_webhook"


def failure_text(context: dict[str, Any]) -> str:
    ti = context.get("task_instance") or context.get("ti")
    dag_id = getattr(ti, "dag_id", "?")
    task_id = getattr(ti, "task_id", "?")
    run_id = getattr(ti, "run_id", "?")
    error = context.get("exception")
    return f"[newmedia] {dag_id}.{task_id} failed in run {run_id}: {error}"


def webhook_url() -> str | None:
    try:
        from airflow.sdk import Connection

        connection = Connection.get(CONNECTION_ID)
    except Exception:  # no such connection, or no Airflow context
        return None
    return connection.host or None


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
