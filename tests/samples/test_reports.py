"""Every other export: real form and quirks, and the dataset equals what the files state."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import xlrd
from python_calamine import CalamineWorkbook

from samples.writers import (
    bilibili,
    comments,
    douyin_shop,
    fans,
    kuaishou,
    qianchuan,
    wechat_oa,
)
from samples.writers import wechat_channels as channels
from tests.samples import reader


def _csv(path: Path, encoding: str = "utf-8-sig") -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)


def _xlsx(path: Path) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


CONTENT_REPORT = {
    "wechat_oa": "wechat_oa.article_7day",
    "wechat_channels": "wechat_channels.video_list",
    "bilibili": "bilibili.video_compare",
    "kuaishou": "kuaishou.video_list",
}


def _snap(ds, platform, account_id, day, **match):
    found = []
    for c in ds.contents_of(platform, account_id):
        if all(getattr(c, k) == v for k, v in match.items()):
            found += [
                (c, s)
                for s in c.snapshots
                if s.snapshot_date == day and s.report == CONTENT_REPORT[platform]
            ]
    assert len(found) == 1, (match, found)
    return found[0]


def test_wechat_channels_csv(generated) -> None:
    ds, out = generated
    widths = set()
    for account in ds.accounts_of("wechat_channels"):
        for day in ds.snapshot_dates():
            path = out / "wechat_channels" / account.account_id / channels.file_name(day)
            assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
            frame = _csv(path)
            widths.add(len(frame.columns))
            for rec in frame.to_dict("records"):
                assert rec["视频ID"].startswith("export/")
                content, snap = _snap(
                    ds, "wechat_channels", account.account_id, day, content_id=rec["视频ID"]
                )
                assert rec["发布时间"] == content.published_at.strftime("%Y/%m/%d")
                m = snap.metrics
                assert (
                    reader.rate(rec["完播率"]) == pytest.approx(m["completion_rate"])
                    if m["completion_rate"] is not None
                    else rec["完播率"] == "-"
                )
                if m["avg_watch_seconds"] is not None:
                    assert rec["平均播放时长"].endswith("秒")
                    assert reader.seconds(rec["平均播放时长"]) == pytest.approx(
                        m["avg_watch_seconds"]
                    )
                assert int(rec["推荐"]) == m["recommends"] and int(rec["喜欢"]) == m["likes"]
                assert int(rec["播放量"]) == m["views"]
                if len(frame.columns) == 15:
                    assert m["wecom_link_clicks"] is None
    assert widths == {15, 19}


def test_bilibili_video_compare(generated) -> None:
    ds, out = generated
    account = ds.accounts_of("bilibili")[0]
    day = ds.snapshot_dates()[-1]
    path = out / "bilibili" / account.account_id / bilibili.file_name(day)
    frame = _csv(path, encoding="utf-8")
    assert tuple(frame.columns) == bilibili.HEADER and len(frame.columns) == 30
    for rec in frame.to_dict("records"):
        content, snap = _snap(ds, "bilibili", account.account_id, day, title=rec["视频标题"])
        assert content.content_id is None
        assert rec["发布时间"] == content.published_at.strftime("%Y年%m月%d日 %H:%M:%S")
        assert rec["封标点击率"].endswith("星")
        assert reader.stars(rec["封标点击率"]) == snap.metrics["cover_ctr_stars"]
        assert reader.rate(rec["点赞率"]) == pytest.approx(snap.metrics["like_rate"])
        assert reader.rate(rec["3秒跳出率"]) == pytest.approx(snap.metrics["bounce_rate_3s"])
        assert int(rec["投币量"]) == snap.metrics["coins"]


def test_kuaishou_abbreviated_views(generated) -> None:
    ds, out = generated
    abbreviated = 0
    for account in ds.accounts_of("kuaishou"):
        for day in ds.snapshot_dates()[account.start_week :]:  # a piloted account starts later
            path = out / "kuaishou" / account.account_id / kuaishou.file_name(day, account.variant)
            if account.variant == 0:
                rows = _xlsx(path)
                records = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
            else:
                records = _csv(path).to_dict("records")
            for rec in records:
                _, snap = _snap(ds, "kuaishou", account.account_id, day, content_id=rec["作品ID"])
                views = rec["播放量"]
                if isinstance(views, str) and views[-1] in "万w":
                    abbreviated += 1
                assert reader.number(views) == snap.metrics["views"]
    assert abbreviated > 0


def test_wechat_oa_article_7day_forms(generated) -> None:
    ds, out = generated
    forms = Counter()
    capped = 0
    for account in ds.accounts_of("wechat_oa"):
        for i, day in enumerate(ds.snapshot_dates()):
            form = wechat_oa.article_form(account.variant, i)
            forms[form] += 1
            path = out / "wechat_oa" / account.account_id / wechat_oa.article_file_name(day, form)
            if form == "xls":
                book = xlrd.open_workbook(str(path))
                assert book.sheet_names() == ["New Sheet1"]
                sheet = book.sheet_by_index(0)
                rows = [sheet.row_values(r) for r in range(sheet.nrows)]
            elif form == "xlsx":
                rows = _xlsx(path)
            else:
                frame = _csv(path)
                rows = [list(frame.columns), *frame.to_numpy().tolist()]
            assert tuple(rows[0]) == wechat_oa.ARTICLE_HEADER
            for row in rows[1:]:
                rec = dict(zip(rows[0], row, strict=True))
                content, snap = _snap(
                    ds, "wechat_oa", account.account_id, day, title=rec["内容标题"]
                )
                assert int(float(rec["发表时间"])) == int(content.published_at.strftime("%Y%m%d"))
                if rec["总阅读次数"] == "10万+":
                    capped += 1
                    assert snap.views_is_capped and snap.metrics["views"] == 100_000
                else:
                    assert reader.number(rec["总阅读次数"]) == snap.metrics["views"]
                assert reader.rate(rec["送达阅读率"]) == pytest.approx(
                    snap.metrics["delivery_read_rate"]
                )
                assert re.fullmatch(r"0(\.\d{1,4})?|1(\.0+)?", str(float(rec["阅读完成率"])))
    assert set(forms) == {"xlsx", "xls", "csv"}
    assert capped > 0


def test_wechat_oa_user_growth_is_html(generated) -> None:
    ds, out = generated
    account = ds.accounts_of("wechat_oa")[0]
    day = ds.snapshot_dates()[0]
    text = (out / "wechat_oa" / account.account_id / wechat_oa.growth_file_name(day)).read_text()
    assert "用户增长（2026-09-28至2026-10-04）" in text and '<tr class="header">' in text
    cells = re.findall(
        r"<tr><th>(\d{4}-\d\d-\d\d)</th><th>(\d+)</th><th>(\d+)</th><th>(-?\d+)</th><th>(\d+)</th>",
        text,
    )
    days = {f.date.isoformat(): f for f in ds.follower_days if f.account_id == account.account_id}
    assert len(cells) == 7
    for date, new, lost, net, total in cells:
        f = days[date]
        assert (int(new), int(lost), int(total)) == (
            f.new_followers,
            f.lost_followers,
            f.followers_total,
        )
        assert int(net) == f.new_followers - f.lost_followers


def test_wechat_oa_datacube(generated) -> None:
    ds, out = generated
    account = ds.accounts_of("wechat_oa")[1]
    day = ds.snapshot_dates()[1]
    folder = out / "wechat_oa" / account.account_id
    detail = json.loads((folder / f"datacube_getarticletotaldetail_{day}.json").read_text())
    assert detail["list"]
    for item in detail["list"]:
        content = next(
            c
            for c in ds.contents_of("wechat_oa", account.account_id)
            if c.content_id == item["msgid"]
        )
        snaps = {
            s.snapshot_date.isoformat(): s
            for s in content.snapshots
            if s.report.endswith("articletotaldetail")
        }
        for d in item["detail_list"]:
            assert d["like_user"] == snaps[d["stat_date"]].metrics["likes"]
            assert d["zaikan_user"] == snaps[d["stat_date"]].metrics["zaikan"]
    cumulate = json.loads((folder / f"datacube_getusercumulate_{day}.json").read_text())["list"]
    assert all(isinstance(x["cumulate_user"], str) for x in cumulate)  # numeric strings
    summary = json.loads((folder / f"datacube_getusersummary_{day}.json").read_text())["list"]
    per_day = Counter()
    for x in summary:
        per_day[x["ref_date"]] += x["new_user"]
    days = {f.date.isoformat(): f for f in ds.follower_days if f.account_id == account.account_id}
    assert all(days[d].new_followers == n for d, n in per_day.items())


def test_fans_daily_full_and_total_only(generated) -> None:
    ds, out = generated
    kinds = set()
    for platform in fans.PLATFORMS:
        for account in ds.accounts_of(platform):
            day = ds.snapshot_dates()[account.start_week]  # a piloted account's first export
            path = out / platform / account.account_id / fans.file_name(day, account.variant)
            if account.variant == 0:
                rows = _xlsx(path)
                records = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
            else:
                records = _csv(path).to_dict("records")
            kinds.add(tuple(records[0]))
            days = {
                f.date.isoformat(): f
                for f in ds.follower_days
                if f.account_id == account.account_id
            }
            for rec in records:
                f = days[rec["日期"]]
                assert reader.number(rec["粉丝总数"]) == f.followers_total
                if "新增粉丝" in rec:
                    assert reader.number(rec["新增粉丝"]) == f.new_followers
                else:
                    assert f.new_followers is None and f.lost_followers is None
    assert set(fans.HEADER_FULL) in [set(k) for k in kinds]
    assert set(fans.HEADER_TOTAL) in [set(k) for k in kinds]


def test_orders_gbk_and_amounts(generated) -> None:
    ds, out = generated
    total = 0
    for account in ds.accounts_of("douyin_shop"):
        encoding = "utf-8-sig" if account.variant == 0 else "gbk"
        orders = {o.sub_order_id: o for o in ds.orders if o.account_id == account.account_id}
        for day in ds.snapshot_dates():
            path = out / "douyin_shop" / account.account_id / douyin_shop.file_name(day)
            if account.variant == 1:
                with pytest.raises(UnicodeDecodeError):
                    path.read_bytes().decode("utf-8")
            frame = _csv(path, encoding=encoding)
            for rec in frame.to_dict("records"):
                o = orders[rec["子订单编号"]]
                assert len(rec["主订单编号"]) == 19
                assert float(rec["订单应付金额"].replace(",", "")) == o.amount
                assert rec["订单状态"] == o.status
                assert (rec["支付完成时间"] == "") == (o.paid_at is None)
                assert (
                    rec.get("流量体裁") == o.channel if account.variant == 0 else o.channel is None
                )
                total += 1
    assert total == len(ds.orders)
    assert any(o.status == "已取消" for o in ds.orders)


def test_qianchuan_product_daily(generated) -> None:
    ds, out = generated
    account = ds.accounts_of("qianchuan")[0]
    day = ds.start
    rows = _xlsx(
        out / "qianchuan" / account.account_id / qianchuan.file_name(account.account_name, day)
    )
    assert tuple(rows[0]) == qianchuan.HEADER
    truth = [p for p in ds.product_days if p.account_id == account.account_id and p.date == day]
    assert len(rows) - 1 == len(truth)
    assert len({r[0] for r in rows[1:]}) < len(rows) - 1  # a product on several rows
    for row, p in zip(rows[1:], truth, strict=True):
        assert row[0] == p.product_id
        assert reader.number(row[6]) == p.spend and reader.number(row[7]) == p.gmv
        assert reader.rate(row[4]) == pytest.approx(p.ctr)


def test_wecom_json(generated) -> None:
    ds, out = generated
    account = ds.accounts_of("wecom")[0]
    day = ds.snapshot_dates()[0]
    folder = out / "wecom" / account.account_id
    absent = 0
    for path in sorted(folder.glob(f"behavior_*_{day}.json")):
        payload = json.loads(path.read_text())
        truth = {
            (b.date.isoformat()): b for b in ds.wecom_behavior if b.userid == payload["userid"]
        }
        for item in payload["behavior_data"]:
            date = dt.datetime.fromtimestamp(item["stat_time"], dt.timezone(dt.timedelta(hours=8)))
            b = truth[date.date().isoformat()]
            assert item["chat_cnt"] == b.chat_cnt
            if "reply_percentage" not in item:
                absent += 1
                assert b.reply_percentage is None and b.avg_reply_time is None
            else:
                assert item["reply_percentage"] == b.reply_percentage
    assert absent > 0
    groups = json.loads((folder / f"groupchat_statistic_group_by_day_{day}.json").read_text())
    assert len(groups["items"]) == 7 and "member_total" in groups["items"][0]["data"]


@pytest.mark.parametrize("platform", ["xiaohongshu", "douyin", "bilibili", "kuaishou"])
def test_comments_files(generated, platform: str) -> None:
    ds, out = generated
    seen = 0
    for account in ds.accounts_of(platform):
        form = comments.comment_form(platform, account.variant)
        truth = {c.comment_id: c for c in ds.comments if c.account_id == account.account_id}
        for day in ds.snapshot_dates()[account.start_week :]:  # a piloted account starts later
            path = out / platform / account.account_id / comments.file_name(day, form)
            if form == "csv":
                records = _csv(path).to_dict("records")
            elif form == "json":
                records = json.loads(path.read_text())
            else:
                records = [json.loads(line) for line in path.read_text().splitlines()]
            for rec in records:
                c = truth[str(rec["comment_id"])]
                assert rec["content"] == c.text and rec["user_id"] == c.user_id
                assert str(rec[comments.CONTENT_KEY[platform]]) == c.content_linked_id
                seen += 1
    assert seen == sum(1 for c in ds.comments if c.platform == platform)
    labels = Counter(c.sentiment for c in ds.comments if c.platform == platform)
    assert labels["negative"] > 0


def test_negative_comments_mostly_answered_within_the_hour(generated) -> None:
    ds, _ = generated
    by_id = {c.comment_id: c for c in ds.comments}
    replies = [c for c in ds.comments if c.is_brand_reply]
    assert replies
    fast = [
        r
        for r in replies
        if r.created_at - by_id[r.parent_comment_id].created_at <= dt.timedelta(hours=1)
    ]
    assert 0 < len(fast) < len(replies)


def test_templates_written(generated) -> None:
    ds, out = generated
    for name, rows in ds.templates.items():
        frame = _csv(out / name / "brand" / f"{name}.csv", encoding="utf-8")
        assert len(frame) == len(rows) > 0
        assert all(re.fullmatch(r"[a-z_]+", c) for c in frame.columns)
    assert {
        "ad_spend",
        "leads",
        "mentions",
        "search_index",
        "customers",
        "campaigns",
        "kpi_targets",
        "ab_tests",
        "brand_accounts",
    } <= set(ds.templates)
    tools = {r["tool"] for r in ds.templates["ad_spend"]}
    assert tools == {"DOU+", "薯条", "磁力金牛", "微信广告"}


def test_some_content_is_viral(generated) -> None:
    ds, _ = generated
    assert any(
        c.latest.metrics.get("views", 0) and c.latest.metrics["views"] >= 100_000
        for c in ds.contents
    )
