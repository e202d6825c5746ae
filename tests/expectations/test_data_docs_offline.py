"""The Data Docs of a run open offline: every page loads the project's copies of the files GX's
templates take from CDNs. A run with a failed check is opened in headless Chromium with the
network shut (every request through a proxy that does not exist, every host unresolvable):
the index's results table, which bootstrap-table fills from JavaScript, lists every suite with
its status, and the failed check's page shows its unexpected rows."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import duckdb
import pytest
from mart_frames import AS_OF, write_marts

from expectations import offline_docs
from expectations.gates import run_gates
from expectations.suites import MART_SUITES
from reports.chromium import Browser

OFFLINE = ("--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND")
CDN_HOSTS = (
    "unpkg.com",
    "jsdelivr.net",
    "cdnjs.cloudflare.com",
    "bootstrapcdn.com",
    "code.jquery.com",
    "amazonaws.com",
)


def gx_templates() -> Path:
    import great_expectations

    return Path(great_expectations.__file__).parent / "render" / "view" / "templates"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """One gate run over the fixture marts with a corrupted engagement row (interaction_rate
    1.7 for douyin in 2026-W47), its Data Docs written."""
    home = tmp_path_factory.mktemp("offline_docs_home")
    warehouse = home / "warehouse.duckdb"
    write_marts(warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(
            "update marts.mart_engagement_weekly set interaction_rate = 1.7 "
            "where platform = 'douyin' and week = '2026-W47'"
        )
    finally:
        con.close()
    results = run_gates(
        warehouse, names=MART_SUITES, home=home, as_of=AS_OF, raise_on_failure=False
    )
    failed = [r.suite for r in results if not r.success]
    assert failed == ["mart_engagement_weekly"]
    return Path(results[0].data_docs).parent


def pages(run_dir: Path) -> list[Path]:
    return [p for p in run_dir.rglob("*.html") if "static" not in p.relative_to(run_dir).parts]


def test_no_page_loads_anything_from_a_cdn(run_dir):
    found = pages(run_dir)
    kinds = {p.relative_to(run_dir).parts[0] for p in found}
    assert kinds == {"index.html", "validations", "expectations"}
    assert len(found) == 1 + 2 * len(MART_SUITES)
    for page in found:
        text = page.read_text(encoding="utf-8")
        assert offline_docs.remote_resources(text) == [], page
        for host in CDN_HOSTS:
            assert host not in text, (page, host)
        # every script and style sheet the page names is a file of the run
        for ref in re.findall(r"""<(?:script|link)\b[^>]*\b(?:src|href)=["']([^"']+)""", text):
            assert (page.parent / ref).resolve().is_file(), (page, ref)


def test_the_index_lists_every_suite_offline(run_dir):
    index = run_dir / "index.html"
    with Browser(extra_flags=OFFLINE) as browser:
        # the network really is shut: a CDN address cannot be fetched
        blocked = browser.evaluate(
            "fetch('https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js')"
            ".then(() => 'fetched', () => 'failed')"
        )
        assert blocked == "failed"
        browser.open(index)
        page = browser.evaluate(
            """(() => {
              const table = document.querySelector('.ge-index-page-validation-results-table');
              const first = {
                info: document.querySelector('.pagination-info').innerText.trim(),
                rows: table.querySelectorAll(':scope > tbody > tr').length,
              };
              jQuery(table).bootstrapTable('togglePagination');
              const rows = Array.from(table.querySelectorAll(':scope > tbody > tr')).map(tr => ({
                text: tr.innerText,
                failed: !!tr.querySelector('.fa-times.text-danger'),
                passed: !!tr.querySelector('.fa-check-circle.text-success'),
              }));
              return {
                first, rows,
                navbar: getComputedStyle(document.querySelector('nav.navbar')).display,
                icons: Array.from(document.fonts).some(
                  f => f.family.includes('Font Awesome 6 Free') && f.status === 'loaded'),
                vega: [typeof vega, typeof vegaLite, typeof vegaEmbed],
              };
            })()"""
        )
        events = list(browser.events)
    # bootstrap-table drew the table: its first page, then every row
    assert page["first"] == {"info": f"Showing 1 to 10 of {len(MART_SUITES)} rows", "rows": 10}
    assert len(page["rows"]) == len(MART_SUITES)
    for suite in MART_SUITES:
        (row,) = [r for r in page["rows"] if re.search(rf"\b{suite}\b", r["text"])]
        assert (row["failed"], row["passed"]) == (
            (True, False) if suite == "mart_engagement_weekly" else (False, True)
        ), suite
    # Bootstrap's styles, Font Awesome's font and vega all loaded from the run's folder
    assert page["navbar"] == "flex" and page["icons"] is True
    assert page["vega"] == ["object", "object", "function"]
    assert_stayed_local(events)


def test_the_failed_check_shows_its_rows_offline(run_dir):
    (page,) = (run_dir / "validations" / "mart_engagement_weekly").rglob("*.html")
    with Browser(extra_flags=OFFLINE) as browser:
        browser.open(page)
        shown = browser.evaluate(
            """(() => {
              const failed = Array.from(document.querySelectorAll('tr'))
                .filter(tr => tr.querySelector(':scope > td .fa-times.text-danger'));
              return failed.map(tr => {
                const inner = tr.querySelector('table');
                const box = inner.getBoundingClientRect();
                return {
                  text: tr.innerText,
                  drawn: !!inner.closest('.bootstrap-table'),
                  visible: box.width > 0 && box.height > 0,
                  rows: Array.from(inner.querySelectorAll(':scope > tbody > tr')).map(
                    r => Array.from(r.cells).map(c => c.innerText.trim())),
                };
              });
            })()"""
        )
        events = list(browser.events)
        # the suite's own page (its expectations) is drawn from the run's files as well
        browser.open(run_dir / "expectations" / "mart_engagement_weekly.html")
        suite_page = browser.evaluate(
            "({navbar: getComputedStyle(document.querySelector('nav.navbar')).display,"
            " text: document.body.innerText})"
        )
        suite_events = list(browser.events)
    assert suite_page["navbar"] == "flex" and "interaction_rate" in suite_page["text"]
    assert_stayed_local(suite_events)
    (check,) = shown
    assert "1 unexpected values found" in check["text"] and "of 14 total rows" in check["text"]
    assert "less than or equal to 1.0" in check["text"]
    assert check["rows"] == [["1.7", "1"]]
    assert check["drawn"] and check["visible"]
    assert_stayed_local(events)


def assert_stayed_local(events: list[dict]) -> None:
    requests, failures = [], []
    for event in events:
        params = event.get("params", {})
        if event.get("method") == "Network.requestWillBeSent":
            requests.append(params["request"]["url"])
        elif event.get("method") == "Runtime.exceptionThrown":
            failures.append(str(params.get("exceptionDetails"))[:300])
        elif event.get("method") == "Network.loadingFailed":
            failures.append(params.get("errorText", ""))
    remote = [url for url in requests if not url.startswith(("file:", "data:", "about:"))]
    assert remote == [] and failures == []
    assert any(url.endswith("/jquery.min.js") for url in requests)


# --------------------------------------------------------------------------- no browser


def test_every_cdn_file_of_the_templates_has_a_copy():
    """A GX upgrade that asks for another file fails here, not in a user's browser."""
    asked = set()
    for template in gx_templates().glob("*.j2"):
        asked |= {
            url
            for url in offline_docs.remote_resources(template.read_text(encoding="utf-8"))
            if not url.startswith(offline_docs.GX_IMAGES)
        }
    assert asked == set(offline_docs.CDN)


def test_the_copies_are_the_files_the_templates_pin():
    """Where the templates pin a file by its sha384 (Subresource Integrity), the copy is that
    very file."""
    assets = offline_docs.check()
    text = (gx_templates() / "js_script_imports.j2").read_text(encoding="utf-8")
    pinned = re.findall(r'src="([^"]+)" integrity="(sha384-[^"]+)"', text)
    assert len(pinned) == 2
    for url, integrity in pinned:
        copy = assets / offline_docs.local_path(url).removeprefix("vendor/")
        digest = base64.b64encode(hashlib.sha384(copy.read_bytes()).digest()).decode()
        assert f"sha384-{digest}" == integrity, url


def test_the_assets_carry_versions_and_licences():
    assets = offline_docs.check()
    import json

    manifest = json.loads((assets / "manifest.json").read_text(encoding="utf-8"))
    by_name = {p["name"]: p for p in manifest["packages"]}
    assert set(by_name) == {p.name for p in offline_docs.PACKAGES}
    assert by_name["vega"]["version"] == "5.33.1" and by_name["vega"]["license"]
    assert all(p["integrity"].startswith("sha512-") for p in by_name.values())
    assert all(p["license"] for p in by_name.values())


def test_a_page_keeps_its_data_and_links():
    page = (
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'
        '<script src="https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js" '
        'integrity="sha384-x" crossorigin="anonymous"></script>'
        '<a href="https://greatexpectations.io">GX</a>'
        "<td>https://code.jquery.com/jquery-3.7.1.min.js</td>"
        '<img src="https://example.com/x.png">'
    )
    new = offline_docs.rewrite_page(page, "../static")
    assert '<script src="../static/vendor/jquery-3.7.1/dist/jquery.min.js"></script>' in new
    assert (
        '<script src="../static/vendor/bootstrap-4.3.1/dist/js/bootstrap.min.js"></script>' in new
    )
    # a value in the data and a plain link stay as they were; an unknown load is reported
    assert "<td>https://code.jquery.com/jquery-3.7.1.min.js</td>" in new
    assert '<a href="https://greatexpectations.io">' in new
    assert offline_docs.remote_resources(new) == ["https://example.com/x.png"]


def test_missing_assets_say_how_to_install_them(tmp_path):
    with pytest.raises(offline_docs.AssetsMissingError, match="make install"):
        offline_docs.check(tmp_path)
