"""What the dashboard tests share: Superset's virtualenv, provisioning into a home, the server on
a free port, the chart data API with a session, and the comparison of its answers."""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import json
import math
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from registry import names_zh

ROOT = Path(__file__).resolve().parents[2]
SUPERSET_PYTHON = ROOT / ".venv-superset" / "bin" / "python"
PROVISION = ROOT / "dashboards" / "provision.py"
DASHBOARDS = {
    "overview": ("总览", 8),
    "content": ("内容表现", 6),
    "growth": ("用户增长", 4),
    "conversion": ("转化效果", 6),
    "brand": ("品牌影响力", 5),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_superset_venv() -> None:
    """`make dashboard-install` (a no-op when the virtualenv is up to date)."""
    done = subprocess.run(
        ["make", "--no-print-directory", "dashboard-install"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def start_provisioning(home: Path, env: dict[str, str]) -> subprocess.Popen:
    """`provision.py provision` in the background, its output in `<home>/provision.{out,err}`."""
    return subprocess.Popen(
        [str(SUPERSET_PYTHON), str(PROVISION), "provision"],
        env=env,
        stdout=(home / "provision.out").open("w"),
        stderr=(home / "provision.err").open("w"),
    )


def finish_provisioning(home: Path, process: subprocess.Popen, timeout: float = 900) -> str:
    """Wait for `start_provisioning`'s process; fails the test unless it succeeded. Returns its
    standard output."""
    try:
        process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    stdout = (home / "provision.out").read_text()
    stderr = (home / "provision.err").read_text()
    assert process.returncode == 0, stdout[-3000:] + stderr[-5000:]
    return stdout


@contextmanager
def superset_server(home: Path, env: dict[str, str]) -> Iterator[str]:
    """`provision.py serve` with one worker on a free port until the block ends; yields its
    base address once /health answers (the log in `<home>/superset_server.log`)."""
    port = free_port()
    log = (home / "superset_server.log").open("w")
    process = subprocess.Popen(
        [str(SUPERSET_PYTHON), str(PROVISION), "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert process.poll() is None, (home / "superset_server.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "Superset did not start in 4 minutes"
            time.sleep(1)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


class Client:
    """The REST API of a dashboard server: with the browser's session cookies, or logged in
    through the API's own login (`Client.log_in`)."""

    def __init__(
        self, base: str, cookies: list[dict[str, Any]] | None = None, token: str | None = None
    ) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.headers = {}
        if cookies:
            self.headers["Cookie"] = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    @classmethod
    def log_in(cls, base: str, user: str, password: str) -> Client:
        body = json.dumps(
            {"username": user, "password": password, "provider": "db", "refresh": False}
        ).encode()
        request = urllib.request.Request(
            base + "/api/v1/security/login",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return cls(base, token=json.loads(response.read())["access_token"])

    def get(self, path: str) -> Any:
        request = urllib.request.Request(self.base + path, headers=self.headers)
        with self.opener.open(request, timeout=120) as response:
            return json.loads(response.read())

    def charts(self, slug: str) -> dict[str, int]:
        return {
            c["slice_name"]: c["id"] for c in self.get(f"/api/v1/dashboard/{slug}/charts")["result"]
        }

    def data(self, chart_id: int) -> dict[str, Any]:
        result = self.get(f"/api/v1/chart/{chart_id}/data/")["result"][0]
        assert result["status"] == "success" and not result["error"], result
        return result


def rounded(value: Any) -> Any:
    """Rows and numbers compared to 6 decimals (the API returns JSON floats)."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list | tuple):
        return tuple(rounded(v) for v in value)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


def epoch_ms(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)


def same_rows(left: list[dict[str, Any]], right: list[dict[str, Any]]) -> bool:
    """The same rows in any order, numbers equal to 9 significant digits (sums over another
    database add in another order)."""

    def key(row: dict[str, Any]) -> str:
        return json.dumps(
            {k: (f"{v:.8g}" if isinstance(v, float) else v) for k, v in row.items()},
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )

    if len(left) != len(right):
        return False
    for a, b in zip(sorted(left, key=key), sorted(right, key=key), strict=True):
        if a.keys() != b.keys():
            return False
        for name, x in a.items():
            y = b[name]
            if isinstance(x, int | float) and isinstance(y, int | float):
                if not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9):
                    return False
            elif x != y:
                return False
    return True


def check_charts_against_marts(
    client: Client, marts: Callable[[str], list[tuple]]
) -> dict[str, dict[str, int]]:
    """Every chart of every dashboard answers through the chart data API, and the numbers of
    the key charts equal the marts read with `marts(sql)`. Returns the charts' ids by dashboard
    slug and chart name."""
    charts = {slug: client.charts(f"newmedia-{slug}") for slug in DASHBOARDS}
    assert {slug: len(c) for slug, c in charts.items()} == {
        slug: n for slug, (_, n) in DASHBOARDS.items()
    }
    for slug, named in charts.items():  # every chart's saved query runs on the marts
        for name, chart_id in named.items():
            result = client.data(chart_id)
            assert result["rowcount"] > 0 or name.startswith("高价值内容"), (slug, name)

    # 总览: the big numbers are the scorecard's all-platform values, week by week
    for name, kpi, scale in (
        ("全平台阅读/播放量（万）", "views", 10000.0),
        ("全平台GMV（元）", "gmv", 1.0),
    ):
        data = client.data(charts["overview"][name])["data"]
        expected = dict(
            marts(
                f"select week_start, value from marts.mart_kpi_scorecard_weekly "
                f"where kpi = '{kpi}' and platform = 'all'",
            )
        )
        got = {
            row["week_start"]: next(v for k, v in row.items() if k != "week_start") for row in data
        }
        assert rounded(got) == rounded(
            {
                epoch_ms(day): (value / scale if value is not None else None)
                for day, value in expected.items()
            }
        )

    # 总览: the scorecard is the report model's all-platform rows (rates shown in %), its
    # status the model's status_name (the weekly review's words), marked ✓ / ✗
    name = "KPI 记分卡：本周 vs 上周 vs 目标（全平台）"
    marks = {"✓ 达成": "达成", "✗ 未达成": "未达成", "无目标": "无目标", "无数据": "无数据"}
    keys = ("week", "status_name", "value", "previous_value", "target", "wow_change", "attainment")
    got = []
    for row in client.data(charts["overview"][name])["data"]:
        scale = 100.0 if "（%）" in row["kpi_name"] else 1.0
        shown = [row[k] for k in ("value_shown", "previous_shown", "target_shown")]
        values = [row["week"], marks[row["status_shown"]]]
        values += [None if v is None else v / scale for v in shown]
        got.append(dict(zip(keys, [*values, row["wow_change"], row["attainment"]], strict=True)))
    expected = marts(
        f"select {', '.join(keys)} from marts.rpt_kpi_scorecard_weekly where platform = 'all'"
    )
    assert got and same_rows(got, [dict(zip(keys, r, strict=True)) for r in expected])

    # 总览: the platforms' KPIs of the latest week
    data = client.data(charts["overview"]["分平台 KPI：最新一周"])["data"]
    got = {
        (row["kpi_name"], row["platform_name"]): row["kpi_shown"]
        for row in data
        if row["kpi_shown"] is not None
    }
    expected = marts(
        "select kpi, platform, value from marts.rpt_kpi_scorecard_weekly "
        "where weeks_before_latest = 0 and platform <> 'all' and value is not null "
        "and kpi in ('views', 'interaction_rate', 'net_follower_gain', 'gmv', 'roi', 'leads')"
    )
    assert len(got) == len(expected) and {k[0] for k in got} >= {"互动率（%）", "GMV（元）"}
    assert sorted(rounded(v) for v in got.values()) == sorted(
        rounded(value * (100.0 if kpi == "interaction_rate" else 1.0)) for kpi, _, value in expected
    )

    # 内容表现: the top contents are the mart's, by views
    data = client.data(charts["content"]["热门内容 TOP 20"])["data"]
    top = marts(
        "select views from marts.mart_content_performance order by views desc nulls last limit 20",
    )
    assert [row["views"] for row in data] == [v for (v,) in top]

    # 转化效果: GMV per platform and week, and the detail table row by row
    data = client.data(charts["conversion"]["GMV（元）按平台和周"])["data"]
    got = {
        (row["week_start"], row["platform_name"]): row["gmv_sum"]
        for row in data
        if row["gmv_sum"] is not None
    }
    expected = {
        (epoch_ms(week), names_zh().get(platform, platform)): gmv
        for week, platform, gmv in marts(
            "select week_start, platform, gmv from marts.mart_conversion_roi_weekly where gmv is not null",
        )
    }
    assert rounded(got) == rounded(expected)
    data = client.data(charts["conversion"]["转化明细：平台 × 周"])["data"]
    expected = marts(
        "select week, gmv, roi, leads from marts.mart_conversion_roi_weekly order by week desc, platform",
    )
    assert rounded([(r["week"], r["gmv"], r["roi"], r["leads"]) for r in data]) == rounded(expected)

    # 转化效果: the live sessions, newest first, with the mart's GMV and GPM
    data = client.data(charts["conversion"]["直播场次：观看、成交、GMV 与 GPM"])["data"]
    expected = marts(
        "select viewers, gmv, gpm from marts.mart_live_sessions order by started_at desc limit 1000"
    )
    assert data and rounded([(r["viewers"], r["gmv"], r["gpm"]) for r in data]) == rounded(
        [tuple(r) for r in expected]
    )

    # 内容表现: the calendar's plans per platform, account and week, as the mart counts them
    data = client.data(charts["content"]["内容排期：计划 vs 实际发布（平台 × 账号 × 周）"])["data"]
    got = sorted((r["week"], r["account_id"], r["planned"], r["unplanned_published"]) for r in data)
    expected = marts(
        "select week, account_id, planned, unplanned_published from marts.mart_content_calendar_weekly"
    )
    assert got and got == sorted(tuple(r) for r in expected)

    # 用户增长: the daily net gain adds up to the mart's
    data = client.data(charts["growth"]["每日净增粉丝（按平台）"])["data"]
    (total,) = marts("select sum(net_follower_gain) from marts.mart_growth_daily")[0]
    assert sum(row["net_gain_sum"] or 0 for row in data) == total

    # 品牌影响力: the negative items, newest first (at most the chart's 500), with their
    # response time
    data = client.data(charts["brand"]["负面舆情与评论：响应用时与 SLA"])["data"]
    expected = marts(
        "select response_seconds / 60.0 from marts.mart_sentiment_items "
        "where sentiment = 'negative' order by created_at desc limit 500",
    )
    assert rounded([row["response_minutes"] for row in data]) == rounded([m for (m,) in expected])
    return charts
