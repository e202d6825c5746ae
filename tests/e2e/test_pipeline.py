"""End to end: generated exports → `newmedia run` (the Airflow DAG through dag.test()) → the
marts and the weekly report; the mart's numbers are checked against numbers computed here,
independently, from the generator's ground truth."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from samples import generate_exports

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = ZoneInfo("Asia/Shanghai")
START = dt.date(2026, 9, 28)  # Monday of 2026-W40
WEEKS = 4
RUN_DATE = dt.date(2026, 10, 27)  # in 2026-W44: the latest complete week is 2026-W43


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("e2e_home")
    exports = home / "exports"
    dataset = generate_exports(exports, START, WEEKS, scale=1.0, seed=11)
    env = {
        **os.environ,
        "NEWMEDIA_HOME": str(home),
        "NEWMEDIA_EXPORTS": str(exports),
        "AIRFLOW_HOME": str(home / "airflow"),
    }
    env.pop("AIRFLOW__CORE__UNIT_TEST_MODE", None)
    newmedia = str(Path(sys.executable).with_name("newmedia"))
    completed = subprocess.run(
        [newmedia, "run", "--date", RUN_DATE.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:] + completed.stdout[-2000:]
    return dataset, home, completed


def expected_engagement(dataset) -> dict[tuple[str, str, str], dict[str, float]]:
    """mart_engagement_weekly computed from the truth, per spec §3."""
    groups: dict[tuple[str, str, str], list] = defaultdict(list)
    for content in dataset.contents:
        if content.platform not in {"xiaohongshu", "douyin"}:
            continue
        latest = max(content.snapshots, key=lambda s: s.snapshot_date)
        year, week, _ = content.published_at.astimezone(SHANGHAI).date().isocalendar()
        groups[(content.platform, content.account_id, f"{year}-W{week:02d}")].append(latest)
    expected = {}
    for key, snapshots in groups.items():
        views = [s.metrics.get("views") for s in snapshots]
        rated_views = rated_interactions = 0
        interactions_total = 0
        for s in snapshots:
            parts = [s.metrics.get(m) for m in ("likes", "comments", "shares")]
            if all(p is not None for p in parts):
                interactions_total += sum(parts)
                if s.metrics.get("views") is not None:
                    rated_interactions += sum(parts)
                    rated_views += s.metrics["views"]
        known = [v for v in views if v is not None]
        viral = sum(1 for v in known if v >= 100_000)
        expected[key] = {
            "contents_published": len(snapshots),
            "views": sum(known),
            "interactions": interactions_total,
            "interaction_rate": rated_interactions / rated_views if rated_views else None,
            "avg_views_per_content": sum(known) / len(known) if known else None,
            "viral_contents": viral,
            "viral_share": viral / len(snapshots),
        }
    return expected


def test_engagement_mart_equals_the_truth(pipeline):
    dataset, home, _ = pipeline
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    rows = con.execute(
        "select platform, account_id, week, contents_published, views, interactions, "
        "interaction_rate, avg_views_per_content, viral_contents, viral_share "
        "from marts.mart_engagement_weekly where contents_published > 0"
    ).fetchall()
    con.close()
    actual = {
        (r[0], r[1], r[2]): dict(
            zip(
                [
                    "contents_published",
                    "views",
                    "interactions",
                    "interaction_rate",
                    "avg_views_per_content",
                    "viral_contents",
                    "viral_share",
                ],
                r[3:],
                strict=True,
            )
        )
        for r in rows
    }
    expected = expected_engagement(dataset)
    content_platforms = {c.platform for c in dataset.contents}
    assert {k[0] for k in actual} == content_platforms  # every platform with contents is there
    actual = {k: v for k, v in actual.items() if k[0] in {"xiaohongshu", "douyin"}}
    assert set(actual) == set(expected)
    for key, values in expected.items():
        for name, value in values.items():
            assert actual[key][name] == pytest.approx(value, rel=1e-9), (key, name)
    assert sum(v["viral_contents"] for v in expected.values()) > 0, "the sample has viral contents"


def test_weekly_report_is_written_with_the_marts_numbers(pipeline):
    dataset, home, completed = pipeline
    report = home / "reports" / "weekly" / "2026-W43" / "数据复盘报告_2026-W43.html"
    assert report.exists(), completed.stderr[-2000:]
    html = report.read_text(encoding="utf-8")
    assert "数据复盘报告" in html and "2026-W43" in html
    expected = expected_engagement(dataset)
    for (platform, account, week), values in expected.items():
        if week == "2026-W43":
            assert account in html
            assert f"{values['views']:,}" in html, (platform, account)
    assert "warehouse:" in completed.stderr or "warehouse:" in completed.stdout


def test_every_good_export_loaded_once(pipeline):
    _, home, _ = pipeline
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    statuses = dict(con.execute("select status, count(*) from raw._files group by 1").fetchall())
    con.close()
    assert statuses.get("loaded", 0) > 0
    assert statuses.get("quarantined", 0) == 0, statuses


def test_the_run_reports_each_dag_and_its_slowest_tasks(pipeline):
    # `newmedia run` ends with the duration of every DAG it ran, read from Airflow's own records,
    # and the slowest tasks
    _, _, completed = pipeline
    out = completed.stderr
    assert "DAG runs" in out and "slowest" in out, out[-3000:]
    summary = out[out.index("DAG runs") :]
    for dag_id in ("ingest_exports", "transform_marts", "reports_weekly", "reports_quarterly"):
        assert re.search(rf"{dag_id}\s*[│|]\s*success\s*[│|]\s*\d+\s*[│|]", summary), dag_id
