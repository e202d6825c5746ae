"""公众号 exports: 已通知内容 (article_7day: xlsx, legacy .xls or csv), 用户增长 (user_growth:
HTML saved as .xls) and datacube API responses saved as JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import xlwt

from samples.files import account_dir, export_time, finish, write_csv, write_xlsx
from samples.model import SampleDataset
from samples.timeutil import to_date
from samples.writers.common import snapshot_groups

ARTICLE_COLUMNS = (
    ("内容标题", None),
    ("发表时间", None),
    ("总阅读人数", "readers"),
    ("总阅读次数", "views"),
    ("总分享人数", "share_users"),
    ("总分享次数", "shares"),
    ("阅读后关注人数", "followers_gained"),
    ("送达人数", "delivered"),
    ("公众号消息阅读次数", "message_reads"),
    ("送达阅读率", "delivery_read_rate"),
    ("首次分享次数", "first_shares"),
    ("分享产生阅读次数", "share_reads"),
    ("首次分享率", "first_share_rate"),
    ("每次分享带来阅读次数", "reads_per_share"),
    ("阅读完成率", "completion_rate"),
    ("内容url", None),
)
ARTICLE_HEADER = tuple(c for c, _ in ARTICLE_COLUMNS)
SUMMARY_KEYS = (
    "int_page_read_user",
    "int_page_read_count",
    "ori_page_read_user",
    "ori_page_read_count",
    "share_user",
    "share_count",
    "add_to_fav_user",
    "add_to_fav_count",
)
GROWTH_HEADER = ("时间", "新关注人数", "取消关注人数", "净增关注人数", "累积关注人数")


def article_file_name(day: dt.date, form: str) -> str:
    return f"内容分析_已通知内容_{day.strftime('%Y%m%d')}.{form}"


def article_form(variant: int, week_index: int) -> str:
    """variant 0 alternates xlsx and legacy xls by week; variant 1 exports csv."""
    if variant == 1:
        return "csv"
    return "xlsx" if week_index % 2 == 0 else "xls"


def content_url(msgid: str) -> str:
    mid, idx = msgid.split("_")
    return f"https://mp.weixin.qq.com/s?__biz=MzI0NTc4NjE2MA==&mid={mid}&idx={idx}&sn={int(mid) % 99991:05d}"


def _article_rows(rows: pd.DataFrame, capped_text: bool) -> list[list[object]]:
    published = (rows["published_day"].map(lambda d: int(to_date(d).strftime("%Y%m%d")))).to_numpy()
    data = []
    records = rows.to_dict("records")
    for rec, pub in zip(records, published, strict=True):
        row: list[object] = []
        for label, name in ARTICLE_COLUMNS:
            if label == "内容标题":
                row.append(rec["title"])
            elif label == "发表时间":
                row.append(int(pub))
            elif label == "内容url":
                row.append(content_url(rec["content_id"]))
            else:
                value = rec[name]
                if value is None or (isinstance(value, float) and np.isnan(value)):
                    row.append("-")
                elif name == "views" and rec["views_is_capped"] and capped_text:
                    row.append("10万+")
                elif isinstance(value, float | np.floating):
                    row.append(float(value))
                else:
                    row.append(int(value))
        data.append(row)
    return data


def _write_xls(path: Path, rows: list[list[object]]) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("New Sheet1")
    for c, label in enumerate(ARTICLE_HEADER):
        sheet.write(0, c, label)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))


def write_articles(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    dates = ds.snapshot_dates()
    for account, day, rows in snapshot_groups(ds, "wechat_oa", "article_7day"):
        form = article_form(account.variant, dates.index(day))
        rows_out = _article_rows(rows, capped_text=form == "csv")
        path = account_dir(out, "wechat_oa", account.account_id) / article_file_name(day, form)
        if form == "xlsx":
            write_xlsx(path, ARTICLE_HEADER, rows_out, created=export_time(day))
        elif form == "xls":
            _write_xls(path, rows_out)
        else:
            frame = pd.DataFrame(rows_out, columns=list(ARTICLE_HEADER), dtype=object)
            write_csv(frame, path, encoding="utf-8-sig")
        paths.append(finish(path, day))
    return paths


def growth_file_name(day: dt.date) -> str:
    return f"用户分析_用户增长_{day.isoformat()}.xls"


def _growth_html(first: dt.date, last: dt.date, days: pd.DataFrame) -> str:
    cells = []
    for rec in days.to_dict("records"):
        net = int(rec["new_followers"]) - int(rec["lost_followers"])
        values = (
            rec["date"].isoformat(),
            int(rec["new_followers"]),
            int(rec["lost_followers"]),
            net,
            int(rec["followers_total"]),
        )
        cells.append("<tr>" + "".join(f"<th>{v}</th>" for v in values) + "</tr>")
    header = "".join(f"<th>{h}</th>" for h in GROWTH_HEADER)
    return (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">\n'
        '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>\n'
        '<body>\n<table border="1">\n'
        f'<tr><th colspan="5">用户增长（{first.isoformat()}至{last.isoformat()}）</th></tr>\n'
        f'<tr class="header">{header}</tr>\n' + "\n".join(cells) + "\n</table>\n</body>\n</html>\n"
    )


def write_user_growth(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    days = ds.frames["follower_days"]
    for account in ds.accounts_of("wechat_oa"):
        mine = days[days["account_id"] == account.account_id]
        for day in ds.snapshot_dates():
            first, last = day - dt.timedelta(days=7), day - dt.timedelta(days=1)
            week = mine[(mine["date"] >= first) & (mine["date"] <= last)]
            path = account_dir(out, "wechat_oa", account.account_id) / growth_file_name(day)
            path.write_text(_growth_html(first, last, week), encoding="utf-8")
            paths.append(finish(path, day))
    return paths


def _dump(path: Path, payload: dict) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")


def write_datacube(ds: SampleDataset, out: Path) -> list[Path]:
    """Per account and week: getarticletotaldetail (articles sent that week, details up to the
    day before the snapshot), getarticlesummary, getusersummary, getusercumulate."""
    paths = []
    contents = ds.frames["contents.wechat_oa"]
    detail = ds.frames["snapshots.wechat_oa.datacube_articletotaldetail"]
    daily = ds.frames["wechat_oa.article_daily"]
    sources = ds.frames["wechat_oa.user_source_days"]
    follower_days = ds.frames["follower_days"]
    detail_of = {int(k): g for k, g in detail.groupby("content_idx")}
    for account_no, account in enumerate(ds.accounts_of("wechat_oa")):
        folder = account_dir(out, "wechat_oa", account.account_id)
        mine = contents[contents["account_no"] == account_no]
        for day in ds.snapshot_dates():
            first = day - dt.timedelta(days=7)
            lo, hi = (first - dt.date(1970, 1, 1)).days, (day - dt.date(1970, 1, 1)).days
            items = []
            for idx, art in mine[
                (mine["published_day"] >= lo) & (mine["published_day"] < hi)
            ].iterrows():
                rows = detail_of[int(idx)]
                rows = rows[rows["snapshot_day"] < hi]
                items.append(
                    {
                        "ref_date": to_date(art["published_day"]).isoformat(),
                        "msgid": art["content_id"],
                        "title": art["title"],
                        "publish_type": 0,
                        "content_url": content_url(art["content_id"]),
                        "detail_list": [
                            {
                                "stat_date": to_date(r["snapshot_day"]).isoformat(),
                                "read_user": int(r["readers"]),
                                "share_user": int(r["share_users"]),
                                "zaikan_user": int(r["zaikan"]),
                                "like_user": int(r["likes"]),
                                "comment_count": int(r["comments"]),
                                "collection_user": int(r["collects"]),
                                "read_finish_rate": float(r["completion_rate"]),
                                "read_avg_activetime": float(r["avg_read_seconds"]),
                            }
                            for r in rows.to_dict("records")
                        ],
                    }
                )
            stamp = day.isoformat()
            path = folder / f"datacube_getarticletotaldetail_{stamp}.json"
            _dump(path, {"list": items, "is_delay": False})
            paths.append(finish(path, day))

            as_text = account.variant == 1  # some SDKs save counts as numeric strings
            week_daily = daily[
                daily["content_idx"].isin(mine.index) & (daily["day"] >= lo) & (daily["day"] < hi)
            ].sort_values(["day", "content_idx"])
            summary = []
            msgids = contents["content_id"].to_dict()
            titles = contents["title"].to_dict()
            for r in week_daily.to_dict("records"):
                item = {
                    "ref_date": to_date(r["day"]).isoformat(),
                    "msgid": msgids[r["content_idx"]],
                    "title": titles[r["content_idx"]],
                }
                for key in SUMMARY_KEYS:
                    value = int(r[key])
                    item[key] = str(value) if as_text and key.startswith("add_to_fav") else value
                summary.append(item)
            path = folder / f"datacube_getarticlesummary_{stamp}.json"
            _dump(path, {"list": summary})
            paths.append(finish(path, day))

            mine_sources = sources[
                (sources["account_id"] == account.account_id)
                & (sources["day"] >= lo)
                & (sources["day"] < hi)
            ]
            users = [
                {
                    "ref_date": to_date(r["day"]).isoformat(),
                    "user_source": int(r["user_source"]),
                    "new_user": int(r["new_user"]),
                    "cancel_user": int(r["cancel_user"]),
                }
                for r in mine_sources.to_dict("records")
            ]
            path = folder / f"datacube_getusersummary_{stamp}.json"
            _dump(path, {"list": users})
            paths.append(finish(path, day))

            mine_days = follower_days[
                (follower_days["account_id"] == account.account_id)
                & (follower_days["day"] >= lo)
                & (follower_days["day"] < hi)
            ]
            cumulate = [
                {
                    "ref_date": r["date"].isoformat(),
                    "cumulate_user": str(int(r["followers_total"]))
                    if as_text
                    else int(r["followers_total"]),
                }
                for r in mine_days.to_dict("records")
            ]
            path = folder / f"datacube_getusercumulate_{stamp}.json"
            _dump(path, {"list": cumulate})
            paths.append(finish(path, day))
    return paths


def write(ds: SampleDataset, out: Path) -> list[Path]:
    return write_articles(ds, out) + write_user_growth(ds, out) + write_datacube(ds, out)
