"""抖店 orders: the sample 订单导出 CSVs (UTF-8 with BOM and GBK) load into raw.douyin_shop__orders
with the values the dataset states; buyers' phone numbers never land in plain text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from ingest import ingest_paths
from ingest.loader import installation_salt
from ingest.platforms.douyin_shop import ORDERS
from samples.writers import douyin_shop as shop_writer
from tests.ingest.helpers import hashed, loaded_exports, plain_leaks

START = dt.date(2026, 10, 26)  # a Monday
WEEKS = 2
SCALE = 1.0
TABLE = "raw.douyin_shop__orders"


def approx(value):
    return None if value is None else pytest.approx(value, rel=1e-12, abs=1e-9)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    with loaded_exports(
        tmp_path_factory, "douyin_shop", shop_writer, START, WEEKS, scale=SCALE
    ) as (ds, results, con, tmp):
        yield ds, results, con, installation_salt(tmp)


def test_both_shops_load_including_the_gbk_one(loaded):
    ds, results, _, _ = loaded
    shops = ds.accounts_of("douyin_shop")
    assert {a.variant for a in shops} == {0, 1}  # UTF-8-BOM with channels, GBK without
    assert len(results) == WEEKS * len(shops)
    assert {(r.status, r.platform, r.report) for r in results} == {
        ("loaded", "douyin_shop", "orders")
    }
    gbk = next(a for a in shops if a.variant == 1)
    path = next(Path(r.path) for r in results if r.account == gbk.account_id)
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")


def test_raw_values_match_the_dataset(loaded):
    ds, _, con, salt = loaded
    frame = con.execute(
        f"""select _account_id, order_id, sub_order_id, product_id, product_name, quantity,
               product_amount, submitted_at, paid_at, status, payable_amount, shop_name,
               traffic_format, traffic_channel, content_id, recipient_phone, recipient_name
            from {TABLE}"""
    ).fetchall()
    rows = {(r[0], r[2]): r for r in frame}
    assert len(rows) == len(frame) == len(ds.orders)
    names = {a.account_id: a.account_name for a in ds.accounts}
    traffic = {"短视频": "自然流量", "直播": "直播间", "商品卡": "搜索"}
    frame_truth = ds.frames["orders"]
    unit_price = dict(zip(frame_truth["sub_order_id"], frame_truth["unit_price"], strict=True))
    for o in ds.orders:
        row = rows[(o.account_id, o.sub_order_id)]
        expected = (
            o.account_id,
            o.order_id,
            o.sub_order_id,
            o.product_id,
            o.product_name,
            o.quantity,
            approx(unit_price[o.sub_order_id]),  # 商品金额: the sample writes the unit price
            o.submitted_at,
            o.paid_at,
            o.status,
            approx(o.amount),
            names[o.account_id],
            o.channel,
            traffic.get(o.channel),
            o.content_id,
            hashed(salt, o.buyer_phone),
            hashed(salt, "张**"),
        )
        assert row == expected
    # the corpus exercises the quirks
    assert all(len(r[1]) == 19 and len(r[2]) == 19 for r in frame)  # ids stay exact strings
    assert any(o.amount >= 1000 for o in ds.orders)  # "1,234.50"
    assert any(o.status == "已取消" and o.paid_at is None for o in ds.orders)  # NULL, not 0
    assert any(o.content_id is not None for o in ds.orders)
    assert any(o.channel is None for o in ds.orders)  # the GBK shop has no 流量体裁


def test_timestamps_are_shanghai_instants(loaded):
    ds, _, con, _ = loaded
    first = min(ds.orders, key=lambda o: o.submitted_at)
    text = con.execute(
        f"select strftime(submitted_at, '%Y-%m-%d %H:%M:%S') from {TABLE} where sub_order_id = ?",
        [first.sub_order_id],
    ).fetchone()[0]
    assert text == first.submitted_at.strftime("%Y-%m-%d %H:%M:%S")
    assert first.submitted_at.utcoffset() == dt.timedelta(hours=8)


def test_phone_numbers_never_land_in_plain_text(loaded):
    ds, _, con, _ = loaded
    phones = {o.buyer_phone for o in ds.orders}
    assert len(phones) > 10
    assert plain_leaks(con, TABLE, phones) == []
    ledger = con.execute("select string_agg(coalesce(reason, ''), ' ') from raw._files").fetchone()
    assert not any(phone in (ledger[0] or "") for phone in phones)


def test_missing_required_column_quarantines(tmp_path: Path):
    header = [label for label in shop_writer.HEADER if label != "订单应付金额"]
    row = dict.fromkeys(header, "")
    row.update(
        {
            "主订单编号": "6920000000000000710",
            "子订单编号": "6920000000000000711",
            "商品ID": "3690000000001000003",
            "商品数量": "1",
            "订单提交时间": "2026-10-26 02:21:25",
            "订单状态": "已完成",
        }
    )
    path = tmp_path / "exports" / "douyin_shop" / "doudian_outlet" / "订单导出_2026-11-02.csv"
    path.parent.mkdir(parents=True)
    pd.DataFrame([row], columns=header).to_csv(path, index=False, encoding="gbk")
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert result.status == "quarantined"
    assert ORDERS.title in result.reason
    assert "misses the required column 「订单应付金额」" in result.reason


def test_empty_order_id_quarantines_naming_row_and_column(tmp_path: Path):
    row = dict.fromkeys(shop_writer.HEADER, "")
    row.update(
        {
            "子订单编号": "6920000000000000711",
            "商品ID": "3690000000001000003",
            "订单提交时间": "2026-10-26 02:21:25",
            "订单状态": "已完成",
            "订单应付金额": "1,129.09",
        }
    )
    good = {**row, "主订单编号": "6920000000000000710"}
    path = tmp_path / "exports" / "douyin_shop" / "doudian_outlet" / "订单导出_2026-11-02.csv"
    path.parent.mkdir(parents=True)
    pd.DataFrame([good, row], columns=list(shop_writer.HEADER)).to_csv(
        path, index=False, encoding="utf-8-sig"
    )
    [result] = ingest_paths([tmp_path / "exports"], warehouse=tmp_path / "w.duckdb", home=tmp_path)
    assert result.status == "quarantined"
    assert "row 3" in result.reason and "「主订单编号」" in result.reason
    assert "is empty" in result.reason
