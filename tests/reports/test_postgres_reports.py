"""The reports and the alerts on the PostgreSQL target are those of DuckDB: a generated corpus
built on both (DuckDB stages and mirrors the raw layer, `dbt build` on each; a throwaway
cluster whose database collates zh-CN), then the three reports published from each target
through `newmedia.tasks.publish_report` (NEWMEDIA_TARGET=postgres reads the marts over
warehouse.PostgresReader) and compared: every workbook cell by cell, the HTML and the summary
equal; the negative alerts equal and delivered to a local robot."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar
from unittest import mock

import openpyxl
import psycopg2
import pytest

from newmedia.settings import Settings, get_settings
from newmedia.tasks import prepare_warehouse, publish_report, send_alerts
from reports.alerts import pending_alerts, send_negative_alerts
from reports.base import MartMissingError
from tests.support.pg_cluster import database
from tests.support.warehouse import (
    PIPELINE_BUILD,
    dbt_env,
    exports_dir,
    generate,
    ingest_home,
    prepare,
    run_dbt,
    together,
    warehouse_file,
)
from warehouse import open_reader

pytestmark = pytest.mark.slow

START = dt.date(2026, 9, 7)  # Monday of 2026-W37: six weeks reach into 2026Q4
WEEKS = 6
PERIODS = {"weekly": "2026-W42", "user-needs": "2026-W42", "quarterly": "2026Q4"}
#: after the corpus' last day; the window holds its last days' negative items
NOW = dt.datetime(2026, 10, 19, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
WINDOW = dt.timedelta(days=4)


@pytest.fixture(scope="module")
def targets(tmp_path_factory: pytest.TempPathFactory, pg_server: str):
    """(DuckDB settings, PostgreSQL settings, the NEWMEDIA_PG_* environment) of one corpus."""
    home = tmp_path_factory.mktemp("pg_reports")
    # generated, ingested and prepared on DuckDB; built below on both targets
    generate(home, START, WEEKS)
    ingest_home(home)
    prepare(home)
    with database(pg_server, "postgres_reports") as parsed:
        pg_env = {
            "NEWMEDIA_TARGET": "postgres",
            "NEWMEDIA_PG_HOST": parsed.host,
            "NEWMEDIA_PG_PORT": str(parsed.port),
            "NEWMEDIA_PG_USER": parsed.username,
            "NEWMEDIA_PG_PASSWORD": "",
            "NEWMEDIA_PG_DBNAME": parsed.database,
        }
        pg_home = home / "pg_home"
        pg_home.mkdir()
        duck = Settings(home=home, exports=exports_dir(home), target="duckdb")
        with mock.patch.dict(os.environ, pg_env):
            pg = replace(get_settings(), home=pg_home, exports=exports_dir(home))
            # the raw layer staged in home's DuckDB file, mirrored to PostgreSQL
            prepare_warehouse(replace(pg, home=home))
        together(  # dbt on DuckDB and on PostgreSQL at the same time, as the pipeline builds
            lambda: run_dbt(home, *PIPELINE_BUILD, name="duckdb", timeout=900),
            lambda: run_dbt(
                home, *PIPELINE_BUILD, env=dbt_env(home, **pg_env), name="postgres", timeout=900
            ),
        )
        with mock.patch.dict(os.environ, pg_env):
            yield duck, pg, pg_env


@pytest.fixture(scope="module")
def published(targets) -> dict[str, dict[str, dict[str, Any]]]:
    duck, pg, _env = targets
    return {
        kind: {
            settings.target: publish_report(kind, period, deliver=False, settings=settings)
            for settings in (duck, pg)
        }
        for kind, period in PERIODS.items()
    }


def _sheets(path: str) -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(path)
    return {
        sheet.title: [[c.value for c in row] for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }


def _same(a: Any, b: Any) -> bool:
    """Equal cells; numbers summed in another order by the other database may differ in the
    last bits (757031.08 and 757031.0799999999), never in what the cell shows."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) or (a != a and b != b)
    return a == b and type(a) is type(b)


GENERATED = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
CHART_ID = re.compile(r"\bc\d+-")


@pytest.mark.parametrize("kind", list(PERIODS))
def test_the_workbooks_are_the_same_cell_by_cell(published, kind):
    duck = _sheets(published[kind]["duckdb"]["xlsx"])
    pg = _sheets(published[kind]["postgres"]["xlsx"])
    assert list(pg) == list(duck)
    assert len(duck) >= 3, "the report's tables are sheets"
    about = next(iter(duck))  # the first sheet: its generation time is the minute of the run
    for title, rows in duck.items():
        other = pg[title]
        if title == about:
            rows = [[GENERATED.sub("…", str(v)) for v in row] for row in rows]
            other = [[GENERATED.sub("…", str(v)) for v in row] for row in other]
        assert len(other) == len(rows), title
        for number, (left, right) in enumerate(zip(rows, other, strict=True), start=1):
            assert len(right) == len(left), f"sheet {title} row {number}"
            differing = [(a, b) for a, b in zip(left, right, strict=True) if not _same(a, b)]
            assert not differing, f"sheet {title} row {number}: {differing}"
    filled = sum(1 for rows in duck.values() for row in rows for v in row if v not in (None, ""))
    assert filled > 50


@pytest.mark.parametrize("kind", list(PERIODS))
def test_the_html_pdf_and_summary_are_the_same(published, kind):
    duck, pg = published[kind]["duckdb"], published[kind]["postgres"]
    assert pg["summary"] == duck["summary"] and len(duck["summary"]) >= 3
    # the charts' SVG ids count the charts this process drew before (c12-…)
    html = [
        CHART_ID.sub("c-", GENERATED.sub("…", Path(r["html"]).read_text("utf-8")))
        for r in (duck, pg)
    ]
    assert html[1] == html[0]
    for result in (duck, pg):
        assert Path(result["pdf"]).read_bytes().startswith(b"%PDF-")


def test_the_reports_read_postgres(targets, published):
    """The PostgreSQL report came from PostgreSQL: its home holds no DuckDB file, and a report
    model moved away there is what the report misses."""
    _duck, pg, _env = targets
    assert not warehouse_file(pg.home).exists()
    assert Path(published["weekly"]["postgres"]["folder"]).is_relative_to(pg.home)
    with open_reader("postgres", postgres=pg.postgres) as reader:
        assert reader.target == "postgres"
        assert "week" in reader.columns("marts", "mart_kpi_scorecard_weekly")
    admin = psycopg2.connect(**pg.postgres)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute("alter table marts.rpt_kpi_scorecard_weekly rename to kpi_away")
        with pytest.raises(MartMissingError, match=r"marts\.rpt_kpi_scorecard_weekly"):
            publish_report("weekly", PERIODS["weekly"], deliver=False, settings=pg)
    finally:
        with admin.cursor() as cur:
            cur.execute("alter table marts.kpi_away rename to rpt_kpi_scorecard_weekly")
        admin.close()


class Robot(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        Robot.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        answer = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_args: object) -> None:
        pass


def test_the_alerts_are_the_same_and_reach_the_robot(targets):
    duck, pg, _env = targets
    on_duckdb = pending_alerts(duck.home, duck.warehouse_path, NOW, WINDOW)
    on_postgres = pending_alerts(
        pg.home, pg.warehouse_path, NOW, WINDOW, target="postgres", postgres=pg.postgres
    )
    assert on_duckdb, "the corpus' last days hold negative items"
    assert [a.markdown() for a in on_postgres] == [a.markdown() for a in on_duckdb]
    assert on_postgres == on_duckdb
    Robot.received = []
    server = HTTPServer(("127.0.0.1", 0), Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        robot = f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test"
        sent = send_negative_alerts(
            pg.home,
            pg.warehouse_path,
            webhook=robot,
            now=NOW,
            max_age_window=WINDOW,
            target="postgres",
            postgres=pg.postgres,
        )
        again = send_negative_alerts(
            pg.home,
            pg.warehouse_path,
            webhook=robot,
            now=NOW,
            max_age_window=WINDOW,
            target="postgres",
            postgres=pg.postgres,
        )
    finally:
        server.shutdown()
    assert sent == {"pending": len(on_duckdb), "sent": len(on_duckdb)}
    assert again == {"pending": 0, "sent": 0}
    texts = [json.dumps(body, ensure_ascii=False) for body in Robot.received]
    assert len(texts) == len(on_duckdb)
    for alert, text in zip(on_duckdb, texts, strict=True):
        assert json.dumps(alert.markdown(), ensure_ascii=False)[1:-1] in text


def test_the_alert_task_reads_postgres(targets, tmp_path, monkeypatch):
    """`newmedia.tasks.send_alerts` (the hourly DAG's task) on NEWMEDIA_TARGET=postgres: a
    fresh ledger, a window reaching back to the corpus, every negative item sent once."""
    duck, pg, _env = targets
    window = dt.timedelta(hours=24 * 200)
    expected = pending_alerts(duck.home / "fresh-ledger", duck.warehouse_path, None, window)
    Robot.received = []
    server = HTTPServer(("127.0.0.1", 0), Robot)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv(
        "AIRFLOW_CONN_NEWMEDIA_WEBHOOK",
        json.dumps(
            {"conn_type": "http", "host": f"http://127.0.0.1:{server.server_port}/send?key=k"}
        ),
    )
    try:
        result = send_alerts(replace(pg, home=tmp_path, alert_max_age=window))
    finally:
        server.shutdown()
    assert len(expected) > 10
    assert result == {"pending": len(expected), "sent": len(expected)}
    assert len(Robot.received) == len(expected)
