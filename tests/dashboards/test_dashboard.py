"""The dashboard in a real browser: a generated warehouse, its marts snapshot, Superset
provisioned from dashboards/assets into a temporary home and served on a free port, logged in
through the login form (there is no public role), every dashboard opened in headless Chromium,
every chart rendered without an error, the chart data API's numbers equal to the marts; then
ingest and dbt run while the dashboard is open and queried.

Screenshots are kept under the test's temporary folder (`<tmp>/screenshots/<dashboard>.png`)."""

from __future__ import annotations

import base64
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from reports.chromium import Browser
from tests.dashboards.conftest import HELD_BACK, Server
from tests.dashboards.support import DASHBOARDS, Client, check_charts_against_marts

pytestmark = pytest.mark.slow

CHART_PROBE = """(() => Array.from(document.querySelectorAll('.dashboard-component-chart-holder'))
  .map(h => ({
    title: (h.querySelector('[data-test="editable-title"], .header-title') || {}).innerText || '',
    drawn: h.querySelectorAll('canvas, svg, table, .header-line').length,
    loading: h.querySelectorAll('.loading, [data-test="loading-indicator"]').length,
    errors: Array.from(h.querySelectorAll('.ant-alert-error, [data-test="error-message"], .alert-danger'))
      .map(e => e.innerText.slice(0, 300)),
    text: h.innerText.slice(0, 200),
  })))()"""


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
    page = server.base + "/superset/dashboard/newmedia-overview/"
    navigate(browser, page)
    # no public role: the dashboard sends an anonymous visitor to the login form
    assert wait_until(browser, "!!document.querySelector('#username')"), "no login form"
    assert "/login" in browser.evaluate("location.pathname")
    for _ in range(3):
        for selector, text in (("#username", server.user), ("#password", server.password)):
            browser.evaluate(f"document.querySelector('{selector}').focus()")
            browser.call("Input.insertText", {"text": text}, session=browser.session)
        browser.evaluate("document.querySelector('[data-test=login-button]').click()")
        assert wait_until(browser, "!location.pathname.startsWith('/login')", 60), "login failed"
        # The login form's page sends its event log as the form posts; sent without the new
        # session, it is redirected to the login form, whose answer can replace the session
        # cookie just set (seen once on a loaded CI machine: logged in, then the next page was
        # the login form again). The login counts once a page loaded after it still holds it.
        time.sleep(1)
        navigate(browser, page)
        if not browser.evaluate("location.pathname").startswith("/login"):
            return
        assert wait_until(browser, "!!document.querySelector('#username')"), "no login form"
    raise AssertionError("the login did not hold: three times back on the login form")


PAGE_STATE = """(() => ({path: location.pathname, title: document.title,
  text: (document.body ? document.body.innerText : '').slice(0, 300)}))()"""


def open_dashboard(browser: Browser, server: Server, slug: str, charts: int) -> list[dict]:
    url = f"{server.base}/superset/dashboard/newmedia-{slug}/"
    navigate(browser, url)
    probe = f"""(() => {{ const c = {CHART_PROBE};
        return c.length === {charts} && c.every(x => x.loading === 0 && (x.drawn > 0 ||
        x.errors.length > 0 || /没有数据|No results/.test(x.text))) ? c : null; }})()"""
    found = wait_until(browser, probe, 180)
    stuck = None
    if not found and not browser.evaluate(CHART_PROBE):
        # the dashboard's page itself never came up (no chart holder at all, seen once on a
        # loaded CI machine right after the login's redirect): say what it showed, load it again
        stuck = browser.evaluate(PAGE_STATE)
        navigate(browser, url)
        found = wait_until(browser, probe, 180)
    assert found, (
        f"{slug}: not every chart rendered: {browser.evaluate(CHART_PROBE)}; "
        f"page: {browser.evaluate(PAGE_STATE)}; before loading it again: {stuck}"
    )
    if stuck:
        print(f"{slug}: rendered when loaded again; the first load showed {stuck}")
    time.sleep(1.5)  # the charts' animations
    return browser.evaluate(CHART_PROBE)


def screenshot(browser: Browser, path: Path) -> None:
    shot = browser.call("Page.captureScreenshot", {"format": "png"}, session=browser.session)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def marts(home: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(home / "dashboard" / "dashboard.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


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

    check_charts_against_marts(client, lambda sql: marts(dashboard.home, sql))


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
