"""The dashboards as code (dashboards/assets/, Superset's import format), checked without
Superset: built from the marts and report models only, on their contracts, every reference
resolvable, Chinese names from the platform registry, native filters for period, platform and
account."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from registry import platforms

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "dashboards" / "assets"
MARTS = ROOT / "dbt_project" / "models" / "marts"
TITLES = {"总览", "内容表现", "用户增长", "转化效果", "品牌影响力"}


def load(kind: str) -> list[dict]:
    return [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((ASSETS / kind).rglob("*.yaml"))
    ]


@pytest.fixture(scope="module")
def contract() -> dict[str, set[str]]:
    models = [
        model
        for path in sorted(MARTS.glob("*/_*__models.yml"))  # the report models' too
        for model in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]
    ]
    return {m["name"]: {c["name"] for c in m["columns"]} for m in models}


def test_datasets_are_marts_on_their_contract(contract):
    datasets = load("datasets")
    assert datasets
    for dataset in datasets:
        name = dataset["table_name"]
        assert dataset["schema"] == "marts" and dataset["sql"] is None, name
        assert name in contract, f"{name} is not a mart or report model with a contract"
        physical = {c["column_name"] for c in dataset["columns"] if not c["expression"]}
        assert physical == contract[name], f"{name}: columns differ from the contract"
        calculated = [c for c in dataset["columns"] if c["expression"]]
        for column in calculated + [
            {"column_name": m["metric_name"], "expression": m["expression"]}
            for m in dataset["metrics"]
        ]:
            words = set(
                re.findall(r"\b[a-z_][a-z0-9_]*\b", re.sub(r"'[^']*'", "", column["expression"]))
            )
            sql = {
                "case",
                "when",
                "then",
                "else",
                "end",
                "and",
                "or",
                "is",
                "null",
                "not",
                "sum",
                "max",
                "count",
                "nullif",
                "round",
                "platform",
                "in",
            }
            assert words - sql <= contract[name], (name, column["column_name"], words - sql)


def test_platform_names_are_the_registry_s():
    expected = {p.platform_id: p.name_zh for p in platforms() if p.counts_for == p.platform_id}
    for dataset in load("datasets"):
        for column in dataset["columns"]:
            if column["column_name"] == "platform_name":
                named = dict(re.findall(r"WHEN '(\w+)' THEN '([^']+)'", column["expression"]))
                assert {k: named.get(k) for k in expected} == expected, dataset["table_name"]


def test_every_reference_resolves_and_every_dashboard_filters_period_platform_account():
    databases = {d["uuid"] for d in load("databases")}
    datasets = {d["uuid"]: d for d in load("datasets")}
    charts = {c["uuid"]: c for c in load("charts")}
    assert len(databases) == 1
    assert all(d["database_uuid"] in databases for d in datasets.values())
    for chart in charts.values():
        dataset = datasets[chart["dataset_uuid"]]
        names = {c["column_name"] for c in dataset["columns"]} | {
            m["metric_name"] for m in dataset["metrics"]
        }
        query = json.loads(chart["query_context"])["queries"][0]
        used = [c for c in query["columns"] if isinstance(c, str)] + list(query["metrics"] or [])
        assert set(used) <= names, (chart["slice_name"], set(used) - names)
    dashboards = load("dashboards")
    assert {d["dashboard_title"] for d in dashboards} >= TITLES
    placed = set()
    for dashboard in dashboards:
        columns = set()
        for item in dashboard["position"].values():
            if isinstance(item, dict) and item.get("type") == "CHART":
                assert item["meta"]["uuid"] in charts
                placed.add(item["meta"]["uuid"])
                dataset = datasets[charts[item["meta"]["uuid"]]["dataset_uuid"]]
                columns |= {c["column_name"] for c in dataset["columns"]}
        filters = {f["name"]: f for f in dashboard["metadata"]["native_filter_configuration"]}
        # an account filter where a mart of the dashboard has accounts (the scorecard has not)
        wanted = {"时间范围", "平台"} | ({"账号"} if "account_id" in columns else set())
        assert wanted <= set(filters), dashboard["dashboard_title"]
        for native in filters.values():
            for target in native["targets"]:
                assert not target or target["datasetUuid"] in datasets
    assert placed == set(charts)  # no chart left out of a dashboard


def test_charts_of_all_platforms_are_outside_the_platform_and_account_filters():
    """A chart pinned to platform 'all' (the total over platforms) would show nothing once a
    platform or account is chosen: every such chart is out of those filters' scope."""
    charts = {c["uuid"]: c for c in load("charts")}
    pinned = {
        uuid
        for uuid, chart in charts.items()
        if any(
            f.get("subject") == "platform"
            and f.get("operator") == "=="
            and f.get("comparator") == "all"
            for f in chart["params"]["adhoc_filters"]
        )
    }
    assert pinned  # the overview's big numbers and scorecard at least
    for dashboard in load("dashboards"):
        ids = {
            item["meta"]["chartId"]: item["meta"]["uuid"]
            for item in dashboard["position"].values()
            if isinstance(item, dict) and item.get("type") == "CHART"
        }
        for native in dashboard["metadata"]["native_filter_configuration"]:
            columns = {t["column"]["name"] for t in native["targets"] if t}
            if not columns & {"platform", "platform_name", "account_id"}:
                continue
            excluded = set(native["scope"]["excluded"])
            for chart_id, uuid in ids.items():
                in_scope = chart_id in native["chartsInScope"]
                assert in_scope != (chart_id in excluded), (native["name"], chart_id)
                if uuid in pinned:
                    assert not in_scope, (dashboard["dashboard_title"], native["name"], chart_id)


def test_status_words_are_the_report_model_s():
    """The scorecard's status words are rpt_kpi_scorecard_weekly's status_name (the weekly
    review's words, 达成 / 未达成 …): the dashboard only marks them, and no dataset spells a
    status of its own."""
    reporting = yaml.safe_load((MARTS / "reporting" / "_reporting__models.yml").read_text("utf-8"))
    model = next(m for m in reporting["models"] if m["name"] == "rpt_kpi_scorecard_weekly")
    column = next(c for c in model["columns"] if c["name"] == "status_name")
    words = set(
        next(t for t in column["data_tests"] if isinstance(t, dict))["accepted_values"][
            "arguments"
        ]["values"]
    )
    assert {"达成", "未达成"} <= words
    for dataset in load("datasets"):
        for col in dataset["columns"]:
            expression = col["expression"] or ""
            assert not re.search(r"THEN '[✓✗]? ?[^']*(达成|达标)", expression), (
                dataset["table_name"],
                col["column_name"],
            )
    (chart,) = [c for c in load("charts") if c["slice_name"].startswith("KPI 记分卡")]
    formatted = chart["params"]["conditional_formatting"]
    assert formatted
    for rule in formatted:
        assert rule["column"] in {"status_shown", "previous_status_shown"}
        mark, word = rule["targetValue"].split(" ")
        assert mark in {"✓", "✗"} and word in words, rule
