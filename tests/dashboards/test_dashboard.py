"""The dashboard in a real browser: a generated warehouse, its marts snapshot, Superset
provisioned from dashboards/assets into a temporary home and served on a free port, logged in
through the login form (there is no public role), every dashboard opened in headless Chromium,
every chart rendered without an error, the chart data API's numbers equal to the marts; then
ingest and dbt run while the dashboard is open and queried.

Screenshots are kept under the test's temporary folder (`<tmp>/screenshots/<dashboard>.png`)."""

from __future__ import annotations

import base64
import datetime as dt
import http.cookiejar
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import duckdb
import pytest

from reports.chromium import Browser

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SUPERSET_PYTHON = ROOT / ".venv-superset" / "bin" / "python"
PROVISION = ROOT / "dashboards" / "provision.py"
START = dt.date(2026, 9, 7)
WEEKS = 5
HELD_BACK = "bilibili"  # loaded by the second test, while the dashboard is open
DASHBOARDS = {
    "overview": ("总览", 8),
    "content": ("内容表现", 5),
    "growth": ("用户增长", 4),
    "conversion": ("转化效果", 5),
    "brand": ("品牌影响力", 5),
}
CHART_PROBE = """(() => Array.from(document.querySelectorAll('.dashboard-component-chart-holder'))
  .map(h => ({
    title: (h.querySelector('[data-test="editable-title"], .header-title') || {}).innerText || '',
    drawn: h.querySelectorAll('canvas, svg, table, .header-line').length,
    loading: h.querySelectorAll('.loading, [data-test="loading-indicator"]').length,
    errors: Array.from(h.querySelectorAll('.ant-alert-error, [data-test="error-message"], .alert-danger'))
      .map(e => e.innerText.slice(0, 300)),
    text: h.innerText.slice(0, 200),
  })))()"""


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


class Client:
    """The chart data API with the browser's session cookie."""

    def __init__(self, base: str, cookies: list[dict[str, Any]]) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.cookie = "; ".join(f"{c['name']}={c['value']}" for c in cookies)

    def get(self, path: str) -> Any:
        request = urllib.request.Request(self.base + path, headers={"Cookie": self.cookie})
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


class Server:
    def __init__(self, home: Path, base: str, process: subprocess.Popen, password: str):
        self.home, self.base, self.process, self.password = home, base, process, password


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory):
    from dashboards.snapshot import publish_snapshot
    from tests.support.warehouse import (
        exports_dir,
        generate,
        ingest_home,
        prepare_and_build,
        warehouse_file,
    )

    ensure_superset_venv()
    home = tmp_path_factory.mktemp("dashboard_home")
    env = {
        **os.environ,
        "NEWMEDIA_HOME": str(home),
        "NEWMEDIA_TARGET": "duckdb",
        "NEWMEDIA_DASHBOARD_USER": "marketer",
    }
    env.pop("NEWMEDIA_DASHBOARD_PASSWORD", None)
    # Superset is provisioned while the warehouse is built: the import needs no data
    started = time.monotonic()
    output = (home / "provision.out").open("w+")
    errors = (home / "provision.err").open("w+")
    provisioning = subprocess.Popen(
        [str(SUPERSET_PYTHON), str(PROVISION), "provision"], env=env, stdout=output, stderr=errors
    )
    try:
        generate(home, START, WEEKS, scale=0.3)
        shutil.move(exports_dir(home) / HELD_BACK, home / "held_back")
        ingest_home(home)
        prepare_and_build(home)
        publish_snapshot(warehouse_file(home), home)
        provisioning.wait(timeout=900)
    finally:
        if provisioning.poll() is None:
            provisioning.kill()
            provisioning.wait()
        output.seek(0)
        errors.seek(0)
        stdout, stderr = output.read(), errors.read()
        output.close()
        errors.close()
    assert provisioning.returncode == 0, stdout[-3000:] + stderr[-5000:]
    done = subprocess.CompletedProcess(provisioning.args, 0, stdout, stderr)
    print(f"built and provisioned in {time.monotonic() - started:.0f} s: {done.stdout.strip()}")
    password_file = home / "superset" / "dashboard.password"
    password = password_file.read_text().strip()
    assert password in done.stdout  # a generated password is printed ...
    assert password_file.stat().st_mode & 0o077 == 0  # ... and kept owner-only
    assert (home / "superset" / "secret.key").stat().st_mode & 0o077 == 0

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
        yield Server(home, base, process, password)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def navigate(browser: Browser, url: str) -> None:
    browser.events.clear()
    browser.call("Page.navigate", {"url": url}, session=browser.session)
    browser.wait_for("Page.loadEventFired")


def wait_until(browser: Browser, expression: str, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = browser.evaluate(expression)
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.5)


def log_in(browser: Browser, server: Server) -> None:
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1440, "height": 2400, "deviceScaleFactor": 1, "mobile": False},
        session=browser.session,
    )
    navigate(browser, server.base + "/superset/dashboard/newmedia-overview/")
    # no public role: the dashboard sends an anonymous visitor to the login form
    assert wait_until(browser, "!!document.querySelector('#username')"), "no login form"
    assert "/login" in browser.evaluate("location.pathname")
    for selector, text in (("#username", "marketer"), ("#password", server.password)):
        browser.evaluate(f"document.querySelector('{selector}').focus()")
        browser.call("Input.insertText", {"text": text}, session=browser.session)
    browser.evaluate("document.querySelector('[data-test=login-button]').click()")
    assert wait_until(browser, "!location.pathname.startsWith('/login')", 60), "login failed"


def open_dashboard(browser: Browser, server: Server, slug: str, charts: int) -> list[dict]:
    navigate(browser, f"{server.base}/superset/dashboard/newmedia-{slug}/")
    probe = f"""(() => {{ const c = {CHART_PROBE};
        return c.length === {charts} && c.every(x => x.loading === 0 && (x.drawn > 0 ||
        x.errors.length > 0 || /没有数据|No results/.test(x.text))) ? c : null; }})()"""
    found = wait_until(browser, probe, 180)
    assert found, f"{slug}: not every chart rendered: {browser.evaluate(CHART_PROBE)}"
    time.sleep(1.5)  # the charts' animations
    return browser.evaluate(CHART_PROBE)


def screenshot(browser: Browser, path: Path) -> None:
    shot = browser.call("Page.captureScreenshot", {"format": "png"}, session=browser.session)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def marts(home: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(home / "dashboard" / "dashboard.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


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


def test_every_dashboard_renders_in_chinese_and_its_numbers_equal_the_marts(dashboard, tmp_path):
    shots = tmp_path / "screenshots"
    with Browser(timeout=120) as browser:
        log_in(browser, dashboard)
        for slug, (title, charts) in DASHBOARDS.items():
            rendered = open_dashboard(browser, dashboard, slug, charts)
            screenshot(browser, shots / f"{slug}.png")
            errors = [(c["title"], c["errors"]) for c in rendered if c["errors"]]
            assert not errors, f"{slug}: charts with errors: {errors}"
            empty = [c["title"] for c in rendered if not c["drawn"]]
            assert not empty, f"{slug}: charts that drew nothing: {empty}"
            text = browser.evaluate("document.body.innerText")
            assert title in text and "平台" in text and "时间范围" in text, text[:500]
            failed = [
                e["params"]["response"]["url"]
                for e in browser.events
                if e.get("method") == "Network.responseReceived"
                and "/api/" in e["params"]["response"]["url"]
                and e["params"]["response"]["status"] >= 400
            ]
            assert not failed, f"{slug}: failed API calls {failed}"
        client = Client(
            dashboard.base, browser.call("Network.getCookies", session=browser.session)["cookies"]
        )
    print(f"screenshots: {shots}")

    home = dashboard.home
    charts = {slug: client.charts(f"newmedia-{slug}") for slug in DASHBOARDS}
    assert {slug: len(c) for slug, c in charts.items()} == {
        slug: n for slug, (_, n) in DASHBOARDS.items()
    }
    for slug, named in charts.items():  # every chart's saved query runs on the marts
        for name, chart_id in named.items():
            result = client.data(chart_id)
            assert result["rowcount"] > 0 or name.startswith("高价值内容"), (slug, name)

    # 总览: the big numbers are the scorecard's all-platform values, week by week
    for name, kpi, scale in (("阅读/播放量（万）", "views", 10000.0), ("GMV（元）", "gmv", 1.0)):
        data = client.data(charts["overview"][name])["data"]
        expected = dict(
            marts(
                home,
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

    # 内容表现: the top contents are the mart's, by views
    data = client.data(charts["content"]["热门内容 TOP 20"])["data"]
    top = marts(
        home,
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
        (epoch_ms(week), "抖音" if platform == "douyin" else platform): gmv
        for week, platform, gmv in marts(
            home,
            "select week_start, platform, gmv from marts.mart_conversion_roi_weekly where gmv is not null",
        )
    }
    assert rounded(got) == rounded(expected)
    data = client.data(charts["conversion"]["转化明细：平台 × 周"])["data"]
    expected = marts(
        home,
        "select week, gmv, roi, leads from marts.mart_conversion_roi_weekly order by week desc, platform",
    )
    assert rounded([(r["week"], r["gmv"], r["roi"], r["leads"]) for r in data]) == rounded(expected)

    # 用户增长: the daily net gain adds up to the mart's
    data = client.data(charts["growth"]["每日净增粉丝（按平台）"])["data"]
    (total,) = marts(home, "select sum(net_follower_gain) from marts.mart_growth_daily")[0]
    assert sum(row["net_gain_sum"] or 0 for row in data) == total

    # 品牌影响力: every negative item, with its response time
    data = client.data(charts["brand"]["负面舆情与评论：响应用时与 SLA"])["data"]
    expected = marts(
        home,
        "select response_seconds / 60.0 from marts.mart_sentiment_items "
        "where sentiment = 'negative' order by created_at desc",
    )
    assert rounded([row["response_minutes"] for row in data]) == rounded([m for (m,) in expected])


def test_ingest_and_dbt_run_while_the_dashboard_is_open_and_queried(dashboard, tmp_path):
    from dashboards.snapshot import publish_snapshot
    from tests.support.warehouse import exports_dir, ingest_home, prepare_and_build, warehouse_file

    home = dashboard.home
    outcomes: list[str] = []
    stop = threading.Event()
    with Browser(timeout=120) as browser:
        log_in(browser, dashboard)
        open_dashboard(browser, dashboard, "content", DASHBOARDS["content"][1])
        client = Client(
            dashboard.base, browser.call("Network.getCookies", session=browser.session)["cookies"]
        )
        chart_id = client.charts("newmedia-content")["阅读/播放量（万）按平台和周"]
        before = {row["platform_name"] for row in client.data(chart_id)["data"]}
        assert "B站" not in before and "抖音" in before

        def query_all_the_time() -> None:
            while not stop.is_set():
                try:
                    client.data(chart_id)
                    outcomes.append("ok")
                except Exception as exc:  # recorded, asserted below
                    outcomes.append(repr(exc)[:300])
                time.sleep(0.2)

        reader = threading.Thread(target=query_all_the_time, daemon=True)
        reader.start()
        try:
            shutil.move(home / "held_back", exports_dir(home) / HELD_BACK)
            results = ingest_home(home, exports_dir(home) / HELD_BACK)
            assert results and all(r.status == "loaded" for r in results), results
            prepare_and_build(home, name="while_open")  # fails the test on any dbt error
            publish_snapshot(warehouse_file(home), home)
            time.sleep(2)
        finally:
            stop.set()
            reader.join(timeout=120)
        after = {row["platform_name"] for row in client.data(chart_id)["data"]}
        assert "B站" in after, after
        failures = [o for o in outcomes if o != "ok"]
        assert outcomes and not failures, failures[:3]
        print(f"{len(outcomes)} chart queries while ingest and dbt ran, none failed")

        rendered = open_dashboard(browser, dashboard, "content", DASHBOARDS["content"][1])
        assert not [c for c in rendered if c["errors"]]
        assert "B站" in browser.evaluate("document.body.innerText")
        screenshot(browser, tmp_path / "screenshots" / "content_after_update.png")
    assert not list((home / "dashboard").glob("*.tmp"))
