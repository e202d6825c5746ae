"""CSV templates: the sample files of every template load into raw.brand__<template> with the values
the dataset states, personal data is hashed, and the templates shipped under exports/templates/
match the readers."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import pytest

from ingest import ingest_paths
from ingest.base import Column
from ingest.loader import installation_salt
from ingest.platforms.templates import REPORTS, TEMPLATES
from samples import build_dataset
from samples.writers import comments as comments_writer
from samples.writers import templates as templates_writer
from tests.ingest.helpers import hashed, plain_leaks

START = dt.date(2026, 10, 26)  # a Monday
WEEKS = 2
SCALE = 0.5
SHANGHAI = ZoneInfo("Asia/Shanghai")
SHIPPED = Path(__file__).resolve().parents[2] / "exports" / "templates"
PII_COLUMNS = {
    "leads": {"contact_hash"},
    "customers": {"external_id_hash"},
    "mentions": {"author"},
    "brand_accounts": {"author_ids"},
}


def expected(column: Column, value: object, salt: bytes) -> object:
    """The raw value a template cell (as the dataset states it) must become."""
    if value is None:
        return None
    if column.kind in ("text", "id"):
        return str(value)
    if column.kind == "pii":
        return hashed(salt, str(value))
    if column.kind == "count":
        return int(value)
    if column.kind == "number":
        return pytest.approx(float(value), rel=1e-12, abs=1e-9)
    if column.kind == "date":
        return dt.date.fromisoformat(str(value))
    if column.kind == "timestamp":
        naive = dt.datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S")
        return naive.replace(tzinfo=SHANGHAI)
    raise AssertionError(f"no expectation for kind {column.kind}")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("templates")
    ds = build_dataset(START, WEEKS, scale=SCALE)
    templates_writer.write(ds, tmp / "exports")
    comments_writer.write(ds, tmp / "exports")  # brand replies, to match brand_accounts with
    results = ingest_paths([tmp / "exports"], warehouse=tmp / "w.duckdb", home=tmp)
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    con.execute("set TimeZone = 'Asia/Shanghai'")
    yield ds, results, con, installation_salt(tmp)
    con.close()


def test_every_template_has_a_reader():
    assert set(TEMPLATES) == {
        "ad_spend",
        "leads",
        "mentions",
        "search_index",
        "customers",
        "campaigns",
        "kpi_targets",
        "ab_tests",
        "brand_accounts",
        "sentiment_overrides",
    }
    for name, spec in TEMPLATES.items():
        assert (spec.platform, spec.report, spec.folder_names) == ("brand", name, (name,))
        assert spec.table == f"brand__{name}"


def test_every_template_file_loads(loaded):
    ds, results, _, _ = loaded
    brand = [r for r in results if r.platform == "brand"]
    assert {(r.report, r.status, r.account) for r in brand} == {
        (name, "loaded", "brand") for name in TEMPLATES
    }
    for result in brand:
        assert result.rows == len(ds.templates[result.report])


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_raw_values_match_the_dataset(loaded, name):
    ds, _, con, salt = loaded
    spec = TEMPLATES[name]
    columns = [c.name for c in spec.columns]
    quoted = ", ".join(f'"{c}"' for c in columns)
    rows = con.execute(
        f"select {quoted}, _extra, _invalid from raw.brand__{name} order by _row_number"
    ).fetchall()
    truth = ds.templates[name]
    assert list(truth[0]) == columns  # the generator writes the template's header
    assert len(rows) == len(truth)
    for row, record in zip(rows, truth, strict=True):
        assert row[-2:] == (None, None)  # nothing unknown, nothing unreadable
        assert row[:-2] == tuple(expected(c, record[c.name], salt) for c in spec.columns)
    for column in spec.columns:  # every column is exercised by a value somewhere
        assert any(record[column.name] is not None for record in truth), column.name


def test_personal_data_never_lands_in_plain_text(loaded):
    ds, _, con, _ = loaded
    for name, columns in PII_COLUMNS.items():
        secrets = {str(record[c]) for record in ds.templates[name] for c in columns if record[c]}
        assert secrets, name
        assert plain_leaks(con, f"raw.brand__{name}", secrets) == [], name


def test_brand_accounts_match_the_hashed_authors_of_comments(loaded):
    ds, _, con, _ = loaded
    for platform in ("xiaohongshu", "douyin", "bilibili"):
        matched = con.execute(
            f"""select count(*) from raw.{platform}__comments c
                join raw.brand__brand_accounts b
                  on b.platform = ? and b.account_id = c._account_id and b.author_ids = c.user_id""",
            [platform],
        ).fetchone()[0]
        replies = [c for c in ds.comments if c.platform == platform and c.is_brand_reply]
        assert matched == len(replies) > 0, platform


def test_shipped_templates_match_the_readers(tmp_path: Path):
    readme = (SHIPPED / "README.md").read_text(encoding="utf-8")
    for spec in REPORTS:
        name = spec.report
        with (SHIPPED / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
            header, *examples = list(csv.reader(handle))
        assert header == [c.name for c in spec.columns], name
        assert len(examples) == 1 and len(examples[0]) == len(header), name
        doc = (SHIPPED / f"{name}.md").read_text(encoding="utf-8")
        for column in spec.columns:
            line = next(x for x in doc.splitlines() if x.startswith(f"| `{column.name}` |"))
            if column.not_null:
                assert "required, never empty" in line
            elif column.required:
                assert "required column" in line
            else:
                assert "optional" in line
        assert f"({name}.csv)" in readme and f"({name}.md)" in readme
        target = tmp_path / "exports" / name / "brand" / f"{name}.csv"
        target.parent.mkdir(parents=True)
        shutil.copyfile(SHIPPED / f"{name}.csv", target)
    results = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert sorted((r.report, r.status, r.rows) for r in results) == sorted(
        (name, "loaded", 1) for name in TEMPLATES
    )


def test_the_shipped_folder_itself_is_never_ingested(tmp_path: Path):
    target = tmp_path / "exports" / "templates"
    shutil.copytree(SHIPPED, target)
    assert (
        ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path) == []
    )


def _write_leads(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True)
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8")


LEAD = {
    "lead_id": "L0000001",
    "created_at": "2026-10-26 21:44:42",
    "source_platform": "douyin",
    "channel": "表单提交",
    "content_id": "7362436885719208845",
    "campaign_id": "CMP001",
    "contact_hash": "13800138000",
}


def test_missing_required_column_quarantines(tmp_path: Path):
    row = {k: v for k, v in LEAD.items() if k != "created_at"}
    _write_leads(tmp_path / "exports" / "leads" / "brand" / "leads.csv", [row])
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert result.status == "quarantined"
    assert TEMPLATES["leads"].title in result.reason
    assert "misses the required column 「created_at」" in result.reason
    assert "13800138000" not in result.reason


def test_unreadable_time_quarantines_naming_row_column_and_value(tmp_path: Path):
    rows = [LEAD, {**LEAD, "lead_id": "L0000002", "created_at": "昨天晚上"}]
    _write_leads(tmp_path / "exports" / "leads" / "brand" / "leads.csv", rows)
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert result.status == "quarantined"
    assert "row 3" in result.reason and "「created_at」" in result.reason
    assert "昨天晚上" in result.reason


def test_a_template_in_another_templates_folder_is_told_where_to_go(tmp_path: Path):
    _write_leads(tmp_path / "exports" / "mentions" / "brand" / "leads.csv", [LEAD])
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert result.status == "quarantined"
    assert "exports/leads/" in result.reason
