"""巨量千川 product_daily: the sample workbooks load into raw.qianchuan__product_daily with the
values the dataset states, one raw row per file row."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import duckdb
import numpy as np
import pytest

from ingest import ingest_paths
from ingest.platforms.qianchuan import PRODUCT_DAILY
from samples import build_dataset
from samples.files import write_xlsx
from samples.writers import qianchuan as qianchuan_writer

START = dt.date(2026, 10, 26)  # a Monday
WEEKS = 2
SCALE = 0.3
TABLE = "raw.qianchuan__product_daily"


def approx(value):
    return None if value is None else pytest.approx(value, rel=1e-12, abs=1e-9)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("qianchuan")
    ds = build_dataset(START, WEEKS, scale=SCALE)
    days = ds.frames["product_days"]
    days.loc[days.index[1], ["orders", "order_cost"]] = [0, np.nan]  # written "-": NULL, not 0
    qianchuan_writer.write(ds, tmp / "exports")
    results = ingest_paths([tmp / "exports"], warehouse=tmp / "w.duckdb", home=tmp)
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    con.execute("set TimeZone = 'Asia/Shanghai'")
    yield ds, results, con
    con.close()


def test_every_daily_workbook_loads(loaded):
    ds, results, _ = loaded
    assert len(results) == 7 * WEEKS * len(ds.accounts_of("qianchuan"))
    assert {(r.status, r.platform, r.report) for r in results} == {
        ("loaded", "qianchuan", "product_daily")
    }


def test_raw_values_match_the_dataset(loaded):
    ds, _, con = loaded
    rows = con.execute(
        f"""select _account_id, _snapshot_date, stat_date, product_id, product_name, impressions,
               clicks, ctr, cvr, spend, gmv, orders, pay_roi, cost_per_order, user_paid_amount,
               smart_coupon_amount, platform_subsidy_amount
            from {TABLE} order by _account_id, _snapshot_date, _row_number"""
    ).fetchall()
    truth = sorted(ds.product_days, key=lambda p: (p.account_id, p.date))  # stable: file order
    assert len(rows) == len(truth)
    for row, p in zip(rows, truth, strict=True):
        expected = (
            p.account_id,
            p.date,  # the day is the date in the file name
            None,  # the export has no date column
            p.product_id,
            p.product_name,
            p.impressions,
            p.clicks,
            approx(p.ctr),
            approx(p.cvr),
            approx(p.spend),
            approx(p.gmv),
            p.orders,
            approx(p.roi),
            approx(p.order_cost),
            approx(p.user_paid),
            approx(p.coupon),
            approx(p.subsidy),
        )
        assert row == expected
    # the corpus exercises the quirks: thousands commas, "-" (NULL, not 0), repeated products
    assert any(p.spend >= 1000 for p in truth)
    assert any(p.order_cost is None for p in truth)
    nulls = con.execute(f"select count(*) from {TABLE} where cost_per_order is null").fetchone()
    assert nulls[0] == sum(p.order_cost is None for p in truth)
    per_day = Counter((p.date, p.product_id) for p in truth)
    assert max(per_day.values()) >= 2
    kinds = dict(
        con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = 'qianchuan__product_daily'"
        ).fetchall()
    )
    assert kinds["product_id"] == "VARCHAR"
    assert kinds["stat_date"] == "DATE"
    assert kinds["orders"] == "BIGINT"


def test_nothing_is_left_over(loaded):
    _, _, con = loaded
    leftovers = con.execute(
        f"select count(*) from {TABLE} where _extra is not null or _invalid is not null"
    ).fetchone()
    assert leftovers[0] == 0


def test_missing_required_column_quarantines(tmp_path: Path):
    header = [
        label for label in qianchuan_writer.HEADER if label != "整体消耗"
    ]  # spend is required
    row = ["3690000000000000000", "冷萃乌龙茶", "1,234", "56", "4.54%", "1.79%"]
    row += ["1,100.00", "1", "1.10", "1,000.00", "1,023.00", "44.00", "33.00"]
    path = tmp_path / "exports" / "qianchuan" / "qc_brand" / "禾野旗舰店_商品_2026-11-02.xlsx"
    path.parent.mkdir(parents=True)
    write_xlsx(path, header, [row], created=dt.datetime(2026, 11, 2, 9, 30))
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert result.status == "quarantined"
    assert PRODUCT_DAILY.title in result.reason
    assert "misses the required column 「整体消耗」" in result.reason


def test_unreadable_required_value_quarantines(tmp_path: Path):
    row = ["3690000000000000000", "冷萃乌龙茶", "1,234", "56", "4.54%", "1.79%", "很多"]
    row += ["1,100.00", "1", "1.10", "1,000.00", "1,023.00", "44.00", "33.00"]
    path = tmp_path / "exports" / "qianchuan" / "qc_brand" / "禾野旗舰店_商品_2026-11-02.xlsx"
    path.parent.mkdir(parents=True)
    write_xlsx(path, qianchuan_writer.HEADER, [row], created=dt.datetime(2026, 11, 2, 9, 30))
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert result.status == "quarantined"
    assert "row 2" in result.reason and "「整体消耗」" in result.reason and "很多" in result.reason
