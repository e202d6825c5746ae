"""The sample generator: deterministic bytes, file locations, real headers, exact ground truth."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from samples import SampleDataset, build_dataset, write_exports
from samples.writers import douyin as douyin_writer
from samples.writers import xiaohongshu as xhs_writer
from tests.samples import reader
from tests.samples.conftest import START, WEEKS


def _digest(root: Path) -> dict[str, tuple[str, float]]:
    return {
        str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_arguments_give_identical_files(tmp_path: Path) -> None:
    first = build_dataset(START, 2, scale=0.5, seed=11)
    paths_a = write_exports(first, tmp_path / "a")
    paths_b = write_exports(build_dataset(START, 2, scale=0.5, seed=11), tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in paths_a] == [
        p.relative_to(tmp_path / "b") for p in paths_b
    ]
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    other = write_exports(build_dataset(START, 2, scale=0.5, seed=12), tmp_path / "c")
    assert _digest(tmp_path / "c") != _digest(tmp_path / "a")
    assert other


def _rows(path: Path) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def _key(content) -> tuple[str, str]:
    return content.account_id, content.title


def _snapshot(ds: SampleDataset, platform: str, account_id: str, title: str, day: dt.date):
    matches = [c for c in ds.contents_of(platform, account_id) if c.title == title]
    assert len(matches) == 1, f"title not unique or absent: {title!r}"
    content = matches[0]
    snaps = [s for s in content.snapshots if s.snapshot_date == day]
    assert len(snaps) == 1
    return content, snaps[0]


def test_content_files_land_per_account_and_week(generated) -> None:
    ds, out = generated
    days = ds.snapshot_dates()
    assert days[0] == dt.date(2026, 10, 5) and len(days) == WEEKS
    for account in ds.accounts_of("xiaohongshu"):
        for day in days:
            path = out / "xiaohongshu" / account.account_id / xhs_writer.file_name(day)
            assert path.is_file()
            noon = dt.datetime(
                day.year, day.month, day.day, 12, tzinfo=dt.timezone(dt.timedelta(hours=8))
            )
            assert os.stat(path).st_mtime == noon.timestamp()
    for account in ds.accounts_of("douyin"):
        for day in days:
            name = f"抖音作品列表_{day.strftime('%Y%m%d')}.xlsx"
            assert (out / "douyin" / account.account_id / name).is_file()


def test_xiaohongshu_note_list_form(generated) -> None:
    ds, out = generated
    account = ds.accounts_of("xiaohongshu")[0]
    path = out / "xiaohongshu" / account.account_id / xhs_writer.file_name(ds.snapshot_dates()[-1])
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert book.sheetnames == ["Sheet1"]
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:M1"]
    assert sheet["A1"].value == "最多导出排序后前1000条笔记"
    assert [c.value for c in sheet[2]] == list(xhs_writer.HEADER)
    rows = _rows(path)
    assert all(isinstance(v, float) for row in rows[2:] for v in row[3:])
    assert all(row[2] in {"图文", "视频"} for row in rows[2:])
    raw = path.read_bytes()
    import zipfile

    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert 't="inlineStr"' in sheet_xml and ".0</v>" in sheet_xml
    assert raw[:2] == b"PK"


def test_xiaohongshu_values_equal_dataset(generated) -> None:
    ds, out = generated
    seen_empty_title = False
    cells = 0
    for account in ds.accounts_of("xiaohongshu"):
        for day in ds.snapshot_dates():
            rows = _rows(out / "xiaohongshu" / account.account_id / xhs_writer.file_name(day))
            header = rows[1]
            assert len(rows) - 2 == sum(
                1
                for c in ds.contents_of("xiaohongshu", account.account_id)
                for s in c.snapshots
                if s.snapshot_date == day
            )
            for row in rows[2:]:
                cell = dict(zip(header, row, strict=True))
                seen_empty_title |= cell["笔记标题"] == ""
                content, snap = _snapshot(
                    ds, "xiaohongshu", account.account_id, cell["笔记标题"], day
                )
                assert content.content_id is None
                stamp = content.published_at.strftime("%Y年%m月%d日%H时%M分%S秒")
                assert cell["首次发布时间"] == stamp
                assert cell["体裁"] == content.content_type
                m = snap.metrics
                for label, name in (
                    ("曝光", "impressions"),
                    ("观看量", "views"),
                    ("点赞", "likes"),
                    ("评论", "comments"),
                    ("收藏", "collects"),
                    ("涨粉", "followers_gained"),
                    ("分享", "shares"),
                    ("人均观看时长", "avg_watch_seconds"),
                    ("弹幕", "danmaku"),
                ):
                    assert reader.number(cell[label]) == m[name], (label, cell, m)
                    cells += 1
                assert cell["封面点击率"] == m["cover_ctr"]
                assert round(m["cover_ctr"], 3) == m["cover_ctr"] <= 1
    assert seen_empty_title
    assert cells > 100


@pytest.mark.parametrize("variant", [0, 1])
def test_douyin_video_list_values_equal_dataset(generated, variant: int) -> None:
    ds, out = generated
    account = next(a for a in ds.accounts_of("douyin") if a.variant == variant)
    header_expected = douyin_writer.HEADER_A if variant == 0 else douyin_writer.HEADER_B
    time_format = "%Y-%m-%d %H:%M" if variant == 0 else "%Y/%m/%d %H:%M:%S"
    missing_seen = False
    for day in ds.snapshot_dates():
        rows = _rows(out / "douyin" / account.account_id / douyin_writer.file_name(day))
        assert tuple(rows[0]) == header_expected
        for row in rows[1:]:
            cell = dict(zip(rows[0], row, strict=True))
            content, snap = _snapshot(ds, "douyin", account.account_id, cell["作品名称"], day)
            assert "#" in content.title
            assert cell["发布时间"] == content.published_at.strftime(time_format)
            m = snap.metrics
            for label, name in (
                ("播放量", "views"),
                ("点赞量", "likes"),
                ("评论量", "comments"),
                ("分享量", "shares"),
                ("收藏量", "collects"),
                ("主页访问量", "profile_visits"),
                ("粉丝增量", "followers_gained"),
            ):
                assert reader.number(cell[label]) == m[name]
            for label, name in (
                ("完播率", "completion_rate"),
                ("5s完播率", "completion_rate_5s"),
                ("2s跳出率", "bounce_rate_2s"),
            ):
                assert (
                    reader.rate(cell[label]) == pytest.approx(m[name], abs=1e-12)
                    if m[name] is not None
                    else cell[label] == "-"
                )
                missing_seen |= m[name] is None
            if variant == 1:
                assert reader.rate(cell["封面点击率"]) == pytest.approx(m["cover_ctr"], abs=1e-12)
            else:
                assert isinstance(cell["完播率"], str)
                duration = content.attributes["duration_seconds"]
                assert reader.seconds(cell["作品时长"]) == duration
            avg = reader.seconds(cell["平均播放时长"])
            assert (
                avg == pytest.approx(m["avg_watch_seconds"])
                if avg is not None
                else (m["avg_watch_seconds"] is None)
            )
    assert missing_seen


def test_metrics_grow_across_snapshots(generated) -> None:
    ds, _ = generated
    for content in ds.contents_of("douyin") + ds.contents_of("xiaohongshu"):
        views = [
            s.metrics["views"] for s in sorted(content.snapshots, key=lambda s: s.snapshot_date)
        ]
        assert views == sorted(views)
        assert content.published_at.tzinfo is not None
        for snap in content.snapshots:
            age = snap.snapshot_date - content.published_at.date()
            assert dt.timedelta(days=1) <= age <= dt.timedelta(days=35)


def test_titles_unique_per_account(generated) -> None:
    ds, _ = generated
    for platform in ("douyin", "xiaohongshu"):
        for account in ds.accounts_of(platform):
            titles = [c.title for c in ds.contents_of(platform, account.account_id)]
            assert len(titles) == len(set(titles))
            assert len(titles) >= 5 * WEEKS
