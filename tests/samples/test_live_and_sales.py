"""The sample generator writes the 直播 live-session exports (抖音 罗盘 list and creator-centre
csv, 视频号 直播数据) and the per-content sales lists (罗盘 短视频, 视频号小店 短视频带货数据,
小红书 千帆 笔记数据明细), one file per account and week, in their forms, with the values the
dataset states; the 视频号 and 小红书 lists agree with the contents' own exports."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

from python_calamine import CalamineWorkbook

from samples import SampleDataset
from samples.writers import live, shop_sales, video_sales
from tests.samples.reader import number


def sheet(path: Path) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def test_live_files_land_per_account_and_week(generated: tuple[SampleDataset, Path]) -> None:
    ds, out = generated
    for platform in ("douyin", "wechat_channels"):
        for account in ds.accounts_of(platform):
            files = sorted((out / platform / account.account_id).glob("*直播*"))
            assert len(files) == ds.weeks, (account, files)
    compass = sorted((out / "douyin" / "dy_brand_main").glob("直播列表_*.xlsx"))
    rows = sheet(compass[0])
    assert tuple(rows[0]) == live.DOUYIN_COMPASS
    assert all("小时" in r[4] or "分" in r[4] for r in rows[1:])  # 直播时长 "2小时15分"


def test_live_csv_forms(generated: tuple[SampleDataset, Path]) -> None:
    ds, out = generated
    creator = sorted((out / "douyin" / "dy_brand_life").glob("直播数据_*.csv"))
    with creator[0].open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == live.DOUYIN_CREATOR
    stated = {
        s.started_at.strftime("%Y/%m/%d %H:%M"): s
        for s in ds.live_sessions
        if s.account_id == "dy_brand_life"
    }
    for row in rows[1:]:
        session = stated[row[1]]
        viewers = row[4]
        if session.viewers >= 10_000:
            assert viewers.endswith("万") and float(viewers[:-1]) * 10_000 == session.viewers
        else:
            assert int(viewers) == session.viewers
        assert row[13] == f"¥{session.gmv:,.2f}"
    channels = sorted((out / "wechat_channels" / "sph_brand_main").glob("视频号直播数据_*.csv"))
    with channels[0].open(encoding="utf-8-sig") as f:
        header = next(csv.reader(f))
    assert tuple(header) == live.CHANNELS and not any("ID" in h for h in header)


def test_sales_list_values_equal_the_dataset(generated: tuple[SampleDataset, Path]) -> None:
    ds, out = generated
    truth = {(v.account_id, v.snapshot_date.isoformat(), v.video_id): v for v in ds.video_sales}
    seen = 0
    for account in ds.accounts_of("douyin"):
        for path in sorted((out / "douyin" / account.account_id).glob("罗盘_短视频_*.xlsx")):
            rows = sheet(path)
            header = video_sales.HEADER_A if account.variant == 0 else video_sales.HEADER_B
            assert tuple(rows[0]) == header
            day = path.stem.rsplit("_", 1)[1]
            for row in rows[1:]:
                v = truth[(account.account_id, day, row[0])]
                assert row[1] == v.title
                assert float(str(row[8]).replace(",", "")) == round(v.gmv, 2)
                assert (row[6], row[7]) == (v.orders, v.buyers)
                seen += 1
    assert seen == sum(v.platform == "douyin" for v in ds.video_sales) > 0


def test_shop_sales_lists_equal_the_dataset(generated: tuple[SampleDataset, Path]) -> None:
    """Every row of the 视频号小店 and 千帆 files, read back cell by cell, is a row of the
    dataset's per-content sales, and every such row is in a file."""
    ds, out = generated
    truth = {
        (v.platform, v.account_id, v.snapshot_date.isoformat(), v.video_id): v
        for v in ds.video_sales
        if v.platform != "douyin"
    }
    seen = 0
    for platform, pattern in (
        ("wechat_channels", "视频号小店_短视频带货数据_*.xlsx"),
        ("xiaohongshu", "千帆_笔记数据明细_*.xlsx"),
    ):
        for account in ds.accounts_of(platform):
            files = sorted((out / platform / account.account_id).glob(pattern))
            assert files, (platform, account)
            for path in files:
                rows = sheet(path)
                day = path.stem.rsplit("_", 1)[1]
                header = tuple(rows[0])
                cells = [dict(zip(header, row, strict=True)) for row in rows[1:]]
                for cell in cells:
                    if platform == "wechat_channels":
                        vid = cell.get("视频ID") or cell.get("动态ID")
                        title = cell.get("视频描述", cell.get("短视频标题"))
                        gmv = cell.get("成交金额(元)", cell.get("支付金额"))
                        buyers = cell.get("成交人数", cell.get("支付人数"))
                    else:
                        link = cell["笔记链接"]
                        assert link.startswith(shop_sales.NOTE_URL)
                        vid = cell.get("笔记ID") or link.rsplit("/", 1)[1]
                        title = cell.get("笔记标题", cell.get("笔记名称"))
                        gmv = cell.get("笔记支付金额", cell.get("成交金额"))
                        buyers = cell.get("笔记支付人数", cell.get("成交人数"))
                    v = truth[(platform, account.account_id, day, vid)]
                    assert (title or "") == (v.title or "")
                    assert number(gmv) == round(v.gmv, 2)
                    assert number(buyers) == v.buyers
                    viewers = cell.get("观看人数")
                    assert (None if viewers is None else number(viewers)) == v.viewers
                    seen += 1
                if platform == "wechat_channels":
                    expected = (
                        shop_sales.CHANNELS_HEADER_A
                        if account.variant == 0
                        else shop_sales.CHANNELS_HEADER_B
                    )
                else:
                    expected = (
                        shop_sales.QIANFAN_HEADER
                        if account.variant == 0
                        else shop_sales.PUGONGYING_HEADER
                    )
                assert header == expected
    assert seen == len(truth) > 0


def test_shop_sales_agree_with_the_contents(generated: tuple[SampleDataset, Path]) -> None:
    """A listed 视频号 video or 小红书 note is one of the account's contents, with its title, its
    views as the content export states them on the same day, and sales that only grow: its
    orders, payers and GMV never fall from one weekly list to the next, GMV is orders times one
    price, and payers never exceed product clicks (nor, where stated, viewers)."""
    ds, _ = generated
    contents = {(c.platform, c.linked_id): c for c in ds.contents}
    history: dict[tuple[str, str], list] = {}
    for v in ds.video_sales:
        if v.platform == "douyin":
            continue
        content = contents[(v.platform, v.video_id)]
        assert (content.account_id, content.title) == (v.account_id, v.title)
        [snapshot] = [s for s in content.snapshots if s.snapshot_date == v.snapshot_date]
        assert snapshot.metrics["views"] == v.views
        assert 0 < v.buyers <= v.orders and v.buyers <= v.product_clicks
        if v.viewers is not None:
            assert v.buyers <= v.viewers <= v.views
        history.setdefault((v.platform, v.video_id), []).append(v)
    assert {p for p, _ in history} == {"wechat_channels", "xiaohongshu"}
    for rows in history.values():
        rows.sort(key=lambda r: r.snapshot_date)
        prices = {round(r.gmv / r.orders, 2) for r in rows}
        assert len(prices) == 1, rows
        for before, after in itertools.pairwise(rows):
            assert after.orders >= before.orders and after.gmv >= before.gmv
