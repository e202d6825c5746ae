"""Delivery against local servers: an SMTP server (aiosmtpd) receives the e-mail with the PDF
attached, an HTTP server on 127.0.0.1 receives the group robot's markdown with the KPI numbers;
a failing robot is retried; a report held by a failed gate is neither rendered nor sent."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from newmedia.settings import Settings
from newmedia.tasks import publish_report
from reports import ReportHeldError
from reports.delivery import DeliveryError, deliver, get_endpoint, summary_markdown, webhook_url
from tests.reports.marts_fixture import WEEK, copy_fixture_warehouse, kpi_value

pytestmark = pytest.mark.slow


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture()
def smtp_server():
    mailbox = Mailbox()
    with socket.socket() as probe:  # a free port (aiosmtpd's Controller cannot take port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()


class Robot:
    """A group robot on 127.0.0.1: records each POST; answers 500 to the first `fail` ones."""

    def __init__(self, fail: int = 0) -> None:
        self.fail = fail
        self.requests: list[tuple[str, dict]] = []

    def handler(self):
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                robot.requests.append((self.path, json.loads(body.decode("utf-8"))))
                if len(robot.requests) <= robot.fail:
                    self.send_response(500)
                    self.end_headers()
                    return
                answer = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture()
def robot():
    state = Robot()
    server = ThreadingHTTPServer(("127.0.0.1", 0), state.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test-key"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def connections(monkeypatch, smtp_server, robot):
    _, port = smtp_server
    smtp = {
        "conn_type": "smtp",
        "host": "127.0.0.1",
        "port": port,
        "extra": {
            "from_email": "reports@brand.example",
            "to": ["ops@brand.example", "pm@brand.example"],
        },
    }
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", json.dumps(smtp))
    monkeypatch.setenv(
        "AIRFLOW_CONN_NEWMEDIA_WEBHOOK", json.dumps({"conn_type": "http", "host": robot.url})
    )


@pytest.fixture()
def data_home(tmp_path, fixture_warehouse) -> Path:
    copy_fixture_warehouse(fixture_warehouse, tmp_path)
    return tmp_path


def settings(home: Path) -> Settings:
    return Settings(home=home, exports=home / "exports", target="duckdb")


def test_report_is_mailed_with_its_pdf_and_posted_to_the_robot(
    data_home, connections, smtp_server, robot
):
    mailbox, _ = smtp_server
    result = publish_report("weekly", WEEK, deliver=True, settings=settings(data_home))

    assert len(mailbox.messages) == 1
    sender, recipients, message = mailbox.messages[0]
    assert sender == "reports@brand.example"
    assert recipients == ["ops@brand.example", "pm@brand.example"]
    assert message["Subject"] == f"【数据复盘报告】{WEEK}"
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    assert attachments[0].get_filename() == f"数据复盘报告_{WEEK}.pdf"
    assert attachments[0].get_content_type() == "application/pdf"
    assert attachments[0].get_content() == Path(result["pdf"]).read_bytes()
    assert f"{kpi_value('views', WEEK):,}" in message.get_body(("plain",)).get_content()

    assert len(robot.requests) == 1
    path, body = robot.requests[0]
    assert path == "/cgi-bin/webhook/send?key=test-key"
    assert body["msgtype"] == "markdown"
    text = body["markdown"]["content"]
    assert f"【数据复盘报告】{WEEK}" in text
    for value in (
        f"{kpi_value('views', WEEK):,}",
        f"{kpi_value('gmv', WEEK):,.2f}",
        f"{kpi_value('net_follower_gain', WEEK):,}",
        f"{kpi_value('leads', WEEK):,}",
    ):
        assert value in text, value
    assert str(Path(result["folder"])) in text
    assert result["delivered"]["email"]["status"] == "sent"
    assert result["delivered"]["webhook"]["status"] == "sent"
    recorded = json.loads((Path(result["folder"]) / "delivery.json").read_text("utf-8"))
    assert recorded["webhook"]["status"] == "sent"


def test_a_failing_robot_is_retried(data_home, connections, smtp_server, robot):
    robot.fail = 1
    result = publish_report("user-needs", WEEK, deliver=True, settings=settings(data_home))
    assert len(robot.requests) == 2 and robot.requests[0][1] == robot.requests[1][1]
    assert result["delivered"]["webhook"]["status"] == "sent"
    assert "用户需求周报" in robot.requests[1][1]["markdown"]["content"]


def test_an_unreachable_server_fails_after_the_retries(data_home, monkeypatch, robot):
    from reports import publish_report as publish

    monkeypatch.setenv(
        "AIRFLOW_CONN_SMTP_DEFAULT",
        json.dumps(
            {"conn_type": "smtp", "host": "127.0.0.1", "port": 9, "extra": {"to": ["a@b.c"]}}
        ),
    )
    monkeypatch.delenv("AIRFLOW_CONN_NEWMEDIA_WEBHOOK", raising=False)
    import reports.chromium

    monkeypatch.setattr(
        reports.chromium, "print_pdf", lambda html, pdf, title, **_: pdf.write_bytes(b"%PDF")
    )
    published = publish("weekly", WEEK, home=data_home)
    with pytest.raises(DeliveryError, match="email: not delivered after 3 attempts"):
        deliver(published, wait_max=0.01)
    assert published.delivered["webhook"]["status"] == "not_configured"
    assert robot.requests == []


def test_a_held_report_is_never_sent(data_home, connections, smtp_server, robot):
    from expectations.holds import record_results

    mailbox, _ = smtp_server
    record_results(
        data_home,
        [
            {
                "suite": "mart_kpi_scorecard_weekly",
                "table": "marts.mart_kpi_scorecard_weekly",
                "severity": "blocking",
                "success": False,
                "failed": [
                    {
                        "expectation": "expect_column_values_to_be_between",
                        "column": "attainment",
                        "detail": "2 rows below 0",
                        "examples": [-1.5],
                    }
                ],
            }
        ],
    )
    folder = data_home / "reports" / "weekly" / WEEK
    folder.mkdir(parents=True)
    (folder / f"数据复盘报告_{WEEK}.html").write_text("an earlier run")
    with pytest.raises(ReportHeldError) as held:
        publish_report("weekly", WEEK, deliver=True, settings=settings(data_home))
    assert "attainment" in str(held.value)
    assert [p.name for p in folder.iterdir()] == ["HOLD.md"]
    assert (folder / "HOLD.md").read_text("utf-8") == held.value.notice
    assert mailbox.messages == [] and robot.requests == []


def test_connection_forms_and_feishu(data_home, monkeypatch, robot):
    monkeypatch.setenv("AIRFLOW_CONN_NEWMEDIA_WEBHOOK", robot.url)  # URI form
    endpoint = get_endpoint("newmedia_webhook")
    assert webhook_url(endpoint) == robot.url
    monkeypatch.delenv("AIRFLOW_CONN_NEWMEDIA_WEBHOOK")
    assert get_endpoint("newmedia_webhook") is None

    from reports import publish_report as publish
    from reports.delivery import Endpoint, post_webhook

    published = publish("weekly", WEEK, home=data_home, pdf=False)
    feishu = Endpoint(
        "newmedia_webhook", "http", robot.url, None, None, None, None, {"kind": "feishu"}
    )
    post_webhook(published, feishu)
    body = robot.requests[-1][1]
    assert body["msg_type"] == "interactive"
    assert body["card"]["elements"][0]["content"] == summary_markdown(published)


def test_the_weekly_review_links_to_the_dashboard_when_its_address_is_configured(
    tmp_path, fixture_warehouse
):
    from reports.publish import publish_report as render

    copy_fixture_warehouse(fixture_warehouse, tmp_path)
    address = "http://bi.example.com:8088/superset/dashboard/newmedia-overview/?a=1&b=<2>"
    weekly = render("weekly", WEEK, home=tmp_path, pdf=False, dashboard=address)
    html = weekly.html.read_text(encoding="utf-8")
    escaped = address.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert f'每日数据看板：<a href="{escaped}">' in html
    assert f"每日数据看板：[{address}]({address})" in summary_markdown(weekly)
    # the weekly review only
    needs = render("user-needs", WEEK, home=tmp_path, pdf=False, dashboard=address)
    assert "数据看板" not in needs.html.read_text(encoding="utf-8")
    assert "数据看板" not in summary_markdown(needs)

    unset = render("weekly", WEEK, home=tmp_path, pdf=False)
    assert "数据看板" not in unset.html.read_text(encoding="utf-8")
    not_web = render("weekly", WEEK, home=tmp_path, pdf=False, dashboard="file:///etc/passwd")
    assert "数据看板" not in not_web.html.read_text(encoding="utf-8")


def test_the_addresses_of_the_settings_reach_the_messages(
    data_home, connections, smtp_server, robot, monkeypatch
):
    """NEWMEDIA_REPORTS_URL and NEWMEDIA_DASHBOARD_URL, read once by the settings (here from
    the environment, as an Airflow task reads them), are the links of the e-mail and the robot's
    message."""
    import urllib.parse

    mailbox, _ = smtp_server
    monkeypatch.setenv("NEWMEDIA_HOME", str(data_home))
    monkeypatch.setenv("NEWMEDIA_TARGET", "duckdb")
    monkeypatch.setenv("NEWMEDIA_REPORTS_URL", "https://reports.brand.example/r/")
    monkeypatch.setenv("NEWMEDIA_DASHBOARD_URL", " https://bi.brand.example/d/1 ")
    result = publish_report("weekly", WEEK, deliver=True)
    name = urllib.parse.quote(Path(result["html"]).name)
    link = f"https://reports.brand.example/r/weekly/{WEEK}/{name}"
    text = robot.requests[0][1]["markdown"]["content"]
    assert f"]({link})" in text
    assert "每日数据看板：[https://bi.brand.example/d/1](https://bi.brand.example/d/1)" in text
    _, _, message = mailbox.messages[0]
    assert message.get_body(("plain",)).get_content().rstrip().endswith(link)
