"""mart_live_sessions and the content → sales links of the generated corpus against values
computed here from the generator's truth (``samples.SampleDataset.live_sessions`` and
``video_sales``), as spec §3 (Live) defines them: one row per session, GPM = gmv / viewers ×
1000, ROI = gmv / spend, viewer-to-payer = buyers / viewers; every sales-listed video linked to
its content by id (视频号小店), else title and publish time (minute, or day where the list states
the date only), else left unmatched with its sales kept."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from tests.dbt.test_marts_truth import (
    Built,
    assert_rows_equal,
    latest_video_sales,
    ratio,
    rows,
    sales_links,
)
from tests.support.truth import iso_week, shanghai_day

pytestmark = pytest.mark.slow


def session_id(session) -> str:
    """The stated room id, else 'start <开播时间 in Shanghai>' (视频号 exports state none)."""
    if session.session_id is not None:
        return session.session_id
    return "start " + session.started_at.strftime("%Y-%m-%d %H:%M:%S")


def test_live_sessions_equal_the_truth(built: Built) -> None:
    dataset, con, _ = built
    expected = {}
    for s in dataset.live_sessions:
        day = shanghai_day(s.started_at)
        expected[(s.platform, s.account_id, session_id(s))] = {
            "session_id_stated": s.session_id is not None,
            "started_date": day,
            "week": iso_week(day),
            "week_start": day - dt.timedelta(days=day.weekday()),
            "duration_seconds": float(s.duration_seconds),
            "viewers": s.viewers,
            "peak_concurrent": s.peak_concurrent,
            "avg_concurrent": s.avg_concurrent,
            "avg_watch_seconds": float(s.avg_watch_seconds),
            "new_followers": s.new_followers,
            "product_clicks": s.product_clicks,
            "orders": s.orders,
            "buyers": s.buyers,
            "gmv": s.gmv,
            "gpm": ratio(s.gmv * 1000, s.viewers),
            "ad_spend": s.spend,
            "roi": ratio(s.gmv, s.spend),
            "viewer_to_payer_rate": ratio(s.buyers, s.viewers),
        }
    actual = {
        (r["platform"], r["account_id"], r["session_id"]): r
        for r in rows(con, "select * from marts.mart_live_sessions")
    }
    assert_rows_equal(actual, expected)
    assert {k[0] for k in expected} == {"douyin", "wechat_channels"}
    # a believable live room: GPM of hundreds to a few thousand 元 per thousand viewers
    gpms = sorted(v["gpm"] for v in expected.values())
    assert 100 < gpms[len(gpms) // 2] < 5000, gpms


def test_every_sales_listed_video_is_linked_to_its_content_with_its_method(built: Built) -> None:
    """Every video and note of the latest 罗盘, 视频号小店 and 千帆 lists is in the links with its
    sales; the ones the truth links carry their content and method, the rest are `unmatched`."""
    dataset, con, _ = built
    titles = {(c.platform, c.linked_id): c.title for c in dataset.contents}
    linked = sales_links(dataset)
    expected = {}
    for (platform, video_id), row in latest_video_sales(dataset).items():
        method = linked[(platform, video_id)][1] if (platform, video_id) in linked else "unmatched"
        expected[(platform, row.account_id, video_id)] = {
            "match_method": method,
            "match_quality": {"title_date": "medium", "unmatched": "none"}.get(method, "high"),
            "gmv": row.gmv,
            "buyers": row.buyers,
            "viewers": row.viewers,
            "title": None if method == "unmatched" else titles[(platform, video_id)],
        }
    actual = {
        (r["platform"], r["account_id"], r["video_id"]): r
        for r in rows(
            con,
            """select links.*, contents.title
               from intermediate.int_content_sales_links as links
               left join marts.dim_contents as contents using (content_key)""",
        )
    }
    assert_rows_equal(actual, expected)
    methods = Counter((k[0], v["match_method"]) for k, v in expected.items())
    assert {("douyin", "title_time"), ("douyin", "title_date")} <= methods.keys(), methods
    assert {("wechat_channels", "id"), ("xiaohongshu", "title_time")} <= methods.keys(), methods
