"""Negative-sentiment alerts reach the group robot once each, with the platform, text, link and
SLA deadline; a failed send is retried at the next run."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import duckdb
import pytest

from newmedia.settings import get_settings
from reports.alerts import send_negative_alerts
from reports.webhook import DeliveryError

#: the hour after the fixture's items were created
NOW = dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


class Robot(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []
    fail = False

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if Robot.fail:
            self.send_response(500)
            self.end_headers()
            return
        Robot.received.append(body)
        answer = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture()
def robot():
    Robot.received, Robot.fail = [], False
    server = HTTPServer(("127.0.0.1", 0), Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test"
    server.shutdown()


@pytest.fixture()
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWMEDIA_HOME", str(tmp_path))
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("set TimeZone = 'Asia/Shanghai'")
    con.execute("create schema marts")
    con.execute(
        """
        create table marts.mart_sentiment_items as
        select * from (values
            ('m1', 'mention', 'xiaohongshu', null, '质量太差了，客服也不回 <b>', 'https://www.xiaohongshu.com/explore/m1',
             timestamptz '2026-11-23 10:00:00+08', timestamptz '2026-11-23 11:00:00+08', 'negative',
             'lexicon', 0.97),
            ('c1', 'comment', 'douyin', 'dy_main', '发货太慢', null,
             timestamptz '2026-11-23 12:30:00+08', timestamptz '2026-11-23 13:30:00+08', 'negative',
             'lexicon', 0.8),
            ('c2', 'comment', 'douyin', 'dy_main', '很好用', null,
             timestamptz '2026-11-23 12:31:00+08', timestamptz '2026-11-23 13:31:00+08', 'positive',
             'lexicon', 0.02)
        ) as t(item_key, item_type, platform, account_id, item_text, url, created_at,
               sla_deadline_at, sentiment, sentiment_source, negative_probability)
        """
    )
    con.close()
    return get_settings()


def test_each_negative_item_is_sent_once(settings, robot):
    first = send_negative_alerts(settings.home, settings.warehouse_path, webhook=robot, now=NOW)
    assert first == {"pending": 2, "sent": 2}
    texts = [body["markdown"]["content"] for body in Robot.received]
    assert "小红书" in texts[0] and "质量太差了" in texts[0] and "＜b＞" in texts[0]
    assert "[查看原文](https://www.xiaohongshu.com/explore/m1)" in texts[0]
    assert "2026-11-23 11:00" in texts[0]  # the SLA deadline, Shanghai time
    assert "抖音" in texts[1] and "发货太慢" in texts[1] and "2026-11-23 13:30" in texts[1]
    assert not any("很好用" in t for t in texts)
    second = send_negative_alerts(settings.home, settings.warehouse_path, webhook=robot, now=NOW)
    assert second == {"pending": 0, "sent": 0} and len(Robot.received) == 2


def test_a_failed_send_is_retried_next_run(settings, robot):
    Robot.fail = True
    with pytest.raises(DeliveryError):
        send_negative_alerts(settings.home, settings.warehouse_path, webhook=robot, now=NOW)
    Robot.fail = False
    assert send_negative_alerts(settings.home, settings.warehouse_path, webhook=robot, now=NOW) == {
        "pending": 2,
        "sent": 2,
    }


def test_pending_alerts_without_a_webhook_are_an_error(settings, monkeypatch):
    monkeypatch.delenv("AIRFLOW_CONN_NEWMEDIA_WEBHOOK", raising=False)
    with pytest.raises(RuntimeError, match="newmedia_webhook"):
        send_negative_alerts(settings.home, settings.warehouse_path, now=NOW)


def test_items_older_than_the_window_are_not_alerted(settings, robot):
    # a first deployment loads months of history: only the recent negatives reach the robot
    later = NOW + dt.timedelta(
        hours=70
    )  # 72 h before is 12:00: m1 (10:00) is older, c1 (12:30) not
    assert send_negative_alerts(
        settings.home, settings.warehouse_path, webhook=robot, now=later
    ) == {"pending": 1, "sent": 1}
    assert "发货太慢" in Robot.received[0]["markdown"]["content"]
    assert send_negative_alerts(
        settings.home,
        settings.warehouse_path,
        webhook=robot,
        now=NOW,
        max_age_window=dt.timedelta(hours=1),
    ) == {"pending": 0, "sent": 0}


def test_the_alert_task_takes_its_window_from_the_settings(settings, robot, monkeypatch):
    """The hourly task (`newmedia.tasks.send_alerts`) alerts within NEWMEDIA_ALERT_MAX_AGE_HOURS,
    read once by the settings: the fixture's items are weeks old, beyond the default 72 h."""
    from newmedia.tasks import send_alerts

    monkeypatch.setenv(
        "AIRFLOW_CONN_NEWMEDIA_WEBHOOK", json.dumps({"conn_type": "http", "host": robot})
    )
    assert get_settings().alert_max_age is None
    assert send_alerts(get_settings()) == {"pending": 0, "sent": 0}
    monkeypatch.setenv("NEWMEDIA_ALERT_MAX_AGE_HOURS", str(24 * 3650))
    assert send_alerts(get_settings()) == {"pending": 2, "sent": 2}
    assert "质量太差了" in Robot.received[0]["markdown"]["content"]


def test_hostile_text_and_links_stay_inert(settings, robot):
    """A comment carrying a markdown link, a line break and a <font> tag, and a mention whose
    url is javascript: or on a foreign host, reach the robot as plain text, never as a link."""
    con = duckdb.connect(str(settings.warehouse_path))
    con.execute(
        """
        insert into marts.mart_sentiment_items values
        ('h1', 'comment', 'douyin', 'dy_main',
         e'太差了[领取赔偿](http://evil.example/pay)\n# 标题 <font color="red">点我</font>', null,
         timestamptz '2026-11-23 10:10:00+08', timestamptz '2026-11-23 11:10:00+08', 'negative',
         'lexicon', 0.9),
        ('h2', 'mention', 'weibo', null, '垃圾', 'javascript:alert(1)',
         timestamptz '2026-11-23 10:20:00+08', timestamptz '2026-11-23 11:20:00+08', 'negative',
         'lexicon', 0.9),
        ('h3', 'mention', 'weibo', null, '差评', 'https://weibo.com.evil.example/x',
         timestamptz '2026-11-23 10:30:00+08', timestamptz '2026-11-23 11:30:00+08', 'negative',
         'lexicon', 0.9)
        """
    )
    con.close()
    send_negative_alerts(settings.home, settings.warehouse_path, webhook=robot, now=NOW)
    texts = {
        body["markdown"]["content"].split("\n")[1]: body["markdown"]["content"]
        for body in Robot.received
    }
    hostile = next(t for t in Robot.received if "领取赔偿" in t["markdown"]["content"])
    text = hostile["markdown"]["content"]
    assert "](http" not in text and "<font" not in text and "\n# " not in text
    assert r"\[领取赔偿\]\(http://evil\.example/pay\)" in text
    assert '＜font color="red"＞' in text
    js = next(t for t in texts.values() if "垃圾" in t)
    assert "](" not in js and "javascript:alert\\(1\\)" in js
    foreign = next(t for t in texts.values() if "差评" in t)
    assert "](" not in foreign and "weibo\\.com\\.evil\\.example" in foreign


def test_a_probable_negative_the_model_labelled_otherwise_alerts_but_a_person_or_tool_label_wins(
    settings, robot
):
    """Alerts are tuned for recall: the model's neutral with P(negative) at the threshold
    alerts; below it, or where an override or the monitoring tool gave the label, it does not."""
    from sentiment.classifier import ALERT_THRESHOLD

    con = duckdb.connect(str(settings.warehouse_path))
    con.execute(
        """
        insert into marts.mart_sentiment_items values
        ('p1', 'comment', 'douyin', 'dy_main', '喝完有点头晕', null,
         timestamptz '2026-11-23 12:40:00+08', timestamptz '2026-11-23 13:40:00+08', 'neutral',
         'lexicon', ?),
        ('p2', 'comment', 'douyin', 'dy_main', '还没喝', null,
         timestamptz '2026-11-23 12:41:00+08', timestamptz '2026-11-23 13:41:00+08', 'neutral',
         'lexicon', ?),
        ('p3', 'comment', 'douyin', 'dy_main', '绝了绝了', null,
         timestamptz '2026-11-23 12:42:00+08', timestamptz '2026-11-23 13:42:00+08', 'positive',
         'override', 0.9),
        ('p4', 'mention', 'weibo', null, '我也是醉了', null,
         timestamptz '2026-11-23 12:43:00+08', timestamptz '2026-11-23 13:43:00+08', 'neutral',
         'source_label', 0.9)
        """,
        [ALERT_THRESHOLD, ALERT_THRESHOLD - 0.01],
    )
    con.close()
    assert send_negative_alerts(settings.home, settings.warehouse_path, webhook=robot, now=NOW) == {
        "pending": 3,
        "sent": 3,
    }
    texts = "\n".join(body["markdown"]["content"] for body in Robot.received)
    assert "喝完有点头晕" in texts
    assert "还没喝" not in texts and "绝了绝了" not in texts and "我也是醉了" not in texts
