"""The sample generator writes the 直播 live-session exports (抖音 罗盘 list and creator-centre
csv, 视频号 直播数据) and the 罗盘 per-video sales list, one file per account and week, in their
forms, with the values the dataset states."""

from __future__ import annotations

import csv
from pathlib import Path

from python_calamine import CalamineWorkbook

from samples import SampleDataset
from samples.writers import live, video_sales


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
    assert seen == len(ds.video_sales) > 0
